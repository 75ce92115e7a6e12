"""Every state change of a discussion, each in one transaction, each on the audit log."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from omov.audit.log import record
from omov.discussion import notices, permissions
from omov.discussion.errors import DiscussionError
from omov.discussion.models import (
    Appeal,
    Comment,
    Follow,
    ModerationEntry,
    Mute,
    NoticeFrequency,
    NoticePreference,
    Reaction,
    ReactionKind,
    Report,
    Revision,
    Thread,
)
from omov.discussion.text import MAX_LENGTH
from omov.members.models import Member

MAX_DEPTH = 3
POSTS_PER_TEN_MINUTES = 10
REPORTS_PER_HOUR = 10


def thread_for(subject: models.Model) -> Thread:
    content_type = ContentType.objects.get_for_model(subject)
    thread, _ = Thread.objects.get_or_create(content_type=content_type, object_id=str(subject.pk))
    return thread


def subject_of(thread: Thread) -> models.Model:
    model = thread.content_type.model_class()
    assert model is not None
    return model._default_manager.get(pk=thread.object_id)


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DiscussionError("Write something before posting.")
    if len(body) > MAX_LENGTH:
        raise DiscussionError(f"A comment may be at most {MAX_LENGTH} characters.")
    return body


def _check_post_rate(author: Member) -> None:
    since = timezone.now() - datetime.timedelta(minutes=10)
    if (
        Comment.objects.filter(author=author, created_at__gte=since).count()
        >= POSTS_PER_TEN_MINUTES
    ):
        raise DiscussionError(
            "You have posted a lot in the last ten minutes; please wait a little."
        )


@transaction.atomic
def post_comment(
    subject: models.Model,
    *,
    author: Member,
    body: str,
    parent: Comment | None = None,
) -> Comment:
    """Posts a comment or a reply; deep replies join their parent's level."""
    if not permissions.may_post(author, subject):
        raise DiscussionError("Only members in good standing may post here.")
    body = _clean_body(body)
    _check_post_rate(author)
    thread = thread_for(subject)
    if parent is not None:
        if parent.thread_id != thread.pk:
            raise DiscussionError("That reply belongs to another thread.")
        if parent.depth >= MAX_DEPTH and parent.parent is not None:
            parent = parent.parent
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    comment = Comment.objects.create(
        thread=thread,
        parent=parent,
        author=author,
        body=body,
        depth=0 if parent is None else parent.depth + 1,
    )
    Follow.objects.get_or_create(thread=thread, member=author)
    record(
        "post_comment",
        actor=author,
        subject=comment,
        summary=f"{author.name} commented",
        details={"thread": thread.pk},
    )
    notices.comment_posted(comment)
    return comment


@transaction.atomic
def edit_comment(comment: Comment, *, by: Member, body: str) -> Comment:
    if not permissions.may_change(by, comment):
        raise DiscussionError("Only its author may edit this comment.")
    body = _clean_body(body)
    if body == comment.body:
        return comment
    Revision.objects.create(comment=comment, body=comment.body)
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    record("edit_comment", actor=by, subject=comment, summary=f"{by.name} edited a comment")
    return comment


@transaction.atomic
def delete_comment(comment: Comment, *, by: Member) -> None:
    """The author's own deletion: a stub stays so the replies keep their place."""
    if not permissions.may_change(by, comment):
        raise DiscussionError("Only its author may delete this comment.")
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    record("delete_comment", actor=by, subject=comment, summary=f"{by.name} deleted a comment")


@transaction.atomic
def toggle_reaction(comment: Comment, *, member: Member, kind: str) -> bool:
    """Adds the member's reaction, or takes it back; True when it is now there."""
    if kind not in ReactionKind.values:
        raise DiscussionError("That is not one of the reactions.")
    if comment.is_stub or not permissions.may_post(member, subject_of(comment.thread)):
        raise DiscussionError("Only members in good standing may react here.")
    deleted, _ = Reaction.objects.filter(comment=comment, member=member, kind=kind).delete()
    if deleted:
        return False
    Reaction.objects.create(comment=comment, member=member, kind=kind)
    record("react", actor=member, subject=comment, summary=f"{member.name} reacted")
    return True


