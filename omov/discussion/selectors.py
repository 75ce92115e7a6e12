"""Reading a thread: ordering, paging, nesting, mutes, reaction counts. Changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models

from omov.discussion import permissions, subjects
from omov.discussion.models import Comment, ModerationEntry, Mute, ReactionKind, Thread
from omov.discussion.text import render

if TYPE_CHECKING:
    from omov.members.models import Member

ORDERS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "replied": ("-reply_count", "-created_at"),
}
PER_PAGE = 20


@dataclass
class CommentView:
    comment: Comment
    html: str
    muted: bool
    reactions: list[tuple[str, str, int]]
    replies: list[CommentView] = field(default_factory=list)


def existing_thread(subject: models.Model) -> Thread | None:
    content_type = ContentType.objects.get_for_model(subject)
    return Thread.objects.filter(content_type=content_type, object_id=str(subject.pk)).first()


def _reaction_counts(comment_ids: list[int]) -> dict[int, Counter[str]]:
    from omov.discussion.models import Reaction

    counts: dict[int, Counter[str]] = {}
    rows = Reaction.objects.filter(comment_id__in=comment_ids).values_list("comment_id", "kind")
    for comment_id, kind in rows:
        counts.setdefault(comment_id, Counter())[kind] += 1
    return counts


def _view(comment: Comment, counts: dict[int, Counter[str]], muted: set[int]) -> CommentView:
    mine = counts.get(comment.pk, Counter())
    reactions = [(kind.value, kind.label, mine[kind.value]) for kind in ReactionKind]
    html = "" if comment.is_stub else render(comment.body)
    return CommentView(comment, html, comment.author_id in muted, reactions)


def thread_page(
    thread: Thread | None,
    viewer: Member | None,
    *,
    order: str,
    page: int | str,
) -> tuple[Page[Any] | None, list[CommentView]]:
    """One page of top-level comments in `order`, each with its nested replies."""
    if thread is None:
        return None, []
    base = Comment.objects.filter(thread=thread).select_related("author__local_group")
    tops = base.filter(parent__isnull=True).order_by(*ORDERS.get(order, ORDERS["oldest"]))
    paged = Paginator(tops, PER_PAGE).get_page(page)
    top_list = list(paged.object_list)
    replies = list(base.filter(parent__isnull=False))
    everything = top_list + replies
    counts = _reaction_counts([c.pk for c in everything])
    muted = (
        set()
        if viewer is None
        else set(Mute.objects.filter(member=viewer).values_list("muted_id", flat=True))
    )
    views = {c.pk: _view(c, counts, muted) for c in everything}
    for reply in replies:
        if reply.parent_id in views:
            views[reply.parent_id].replies.append(views[reply.pk])
    return paged, [views[c.pk] for c in top_list]


def reaction_totals(thread: Thread | None) -> list[tuple[str, int]]:
    """Counts of each reaction in the thread: plain numbers, never shares."""
    from omov.discussion.models import Reaction

    totals: Counter[str] = Counter()
    if thread is not None:
        totals.update(
            Reaction.objects.filter(comment__thread=thread).values_list("kind", flat=True)
        )
    return [(kind.label, totals[kind.value]) for kind in ReactionKind]


def ballot_link(subject: models.Model) -> dict[str, Any] | None:
    """The ballot on this question with its turnout, or None."""
    kind = subjects.kind_of(subject)
    ballot = kind.related_ballot(subject) if kind.related_ballot else None
    if ballot is None:
        return None
    from django.urls import reverse

    from omov.ballots.views.public import turnout

    return {
        "title": ballot.title,
        "url": reverse("ballots:detail", args=[ballot.slug]),
        "turnout": turnout(ballot),
    }


def thread_context(
    subject: models.Model,
    viewer: Member | None,
    *,
    order: str = "oldest",
    page: int | str = 1,
) -> dict[str, Any]:
    thread = existing_thread(subject)
    paged, comments = thread_page(thread, viewer, order=order, page=page)
    label = subject._meta.label_lower
    return {
        "subject": subject,
        "subject_label": label,
        "subject_pk": subject.pk,
        "subject_title": subjects.kind_of(subject).title(subject),
        "thread": thread,
        "page": paged,
        "comments": comments,
        "order": order,
        "orders": [
            ("oldest", "Oldest first"),
            ("newest", "Newest first"),
            ("replied", "Most replied"),
        ],
        "may_post": permissions.may_post(viewer, subject),
        "may_moderate": permissions.may_moderate(viewer),
        "viewer": viewer,
        "reaction_kinds": ReactionKind.choices,
        "reaction_totals": reaction_totals(thread),
        "ballot": ballot_link(subject),
        "start_petition_url": subjects.start_petition_url(subject),
    }


def moderation_log(thread: Thread | None = None) -> models.QuerySet[ModerationEntry]:
    entries = ModerationEntry.objects.select_related("thread__content_type")
    return entries.filter(thread=thread) if thread is not None else entries
