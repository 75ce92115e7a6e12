"""`verify_record`: every check of protocol section 12 over a record file.

The setup entries (manifest, key generation, roll, open) are read and
checked here in order; the voting and closing entries stream through worker
processes (`parallel`), and come back in board order to follow the chain,
the counting rule and the closing checks (`closing`).
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from omov.crypto import group
from omov.crypto.ballot import ElectionContext, fingerprint
from omov.record.ballot_worker import LineOutcome, LineRecord, WorkerSetup
from omov.record.board import ChainChecker, Entry, entry_hash, parse_entry
from omov.record.check_trustees import TrusteeChecks
from omov.record.closing import ClosingChecks
from omov.record.counting import BallotCounter
from omov.record.errors import RecordError
from omov.record.manifest import Manifest, parse_manifest
from omov.record.parallel import check_chunks, default_jobs
from omov.record.reader import RollLine, read_board
from omov.record.report import Report
from omov.record.revoked import Removal, removals, report_removals
from omov.record.roll import (
    CredentialRoll,
    check_open,
    check_revocation,
    check_roll,
    check_streamed_roll,
)
from omov.record.roll_stream import StreamedRoll, read_roll
from omov.record.times import TimeChecks

Progress = Callable[[int], None]
VOTING_AND_CLOSING = frozenset(
    {"ballot", "audited_ballot", "revocation", "close", "tally", "partial_decryption", "shuffle",
     "ranked_decryption", "result"}
)


def verify_record(
    path: str | Path, jobs: int | None = None, progress: Progress | None = None,
    operations: Counter[str] | None = None,
) -> Report:
    """Check the record at `path` as section 12 says; return the report.

    `jobs` is the number of processes that check ballots (default: every
    core); `progress` is called with the number of entries read so far.
    `operations`, for a benchmark, receives the libsodium operations of
    every process (`group.count_operations`). Raises `RecordUnreadable` if
    the file is not UTF-8 JSON Lines.
    """
    verifier = _Verifier(path, jobs or default_jobs(), progress, operations is not None)
    if operations is None:
        verifier.run()
        return verifier.report
    with group.count_operations() as counts:
        verifier.run()
    operations.update(counts + verifier.worker_operations)
    return verifier.report


class _Verifier:
    """One pass over a record: the setup entries here, the rest through workers."""

    def __init__(self, path: str | Path, jobs: int, progress: Progress | None,
                 counted: bool = False) -> None:
        self.path = path
        self.jobs = jobs
        self.progress = progress
        self.counted = counted
        self.worker_operations: Counter[str] = Counter()
        self.report = Report()
        self.chain = ChainChecker()
        self.times = TimeChecks(self.report)
        self.manifest: Manifest | None = None
        self.trustees: TrusteeChecks | None = None
        self.roll: CredentialRoll | None = None
        self.roll_digest = b""
        self.context: ElectionContext | None = None
        self.offsets = array("Q")
        self.removals: list[Removal] = []

    def run(self) -> None:
        lines = read_board(self.path, self.offsets)
        try:
            first_voting = self._setup_phase(lines)
            if first_voting is not None and self._ready_for_voting(first_voting[0]):
                self._voting_and_closing(itertools.chain([first_voting], _whole(lines)))
                if self.removals:
                    report_removals(self.report, self.path, self.offsets, self.removals)
        except RecordError as error:
            self.report.fail(2, error)
        finally:
            self.times.finish()
            self.report.entries = self.chain.count
            self.report.head = self.chain.head
            self.report.phase = self.chain.phase
        self.report.check(2, f"{self.chain.count:,} entries: canonical JSON, numbered in "
                             "order, hash-chained, kinds in the order of section 10")

    def _setup_phase(self, lines: Iterator[tuple[int, bytes | RollLine]]) -> (
        tuple[int, bytes] | None
    ):
        for index, read in lines:
            if self.progress is not None:
                self.progress(index)
            if isinstance(read, RollLine):
                streamed = read_roll(read)
                if streamed is not None:
                    if not self._streamed_roll(index, streamed):
                        return None
                    continue
            line = read if isinstance(read, bytes) else read.whole()
            try:
                entry = parse_entry(line, index)
            except RecordError as error:
                self.chain.skip(index, entry_hash(line))
                self.report.fail(2, error)
                continue
            if entry.kind in VOTING_AND_CLOSING:
                return index, line
            self.times.entry(entry.index, entry.kind, entry.time, entry.body)
            if not self._follow_chain(entry.index, entry.kind, entry.previous, entry.hash):
                continue
            if not self._setup_entry(entry):
                return None
        return None

    def _follow_chain(self, index: int, kind: str, previous: bytes, line_hash: bytes) -> bool:
        try:
            self.chain.check(index, kind, previous, line_hash)
        except RecordError as error:
            self.report.fail(2, error)
            return error.field != "kind"
        return True

    def _setup_entry(self, entry: Entry) -> bool:
        """Check one setup entry; False when nothing after it can be checked."""
        if entry.kind == "manifest":
            try:
                self.manifest = parse_manifest(entry.body, entry.index)
            except RecordError as error:
                self.report.fail(3, error)
                return False
            manifest = self.manifest
            self.trustees = TrusteeChecks(manifest, self.report)
            self.report.check(3, f"manifest: {len(manifest.questions)} question(s), "
                                 f"{len(manifest.trustees)} trustees, threshold "
                                 f"{manifest.threshold}")
            return True
        if self.manifest is None or self.trustees is None:
            return False
        handlers = {
            "trustee_commitment": self.trustees.commitment,
            "trustee_shares": self.trustees.shares_entry,
            "trustee_complaint": self.trustees.complaint,
            "joint_key": self.trustees.joint_key_entry,
            "credential_roll": self._roll,
            "open": self._open,
        }
        handlers[entry.kind](entry)
        return True

    def _streamed_roll(self, index: int, streamed: StreamedRoll) -> bool:
        """The roll entry read as a stream; False when nothing after it can be checked."""
        self.times.entry(index, "credential_roll", streamed.time, None)
        if not self._follow_chain(index, "credential_roll", streamed.previous, streamed.hash):
            return True
        if self.manifest is None or self.trustees is None:
            return False
        manifest = self.manifest
        self._check_roll(lambda: check_streamed_roll(
            streamed, manifest.digest, manifest.authority_key, index))
        return True

    def _roll(self, entry: Entry) -> None:
        assert self.manifest is not None
        manifest = self.manifest
        self._check_roll(lambda: check_roll(
            entry.body, manifest.digest, manifest.authority_key, entry.index))

    def _check_roll(self, check: Callable[[], tuple[CredentialRoll, bytes]]) -> None:
        try:
            self.roll, self.roll_digest = check()
        except RecordError as error:
            self.report.fail(5, error)
            return
        self.report.check(5, f"credential roll: {len(self.roll):,} credentials, sorted, "
                             "unique, signed by the credential authority")

    def _open(self, entry: Entry) -> None:
        assert self.manifest is not None and self.trustees is not None
        if self.trustees.public_key is None or self.roll is None:
            self.report.fail(6, RecordError(
                "the election opened without a valid joint key and credential roll",
                entry=entry.index))
            return
        election = fingerprint(self.manifest.digest, self.trustees.public_key, self.roll_digest)
        self.context = ElectionContext(election, self.trustees.public_key, self.manifest.rules)
        try:
            check_open(entry.body, election, entry.index)
        except RecordError as error:
            self.report.fail(6, error)
            return
        self.report.check(6, f"open: the fingerprint {election.hex()[:16]}… matches the "
                             "manifest, joint key and roll")

    def _ready_for_voting(self, index: int) -> bool:
        if self.context is None or self.roll is None:
            self.report.fail(2, RecordError(
                "voting or closing entries, but the record has no valid manifest, joint key, "
                "credential roll and open entry before them", entry=index))
            return False
        return True

    def _voting_and_closing(self, lines: Iterable[tuple[int, bytes]]) -> None:
        assert self.context is not None and self.roll is not None
        assert self.manifest is not None and self.trustees is not None
        counter = BallotCounter(self.roll)
        closing = ClosingChecks(self.path, self.offsets, self.manifest, self.context,
                                self.trustees, counter, self.report, self.jobs)
        setup = WorkerSetup(self.context, self.roll)
        for outcome in check_chunks(lines, setup, self.jobs, self.counted):
            if outcome.operations is not None:
                self.worker_operations.update(outcome.operations)
            for record in outcome.lines:
                self._voting_line(record, counter, closing)
            closing.add_sums(outcome.sums)
            if self.progress is not None and outcome.lines:
                self.progress(outcome.lines[-1][0])
            if outcome.unreadable is not None:
                raise outcome.unreadable
        closing.finish()

    def _voting_line(self, record: LineRecord, counter: BallotCounter,
                     closing: ClosingChecks) -> None:
        index, kind, previous, line_hash, body, ballot, error, time = record
        if kind is None:
            self.chain.skip(index, line_hash)
            if error is not None:
                self.report.fail(2, error)
            return
        self.times.entry(index, kind, time, body)
        if not self._follow_chain(index, kind, previous, line_hash):
            return
        if ballot is not None:
            closing.ballot_line(index, kind == "ballot", ballot)
        elif kind == "revocation":
            self._revocation(index, time, body, counter)
        elif kind in VOTING_AND_CLOSING:
            closing.entry(LineOutcome(*record))
        else:
            self.report.fail(2, RecordError(f"a {kind} entry after voting began",
                                            entry=index, field="kind"))

    def _revocation(self, index: int, time: str, body: Any, counter: BallotCounter) -> None:
        assert self.context is not None and self.manifest is not None
        try:
            revoked, added = check_revocation(
                body, self.context.fingerprint, self.manifest.authority_key, index
            )
        except RecordError as error:
            self.report.fail(7, error)
            return
        problem = counter.revoke(index, revoked, added)
        if problem is not None:
            self.report.fail(7, problem)
        self.removals += removals(counter.removed, index, time, body)


def _whole(lines: Iterable[tuple[int, bytes | RollLine]]) -> Iterator[tuple[int, bytes]]:
    """Voting and closing lines for the workers: a roll line among them (which breaks
    the order of section 10) is read whole, as any other line is."""
    for index, read in lines:
        yield index, read if isinstance(read, bytes) else read.whole()
