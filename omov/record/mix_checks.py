"""Checks 14 and 15 (protocol 12, 16): the shuffles, the ranked decryptions, the count.

The mix entries are read again from the file at the end, one line at a time
and in board order, so that only what the next step needs stays in memory:
per ranked question the rows of the last shuffle accepted (packed, 64 bytes
per ciphertext), the parts of the shuffle being read, and the shares of each
valid ranked decryption (32 bytes per cell).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omov.crypto.ballot import ElectionContext
from omov.crypto.canonical import parse_canonical, parse_json
from omov.crypto.errors import InvalidProof
from omov.crypto.shuffle import ShuffleContext, verify_shuffle
from omov.record.check_trustees import TrusteeChecks
from omov.record.errors import RecordError
from omov.record.manifest import Manifest, Question
from omov.record.mix import (
    DECRYPTION_MEMBERS,
    SHUFFLE_MEMBERS,
    DecryptionPart,
    ShufflePart,
    check_decryption_part,
    combine_rankings,
    join_parts,
    read_header,
)
from omov.record.mix_rows import PackedRows
from omov.record.ranked import CountError, compare_published_count, count_ranked, lot_order
from omov.record.ranked.words import names
from omov.record.reader import read_lines_at
from omov.record.report import Report

SHUFFLES = 14
COUNT = 15
MIX_KINDS = frozenset({"shuffle", "ranked_decryption"})


def entries_text(first: int, last: int) -> str:
    return f"entry {first}" if first == last else f"entries {first} to {last}"


@dataclass
class _Question:
    """One ranked question's mix as read so far."""

    question: Question
    position: int
    rows: PackedRows | None
    """The mix input, then the output of the last shuffle read."""
    source: str = "the mix input (the counted ballots' rows)"
    shufflers: list[int] = field(default_factory=list)
    broken: bool = False
    first_decryption: int | None = None
    decryptions: dict[int, bytes] = field(default_factory=dict)
    decrypted: set[int] = field(default_factory=set)


@dataclass
class _Open:
    """The shuffle or ranked decryption whose parts are being read."""

    kind: str
    question: _Question
    trustee: int
    parts: int
    first: int
    last: int
    shuffle_parts: list[ShufflePart] = field(default_factory=list)
    shares: list[bytes] = field(default_factory=list)
    rows_done: int = 0

    def what(self) -> str:
        action = "shuffle" if self.kind == "shuffle" else "ranked decryption"
        return f"trustee {self.trustee}'s {action} of question {self.question.question.id!r}"


