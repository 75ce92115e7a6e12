"""Who is told of a new comment, and how: at once, in the daily digest, or not at all.

Mail goes through `omov.web.mail.send_email` (the outbox) only. Each message
carries the member's signed unsubscribe link in its body and, for mail
clients, in RFC 8058 one-click headers: `List-Unsubscribe` with the link and
`List-Unsubscribe-Post`, so that the client's POST to the link stops the
emails without a session or a CSRF token.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core import signing
from django.urls import reverse

from omov.web.mail import absolute_url, send_email

if TYPE_CHECKING:
    from omov.discussion.models import Comment
    from omov.members.models import Member

_SALT = "omov.discussion.unsubscribe"


def unsubscribe_token(member: Member) -> str:
    return signing.dumps(member.pk, salt=_SALT)


def member_for_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def _unsubscribe_url(member: Member) -> str:
    return absolute_url(reverse("discussion:unsubscribe", args=[unsubscribe_token(member)]))


def _footer(member: Member) -> str:
    return f"\n\nStop these emails with one click: {_unsubscribe_url(member)}\n"


def unsubscribe_headers(member: Member) -> dict[str, str]:
    """RFC 8058: a mail client may offer "unsubscribe" and POST to the link itself."""
    return {
        "List-Unsubscribe": f"<{_unsubscribe_url(member)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _frequency(member: Member) -> str:
    from omov.discussion.models import NoticeFrequency, NoticePreference

    preference = NoticePreference.objects.filter(member=member).first()
    return preference.frequency if preference else NoticeFrequency.IMMEDIATE


def comment_posted(comment: Comment) -> None:
    """Tells each follower but the author, as each has chosen."""
    from omov.discussion.models import Follow, NoticeFrequency, PendingNotice

    followers = Follow.objects.filter(thread=comment.thread).exclude(member=comment.author)
    for follow in followers.select_related("member"):
        frequency = _frequency(follow.member)
        if frequency == NoticeFrequency.IMMEDIATE:
            link = absolute_url(reverse("discussion:comment", args=[comment.pk]))
            send_email(
                follow.member.email,
                "A new comment in a discussion you follow",
                f"{comment.author.name} wrote:\n\n{comment.body[:500]}\n\n{link}"
                + _footer(follow.member),
                headers=unsubscribe_headers(follow.member),
            )
        elif frequency == NoticeFrequency.DAILY:
            PendingNotice.objects.create(member=follow.member, comment=comment)


DIGEST_AFTER = datetime.timedelta(days=1)


def digest_round(now: datetime.datetime) -> list[str]:
    """The schedule's step: a digest for each member whose oldest notice is a day old."""
    sent = send_digests(older_than=now - DIGEST_AFTER)
    return [f"sent {sent} discussion digest(s)"] if sent else []


def send_digests(*, older_than: datetime.datetime | None = None) -> int:
    """Sends each daily-digest member one email of their pending notices; returns how many.

    With `older_than`, only members with a notice waiting since before then.
    """
    from django.db import transaction

    from omov.discussion.models import PendingNotice
    from omov.members.models import Member

    sent = 0
    waiting = PendingNotice.objects.all()
    if older_than is not None:
        waiting = waiting.filter(created_at__lt=older_than)
    member_ids = waiting.values_list("member_id", flat=True).distinct()
    for member in Member.objects.filter(pk__in=list(member_ids)):
        with transaction.atomic():
            pending = list(
                PendingNotice.objects.select_for_update()
                .filter(member=member)
                .select_related("comment__author")
            )
            if not pending:
                continue
            lines = [
                f"- {p.comment.author.name}: {p.comment.body[:120]}\n  "
                + absolute_url(reverse("discussion:comment", args=[p.comment.pk]))
                for p in pending
            ]
            PendingNotice.objects.filter(pk__in=[p.pk for p in pending]).delete()
            send_email(
                member.email,
                f"Discussion digest: {len(pending)} new comments",
                "\n".join(lines) + _footer(member),
                headers=unsubscribe_headers(member),
            )
            sent += 1
    return sent
