"""An internal election: posts, nominations with their supporters, slates, endorsements.

The ballot is the ballots app's: when nominations close, the valid candidates of
each contested post become one ranked question on it (see `omov.elections.ballot`).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class Stage(models.TextChoices):
    NOMINATIONS = "nominations", "Nominations"
    CLOSED = "closed", "Nominations closed"
    BALLOT = "ballot", "Ballot drafted"


class CandidateOrder(models.TextChoices):
    LOT = "lot", "By lot (the draw's seed is published)"
    ALPHABETICAL = "alphabetical", "Alphabetical by name"


class CountMethod(models.TextChoices):
    """The count methods of protocol 5.2."""

    STV = "stv", "Single transferable vote"
    IRV = "irv", "Instant-runoff (one seat)"
    SCHULZE = "schulze", "Condorcet (Schulze method)"


class Election(models.Model):
    """Posts elected on one ballot, by one electorate (all members, or one local group)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10000)
    local_group = models.ForeignKey(
        "organisation.LocalGroup", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="Empty: every member votes; else only this group's members.",
    )
    nominations_open_at = models.DateTimeField()
    nominations_close_at = models.DateTimeField()
    candidate_order = models.CharField(max_length=20, choices=CandidateOrder.choices)
    lot_seed = models.CharField(
        max_length=64, help_text="Secret until nominations close; its SHA-256 is published.")
    lot_commitment = models.CharField(max_length=64)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NOMINATIONS)
    closed_at = models.DateTimeField(null=True, blank=True)
    ballot = models.OneToOneField(
        "ballots.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey("members.Member", null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-nominations_close_at", "-id")

    def __str__(self) -> str:
        return self.title

    @property
    def published_seed(self) -> str:
        """The lot's seed, once nominations have closed (before, only its hash)."""
        return self.lot_seed if self.stage != Stage.NOMINATIONS else ""


class Post(models.Model):
    """A post with its seats, who may stand, the support a nomination needs and balance."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="posts")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    seats = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=CountMethod.choices)
    eligibility_months = models.PositiveIntegerField(
        help_text="A candidate must have been an active member for at least this many months.")
    supporters_needed = models.PositiveIntegerField(
        help_text="N: supporting members a nomination needs (0: this route is not used).")
    groups_needed = models.PositiveIntegerField(
        help_text="M: supporting local groups that suffice instead (0: not used).")
    word_limit = models.PositiveIntegerField(help_text="The most words a statement may have.")
    balance_label = models.CharField(
        max_length=100, blank=True, help_text="e.g. “women”: candidates declare it themselves.")
    balance_at_least = models.PositiveIntegerField(
        default=0, help_text="Seats reserved for candidates who declare the group (0: none).")

    class Meta:
        ordering = ("election", "position")
        constraints = (
            models.UniqueConstraint(fields=["election", "position"], name="post_position_once"),
        )

    def __str__(self) -> str:
        return self.title


class Slate(models.Model):
    """A named slate; its candidates each declare it on their nomination."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="slates")
    name = models.CharField(max_length=100)
    created_by = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint("election", Lower("name"), name="slate_name_once"),
        )

    def __str__(self) -> str:
        return self.name


class Ruling(models.TextChoices):
    PENDING = "pending", "Awaiting a ruling"
    VALID = "valid", "Valid"
    INVALID = "invalid", "Invalid"


class Nomination(models.Model):
    """One member nominated for one post: accepted, supported, ruled on, perhaps withdrawn."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="nominations")
    nominee = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                                     related_name="+")
    nominated_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    statement = models.TextField(blank=True, max_length=20000)
    declares_balance = models.BooleanField(
        default=False, help_text="The candidate declares the post's balance group.")
    slate = models.ForeignKey(Slate, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="nominations")
    ruling = models.CharField(max_length=10, choices=Ruling.choices, default=Ruling.PENDING)
    ruling_reason = models.CharField(max_length=1000, blank=True)
    ruled_by = models.ForeignKey("members.Member", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("post", "nominee__name", "id")
        constraints = (
            models.UniqueConstraint(fields=["post", "nominee"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="one_live_nomination_per_post"),
        )

    def __str__(self) -> str:
        return f"{self.nominee.name} for {self.post}"

    @property
    def standing(self) -> bool:
        """Accepted, ruled valid and not withdrawn: a candidate."""
        return (self.accepted_at is not None and self.ruling == Ruling.VALID
                and self.withdrawn_at is None)


class Support(models.Model):
    """A member's, or a local group's, support for a nomination: once per post each."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT,
                                   related_name="supports")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    local_group = models.ForeignKey("organisation.LocalGroup", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True,
                            help_text="For a group: where the group decided (meeting, date).")
    recorded_by = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the nomination was withdrawn: the supporter may support another.")

    class Meta:
        ordering = ("recorded_at", "id")
        constraints = (
            models.UniqueConstraint(fields=["post", "member"],
                                    condition=models.Q(member__isnull=False,
                                                       released_at__isnull=True),
                                    name="member_supports_once_per_post"),
            models.UniqueConstraint(fields=["post", "local_group"],
                                    condition=models.Q(local_group__isnull=False,
                                                       released_at__isnull=True),
                                    name="group_supports_once_per_post"),
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(local_group__isnull=True),
                name="support_by_member_or_group"),
        )


class Endorsement(models.Model):
    """The organisation backs a candidate, by a committee decision; withdrawn by another."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT,
                                   related_name="endorsements")
    decision = models.ForeignKey("committees.Decision", on_delete=models.PROTECT,
                                 related_name="+")
    recorded_by = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by_decision = models.ForeignKey(
        "committees.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("recorded_at", "id")
        constraints = (
            models.UniqueConstraint(fields=["nomination"],
                                    condition=models.Q(withdrawn_at__isnull=True),
                                    name="one_live_endorsement"),
        )
