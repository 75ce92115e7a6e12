"""What the board says about a ballot's mix so far (protocol 12.1), read back.

Each shuffle and ranked decryption was checked before it was appended; these
read them again as protocol objects for the next check, the trustee's page
and the count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from omov.ballots import board, state
from omov.ballots.models import Ballot, BoardEntry
from omov.crypto.canonical import parse_json
from omov.crypto.shuffle import rows_digest
from omov.record.mix_entries import (
    PackedRows,
    Rows,
    counted_ballots,
    join_shuffle,
    mix_input_rows,
    rows_json,
)


@dataclass(frozen=True)
class RankedQuestion:
    number: int
    """The question's position in the manifest, from 0."""
    id: str
    options: tuple[str, ...]
    count: dict[str, Any]
    width: int


def ranked_questions(ballot: Ballot) -> list[RankedQuestion]:
    manifest = state.manifest(ballot)
    return [RankedQuestion(q, question.id, tuple(question.options), dict(question.count or {}),
                           question.max)
            for q, question in enumerate(manifest.questions) if question.kind == "ranked"]


def ranked_question(ballot: Ballot, question_id: Any) -> RankedQuestion | None:
    return next((q for q in ranked_questions(ballot) if q.id == question_id), None)


def _voting_entries(ballot: Ballot) -> Iterator[tuple[str, Any]]:
    found = BoardEntry.objects.filter(ballot=ballot, kind__in=("ballot", "revocation"))
    for kind, line in found.order_by("index").values_list("kind", "line").iterator(
        chunk_size=2000
    ):
        yield kind, parse_json(line)["body"]


def input_rows(ballot: Ballot, question: RankedQuestion) -> Rows:
    """The mix input of `question`: a row per counted ballot, in board order (12.1)."""
    return mix_input_rows(state.manifest(ballot), counted_ballots(_voting_entries(ballot)),
                          question.id)


def shuffles(ballot: Ballot, question_id: str) -> list[tuple[int, PackedRows]]:
    """(trustee, output rows) of each shuffle of a question, in board order."""
    found: list[tuple[int, PackedRows]] = []
    parts: list[Any] = []
    for body in board.bodies(ballot, "shuffle"):
        if body["question"] != question_id:
            continue
        parts.append(body)
        if body["part"] == body["parts"] - 1:
            rows, _ = join_shuffle(parts)
            found.append((int(body["trustee"]), rows))
            parts = []
    return found


def shuffled_in_order(ballot: Ballot, question_id: str) -> list[int]:
    """The trustees who have shuffled a question, in board order (without joining rows)."""
    return [int(body["trustee"]) for body in board.bodies(ballot, "shuffle")
            if body["question"] == question_id and body["part"] == 0]


def to_shuffle(ballot: Ballot) -> list[RankedQuestion]:
    """The ranked questions the mix shuffles: all of them if a ballot was counted (each
    counted ballot gives each a row), none otherwise (12.1)."""
    return ranked_questions(ballot) if ballot.counted else []


def shuffled_by(ballot: Ballot, question_id: str) -> list[int]:
    return sorted({int(body["trustee"]) for body in board.bodies(ballot, "shuffle")
                   if body["question"] == question_id and body["part"] == 0})


def decrypted_by(ballot: Ballot, question_id: str) -> list[int]:
    return sorted({int(body["trustee"]) for body in board.bodies(ballot, "ranked_decryption")
                   if body["question"] == question_id and body["part"] == 0})


@dataclass(frozen=True)
class CurrentInput:
    """What the next shuffle of a question takes: the mix input or the last output."""

    question: RankedQuestion
    rows: Rows
    after: list[int]
    """The trustees who have shuffled this question, in order."""

    @property
    def digest(self) -> str:
        return rows_digest(self.rows).hex() if self.rows else ""

    def to_json(self) -> dict[str, Any]:
        return {"question": self.question.id, "after": self.after, "digest": self.digest,
                "rows": rows_json(self.rows)}


def current_input(ballot: Ballot, question: RankedQuestion) -> CurrentInput:
    done = shuffles(ballot, question.id)
    rows = done[-1][1] if done else input_rows(ballot, question)
    return CurrentInput(question, rows, [trustee for trustee, _ in done])
