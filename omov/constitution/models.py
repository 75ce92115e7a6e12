from __future__ import annotations

from django.db import models


class RuleVersion(models.Model):
    """One version of the rules; a change adds a version, none is edited."""

    number = models.PositiveIntegerField(unique=True)
    rules = models.JSONField(help_text="The whole rule set, as RuleSet.to_data gives it.")
    made_by = models.ForeignKey(
        "members.Member", null=True, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    reason = models.CharField(max_length=1000)

    class Meta:
        ordering = ("-number",)

    def __str__(self) -> str:
        return f"Rules version {self.number}"
