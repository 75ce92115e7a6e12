"""Limits on sign-in link requests, counted in the database.

Three counts over the window: per email address and requester (the client
address), so that someone asking again and again for a member's address runs
out of requests without using up the member's own; per requester, against
anyone probing many addresses; and per email address overall, a higher cap
against mail-bombing a member from many addresses. A member's own successful
sign-in clears the counts for their address (`forget_sign_in_attempts`).
"""

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


def _limit(attempts: list[datetime.datetime], limit: int, reason: str) -> None:
    if len(attempts) >= limit:
        raise SignInLimited(reason, _retry_after(attempts, limit))


def check_sign_in_limit(email: str, ip_address: str | None) -> None:
    """Raises SignInLimited if this requester, or everyone together, asked too often lately."""
    recent = SignInAttempt.objects.filter(at__gte=_window_start())
    by_email = recent.filter(email=email.lower())
    if ip_address:
        _limit(list(by_email.filter(ip_address=ip_address).values_list("at", flat=True)),
               settings.OMOV_SIGN_IN_LIMIT_PER_REQUESTER,
               "Too many sign-in links were asked for this email address.")
        _limit(list(recent.filter(ip_address=ip_address).values_list("at", flat=True)),
               settings.OMOV_SIGN_IN_LIMIT_PER_IP,
               "Too many sign-in links were asked for from your network.")
    _limit(list(by_email.values_list("at", flat=True)), settings.OMOV_SIGN_IN_LIMIT_PER_EMAIL,
           "Too many sign-in links were asked for this email address.")


def count_sign_in_attempt(email: str, ip_address: str | None) -> None:
    SignInAttempt.objects.create(email=email.lower(), ip_address=ip_address)


def forget_sign_in_attempts(email: str) -> None:
    """The member signed in with a link sent to `email`: their address starts afresh."""
    SignInAttempt.objects.filter(email=email.lower()).delete()
