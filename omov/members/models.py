from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    LAPSED = "lapsed", "Lapsed"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"


class Member(models.Model):
    """A person on the membership roll. Members are never deleted.

    `status` is a cache of the latest row in the status history (by effective
    date); the history is the truth, and `eligible_members` reads it.
    """

    membership_number = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    local_group = models.ForeignKey(
        "organisation.LocalGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member",
        help_text="The sign-in account, made at the member's first sign-in.",
    )
    time_zone = models.CharField(
        max_length=64, blank=True,
        help_text="The zone the member sees times in; empty: the organisation's.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "membership_number")
        constraints = (
            models.UniqueConstraint(Lower("email"), name="member_email_unique_ci"),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.membership_number})"


class StatusChange(models.Model):
    """One row of a member's status history: from, to, when, why, by whom."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_history")
    from_status = models.CharField(
        max_length=20, choices=Status.choices, blank=True, help_text="Empty when joining."
    )
    to_status = models.CharField(max_length=20, choices=Status.choices)
    effective_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("member", "effective_on", "id")
        indexes = (models.Index(fields=["member", "effective_on", "id"]),)

    def __str__(self) -> str:
        change = f"{self.from_status or 'joined'} → {self.to_status}"
        return f"{self.member}: {change} from {self.effective_on}"


class RejoinRequest(models.Model):
    """A cancelled or lapsed member asks to be active again; an organiser decides."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="rejoin_requests")
    message = models.CharField(max_length=1000, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-requested_at", "-id")

    def __str__(self) -> str:
        return f"Rejoin request by {self.member} ({self.outcome})"


class MemberImport(models.Model):
    """An uploaded roll file, kept so the preview and the commit read the same bytes.

    Previewing stores only this upload; the roll itself is untouched until an
    organiser confirms, and then `committed_at` is set.
    """

    uploaded_by = models.ForeignKey(Member, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.TextField()
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-uploaded_at", "-id")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


def today() -> datetime.date:
    """Today's date in the organisation's time zone."""
    from django.utils import timezone

    return timezone.localdate()


class EmailChange(models.Model):
    """A member's request to change their email, confirmed by a link sent to the new
    address. Only the SHA-256 of the link's token is stored."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="email_changes")
    new_email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member} → {self.new_email}"


class NoticeKind(models.TextChoices):
    """The kinds of email notice omov sends; each can be turned off on its own."""

    BALLOT_OPENED = "ballot_opened", "A ballot you may vote in opens"
    BALLOT_REMINDER = "ballot_reminder", "A reminder before a ballot closes, if you have not voted"
    BALLOT_RESULT = "ballot_result", "The result of a ballot you could vote in is published"
    MEMBERSHIP = "membership", "Your membership status changes"
    BALLOT_STEPS = "ballot_steps", "Organisers: the trustees or the credential authority finish"
    REJOIN_REQUEST = "rejoin_request", "Organisers: a member asks to rejoin"


ORGANISER_NOTICE_KINDS = (NoticeKind.BALLOT_STEPS, NoticeKind.REJOIN_REQUEST)


class NoticeOptOut(models.Model):
    """A member turned off one kind of notice. No row: the notice is on (the default)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="notice_opt_outs")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["member", "kind"], name="notice_opt_out_unique"),
        )

    def __str__(self) -> str:
        return f"{self.member}: no {self.kind}"


class GroupChange(models.Model):
    """One change of a member's local group, with the date it took effect.

    `Member.local_group` is the current group; the rows here let eligibility for a
    local group's ballot read the group a member was in on the cut-off date.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="group_history")
    from_group = models.ForeignKey("organisation.LocalGroup", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    to_group = models.ForeignKey("organisation.LocalGroup", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    effective_on = models.DateField()
    recorded_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("member", "effective_on", "id")
        indexes = (models.Index(fields=["member", "effective_on", "id"]),)

    def __str__(self) -> str:
        return f"{self.member}: {self.from_group} → {self.to_group} from {self.effective_on}"
