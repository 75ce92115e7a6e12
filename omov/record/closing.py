"""Checks 7 to 12 in board order: ballots counted, close, tally, decryptions, result."""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

from omov.crypto.ballot import ElectionContext, tracker
from omov.crypto.canonical import parse_json
from omov.crypto.decryption import (
    PartialDecryption,
    check_partial_decryption,
    combine,
    question_totals,
)
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.record.audit_reuse import SharedCiphertexts
from omov.record.ballot_worker import BallotOutcome, LineOutcome, add_ciphertexts
from omov.record.board import is_utc_time
from omov.record.check_trustees import TrusteeChecks
from omov.record.counting import BallotCounter
from omov.record.errors import RecordError, from_protocol
from omov.record.manifest import Manifest
from omov.record.mix_checks import MIX_KINDS, MixChecks
from omov.record.mix_rows import CIPHERTEXT_BYTES, PackedRows
from omov.record.reader import read_lines_at
from omov.record.report import Report

TallyCiphertexts = list[list[Ciphertext | None]]


class ClosingChecks:
    """Follows the voting and closing entries and checks the count at the end."""

    def __init__(self, path: str | Path, offsets: array[int], manifest: Manifest,
                 context: ElectionContext, trustees: TrusteeChecks, counter: BallotCounter,
                 report: Report, jobs: int = 1) -> None:
        """`offsets` holds the byte offset of every line read (`read_lines`); `jobs`
        processes check the mix (16)."""
        self.path = path
        self.offsets = offsets
        self.manifest = manifest
        self.context = context
        self.trustees = trustees
        self.counter = counter
        self.report = report
        self.shape = [rule.tally_width for rule in manifest.rules]
        self.widths = [rule.encrypted_count for rule in manifest.rules]
        self.sums: list[Ciphertext] | None = None
        self.ballot_entries = 0
        self.audited = 0
        self.shared = SharedCiphertexts()
        self.entries: dict[str, list[LineOutcome]] = {}
        self.jobs = jobs
        self.ranked = [rule.max for rule in manifest.rules if rule.ranked]
        self.mix_rows: dict[int, bytes] = {}
        """Each valid cast ballot's rows for the mix, by entry (counted or not, yet)."""
        self.mix_entries: list[tuple[int, str]] = []

    def ballot_line(self, index: int, cast: bool, outcome: BallotOutcome) -> None:
        """Entry `index`, a ballot (`cast`) or audited ballot, already verified by a worker."""
        ballot_hash, position, credential, error, keys, rows = outcome
        check = 7 if cast else 8
        if cast:
            self.ballot_entries += 1
        else:
            self.audited += 1
        if error is not None:
            self.report.fail(check, error)
            return
        if cast:
            self.shared.cast(index, keys)
            if rows:
                self.mix_rows[index] = rows
            problem = self.counter.cast(index, ballot_hash, position, credential)
        else:
            problem = self.shared.audit(index, keys)
        if problem is not None:
            problem.tracker = tracker(ballot_hash)
            self.report.fail(check, problem)

    def add_sums(self, sums: list[bytes] | None) -> None:
        """Add a worker's sum of its chunk's valid ballots' choices."""
        if sums is None:
            return
        chunk = [_ciphertext(raw) for raw in sums]
        self.sums = add_ciphertexts(self.sums, chunk)

    def entry(self, line: LineOutcome) -> None:
        """A close, tally, partial decryption, mix or result entry, kept for `finish`
        (a mix entry by its index only: it is read again then)."""
        assert line.kind is not None
        if line.kind in MIX_KINDS:
            self.mix_entries.append((line.index, line.kind))
            return
        self.entries.setdefault(line.kind, []).append(line)

    def finish(self) -> None:
        """Run checks 7 to 12 on what the record holds."""
        counter = self.counter
        self.report.check(7, f"{counter.valid:,} ballots: proofs and signatures valid, every "
                             f"credential eligible, no replays; {counter.revocations} "
                             "revocation(s)")
        for problem in self.shared.problems():
            self.report.fail(8, problem)
        if self.audited:
            self.report.check(8, f"{self.audited:,} audited ballots: the revealed choices "
                                 "match the encryptions, none was cast")
        if "close" in self.entries:
            self._close(self.entries["close"][0])
        if "tally" not in self.entries:
            self._missing("tally", ("partial_decryption", "result"), 10)
            return
        if "close" not in self.entries:
            self._missing("close", ("tally",), 9)
        tally, counted = self._tally(self.entries["tally"][0])
        partials = self._partials(tally)
        mix = self._mix()
        if "result" in self.entries:
            result = self.entries["result"][0]
            self._result(result, tally, partials, counted)
            if mix is not None and isinstance(result.body, dict) and "counts" in result.body:
                mix.counts(result.body.get("counts"), result.index)
            self.report.complete = True

    def _mix(self) -> MixChecks | None:
        """Checks 14 and 15 up to the result: the shuffles and ranked decryptions (16)."""
        if not self.mix_entries and (not self.ranked or "result" not in self.entries):
            return None
        mix = MixChecks(self.manifest, self.context, self.trustees, self.report,
                        self._mix_inputs(), self.jobs)
        self.mix_rows = {}
        mix.read(self.path, self.offsets, self.mix_entries, "result" in self.entries)
        mix.shuffles_line()
        return mix

    def _mix_inputs(self) -> dict[str, PackedRows | None]:
        """Each ranked question's mix input (16.1): the counted ballots' rows in board order."""
        excluded = set(self.counter.excluded)
        counted = [rows for index, rows in self.mix_rows.items() if index not in excluded]
        inputs: dict[str, PackedRows | None] = {}
        offset = 0
        ranked = (q for q in self.manifest.questions if q.kind == "ranked")
        for question, width in zip(ranked, self.ranked, strict=True):
            size = width * CIPHERTEXT_BYTES
            inputs[question.id] = PackedRows(
                b"".join(rows[offset:offset + size] for rows in counted), width
            ) if counted else None
            offset += size
        return inputs

    def _missing(self, kind: str, later: tuple[str, ...], check: int) -> None:
        """Report a closing entry that is missing although later ones are there."""
        for other in later:
            if other in self.entries:
                self._fail(check, self.entries[other][0],
                           f"there is a {other} entry but no {kind} entry before it", "kind")
                return

    def _close(self, line: LineOutcome) -> None:
        body = line.body
        if not isinstance(body, dict) or set(body) != {"closed_at", "ballots"}:
            self._fail(9, line, "the close entry holds exactly closed_at and ballots", None)
        elif not is_utc_time(body["closed_at"]):
            self._fail(9, line, "must be an ISO 8601 UTC time such as 2026-12-02T21:00:00Z",
                       "closed_at")
        elif not _same(body["ballots"], self.ballot_entries):
            self._fail(9, line, f"the close entry says {_number(body['ballots'])} ballots but the "
                       f"board holds {self.ballot_entries:,} ballot entries", "ballots")
        else:
            self.report.check(9, f"close: {self.ballot_entries:,} ballots, as on the board")

    def _tally(self, line: LineOutcome) -> tuple[TallyCiphertexts, int]:
        """Check 10; return the tally and N that the trustees decrypt (checks 11, 12).

        That is the published tally when it can be read, so that a wrong
        tally is reported once, here, and not again at every decryption.
        """
        tally = self._recompute_tally()
        expected = {
            "counted": self.counter.counted,
            "ciphertexts": [[None if c is None else c.to_json() for c in row] for row in tally],
        }
        body = line.body
        if _same(body, expected):
            self.report.check(10, f"tally: the sum of the {self.counter.counted:,} counted "
                                  "ballots (the last valid ballot of each credential)")
        elif not isinstance(body, dict) or set(body) != set(expected):
            self._fail(10, line, "the tally holds exactly counted and ciphertexts", None)
        elif not _same(body["counted"], expected["counted"]):
            self._fail(10, line, f"the tally says {_number(body['counted'])} ballots were counted, "
                       f"but the counting rule gives {self.counter.counted:,}", "counted")
        else:
            self._fail(10, line, "the tally is not the sum of the counted ballots' choices",
                       _first_difference(body["ciphertexts"], expected["ciphertexts"],
                                         "ciphertexts"))
        if not _same(body, expected):
            published = self._published(body)
            if published is not None:
                return published
        return tally, self.counter.counted

    def _published(self, body: Any) -> tuple[TallyCiphertexts, int] | None:
        """The published tally and its N, or None if they cannot be read."""
        try:
            counted = body["counted"]
            rows = body["ciphertexts"]
            if type(counted) is not int or counted < 0 or len(rows) != len(self.shape):
                return None
            tally: TallyCiphertexts = []
            for row, width in zip(rows, self.shape, strict=True):
                if len(row) != width:
                    return None
                tally.append([None if c is None else Ciphertext.from_json(c) for c in row])
        except (ProtocolError, TypeError, KeyError):
            return None
        return tally, counted

    def _recompute_tally(self) -> TallyCiphertexts:
        total = self.sums
        if total is not None and self.counter.excluded:
            removed = self._excluded_sum()
            total = [Ciphertext(a.alpha - b.alpha, a.beta - b.beta)
                     for a, b in zip(total, removed, strict=True)]
        rows: TallyCiphertexts = []
        position = 0
        for count, width in zip(self.shape, self.widths, strict=True):
            if self.counter.counted == 0 or total is None:
                rows.append([None] * count)
            else:
                rows.append(list(total[position:position + count]))
            position += width
        return rows

    def _excluded_sum(self) -> list[Ciphertext]:
        """Second look at the file: the choices of the valid ballots that are not counted.

        Only those lines are read again, found by their offsets.
        """
        wanted = (self.offsets[index] for index in sorted(self.counter.excluded))
        total: list[Ciphertext] | None = None
        for line in read_lines_at(self.path, wanted):
            answers = parse_json(line)["body"]["answers"]
            choices = [Ciphertext.from_json(choice, field="choices")
                       for answer in answers for choice in answer["choices"]]
            total = add_ciphertexts(total, choices)
        assert total is not None
        return total

    def _partials(self, tally: TallyCiphertexts) -> dict[int, PartialDecryption]:
        valid: dict[int, PartialDecryption] = {}
        lines = self.entries.get("partial_decryption", [])
        for line in lines:
            trustee = line.body.get("trustee") if isinstance(line.body, dict) else None
            if trustee not in self.trustees.verification_keys:
                self._fail(11, line, f"trustee {trustee!r} is not a qualified trustee",
                           "trustee")
                continue
            assert isinstance(trustee, int)
            if trustee in valid:
                self._fail(11, line, f"a second partial decryption by trustee {trustee}",
                           "trustee")
                continue
            try:
                valid[trustee] = check_partial_decryption(
                    self.context.fingerprint, line.body, tally,
                    self.trustees.verification_keys[trustee])
            except ProtocolError as error:
                failed = from_protocol(error, line.index)
                failed.reason = f"trustee {trustee}'s partial decryption: {failed.reason}"
                self.report.fail(11, failed)
        if lines and len(valid) == len(lines):
            self.report.check(11, f"{len(valid)} partial decryptions: proofs valid (trustees "
                                  f"{', '.join(map(str, sorted(valid)))})")
        return valid

    def _result(self, line: LineOutcome, tally: TallyCiphertexts,
                partials: dict[int, PartialDecryption], counted: int) -> None:
        body = line.body
        members = {"counted", "decrypted_by", "totals"}
        if self.ranked:
            members.add("counts")
        if isinstance(body, dict) and set(body) == members - {"counts"} and self.ranked:
            self._fail(12, line, "the result has no counts: the ranked questions are counted "
                       "after the mix, and the result holds their counts (protocol section "
                       "16.4)", "counts")
            return
        if not isinstance(body, dict) or set(body) != members:
            self._fail(12, line, f"the result holds exactly {', '.join(sorted(members))}",
                       None)
            return
        named = body["decrypted_by"]
        threshold = self.manifest.threshold
        if (not isinstance(named, list) or not all(type(i) is int for i in named)
                or named != sorted(set(named))):
            self._fail(12, line, "must list trustees in ascending order", "decrypted_by")
            return
        if any(i not in partials for i in named) or len(named) < threshold:
            self._fail(12, line, f"decrypted_by names trustees {named}, but only trustees "
                       f"{sorted(partials)} published valid partial decryptions; it needs at "
                       f"least {threshold} trustees with valid partial decryptions",
                       "decrypted_by")
            return
        try:
            totals = combine(tally, {i: partials[i] for i in named}, threshold, counted)
        except ProtocolError as error:
            self.report.fail(12, from_protocol(error, line.index))
            return
        expected = [list(row) for row in question_totals(self.manifest.rules, totals, counted)]
        if not _same(body["counted"], counted):
            self._fail(12, line, f"the result says {_number(body['counted'])} ballots were "
                       f"counted, not {counted:,}", "counted")
        elif not _same(body["totals"], expected):
            where = _first_difference(body["totals"], expected, "totals")
            self._fail(12, line, f"the totals are not what the trustees decrypted: "
                       f"expected {expected}", where)
        else:
            self.report.check(12, f"result: totals {expected} recomputed from trustees "
                                  f"{', '.join(map(str, named))}")

    def _fail(self, check: int, line: LineOutcome, message: str, field: str | None) -> None:
        self.report.fail(check, RecordError(message, entry=line.index, field=field))


