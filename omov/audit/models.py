from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One thing that happened, written by the action that did it.

    Rows are only ever added. `public` marks the organiser actions that every
    member may read on the audit page; the rest (sign-ins, personal requests)
    are for the organisation's own records.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Who did it; empty for the system (commands, imports run by scripts).",
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True)
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=["public", "-at"]),)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}: {self.summary}"
