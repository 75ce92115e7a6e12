"""An email backend that stores messages instead of sending them (debug only)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from omov.web.mailbox.models import StoredEmail


class DatabaseEmailBackend(BaseEmailBackend):
    """Keeps each outgoing message as a StoredEmail row."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            StoredEmail.objects.create(
                from_email=message.from_email,
                to="\n".join(message.recipients()),
                subject=str(message.subject),
                body=str(message.body),
            )
        return len(email_messages)
