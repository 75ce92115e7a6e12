"""Search over discussion and registered subjects: full-text on PostgreSQL, a match on SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from omov.discussion import permissions, subjects
from omov.discussion.models import Comment

if TYPE_CHECKING:
    from omov.members.models import Member

LIMIT = 50


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    excerpt: str


def _matching_comments(query: str) -> QuerySet[Comment]:
    shown = Comment.objects.filter(deleted_at__isnull=True, hidden_at__isnull=True)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return shown.annotate(search=SearchVector("body")).filter(
            search=SearchQuery(query, search_type="websearch")
        )
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= Q(body__icontains=word)
    return shown.filter(condition)


def search(query: str, viewer: Member | None) -> list[Result]:
    """Comments and subjects (by their title) that match, that `viewer` may read."""
    from omov.discussion.actions import subject_of

    results: list[Result] = []
    for kind in subjects.registered():
        for subject in kind.model._default_manager.all()[:2000]:
            title = kind.title(subject)
            if query.lower() in title.lower() and kind.visible_to(subject, viewer):
                results.append(Result(title, kind.url(subject), ""))
    for comment in _matching_comments(query).select_related("thread__content_type")[:LIMIT]:
        subject = subject_of(comment.thread)
        if permissions.may_read(viewer, subject):
            results.append(
                Result(
                    subjects.kind_of(subject).title(subject),
                    reverse("discussion:comment", args=[comment.pk]),
                    comment.body[:200],
                )
            )
    return results[:LIMIT]
