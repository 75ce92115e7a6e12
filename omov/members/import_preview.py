"""The roll import preview, computed once per file and state of the roll, then paged.

Planning a 100,000-row file takes many seconds; the preview page is loaded
again and again (paging, after a refresh), so the plan's summary is cached,
keyed by the upload, its content hash and the newest audit event (every
change to the roll writes one, so a changed roll is planned afresh). The
commit always plans again itself (members.actions.import_members).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max

from omov.audit.models import AuditEvent
from omov.members.models import MemberImport
from omov.members.roll_csv import RowProblem, plan_import

CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class ChangedRow:
    line: int
    membership_number: str
    name: str
    what: str


@dataclass(frozen=True)
class Preview:
    is_clean: bool
    file_problems: list[str]
    problems: list[RowProblem]
    bad_lines: int
    changed: list[ChangedRow]
    counts: dict[str, int]


def _compute(upload: MemberImport) -> Preview:
    plan = plan_import(upload.content)
    changed = [
        ChangedRow(row.line, row.membership_number, row.name,
                   f"new member ({row.status.value})" if row.kind == "new"
                   else ", ".join(row.changes))
        for row in plan.rows if row.kind != "unchanged"
    ]
    return Preview(plan.is_clean, plan.file_problems, plan.problems, plan.bad_lines, changed,
                   {kind: plan.count(kind) for kind in ("new", "update", "unchanged")})


def preview(upload: MemberImport) -> Preview:
    """The upload's preview against the roll as it is now, planned at most once per state."""
    version = AuditEvent.objects.aggregate(newest=Max("id"))["newest"] or 0
    key = f"omov:import-preview:{upload.pk}:{upload.sha256}:{version}"
    found = cache.get(key)
    if isinstance(found, Preview):
        return found
    computed = _compute(upload)
    cache.set(key, computed, CACHE_SECONDS)
    return computed