@transaction.atomic
def report_comment(comment: Comment, *, by: Member, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise DiscussionError("Say why you are reporting this comment.")
    if not permissions.may_read(by, subject_of(comment.thread)):
        raise DiscussionError("You cannot see this comment.")
    since = timezone.now() - datetime.timedelta(hours=1)
    if Report.objects.filter(reporter=by, created_at__gte=since).count() >= REPORTS_PER_HOUR:
        raise DiscussionError("You have sent many reports this hour; please wait a little.")
    report = Report.objects.create(comment=comment, reporter=by, reason=reason[:500])
    record("report_comment", actor=by, subject=comment, summary=f"{by.name} reported a comment")
    return report


def _log(comment: Comment, action: str, reason: str) -> None:
    ModerationEntry.objects.create(
        thread=comment.thread,
        comment=comment,
        action=action,
        by_role="Moderator",
        reason=reason,
    )


@transaction.atomic
def hide_comment(comment: Comment, *, by: Member, reason: str) -> None:
    """A moderator hides a comment with a published reason; the log says so."""
    if not permissions.may_moderate(by):
        raise DiscussionError("Only a moderator may hide comments.")
    reason = reason.strip()
    if not reason:
        raise DiscussionError("Give the reason that will be published with the hiding.")
    comment.hidden_at = timezone.now()
    comment.hidden_reason = reason[:500]
    comment.hidden_by_role = "Moderator"
    comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by_role"])
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    _log(comment, "hidden", comment.hidden_reason)
    record(
        "hide_comment",
        actor=by,
        subject=comment,
        summary="A moderator hid a comment",
        details={"reason": comment.hidden_reason},
        public=True,
    )


@transaction.atomic
def appeal_hiding(comment: Comment, *, by: Member, statement: str) -> Appeal:
    if not permissions.may_appeal(by, comment):
        raise DiscussionError("Only the author may appeal a hiding, and only once.")
    statement = statement.strip()
    if not statement:
        raise DiscussionError("Say why the comment should be shown again.")
    appeal = Appeal.objects.create(comment=comment, statement=statement[:1000])
    _log(comment, "appealed", "The author appealed.")
    record("appeal_hiding", actor=by, subject=comment, summary=f"{by.name} appealed a hiding")
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, by: Member, upheld: bool, reason: str) -> None:
    """A moderator decides: the hiding stands (upheld) or the comment is shown again."""
    if not permissions.may_moderate(by):
        raise DiscussionError("Only a moderator may decide an appeal.")
    if appeal.decided_at is not None:
        raise DiscussionError("This appeal has already been decided.")
    reason = reason.strip()
    if not reason:
        raise DiscussionError("Give the reason for the decision.")
    appeal.decided_at = timezone.now()
    appeal.upheld = upheld
    appeal.decision_reason = reason[:500]
    appeal.save(update_fields=["decided_at", "upheld", "decision_reason"])
    comment = appeal.comment
    if not upheld:
        comment.hidden_at = None
        comment.save(update_fields=["hidden_at"])
    _log(comment, "appeal upheld" if upheld else "restored on appeal", appeal.decision_reason)
    record(
        "decide_appeal",
        actor=by,
        subject=comment,
        summary="A moderator decided an appeal",
        details={"upheld": upheld},
        public=True,
    )


@transaction.atomic
def mute(member: Member, *, muted: Member) -> None:
    if member.pk == muted.pk:
        raise DiscussionError("You cannot mute yourself.")
    Mute.objects.get_or_create(member=member, muted=muted)


@transaction.atomic
def unmute(member: Member, *, muted: Member) -> None:
    Mute.objects.filter(member=member, muted=muted).delete()


@transaction.atomic
def follow(member: Member, subject: models.Model) -> None:
    """Makes `member` follow `subject`'s thread (other apps call this, e.g. on signing)."""
    Follow.objects.get_or_create(thread=thread_for(subject), member=member)


@transaction.atomic
def unfollow(member: Member, thread: Thread) -> None:
    Follow.objects.filter(thread=thread, member=member).delete()


@transaction.atomic
def set_notice_frequency(member: Member, frequency: str) -> None:
    if frequency not in NoticeFrequency.values:
        raise DiscussionError("Choose at once, a daily digest, or no email.")
    NoticePreference.objects.update_or_create(member=member, defaults={"frequency": frequency})
    record(
        "set_notice_frequency",
        actor=member,
        subject=member,
        summary=f"{member.name} chose discussion emails: {frequency}",
    )
