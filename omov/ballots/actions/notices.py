"""Telling a ballot's members: voting is open, a reminder before the close, the result.

An eligible member is one on the ballot's electors (the roll at its cut-off).
`open_ballot` and `publish_result` start a `Mailing` in their own transaction;
the schedule starts the reminder once the close is `OMOV_REMINDER_HOURS` away.
Each round then sends every unfinished mailing on, `BATCH` members at a time,
each batch one transaction that enqueues its messages (through the outbox, in
one write) and moves the mailing's mark past them: a round that dies part way sends nobody
twice and skips nobody, and 500,000 members cost a thousand small batches in
the background, never one request.

The reminder leaves out members who have cast (a `VoteReceipt` exists): that is
all the server knows, and all it uses; the email says nothing about anyone's
vote. Members who turned a kind off get none of it (`omov.members.notices`).
Organisers are told when the trustees or the credential authority finish their
steps; trustees are asked to decrypt by `trustee_mail`, not here.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.models import Ballot, Elector, Mailing, MailingKind, Phase, VoteReceipt
from omov.members.models import Member, NoticeKind, Status
from omov.members.notices import not_opted_out, notice_message, tell_organisers, time_for
from omov.web.mail import absolute_url, send_emails
from omov.web.times import human_time

BATCH = 500
BATCHES_PER_ROUND = 40
"""A round sends at most this many batches (20,000 messages), so that opening and
closing other ballots on time never waits for a long mailing; the next round
goes on where this one stopped."""

_KINDS = {
    MailingKind.OPENED: NoticeKind.BALLOT_OPENED,
    MailingKind.REMINDER: NoticeKind.BALLOT_REMINDER,
    MailingKind.RESULT: NoticeKind.BALLOT_RESULT,
}


def start_mailing(ballot: Ballot, kind: MailingKind) -> Mailing:
    """Starts telling the ballot's members (at most once per ballot and kind)."""
    try:
        with transaction.atomic():
            mailing, _ = Mailing.objects.get_or_create(ballot=ballot, kind=kind)
    except IntegrityError:  # another process started it at the same moment
        mailing = Mailing.objects.get(ballot=ballot, kind=kind)
    return mailing


def reminder_lead() -> datetime.timedelta | None:
    hours = float(settings.OMOV_REMINDER_HOURS)
    return datetime.timedelta(hours=hours) if hours > 0 else None


def start_due_reminders(now: datetime.datetime) -> list[Mailing]:
    """Reminders of open ballots that close within the lead time. A ballot whose whole
    voting time is shorter than the lead gets none (its opening notice says it all)."""
    lead = reminder_lead()
    if lead is None:
        return []
    due = Ballot.objects.filter(phase=Phase.OPEN, closes_at__gt=now, closes_at__lte=now + lead)
    due = due.exclude(mailings__kind=MailingKind.REMINDER)
    return [start_mailing(ballot, MailingKind.REMINDER) for ballot in due.order_by("pk")
            if ballot.closes_at - lead > ballot.opens_at]


def _opened(ballot: Ballot, member: Member, _: str) -> tuple[str, str]:
    booth = absolute_url(reverse("ballots:booth", args=[ballot.slug]))
    closes = time_for(member, ballot.closes_at)
    return (f"Voting is open: “{ballot.title}”", (
        f"Hello {member.name},\n\nVoting in “{ballot.title}” is open until {closes}.\n\n"
        f"Vote in the booth:\n\n{booth}\n\n"
        "You need your voting code, which the credential authority sends you in an email "
        "of its own. Your vote is encrypted on your own device; you may vote again until "
        "the close, and only your last ballot counts."))


def _reminder(ballot: Ballot, member: Member, _: str) -> tuple[str, str]:
    booth = absolute_url(reverse("ballots:booth", args=[ballot.slug]))
    closes = time_for(member, ballot.closes_at)
    return (f"Voting in “{ballot.title}” closes {closes}", (
        f"Hello {member.name},\n\nVoting in “{ballot.title}” closes at {closes}, and no "
        "ballot has been cast from your sign-in yet. That is all omov knows: it never "
        "knows how anyone votes.\n\n"
        f"Vote in the booth, with your voting code:\n\n{booth}\n\n"
        "If you have voted since this email was sent, there is nothing more to do."))


def _outcome_words(ballot: Ballot) -> str:
    """The result in words, once per batch (it reads the board)."""
    from omov.ballots.outcome import outcome

    found = outcome(ballot)
    if found is None:
        return ""
    lines = [found.turnout_words] + [f"{q.number}. {q.text}: {q.verdict}"
                                    for q in found.questions]
    return "\n\n" + "\n".join(lines)


def _result(ballot: Ballot, member: Member, words: str) -> tuple[str, str]:
    results = absolute_url(reverse("ballots:results", args=[ballot.slug]))
    record_url = absolute_url(reverse("ballots:record", args=[ballot.slug]))
    return (f"Result: “{ballot.title}”", (
        f"Hello {member.name},\n\nThe result of “{ballot.title}” is published.{words}\n\n"
        f"Every total, and how to check it yourself:\n\n{results}\n\n"
        f"The public record, for `omov verify`:\n\n{record_url}"))


