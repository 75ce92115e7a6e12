"""Every change to the membership roll and its status history.

Each function runs in one transaction and writes the audit log. Members are
never deleted: leaving is a status change, and the history keeps every step.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time
import zoneinfo
from collections.abc import Iterator

from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from omov.audit.log import record
from omov.members import hooks, notices
from omov.members.errors import (
    GroupChangeNotAllowed,
    ImportHasErrors,
    ImportInterrupted,
    InvalidStatusChange,
    MemberActionError,
    RejoinNotAllowed,
)
from omov.members.models import (
    EmailChange,
    GroupChange,
    Member,
    MemberImport,
    NoticeKind,
    RejoinRequest,
    Status,
    StatusChange,
    today,
)
from omov.members.roll_csv import ImportPlan, PlannedRow, export_rows, plan_import
from omov.organisation.models import LocalGroup
from omov.web.mail import absolute_url
from omov.web.times import human_date


def _last_change(member: Member) -> StatusChange | None:
    return member.status_history.order_by("-effective_on", "-id").first()


def _append_status(
    member: Member,
    to_status: Status,
    *,
    effective_on: datetime.date,
    reason: str,
    by: Member | None,
) -> StatusChange:
    """Adds a history row and moves the cached status. Caller holds the transaction."""
    last = _last_change(member)
    if effective_on > today():
        raise InvalidStatusChange(f"The date {human_date(effective_on)} is in the future.")
    if last is not None and effective_on < last.effective_on:
        raise InvalidStatusChange(
            f"The date {human_date(effective_on)} is before the last recorded change "
            f"({human_date(last.effective_on)})."
        )
    change = StatusChange.objects.create(
        member=member,
        from_status=member.status if last is not None else "",
        to_status=to_status,
        effective_on=effective_on,
        reason=reason,
        recorded_by=by,
    )
    member.status = to_status
    member.save(update_fields=["status"])
    return change


def _check_not_on_roll(membership_number: str, email: str) -> None:
    if Member.objects.filter(membership_number=membership_number).exists():
        raise MemberActionError(f"Membership number {membership_number} is already on the roll.")
    if Member.objects.filter(email__iexact=email).exists():
        raise MemberActionError(f"The email address {email} is already on the roll.")


def _new_member(
    *,
    membership_number: str,
    name: str,
    email: str,
    local_group: LocalGroup | None,
    joined_on: datetime.date,
    by: Member | None,
) -> Member:
    member = Member.objects.create(
        membership_number=membership_number,
        name=name,
        email=email,
        local_group=local_group,
        status=Status.ACTIVE,
    )
    _append_status(member, Status.ACTIVE, effective_on=joined_on, reason="Joined", by=by)
    return member


@transaction.atomic
def add_member(
    *,
    membership_number: str,
    name: str,
    email: str,
    local_group: LocalGroup | None,
    joined_on: datetime.date,
    by: Member | None,
    tell_member: bool = True,
) -> Member:
    """Puts a new member on the roll, active from `joined_on`, and (unless
    `tell_member` is false, as when seeding a demo) welcomes them by email."""
    _check_not_on_roll(membership_number, email)
    member = _new_member(
        membership_number=membership_number,
        name=name,
        email=email,
        local_group=local_group,
        joined_on=joined_on,
        by=by,
    )
    record(
        "add_member",
        actor=by,
        subject=member,
        summary=f"Added member {member.membership_number} to the roll",
        details={"local_group": local_group.name if local_group else None},
        public=by is not None,
    )
    if tell_member:
        notices.status_changed(member, from_status="", to_status=Status.ACTIVE,
                               effective_on=joined_on, reason="")
    return member


@transaction.atomic
def change_member_status(
    member: Member,
    to_status: Status,
    *,
    effective_on: datetime.date,
    reason: str,
    by: Member | None,
) -> StatusChange:
    """An organiser (or the system) records that a member's status changed."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == to_status:
        raise InvalidStatusChange(f"The member is already {to_status.label.lower()}.")
    change = _append_status(member, to_status, effective_on=effective_on, reason=reason, by=by)
    record(
        "change_member_status",
        actor=by,
        subject=member,
        summary=(
            f"Changed member {member.membership_number} from {change.from_status} "
            f"to {to_status.value} from {human_date(effective_on)}"
        ),
        details={"from": change.from_status, "to": to_status.value, "reason": reason},
        public=True,
    )
    notices.status_changed(member, from_status=change.from_status, to_status=to_status,
                           effective_on=effective_on, reason=reason)
    return change


