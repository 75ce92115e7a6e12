from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower


class LocalGroup(models.Model):
    """A local group of members, e.g. "Camden"."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(Lower("name"), name="local_group_name_unique_ci"),
        )

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """An elected or appointed body; `parent` makes it a sub-committee.

    The officer group is modelled as a sub-committee of the national
    coordinating committee, so "who are the officers" is an ordinary question
    about committee membership.
    """

    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_committees"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(Lower("name"), name="committee_name_unique_ci"),
        )

    def __str__(self) -> str:
        return self.name


class CommitteeMembershipQuerySet(models.QuerySet["CommitteeMembership"]):
    def current(self) -> CommitteeMembershipQuerySet:
        return self.filter(left_on__isnull=True)


class CommitteeMembership(models.Model):
    """A member's seat on a committee. Leaving sets `left_on`; rows stay."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="committee_seats"
    )
    position = models.CharField(max_length=120, blank=True, help_text="e.g. Chair, Treasurer")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = CommitteeMembershipQuerySet.as_manager()

    class Meta:
        ordering = ("committee__name", "member__name")
        constraints = (
            models.UniqueConstraint(
                fields=["committee", "member"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_seat_per_committee",
            ),
        )

    def __str__(self) -> str:
        return f"{self.member} on {self.committee}"
