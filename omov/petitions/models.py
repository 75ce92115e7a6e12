"""Petitions and open letters, their signatures, and the hash-chained signature log."""

from __future__ import annotations

import datetime

from django.db import models

from omov.members.models import Member
from omov.organisation.models import Committee, LocalGroup


class Kind(models.TextChoices):
    OPEN_LETTER = "open_letter", "Open letter to a committee"
    BALLOT_PETITION = "ballot_petition", "Petition for a member ballot"
    CALL_IN = "call_in", "Call-in of a published decision"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Named publicly"
    MEMBERS = "members", "Named to members only"
    COUNTED = "counted", "Counted without my name shown to anyone"


class Petition(models.Model):
    """One petition or open letter. Its signatures live in its log; `Signature` is an index."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The current text; frozen once a signature is on it.")
    version = models.PositiveIntegerField(default=0, help_text="0 until the text is frozen.")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="petitions")
    started_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    in_name_of = models.ForeignKey(
        LocalGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="petitions"
    )
    thresholds = models.JSONField(help_text="Threshold name to the number of signatures.")
    roll_date = models.DateField(help_text="The roll date of the thresholds' denominator.")
    denominator = models.PositiveIntegerField(help_text="Active members on the roll date.")
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    rules_version = models.PositiveIntegerField(default=0, help_text="The rules in force at start.")
    answer_days = models.PositiveIntegerField(default=0, help_text="Days to answer, once due.")
    answer_due = models.DateTimeField(null=True, blank=True)
    answer_text = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question_kind = models.CharField(max_length=20, default="yes_no",
                                     help_text="For a ballot petition: the question's kind.")
    question_options = models.JSONField(default=list, blank=True)
    question_minimum = models.PositiveIntegerField(
        default=1, help_text="For a choose question: the fewest options a voter picks.")
    question_maximum = models.PositiveIntegerField(
        default=1, help_text="For a choose question the most options; for a block vote the seats.")
    case_against = models.TextField(blank=True, help_text="The committee may add it.")
    ballot_due = models.DateTimeField(null=True, blank=True,
                                      help_text="A forced ballot must open by then.")
    forced_ballot = models.OneToOneField(
        "ballots.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="origin"
    )
    decision = models.ForeignKey(
        "committees.Decision", null=True, blank=True, on_delete=models.PROTECT,
        related_name="call_ins", help_text="For a call-in: the decision called in.",
    )
    ballot_outcome = models.CharField(max_length=300, blank=True)
    ballot_carried = models.BooleanField(null=True, blank=True)
    hidden_reason = models.CharField(
        max_length=500, blank=True, help_text="Published reason an organiser hid it as abusive."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    def answer_overdue(self, now: datetime.datetime) -> bool:
        """The committee owes an answer and its deadline has passed."""
        return self.answer_due is not None and self.answered_at is None and now > self.answer_due

    def ballot_overdue(self, now: datetime.datetime) -> bool:
        """A forced ballot is owed and has not opened by its deadline."""
        if self.ballot_due is None or now <= self.ballot_due:
            return False
        ballot = self.forced_ballot
        return ballot is None or ballot.opens_at > self.ballot_due or ballot.phase == "draft"


class LogEntry(models.Model):
    """One line of the petition's public signature log (docs/petitions-record.md)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="log")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    line = models.BinaryField()
    hash = models.BinaryField(max_length=32)

    class Meta:
        ordering = ("petition", "index")
        constraints = (
            models.UniqueConstraint(fields=["petition", "index"], name="petition_log_index"),
        )

    def __str__(self) -> str:
        return f"{self.petition_id}#{self.index} {self.kind}"


class Signature(models.Model):
    """Who signed, kept apart from the public log; never shown for a counted signer."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    receipt = models.CharField(max_length=32, unique=True)
    signed_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["petition", "member", "version"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_live_signature_per_member",
            ),
        )

    def __str__(self) -> str:
        return self.receipt


class ThresholdReached(models.Model):
    """A threshold met, and what it set off (answer duty, forced ballot, call-in)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="reached")
    threshold = models.CharField(max_length=30)
    reached_at = models.DateTimeField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["petition", "threshold"], name="threshold_once"),
        )

    def __str__(self) -> str:
        return f"{self.petition_id} {self.threshold}"