@transaction.atomic
def cancel_membership(member: Member, *, reason: str) -> StatusChange:
    """A member cancels their own membership, effective today."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status == Status.CANCELLED:
        raise InvalidStatusChange("Your membership is already cancelled.")
    change = _append_status(
        member, Status.CANCELLED, effective_on=today(), reason=reason, by=member
    )
    record(
        "cancel_membership",
        actor=member,
        subject=member,
        summary=f"Member {member.membership_number} cancelled their membership",
        details={"reason": reason},
    )
    notices.status_changed(member, from_status=change.from_status, to_status=Status.CANCELLED,
                           effective_on=change.effective_on, reason=reason)
    return change


@transaction.atomic
def request_rejoin(member: Member, *, message: str) -> RejoinRequest:
    """A cancelled or lapsed member asks to become active again."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in (Status.CANCELLED, Status.LAPSED):
        raise RejoinNotAllowed("Only a cancelled or lapsed membership can ask to rejoin.")
    if member.rejoin_requests.filter(outcome=RejoinRequest.Outcome.PENDING).exists():
        raise RejoinNotAllowed("You have already asked to rejoin; an organiser will reply.")
    request = RejoinRequest.objects.create(member=member, message=message)
    record(
        "request_rejoin",
        actor=member,
        subject=request,
        summary=f"Member {member.membership_number} asked to rejoin",
        details={"message": message},
    )
    page = absolute_url(reverse("members:rejoin_requests"))
    said = f"\n\nTheir message: {message}" if message else ""
    notices.tell_organisers(
        NoticeKind.REJOIN_REQUEST, f"Rejoin request from {member.name}",
        f"{member.name} (membership number {member.membership_number}, now "
        f"{Status(member.status).label.lower()}) asks to rejoin.{said}\n\n"
        f"Approve or decline it here:\n\n{page}")
    return request


def _decide(request: RejoinRequest, outcome: RejoinRequest.Outcome, by: Member) -> RejoinRequest:
    request = RejoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.outcome != RejoinRequest.Outcome.PENDING:
        raise RejoinNotAllowed("This request has already been decided.")
    request.outcome = outcome
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["outcome", "decided_by", "decided_at"])
    return request


@transaction.atomic
def approve_rejoin(request: RejoinRequest, *, by: Member) -> RejoinRequest:
    """An organiser approves a rejoin request: the member is active from today."""
    request = _decide(request, RejoinRequest.Outcome.APPROVED, by)
    member = Member.objects.select_for_update().get(pk=request.member_id)
    change = _append_status(member, Status.ACTIVE, effective_on=today(), reason="Rejoined", by=by)
    notices.status_changed(member, from_status=change.from_status, to_status=Status.ACTIVE,
                           effective_on=change.effective_on, reason="Rejoined")
    record(
        "approve_rejoin",
        actor=by,
        subject=request,
        summary=f"Approved the rejoin request of member {member.membership_number}",
        public=True,
    )
    return request


@transaction.atomic
def decline_rejoin(request: RejoinRequest, *, by: Member, reason: str) -> RejoinRequest:
    """An organiser declines a rejoin request; the member's status is unchanged."""
    request = _decide(request, RejoinRequest.Outcome.DECLINED, by)
    record(
        "decline_rejoin",
        actor=by,
        subject=request,
        summary=f"Declined the rejoin request of member {request.member.membership_number}",
        details={"reason": reason},
        public=True,
    )
    return request


@transaction.atomic
def stage_member_import(*, file_name: str, content: str, by: Member | None) -> MemberImport:
    """Keeps an uploaded roll file for preview. The roll itself is not touched.

    Not audited: nothing about the organisation has changed yet; the audit
    event is written when the import is confirmed.
    """
    return MemberImport.objects.create(
        uploaded_by=by,
        file_name=file_name[:255],
        sha256=hashlib.sha256(content.encode()).hexdigest(),
        content=content,
    )