class MixChecks:
    """Reads the `shuffle` and `ranked_decryption` entries in order and checks them."""

    def __init__(self, manifest: Manifest, context: ElectionContext, trustees: TrusteeChecks,
                 report: Report, inputs: dict[str, PackedRows | None], jobs: int) -> None:
        """`inputs` holds each ranked question's mix input (None: no counted ballot)."""
        self.manifest = manifest
        self.context = context
        self.trustees = trustees
        self.report = report
        self.jobs = jobs
        self.questions = {
            q.id: _Question(q, n, inputs.get(q.id))
            for n, q in enumerate(manifest.questions) if q.kind == "ranked"}
        self.open: _Open | None = None
        self.skipping: tuple[str, Any, Any, int] | None = None
        self.failed = False

    # Reading the entries.

    def read(self, path: str | Path, offsets: array[int], entries: Sequence[tuple[int, str]],
             complete: bool) -> None:
        """Check the mix entries `(index, kind)`; `complete` when a result follows them."""
        lines = read_lines_at(path, (offsets[index] for index, _ in entries))
        for (index, kind), line in zip(entries, lines, strict=True):
            # The workers found each line canonical: the fast parse reads it.
            entry = parse_canonical(line)
            self.entry(index, kind, (entry if entry is not None else parse_json(line))["body"])
        if self.open is not None and complete:
            self._fail_open(f"has {len(self.open.shuffle_parts) or self.open.rows_done} "
                            f"part(s) read but {self.open.parts} announced: the rest are "
                            "missing before the result")
        self.open = None

    def entry(self, index: int, kind: str, body: Any) -> None:
        members = SHUFFLE_MEMBERS if kind == "shuffle" else DECRYPTION_MEMBERS
        check = SHUFFLES if kind == "shuffle" else COUNT
        try:
            question_id, trustee, part, parts = read_header(body, members, kind, index)
        except RecordError as error:
            self._close_open(index)
            self._fail(check, error)
            return
        key = (kind, question_id, trustee, index)
        if self.skipping is not None and self.skipping[:3] == key[:3] and \
                self.skipping[3] == index - 1:
            self.skipping = key
            return
        self.skipping = None
        current = self.open
        if current is not None:
            if (current.kind, current.question.question.id, current.trustee) == key[:3] \
                    and part == current.last - current.first + 1 and index == current.last + 1 \
                    and parts == current.parts:
                self._next_part(current, index, body, part)
                return
            self._close_open(index)
        if part != 0:
            self._skip(key, check, RecordError(
                f"part {part} of {parts} of trustee {trustee}'s {kind.replace('_', ' ')} of "
                f"question {question_id!r} does not follow its part {part - 1}: parts must be "
                "consecutive entries, from part 0", entry=index, field="part"))
            return
        question = self._start(index, kind, question_id, trustee, key)
        if question is None:
            return
        self.open = _Open(kind, question, trustee, parts, index, index - 1)
        self._next_part(self.open, index, body, 0)

    def _start(self, index: int, kind: str, question_id: str, trustee: int,
               key: tuple[str, Any, Any, int]) -> _Question | None:
        """The question a new shuffle or decryption is of, if it may begin here."""
        check = SHUFFLES if kind == "shuffle" else COUNT
        action = kind.replace("_", " ")
        question = self.questions.get(question_id)
        problem = None
        if question is None:
            problem = (f"a {action} of {question_id!r}, which is not a ranked question of "
                       "the manifest", "question")
        elif trustee not in self.trustees.verification_keys:
            problem = (f"trustee {trustee} is not a qualified trustee", "trustee")
        elif question.rows is None:
            problem = (f"question {question_id!r} has no counted ballot, so it has no "
                       f"{action}", "question")
        elif kind == "shuffle" and question.first_decryption is not None:
            problem = (f"a shuffle of question {question_id!r} after its ranked decryption "
                       f"(entry {question.first_decryption}): every shuffle of a question "
                       "comes before its first ranked decryption", "question")
        elif kind == "shuffle" and trustee in question.shufflers:
            problem = (f"a second shuffle of question {question_id!r} by trustee {trustee}",
                       "trustee")
        elif kind == "ranked_decryption" and trustee in question.decrypted:
            problem = (f"a second ranked decryption of question {question_id!r} by trustee "
                       f"{trustee}", "trustee")
        elif kind == "ranked_decryption" and not question.broken and \
                len(question.shufflers) < self.manifest.threshold:
            problem = (f"missing shuffle: a ranked decryption of question {question_id!r} "
                       f"after {len(question.shufflers)} shuffle(s)"
                       f"{_by(question.shufflers)}; at least {self.manifest.threshold} "
                       "trustees must shuffle before it is decrypted", "question")
        if problem is not None:
            self._skip(key, check, RecordError(problem[0], entry=index, field=problem[1]))
            return None
        assert question is not None
        if kind == "ranked_decryption":
            question.decrypted.add(trustee)
            if question.first_decryption is None:
                question.first_decryption = index
        return question

    def _next_part(self, current: _Open, index: int, body: Any, part: int) -> None:
        current.last = index
        question = current.question
        assert question.rows is not None
        width = question.question.max
        try:
            if current.kind == "shuffle":
                current.shuffle_parts.append(ShufflePart(body, width, index))
            else:
                self._decryption_part(current, DecryptionPart(body, width, index))
        except RecordError as error:
            error.reason = f"{current.what()} ({entries_text(current.first, index)}): " \
                           f"{error.reason}"
            error.entry = index
            self._fail(SHUFFLES if current.kind == "shuffle" else COUNT, error)
            self.open = None
            self.skipping = (current.kind, question.question.id, current.trustee, index)
            return
        if part == current.parts - 1:
            self.open = None
            if current.kind == "shuffle":
                self._shuffle(current)
            else:
                self._decryption_done(current)

    def _decryption_part(self, current: _Open, part: DecryptionPart) -> None:
        question = current.question
        assert question.rows is not None
        key = self.trustees.verification_keys[current.trustee]
        failed = check_decryption_part(part, question.rows, current.rows_done,
                                       self.context.fingerprint, key, self.jobs)
        if failed is not None:
            row, column, reason = failed
            raise RecordError(f"row {row}, column {column}: {reason} (the share does not "
                              f"match the last shuffle's output)",
                              field=f"proofs[{row - current.rows_done}][{column}]")
        current.shares.append(part.shares)
        current.rows_done += part.rows

    def _decryption_done(self, current: _Open) -> None:
        question = current.question
        assert question.rows is not None
        if current.rows_done != len(question.rows):
            self._fail(COUNT, RecordError(
                f"{current.what()} ({entries_text(current.first, current.last)}) decrypts "
                f"{current.rows_done} rows, but the last shuffle output {len(question.rows)}",
                entry=current.last, field="shares"))
            return
        question.decryptions[current.trustee] = b"".join(current.shares)

    def _shuffle(self, current: _Open) -> None:
        question = current.question
        assert question.rows is not None
        where = entries_text(current.first, current.last)
        try:
            rows, proof = join_parts(current.shuffle_parts,
                                     list(range(current.first, current.last + 1)))
            verify_shuffle(self.context.public_key, question.rows,
                           rows, proof,
                           ShuffleContext(self.context.fingerprint, question.question.id,
                                          current.trustee), self.jobs)
        except (InvalidProof, RecordError) as error:
            self._fail(SHUFFLES, RecordError(
                f"{current.what()} ({where}) is wrong with {question.source} as its input: "
                f"{error.reason} (its proof is wrong, a row was dropped, added or changed, "
                "or the shuffles are out of order)", entry=current.last))
            question.broken = True
            if isinstance(error, RecordError) or len(rows) != len(question.rows):
                return
        else:
            question.shufflers.append(current.trustee)
        question.rows = rows
        question.source = f"the output of trustee {current.trustee}'s shuffle ({where})"

    def _close_open(self, index: int) -> None:
        """Entry `index` is not the next part of the open shuffle or decryption."""
        if self.open is not None:
            read = self.open.last - self.open.first + 1
            self._fail_open(f"stops after {read} of its {self.open.parts} parts: entry "
                            f"{index} is not its part {read} (parts are consecutive entries; "
                            "one is missing or out of order)")
        self.open = None

    def _fail_open(self, reason: str) -> None:
        current = self.open
        assert current is not None
        self._fail(SHUFFLES if current.kind == "shuffle" else COUNT, RecordError(
            f"{current.what()} ({entries_text(current.first, current.last)}) {reason}",
            entry=current.last, field="parts"))
        current.question.broken = True

    def _skip(self, key: tuple[str, Any, Any, int], check: int, error: RecordError) -> None:
        self.skipping = key
        self._fail(check, error)

    def _fail(self, check: int, error: RecordError) -> None:
        self.failed = True
        self.report.fail(check, error)

    # The shuffles' summary and the count in the result.

    def shuffles_line(self) -> None:
        """Check 14's line: each question's shuffles."""
        said = []
        for question in self.questions.values():
            rows = 0 if question.rows is None else len(question.rows)
            said.append(f"question {question.question.id!r}: "
                        + (f"{len(question.shufflers)} shuffle(s) of {rows:,} rows"
                           f"{_by(question.shufflers)}" if rows else "no counted ballot"))
        if said:
            self.report.check(SHUFFLES, "shuffles: " + "; ".join(said) + ": each proof valid, "
                              "each taking the previous output")

    def counts(self, counts: Any, entry: int) -> None:
        """Check the result's `counts` (16.4) against the mix; check 15's line."""
        ranked = list(self.questions.values())
        if not isinstance(counts, list) or len(counts) != len(ranked):
            self._fail(COUNT, RecordError(
                f"must hold one count per ranked question ({len(ranked)})", entry=entry,
                field="counts"))
            return
        said = []
        for n, (question, published) in enumerate(zip(ranked, counts, strict=True)):
            line = self._count(question, published, entry, f"counts[{n}]")
            if line is not None:
                said.append(line)
        if len(said) == len(ranked) and not self.failed:
            self.report.check(COUNT, "ranked count: " + "; ".join(said))

    def _count(self, question: _Question, published: Any, entry: int, path: str) -> str | None:
        qid, threshold = question.question.id, self.manifest.threshold

        def fail(reason: str, where: str | None = None, check: int = COUNT) -> None:
            self._fail(check, RecordError(f"question {qid!r}: {reason}", entry=entry,
                                          field=f"{path}{where or ''}"))

        if not isinstance(published, dict) or published.keys() != {"question", "decrypted_by",
                                                                    "count"}:
            fail("a count holds exactly question, decrypted_by and count")
            return None
        if published["question"] != qid:
            fail(f"the counts are in manifest order: this one is of {qid!r}", ".question")
            return None
        named = published["decrypted_by"]
        if not isinstance(named, list) or not all(type(i) is int for i in named) or \
                named != sorted(set(named)):
            fail("must list trustees in ascending order", ".decrypted_by")
            return None
        if question.rows is None:
            rankings: list[list[int]] = []
            if named:
                fail("no ballot was counted, so nobody decrypts: decrypted_by is []",
                     ".decrypted_by")
                return None
        else:
            if question.broken:
                return None
            if len(question.shufflers) < threshold:
                fail(f"missing shuffle: {len(question.shufflers)} trustee(s) shuffled it"
                     f"{_by(question.shufflers)}, but at least {threshold} must", None,
                     SHUFFLES)
                return None
            if len(named) < threshold or any(i not in question.decryptions for i in named):
                fail(f"decrypted_by names trustees {named}, but only trustees "
                     f"{sorted(question.decryptions)} published valid ranked decryptions; it "
                     f"needs at least {threshold}", ".decrypted_by")
                return None
            try:
                rankings = combine_rankings(question.question.rule, question.rows,
                                            {i: question.decryptions[i] for i in named},
                                            self.jobs)
            except RecordError as error:
                fail(f"decryption mismatch: {error.reason}")
                return None
        options = list(question.question.options)
        try:
            recount = count_ranked(question.question.count or {}, options, rankings,
                                   lot_order(self.manifest.digest, qid, len(options)))
        except CountError as error:
            fail(f"the rankings cannot be counted: {error}")
            return None
        difference = compare_published_count(published["count"], recount)
        if difference is not None:
            fail(f"the published count differs from the recount: {difference}", ".count")
            return None
        by = f" decrypted by trustees {', '.join(map(str, named))}," if named else ""
        return (f"question {qid!r}: {len(rankings):,} ranking(s){by} recounted "
                f"({recount.method}): elected {names(options, recount.elected)}, as published")


def _by(trustees: Iterable[int]) -> str:
    listed = list(trustees)
    return f" (trustees {', '.join(map(str, listed))})" if listed else ""
