"""Sending mail to members: the one place that builds and sends a message."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """A full link for emails, built from OMOV_BASE_URL (never the Host header)."""
    return f"{settings.OMOV_BASE_URL}{path}"


def send_email(to: str, subject: str, body: str, *, headers: dict[str, str] | None = None) -> None:
    """Puts a plain-text message in the outbox (see omov.web.outbox).

    The message is written in the caller's transaction and sent by the mail
    worker after it commits: a rolled-back action sends nothing, and SMTP
    being down never fails the action. `headers` are extra header lines
    (e.g. List-Unsubscribe).
    """
    from omov.web import outbox

    outbox.enqueue(to, subject, body, dict(headers or {}))


def send_emails(messages: list[tuple[str, str, str, dict[str, str]]]) -> None:
    """Puts many messages (to, subject, body, headers) in the outbox at once, in the
    caller's transaction: for a batch of notices, one write instead of one each."""
    from omov.web import outbox

    outbox.enqueue_many(messages)