def _history_rows(row: PlannedRow, member: Member, reason: str, by: Member | None) -> list[
    StatusChange
]:
    """The status history of a member new to the roll, as the file describes it."""
    if row.status == Status.ACTIVE or row.joined_on >= row.status_since:
        return [StatusChange(member=member, from_status="", to_status=row.status,
                             effective_on=row.status_since, reason=reason, recorded_by=by)]
    return [
        StatusChange(member=member, from_status="", to_status=Status.ACTIVE,
                     effective_on=row.joined_on, reason=reason, recorded_by=by),
        StatusChange(member=member, from_status=Status.ACTIVE, to_status=row.status,
                     effective_on=row.status_since, reason=reason, recorded_by=by),
    ]


def _apply_new(rows: list[PlannedRow], reason: str, by: Member | None) -> None:
    members = Member.objects.bulk_create(
        [
            Member(membership_number=row.membership_number, name=row.name, email=row.email,
                   local_group=row.local_group, status=row.status)
            for row in rows
        ],
        batch_size=2000,
    )
    history = [
        change
        for row, member in zip(rows, members, strict=True)
        for change in _history_rows(row, member, reason, by)
    ]
    StatusChange.objects.bulk_create(history, batch_size=2000)


def _apply_update(row: PlannedRow, reason: str, by: Member | None) -> None:
    assert row.member_id is not None, "only rows matched to a member are updates"
    member = Member.objects.select_for_update().get(pk=row.member_id)
    if member.local_group_id != (row.local_group.pk if row.local_group else None):
        _record_group_change(member, row.local_group, by=by)
    member.name, member.email, member.local_group = row.name, row.email, row.local_group
    member.save(update_fields=["name", "email", "local_group"])
    # Already moved (the same file confirmed twice at once): no second history row.
    if row.status_changed and member.status != row.status:
        _append_status(member, row.status, effective_on=row.status_since, reason=reason, by=by)


# Rows changed per transaction. On SQLite one writer holds the whole database,
# so a roll of 100,000 in one transaction kept every cast waiting for minutes;
# between batches other writers (casts above all) get the lock.
IMPORT_BATCH_ROWS = 500
# SQLite gives the lock to whoever asks first after a commit; a waiting writer
# asks again every 100 ms at most, so the import pauses a little longer than
# that between batches. PostgreSQL locks rows, not the database: no pause.
SQLITE_BATCH_PAUSE = 0.12


def _import_counts(rows: list[PlannedRow]) -> dict[str, int]:
    counts = {kind: sum(1 for row in rows if row.kind == kind)
              for kind in ("new", "update", "unchanged")}
    counts["status_changes"] = sum(1 for row in rows if row.status_changed)
    return counts


def _apply_batch(
    upload: MemberImport, rows: list[PlannedRow], *, number: int, of: int, by: Member | None
) -> None:
    """One batch of an import, in its own transaction, with its audit event."""
    with transaction.atomic():
        locked = MemberImport.objects.select_for_update().get(pk=upload.pk)
        if locked.committed_at is not None:
            raise ImportInterrupted("This file has been imported meanwhile.")
        reason = f"Roll import: {upload.file_name}"
        _apply_new([row for row in rows if row.kind == "new"], reason, by)
        for row in rows:
            if row.kind == "update":
                _apply_update(row, reason, by)
        counts = _import_counts(rows)
        record(
            "import_members_batch",
            actor=by,
            subject=upload,
            summary=(
                f"Roll file {upload.file_name}, batch {number} of {of}: "
                f"{counts['new']} new, {counts['update']} updated"
            ),
            details={**counts, "batch": number, "batches": of,
                     "first_line": rows[0].line, "last_line": rows[-1].line},
        )


def _finish_import(upload: MemberImport, plan: ImportPlan, *, batches: int,
                   by: Member | None) -> None:
    with transaction.atomic():
        upload = MemberImport.objects.select_for_update().get(pk=upload.pk)
        upload.committed_at = timezone.now()
        upload.save(update_fields=["committed_at"])
        counts = _import_counts(plan.rows)
        record(
            "import_members",
            actor=by,
            subject=upload,
            summary=(
                f"Imported the roll file {upload.file_name}: {counts['new']} new, "
                f"{counts['update']} updated, {counts['unchanged']} unchanged"
            ),
            details={**counts, "sha256": upload.sha256, "batches": batches},
            public=True,
        )


