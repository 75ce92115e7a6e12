"""The membership roll as CSV: reading a file into an import plan, and writing one.

Reading never changes the database: `plan_import` checks every row against the
file itself and the current roll and returns what an import would do, with
every bad row and why, so an organiser sees it all before confirming.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField, Max, Min, Q

from omov.members.models import Member, Status, today
from omov.organisation.models import LocalGroup
from omov.spreadsheet import guard_row, unguard

REQUIRED_COLUMNS = ("membership_number", "name", "email", "local_group", "status")
OPTIONAL_COLUMNS = ("status_since", "joined_on")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# A membership number is part of page addresses (/organise/members/<number>/):
# nothing that a URL treats specially (/ ? # % space), and no "." or ".." alone.
_MEMBERSHIP_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The model's column lengths: a longer value would fail at commit (PostgreSQL).
def _max_length(column: str) -> int:
    field = Member._meta.get_field(column)
    assert isinstance(field, CharField) and field.max_length is not None
    return field.max_length


LENGTH_LIMITS = {column: _max_length(column) for column in ("membership_number", "name", "email")}
# Cells longer than this are refused before anything else looks at them.
MAX_CELL_CHARACTERS = 1000


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    message: str


@dataclass
class PlannedRow:
    """What importing one good row will do."""

    line: int
    membership_number: str
    name: str
    email: str
    local_group: LocalGroup | None
    status: Status
    status_since: datetime.date
    joined_on: datetime.date
    member_id: int | None = None
    changes: list[str] = field(default_factory=list)
    status_changed: bool = False

    @property
    def kind(self) -> str:
        if self.member_id is None:
            return "new"
        return "update" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_problems: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and not self.file_problems

    def count(self, kind: str) -> int:
        return sum(1 for row in self.rows if row.kind == kind)

    @property
    def bad_lines(self) -> int:
        return len({problem.line for problem in self.problems})


@dataclass(frozen=True)
class _Existing:
    member_id: int
    membership_number: str
    name: str
    email: str
    local_group_id: int | None
    status: str
    last_change: datetime.date | None


class _Roll:
    """The current roll, loaded once, for matching rows by number or email."""

    def __init__(self) -> None:
        rows = Member.objects.annotate(
            last_change=Max("status_history__effective_on")
        ).values_list("id", "membership_number", "name", "email", "local_group_id", "status",
                      "last_change")
        self.by_number: dict[str, _Existing] = {}
        self.by_email: dict[str, _Existing] = {}
        for row in rows:
            existing = _Existing(*row)
            self.by_number[existing.membership_number] = existing
            self.by_email[existing.email.lower()] = existing
        self.groups = {group.name.lower(): group for group in LocalGroup.objects.all()}


def _parse_date(raw: str) -> datetime.date:
    return datetime.date.fromisoformat(raw)


class _RowReader:
    """Checks one row's cells; collects a problem for each bad cell."""

    def __init__(self, line: int, cells: dict[str, str], roll: _Roll) -> None:
        self.line = line
        self.cells = {key: unguard((value or "").strip()) for key, value in cells.items()}
        self.roll = roll
        self.problems: list[RowProblem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(RowProblem(self.line, column, message))

    def text(self, column: str, *, required: bool) -> str:
        """The cell, or "" after noting why it cannot be stored as it is."""
        value = self.cells.get(column, "")
        label = column.replace("_", " ")
        if required and not value:
            self.problem(column, f"{label} is missing")
            return value
        limit = LENGTH_LIMITS.get(column, MAX_CELL_CHARACTERS)
        if len(value) > limit:
            self.problem(column, f"{label} is {len(value):,} characters long; "
                                 f"at most {limit} are allowed")
            return ""
        if _CONTROL.search(value):
            self.problem(column, f"{label} holds a control character (a NUL byte, a line "
                                 "break or a tab); remove it")
            return ""
        return value

    def membership_number(self) -> str:
        """The cell; a bad one is noted and kept, so that no second problem says it is missing."""
        raw = self.cells.get("membership_number", "")
        value = self.text("membership_number", required=False)
        if value and not _MEMBERSHIP_NUMBER.fullmatch(value):
            self.problem("membership_number",
                         f"membership number “{value}” may hold only plain letters (a to z), "
                         "digits and “.”, “_” or “-”, starting with a letter or digit (it is "
                         "part of page addresses)")
        return raw

    def email(self) -> str:
        value = self.text("email", required=True)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.problem("email", f"“{value}” is not a valid email address")
        return value

    def status(self) -> Status | None:
        value = self.text("status", required=True).lower()
        if value and value not in Status.values:
            allowed = ", ".join(Status.values)
            self.problem("status", f"unknown status “{value}” (use one of: {allowed})")
            return None
        return Status(value) if value else None

    def local_group(self) -> LocalGroup | None:
        value = self.text("local_group", required=False)
        if not value:
            return None
        group = self.roll.groups.get(value.lower())
        if group is None:
            self.problem("local_group", f"unknown local group “{value}”")
        return group

    def date(self, column: str) -> datetime.date | None:
        value = self.text(column, required=False)
        if not value:
            return None
        try:
            parsed = _parse_date(value)
        except ValueError:
            self.problem(column, f"“{value}” is not a date (use YYYY-MM-DD)")
            return None
        if parsed > today():
            self.problem(column, f"{value} is in the future")
        return parsed


class _Planner:
    def __init__(self) -> None:
        self.roll = _Roll()
        self.plan = ImportPlan()
        self.seen_numbers: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}

    def add(self, line: int, cells: dict[str, str]) -> None:
        reader = _RowReader(line, cells, self.roll)
        number = reader.membership_number()
        name = reader.text("name", required=True)
        email = reader.email()
        group, status = reader.local_group(), reader.status()
        status_since, joined_on = reader.date("status_since"), reader.date("joined_on")
        self._check_duplicates(reader, number, email)
        existing = self._match(reader, number, email)
        if reader.problems or status is None:
            self.plan.problems.extend(reader.problems)
            return
        row = PlannedRow(
            line=line,
            membership_number=number or (existing.membership_number if existing else ""),
            name=name,
            email=email,
            local_group=group,
            status=status,
            status_since=status_since or joined_on or today(),
            joined_on=joined_on or status_since or today(),
        )
        if existing is None:
            self._check_new(reader, row)
        else:
            self._plan_update(reader, row, existing, explicit_date=status_since is not None)
        self.plan.problems.extend(reader.problems)
        if not reader.problems:
            self.plan.rows.append(row)

    def _check_duplicates(self, reader: _RowReader, number: str, email: str) -> None:
        if number and number in self.seen_numbers:
            reader.problem("membership_number", f"duplicate of line {self.seen_numbers[number]}")
        elif number:
            self.seen_numbers[number] = reader.line
        key = email.lower()
        if key and key in self.seen_emails:
            reader.problem("email", f"duplicate of line {self.seen_emails[key]}")
        elif key:
            self.seen_emails[key] = reader.line

    def _match(self, reader: _RowReader, number: str, email: str) -> _Existing | None:
        by_email = self.roll.by_email.get(email.lower()) if email else None
        if number:
            by_number = self.roll.by_number.get(number)
            if by_email is not None and by_email is not by_number:
                reader.problem(
                    "email", f"{email} belongs to member {by_email.membership_number}"
                )
            return by_number
        if by_email is None and email:
            reader.problem("membership_number", "membership number is missing for a new member")
        return by_email

    def _check_new(self, reader: _RowReader, row: PlannedRow) -> None:
        if row.joined_on > row.status_since:
            reader.problem("joined_on", "joined_on is after status_since")

    def _plan_update(
        self, reader: _RowReader, row: PlannedRow, existing: _Existing, *, explicit_date: bool
    ) -> None:
        row.member_id = existing.member_id
        group_id = row.local_group.pk if row.local_group else None
        for label, old, new in (
            ("name", existing.name, row.name),
            ("email", existing.email, row.email),
            ("local group", existing.local_group_id, group_id),
        ):
            if old != new:
                row.changes.append(label)
        if existing.status == row.status:
            return
        if not explicit_date:
            row.status_since = today()
        if existing.last_change is not None and row.status_since < existing.last_change:
            reader.problem(
                "status_since",
                f"{row.status_since} is before the last recorded change ({existing.last_change})",
            )
        row.status_changed = True
        row.changes.append(f"status {existing.status} → {row.status.value}")


