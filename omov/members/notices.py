"""Email notices to members and organisers: who wants which kind, and how each is sent.

Every notice goes through `omov.web.mail.send_email` (the outbox, in the
caller's transaction). A member turns each kind off on their own page, or with
one click from any notice of that kind: the body carries a signed link, and
the RFC 2369 `List-Unsubscribe` and RFC 8058 `List-Unsubscribe-Post` headers
let a mail client POST to the same link without a session or a CSRF token.
The link names the member and the kind only, signed with the site's secret,
and expires after `UNSUBSCRIBE_DAYS`; after that the member's page still works.

Ballot notices to every eligible member are sent by the ballots app in
batches from the schedule (`omov.ballots.actions.notices`); this module holds
what they share: preferences, tokens, headers, the footer.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from omov.audit.log import record
from omov.members.models import ORGANISER_NOTICE_KINDS, Member, NoticeKind, NoticeOptOut, Status
from omov.web.mail import absolute_url, send_email

if TYPE_CHECKING:
    import datetime

_SALT = "omov.members.notice-unsubscribe"
UNSUBSCRIBE_DAYS = 365


class BadUnsubscribeLink(ValueError):
    """The link's signature is wrong, its kind unknown, or it has expired."""


def unsubscribe_token(member: Member, kind: NoticeKind) -> str:
    return signing.dumps({"m": member.pk, "k": kind.value}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Member, NoticeKind]:
    """The member and kind a link is for; `BadUnsubscribeLink` says why it is not usable."""
    try:
        value = signing.loads(token, salt=_SALT, max_age=UNSUBSCRIBE_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise BadUnsubscribeLink(
            f"This link is more than {UNSUBSCRIBE_DAYS} days old. Sign in and choose which "
            "emails you get on your membership page.") from error
    except signing.BadSignature as error:
        raise BadUnsubscribeLink(
            "This link is not one omov sent (it may have been cut short by your mail "
            "program). Sign in and choose which emails you get on your membership page."
        ) from error
    kinds = {kind.value: kind for kind in NoticeKind}
    member_pk = value.get("m") if isinstance(value, dict) else None
    member = (Member.objects.filter(pk=member_pk).first()
              if isinstance(member_pk, int) else None)
    if member is None or value.get("k") not in kinds:
        raise BadUnsubscribeLink("This link is for no member or no kind of email we send.")
    return member, kinds[value["k"]]


def unsubscribe_url(member: Member, kind: NoticeKind) -> str:
    return absolute_url(reverse("members:unsubscribe", args=[unsubscribe_token(member, kind)]))


def unsubscribe_headers(link: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: a mail client may offer "unsubscribe" and POST to `link`."""
    return {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def footer(kind: NoticeKind, link: str) -> str:
    return (f"\n\n--\nYou get this email because it is on for you: “{kind.label}”.\n"
            f"Stop emails of this kind with one click: {link}\n"
            f"Or choose which emails you get on your membership page: "
            f"{absolute_url(reverse('members:me'))}\n")


def wants(member: Member, kind: NoticeKind) -> bool:
    return not NoticeOptOut.objects.filter(member=member, kind=kind).exists()


def not_opted_out(members: QuerySet[Member], kind: NoticeKind) -> QuerySet[Member]:
    """`members` without those who turned `kind` off (one subquery, for batches)."""
    opted_out = NoticeOptOut.objects.filter(kind=kind).values("member_id")
    return members.exclude(pk__in=opted_out)


def member_zone(member: Member) -> zoneinfo.ZoneInfo:
    """The zone the member sees times in: their own choice, else the organisation's."""
    try:
        return zoneinfo.ZoneInfo(member.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def time_for(member: Member, moment: datetime.datetime) -> str:
    """`moment` in the member's own zone, in the site's one human format."""
    from django.utils import timezone

    from omov.web.times import human_time

    with timezone.override(member_zone(member)):
        return human_time(moment)


Message = tuple[str, str, str, dict[str, str]]


def notice_message(member: Member, kind: NoticeKind, subject: str, body: str) -> Message:
    """The message (to, subject, body, headers) of a notice, with its unsubscribe link
    in the body and the headers, for `omov.web.mail.send_emails` to send with others."""
    link = unsubscribe_url(member, kind)
    return (member.email, subject, body + footer(kind, link), unsubscribe_headers(link))


def send_notice(member: Member, kind: NoticeKind, subject: str, body: str, *,
                checked: bool = False) -> bool:
    """Puts one notice in the outbox unless the member turned `kind` off; True if sent.

    `checked`: the caller already left out those who opted out.
    """
    if not checked and not wants(member, kind):
        return False
    to, subject, body, headers = notice_message(member, kind, subject, body)
    send_email(to, subject, body, headers=headers)
    return True


def organisers() -> QuerySet[Member]:
    """Members who hold the organiser role now."""
    from omov.accounts.models import GrantedRole, RoleGrant

    granted = RoleGrant.objects.filter(role=GrantedRole.ORGANISER, revoked_at__isnull=True)
    return Member.objects.filter(pk__in=granted.values("member_id"))


def tell_organisers(kind: NoticeKind, subject: str, body: str) -> int:
    """Sends a notice to every organiser who has `kind` on; returns how many."""
    sent = 0
    for organiser in not_opted_out(organisers(), kind).order_by("pk"):
        sent += send_notice(organiser, kind, subject, f"Hello {organiser.name},\n\n{body}",
                            checked=True)
    return sent


def kinds_for(member: Member, *, organiser: bool) -> list[NoticeKind]:
    """The kinds a member's page lists: organiser kinds only for organisers."""
    return [kind for kind in NoticeKind if organiser or kind not in ORGANISER_NOTICE_KINDS]


@transaction.atomic
def set_notice_kinds(member: Member, *, on: Iterable[NoticeKind],
                     shown: Iterable[NoticeKind]) -> list[NoticeKind]:
    """The member's choice on their page: of the kinds `shown`, those in `on` are on.
    Returns the kinds now off."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    shown, on = set(shown), set(on)
    off = shown - on
    NoticeOptOut.objects.filter(member=member, kind__in=on & shown).delete()
    have = set(NoticeOptOut.objects.filter(member=member).values_list("kind", flat=True))
    NoticeOptOut.objects.bulk_create(
        [NoticeOptOut(member=member, kind=kind) for kind in off if kind.value not in have])
    now_off = sorted(NoticeKind(k) for k in
                     NoticeOptOut.objects.filter(member=member).values_list("kind", flat=True))
    record("set_notice_kinds", actor=member, subject=member,
           summary=f"Member {member.membership_number} chose which emails they get",
           details={"off": [kind.value for kind in now_off]})
    return now_off


@transaction.atomic
def unsubscribe(token: str) -> tuple[Member, NoticeKind]:
    """A one-click unsubscribe: turns the link's kind off for its member (again: no change)."""
    member, kind = read_unsubscribe_token(token)
    member = Member.objects.select_for_update().get(pk=member.pk)
    _, created = NoticeOptOut.objects.get_or_create(member=member, kind=kind)
    if created:
        record("unsubscribe_notice", actor=member, subject=member,
               summary=f"Member {member.membership_number} stopped the emails "
               f"“{kind.label}” by their link", details={"kind": kind.value})
    return member, kind


_STATUS_WORDS = {
    Status.ACTIVE: "active: you are a member in good standing and may vote and sign",
    Status.LAPSED: "lapsed: you cannot vote or sign petitions until you are active again",
    Status.SUSPENDED: "suspended: you cannot vote or sign petitions while it lasts",
    Status.CANCELLED: "cancelled: you cannot vote or sign petitions",
}


def status_changed(member: Member, *, from_status: str, to_status: Status,
                   effective_on: datetime.date, reason: str) -> bool:
    """Tells the member their membership status changed (joined, lapsed, cancelled...)."""
    from omov.web.times import human_date

    page = absolute_url(reverse("members:me"))
    if not from_status:
        subject = "Welcome: you are on the membership roll"
        what = f"You joined on {human_date(effective_on)}."
    elif to_status == Status.ACTIVE:
        subject = "Your membership is active again"
        what = f"Your membership is active again from {human_date(effective_on)}."
    else:
        subject = f"Your membership is {to_status.label.lower()}"
        what = f"From {human_date(effective_on)} your membership is {_STATUS_WORDS[to_status]}."
    because = f"\nReason recorded: {reason}" if reason else ""
    rejoin = ("\n\nYou can ask to rejoin on your membership page." if to_status in
              (Status.LAPSED, Status.CANCELLED) else "")
    body = (f"Hello {member.name},\n\n{what}{because}{rejoin}\n\n"
            f"Your membership page, with your whole history:\n\n{page}")
    return send_notice(member, NoticeKind.MEMBERSHIP, subject, body)