@transaction.atomic
def _record_interruption(upload: MemberImport, *, done: int, of: int, error: str,
                         by: Member | None) -> None:
    record(
        "import_members_interrupted",
        actor=by,
        subject=upload,
        summary=(
            f"The import of the roll file {upload.file_name} stopped after "
            f"{done} of {of} batches"
        ),
        details={"batches_done": done, "batches": of, "error": error[:500]},
        public=True,
    )


def import_members(upload: MemberImport, *, by: Member | None) -> ImportPlan:
    """Applies a previewed roll file. Refused while the file has any bad row.

    The file is planned again first, so the import matches the roll as it is
    now, not as it was at preview time. The changed rows are then written in
    batches of `IMPORT_BATCH_ROWS`, each a transaction with its own audit
    event, so that casts and other changes are not held up by a long import.
    If a batch fails (the roll changed meanwhile), the batches before it stay,
    the failure is audited and `ImportInterrupted` says so; confirming the
    file again finishes the import, because a row already applied plans as
    unchanged. Importing the same file twice changes nothing the second time.
    """
    if upload.committed_at is not None:
        raise ImportInterrupted("This file has already been imported.")
    plan = plan_import(upload.content)
    if not plan.is_clean:
        raise ImportHasErrors(
            f"The file has {plan.bad_lines} bad rows; fix them and upload it again."
        )
    changed = [row for row in plan.rows if row.kind != "unchanged"]
    batches = [changed[start:start + IMPORT_BATCH_ROWS]
               for start in range(0, len(changed), IMPORT_BATCH_ROWS)]
    pause = SQLITE_BATCH_PAUSE if connection.vendor == "sqlite" else 0.0
    for number, rows in enumerate(batches, start=1):
        if number > 1 and pause:
            time.sleep(pause)
        try:
            _apply_batch(upload, rows, number=number, of=len(batches), by=by)
        except (DatabaseError, MemberActionError) as error:
            _record_interruption(upload, done=number - 1, of=len(batches), error=str(error),
                                 by=by)
            raise ImportInterrupted(
                f"The import stopped at batch {number} of {len(batches)} (lines "
                f"{rows[0].line} to {rows[-1].line}): the roll changed while it ran, or the "
                f"database refused the write ({error}). "
                f"The {number - 1} batches before it were imported; nothing of this batch "
                "or later ones was. Preview the file again and confirm it to finish: the "
                "rows already imported will show as unchanged."
            ) from error
    _finish_import(upload, plan, batches=len(batches), by=by)
    return plan


@transaction.atomic
def export_roll(*, by: Member | None) -> Iterator[str]:
    """Records that someone took a copy of the roll, and returns its CSV lines.

    The copy holds members' personal data, so who took one, and when, is
    kept (not public: it says nothing about decisions).
    """
    record("export_roll", actor=by, summary="Exported the membership roll as CSV")
    return export_rows()


