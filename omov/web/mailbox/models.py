from __future__ import annotations

from django.db import models


class StoredEmail(models.Model):
    """A message the debug email backend 'sent'; shown on the dev mailbox page."""

    sent_at = models.DateTimeField(auto_now_add=True)
    from_email = models.CharField(max_length=254)
    to = models.TextField(help_text="Recipients, one per line.")
    subject = models.CharField(max_length=998)
    body = models.TextField()

    class Meta:
        ordering = ("-sent_at", "-id")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