_MESSAGES = {MailingKind.OPENED: _opened, MailingKind.REMINDER: _reminder,
             MailingKind.RESULT: _result}


def _still_wanted(mailing: Mailing, ballot: Ballot) -> bool:
    """An opening notice or a reminder for a ballot that has closed is no use any more."""
    return mailing.kind == MailingKind.RESULT or ballot.phase == Phase.OPEN


def _batch_members(mailing: Mailing, ballot: Ballot) -> tuple[list[int], list[Member]]:
    """The next BATCH electors (ids, by id) and, of them, those to tell."""
    electors = list(Elector.objects.filter(ballot=ballot, member_id__gt=mailing.after_member)
                    .order_by("member_id").values_list("member_id", flat=True)[:BATCH])
    kind = _KINDS[MailingKind(mailing.kind)]
    members = not_opted_out(Member.objects.filter(pk__in=electors), kind)
    if mailing.kind != MailingKind.RESULT:
        members = members.filter(status=Status.ACTIVE)  # only they may vote now
    if mailing.kind == MailingKind.REMINDER:
        members = members.exclude(Exists(VoteReceipt.objects.filter(
            ballot=ballot, member=OuterRef("pk"))))
    return electors, list(members.order_by("pk"))


def _finish(mailing: Mailing, ballot: Ballot) -> None:
    mailing.finished_at = timezone.now()
    mailing.save(update_fields=["finished_at"])
    record("send_ballot_notices", actor=None, subject=ballot,
           summary=f"Sent the notice “{MailingKind(mailing.kind).label}” of “{ballot.title}” "
           f"to {mailing.sent} members", details={"kind": mailing.kind, "sent": mailing.sent})


def send_batch(mailing_id: int) -> bool:
    """Sends one batch of a mailing in one transaction; False once the mailing is done."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(
            pk=mailing_id, finished_at__isnull=True).first()
        if mailing is None:
            return False
        ballot = Ballot.objects.get(pk=mailing.ballot_id)
        if not _still_wanted(mailing, ballot):
            _finish(mailing, ballot)
            return False
        electors, members = _batch_members(mailing, ballot)
        message = _MESSAGES[MailingKind(mailing.kind)]
        words = _outcome_words(ballot) if mailing.kind == MailingKind.RESULT and members else ""
        kind = _KINDS[MailingKind(mailing.kind)]
        send_emails([notice_message(member, kind, *message(ballot, member, words))
                     for member in members])
        mailing.sent += len(members)
        if electors:
            mailing.after_member = electors[-1]
        mailing.save(update_fields=["sent", "after_member"])
        if len(electors) < BATCH:
            _finish(mailing, ballot)
            return False
    return True


def send_mailings(now: datetime.datetime, *, batches: int = BATCHES_PER_ROUND) -> list[str]:
    """The schedule's step: start due reminders, then send unfinished mailings on."""
    start_due_reminders(now)
    done: list[str] = []
    left = batches
    for mailing in Mailing.objects.filter(finished_at__isnull=True).order_by("pk"):
        while left > 0:
            left -= 1
            if not send_batch(mailing.pk):
                break
        mailing.refresh_from_db()
        state = "sent" if mailing.finished_at else "sending"
        done.append(f"Notice “{MailingKind(mailing.kind).label}” of “{mailing.ballot.title}”: "
                    f"{state}, {mailing.sent} so far.")
        if left <= 0:
            break
    return done


def tell_organisers_ceremony_done(ballot: Ballot) -> None:
    """Every trustee has checked their shares: an organiser may now fix the election key."""
    page = absolute_url(reverse("ballots:detail", args=[ballot.slug]))
    tell_organisers(
        NoticeKind.BALLOT_STEPS, f"The trustees of “{ballot.title}” finished the key ceremony",
        f"Every trustee of “{ballot.title}” has dealt and checked their shares. Fix the "
        f"election key on the ballot's page, so the credential authority can issue the "
        f"voting codes:\n\n{page}")


def tell_organisers_codes_issued(ballot: Ballot) -> None:
    """The roll is on the board. Times in the organisation's zone, not the zone of the
    authority whose request this runs in."""
    page = absolute_url(reverse("ballots:detail", args=[ballot.slug]))
    with timezone.override(settings.TIME_ZONE):
        opens, closes = human_time(ballot.opens_at), human_time(ballot.closes_at)
    tell_organisers(
        NoticeKind.BALLOT_STEPS, f"The voting codes of “{ballot.title}” are issued",
        f"The credential authority published the credential roll of “{ballot.title}” and "
        f"sends each member their voting code. The ballot opens at {opens} and closes at "
        f"{closes}.\n\n"
        f"{page}")


def tell_organisers_decrypted(ballot: Ballot) -> None:
    page = absolute_url(reverse("ballots:detail", args=[ballot.slug]))
    tell_organisers(
        NoticeKind.BALLOT_STEPS, f"The trustees of “{ballot.title}” have decrypted the count",
        f"Enough trustees of “{ballot.title}” have published their partial decryptions. "
        f"Publish the result on the ballot's page:\n\n{page}")
