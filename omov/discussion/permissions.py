"""Who may do what in a discussion: every rule of this app in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from omov.discussion import subjects

if TYPE_CHECKING:
    from omov.discussion.models import Comment
    from omov.members.models import Member


def may_read(member: Member | None, subject: models.Model) -> bool:
    return subjects.kind_of(subject).visible_to(subject, member)


def may_post(member: Member | None, subject: models.Model) -> bool:
    """Members in good standing, where the subject is visible to them; lapsed ones only read."""
    from omov.members.models import Status

    return member is not None and member.status == Status.ACTIVE and may_read(member, subject)


def may_moderate(member: Member | None) -> bool:
    from omov.accounts.roles import Role, roles_of

    return member is not None and Role.MODERATOR in roles_of(member)


def may_change(member: Member | None, comment: Comment) -> bool:
    """Authors edit and delete their own comments, while not hidden or deleted."""
    return member is not None and comment.author_id == member.pk and not comment.is_stub


def may_appeal(member: Member | None, comment: Comment) -> bool:
    from omov.discussion.models import Appeal

    return (
        member is not None
        and comment.author_id == member.pk
        and comment.hidden_at is not None
        and not Appeal.objects.filter(comment=comment).exists()
    )
