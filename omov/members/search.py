"""Finding people on the roll by name, membership number or email."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from omov.members.models import Member


def search_roll(query: str) -> QuerySet[Member]:
    """Members whose name or email contains `query`, or whose number is it."""
    query = query.strip()
    members = Member.objects.select_related("local_group")
    if not query:
        return members
    return members.filter(
        Q(name__icontains=query) | Q(email__icontains=query)
        | Q(membership_number__iexact=query)
    )