def plan_import(content: str) -> ImportPlan:
    """Reads a roll CSV and says what importing it would do. Writes nothing."""
    planner = _Planner()
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        planner.plan.file_problems.append(
            "The first line must name the columns; missing: " + ", ".join(missing)
        )
        return planner.plan
    reader.fieldnames = header
    try:
        for cells in reader:
            planner.add(reader.line_num, {key: value for key, value in cells.items() if key})
    except csv.Error as error:  # a cell past csv's field limit, a NUL outside quotes, ...
        planner.plan.file_problems.append(
            f"Line {reader.line_num}: the file cannot be read as CSV ({error}).")
        return planner.plan
    if not planner.plan.rows and not planner.plan.problems:
        planner.plan.file_problems.append("The file has no member rows.")
    return planner.plan


def decode_upload(raw: bytes) -> str:
    """Decodes an uploaded file; spreadsheet exports often start with a BOM."""
    return raw.decode("utf-8-sig")


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_rows(members: Iterable[Member] | None = None) -> Iterator[str]:
    """The roll as CSV lines, in the same columns the import reads (round-trips)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    if members is None:
        members = (
            Member.objects.select_related("local_group")
            .annotate(
                status_since=Max("status_history__effective_on"),
                joined_on=Min(
                    "status_history__effective_on",
                    filter=Q(status_history__to_status=Status.ACTIVE),
                ),
            )
            .order_by("membership_number")
            .iterator(chunk_size=2000)
        )
    for member in members:
        yield writer.writerow(
            guard_row([
                member.membership_number,
                member.name,
                member.email,
                member.local_group.name if member.local_group else "",
                member.status,
                str(getattr(member, "status_since", "") or ""),
                str(getattr(member, "joined_on", "") or ""),
            ])
        )
