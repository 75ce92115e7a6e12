"""The decision register's tables. The committees and seats are organisation's.

Each committee's register entries (`RegisterEntry`) are the published truth;
the other tables index them for the pages and point at their entry.
"""

from __future__ import annotations

from django.db import models

from omov.record.register import ATTENDANCE, MEETING_KINDS, STATUSES, VOTES


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class Secretary(models.Model):
    """A member who records a committee's meetings; organisers appoint and end it."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="secretaries"
    )
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["committee", "member"], condition=models.Q(ended_at__isnull=True),
                name="one_current_secretary_row",
            ),
        )


class RegisterEntry(models.Model):
    """One line of a committee's hash-chained register (docs/register.md). Never edited."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="register_entries"
    )
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    line = models.BinaryField()
    hash = models.BinaryField(max_length=32)
    recorded_by = models.ForeignKey(
        "members.Member", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("committee", "index")
        constraints = (
            models.UniqueConstraint(fields=["committee", "index"], name="register_index_once"),
        )


class Meeting(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=20, choices=_choices(MEETING_KINDS))
    held_on = models.DateField()
    notice_sent_on = models.DateField(null=True)
    rules_version = models.PositiveIntegerField()
    seats = models.PositiveIntegerField()
    quorum = models.PositiveIntegerField()
    present = models.PositiveIntegerField()
    quorate = models.BooleanField()
    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="+")
    minutes = models.TextField(blank=True)
    minutes_approved_at = models.ForeignKey(
        "self", null=True, on_delete=models.PROTECT, related_name="approved_minutes"
    )

    class Meta:
        ordering = ("-held_on", "-id")

    def quorum_words(self) -> str:
        """ "quorate: 7 of 12 present, quorum 7", or why it was not a full meeting."""
        if self.kind != "full":
            kind = "officer group" if self.kind == "officer_group" else "emergency meeting"
            return f"not a full meeting: {self.present} of {self.seats} ({kind})"
        state = "quorate" if self.quorate else "not quorate"
        return f"{state}: {self.present} of {self.seats} present, quorum {self.quorum}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=_choices(ATTENDANCE))

    class Meta:
        ordering = ("member__name",)
        constraints = (
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
        )


class Motion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions")
    mover = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    seconder = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    roll_call = models.BooleanField()
    votes_for = models.PositiveIntegerField()
    votes_against = models.PositiveIntegerField()
    abstentions = models.PositiveIntegerField()
    carried = models.BooleanField()
    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="+")


class Vote(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=_choices(VOTES))

    class Meta:
        ordering = ("member__name",)


class Decision(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="decisions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    motion = models.OneToOneField(
        Motion, null=True, on_delete=models.PROTECT, related_name="decision"
    )
    text = models.TextField()
    kind = models.CharField(max_length=30)
    effective_on = models.DateField()
    published_at = models.DateTimeField()
    rules_version = models.PositiveIntegerField()
    call_in_ends = models.DateField()
    needs_ratification = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=_choices(STATUSES))
    status_cause = models.CharField(max_length=500, blank=True)
    status_cause_url = models.CharField(max_length=500, blank=True)
    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-published_at", "-id")

    def __str__(self) -> str:
        return self.text[:80]


class Correction(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="corrections"
    )
    corrects = models.ForeignKey(
        RegisterEntry, on_delete=models.PROTECT, related_name="corrections"
    )
    text = models.TextField()
    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="+")