@transaction.atomic
def set_time_zone(member: Member, zone: str) -> Member:
    """The member chooses the zone they see times in (empty: the organisation's)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if zone and zone not in zoneinfo.available_timezones():
        raise MemberActionError(f"{zone} is not a time zone name such as Europe/London.")
    member.time_zone = zone
    member.save(update_fields=["time_zone"])
    record("set_time_zone", actor=member, subject=member,
           summary=f"Member {member.membership_number} chose to see times in "
           + (zone or "the organisation's time zone"))
    return member


EMAIL_CHANGE_HOURS = 48


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def request_email_change(member: Member, new_email: str) -> str:
    """Sends a confirmation link to `new_email`; the roll changes only when it is used.
    Returns the token (only the link in the message carries it)."""
    from omov.web.mail import send_email

    new_email = new_email.strip()
    if new_email.lower() == member.email.lower():
        raise MemberActionError("That is already your email address.")
    if Member.objects.filter(email__iexact=new_email).exclude(pk=member.pk).exists():
        raise MemberActionError(f"The email address {new_email} is already on the roll.")
    token = secrets.token_urlsafe(32)
    EmailChange.objects.create(member=member, new_email=new_email, token_hash=_token_hash(token))
    link = absolute_url(reverse("members:confirm_email", args=[token]))
    send_email(
        new_email, "Confirm your new email address",
        f"Hello {member.name},\n\nYou asked to change the email address on your membership "
        f"record to this one. To confirm, open this link within {EMAIL_CHANGE_HOURS} hours "
        f"and press the button:\n\n{link}\n\nIf you did not ask, ignore this message: "
        "nothing changes.\n",
    )
    record("request_email_change", actor=member, subject=member,
           summary=f"Member {member.membership_number} asked to change their email address")
    return token


def pending_email_change(token: str) -> EmailChange:
    """The unused, unexpired request a confirmation link is for."""
    change = (EmailChange.objects.select_related("member")
              .filter(token_hash=_token_hash(token), confirmed_at__isnull=True).first())
    expired = change is not None and (
        timezone.now() - change.created_at > datetime.timedelta(hours=EMAIL_CHANGE_HOURS))
    if change is None or expired:
        raise MemberActionError("This confirmation link is used, expired or wrong: ask for a "
                                "new one on your membership page.")
    return change


@transaction.atomic
def confirm_email_change(token: str) -> Member:
    change = pending_email_change(token)
    member = Member.objects.select_for_update().get(pk=change.member_id)
    if Member.objects.filter(email__iexact=change.new_email).exclude(pk=member.pk).exists():
        raise MemberActionError(f"The email address {change.new_email} is already on the roll.")
    old = member.email
    member.email = change.new_email
    member.save(update_fields=["email"])
    change.confirmed_at = timezone.now()
    change.save(update_fields=["confirmed_at"])
    record("confirm_email_change", actor=member, subject=member,
           summary=f"Member {member.membership_number} changed their email address",
           details={"from": old, "to": member.email})
    return member


def _record_group_change(member: Member, group: LocalGroup | None, *,
                         by: Member | None) -> GroupChange:
    """Keeps the move in the group history, effective today (caller saves the member)."""
    return GroupChange.objects.create(member=member, from_group=member.local_group,
                                      to_group=group, effective_on=today(), recorded_by=by)


def _check_own_group_change(member: Member, group: LocalGroup | None) -> None:
    if member.status != Status.ACTIVE:
        raise GroupChangeNotAllowed("Only members in good standing may change their own "
                                    "local group; ask an organiser.")
    rule = hooks.group_change_rule()
    if not rule.allowed:
        raise GroupChangeNotAllowed(
            f"You cannot change your own local group: {rule.source}. Ask an organiser.")
    last = (member.group_history.filter(recorded_by=member)
            .order_by("-effective_on", "-id").first())
    if rule.every_days and last is not None:
        allowed_from = last.effective_on + datetime.timedelta(days=rule.every_days)
        if today() < allowed_from:
            from omov.web.times import human_date

            raise GroupChangeNotAllowed(
                f"You changed your local group on {human_date(last.effective_on)}; "
                f"{rule.source} lets a member change it once every {rule.every_days} days, "
                f"so you can change it again from {human_date(allowed_from)}.")
    refusals = hooks.group_change_refusals(member, group, today())
    if refusals:
        raise GroupChangeNotAllowed(" ".join(refusals))


@transaction.atomic
def change_own_local_group(member: Member, group: LocalGroup | None) -> GroupChange:
    """A member moves to another local group (or none), if the rules in force allow it.

    The move is kept in the group history with its date, so that a local group's
    ballot reads each member's group as it stood on its cut-off date.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.local_group_id == (group.pk if group else None):
        raise GroupChangeNotAllowed(
            f"You are already in {group.name}." if group else "You are in no local group already.")
    _check_own_group_change(member, group)
    change = _record_group_change(member, group, by=member)
    old = member.local_group.name if member.local_group else None
    member.local_group = group
    member.save(update_fields=["local_group"])
    record("change_own_local_group", actor=member, subject=member,
           summary=f"Member {member.membership_number} moved from "
           f"{old or 'no local group'} to {group.name if group else 'no local group'}",
           details={"from": old, "to": group.name if group else None})
    return change
