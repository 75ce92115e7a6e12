"""Sending mail to members: the one place that builds and sends a message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail


def absolute_url(path: str) -> str:
    """A full link for emails, built from OMOV_BASE_URL (never the Host header)."""
    return f"{settings.OMOV_BASE_URL}{path}"


def send_email(to: str, subject: str, body: str) -> None:
    """Sends a plain-text message through the configured email backend."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