def _same(found: Any, expected: Any) -> bool:
    """Equal as JSON: `true` is not the number 1, as Python's `==` would have it."""
    if type(found) is not type(expected):
        return False
    if isinstance(found, list):
        return len(found) == len(expected) and all(
            _same(a, b) for a, b in zip(found, expected, strict=True))
    if isinstance(found, dict):
        return set(found) == set(expected) and all(_same(found[k], expected[k]) for k in found)
    return bool(found == expected)


def _number(value: Any) -> str:
    """An integer as people write it (1,234), anything else as it is in JSON."""
    return f"{value:,}" if type(value) is int else repr(value)


def _ciphertext(raw: bytes) -> Ciphertext:
    """A worker's sum, computed by libsodium, so its encodings need no validation."""
    return Ciphertext(Point(raw[:32]), Point(raw[32:]))


def _first_difference(found: Any, expected: Any, field: str = "") -> str | None:
    """The path of the first place where `found` differs from `expected`."""
    if isinstance(found, list) and isinstance(expected, list) and len(found) == len(expected):
        for n, (a, b) in enumerate(zip(found, expected, strict=True)):
            if not _same(a, b):
                return _first_difference(a, b, f"{field}[{n}]")
    if isinstance(found, dict) and isinstance(expected, dict) and set(found) == set(expected):
        for key in sorted(found):
            if not _same(found[key], expected[key]):
                return _first_difference(found[key], expected[key], f"{field}.{key}")
    return field or None
