"""Limits on sign-in link requests, counted in the database per email and per IP."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from omov.accounts.models import SignInAttempt


@dataclass(frozen=True)
class SignInLimited(Exception):
    """Too many sign-in requests; `retry_after` is when the next one is allowed."""

    reason: str
    retry_after: datetime.datetime

    def __str__(self) -> str:
        return self.reason


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.OMOV_SIGN_IN_WINDOW_MINUTES)


def _retry_after(attempts: list[datetime.datetime], limit: int) -> datetime.datetime:
    oldest_counted = sorted(attempts)[-limit]
    return oldest_counted + datetime.timedelta(minutes=settings.OMOV_SIGN_IN_WINDOW_MINUTES)


def check_sign_in_limit(email: str, ip_address: str | None) -> None:
    """Raises SignInLimited if this email or this address asked too often lately."""
    since = _window_start()
    recent = SignInAttempt.objects.filter(at__gte=since)
    by_email = list(recent.filter(email=email.lower()).values_list("at", flat=True))
    if len(by_email) >= settings.OMOV_SIGN_IN_LIMIT_PER_EMAIL:
        raise SignInLimited(
            "Too many sign-in links were asked for this email address.",
            _retry_after(by_email, settings.OMOV_SIGN_IN_LIMIT_PER_EMAIL),
        )
    if ip_address:
        by_ip = list(recent.filter(ip_address=ip_address).values_list("at", flat=True))
        if len(by_ip) >= settings.OMOV_SIGN_IN_LIMIT_PER_IP:
            raise SignInLimited(
                "Too many sign-in links were asked for from your network.",
                _retry_after(by_ip, settings.OMOV_SIGN_IN_LIMIT_PER_IP),
            )


def count_sign_in_attempt(email: str, ip_address: str | None) -> None:
    SignInAttempt.objects.create(email=email.lower(), ip_address=ip_address)
