"""Appending to a committee's hash-chained register and reading it back."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from omov.committees.models import RegisterEntry
from omov.members.models import Member
from omov.organisation.models import Committee
from omov.record.board import GENESIS
from omov.record.register import RECORD_KIND, make_register_entry


def utc_time(moment: datetime.datetime | None = None) -> str:
    moment = (moment or timezone.now()).astimezone(datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def member_id(member: Member) -> str:
    """A member's id in registers: their database id (names are given beside it)."""
    return str(member.pk)


def append(
    committee: Committee, kind: str, body: dict[str, Any], *, actor: Member | None
) -> RegisterEntry:
    """Adds one entry to the committee's register; call inside the action's transaction.

    Locks the committee row so two appends cannot take the same index. The
    register's entry 0 (`register`) is written first if the register is new.
    """
    Committee.objects.select_for_update().get(pk=committee.pk)
    last = RegisterEntry.objects.filter(committee=committee).order_by("-index").first()
    if last is None:
        head = {"time": utc_time(), "committee": committee.slug, "name": committee.name}
        last = _store(committee, 0, RECORD_KIND, GENESIS, head, actor)
    return _store(committee, last.index + 1, kind, bytes(last.hash), body, actor)


def _store(
    committee: Committee, index: int, kind: str, previous: bytes, body: dict[str, Any],
    actor: Member | None,
) -> RegisterEntry:
    entry = make_register_entry(index, kind, previous, body)
    return RegisterEntry.objects.create(
        committee=committee, index=index, kind=kind, line=entry.line, hash=entry.hash,
        recorded_by=actor,
    )


def register_lines(committee: Committee) -> list[bytes]:
    """The register as published: one canonical line per entry, in order."""
    entries = RegisterEntry.objects.filter(committee=committee).order_by("index")
    return [bytes(line) for line in entries.values_list("line", flat=True)]
