"""The manifest (protocol section 5): parse, validate, derive the question rules."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from omov.crypto.canonical import digest
from omov.crypto.errors import InvalidEncoding
from omov.crypto.group import Point
from omov.crypto.questions import QuestionRule
from omov.record.board import is_utc_time
from omov.record.errors import RecordError

FORMAT = "omov-election/1"
MAX_STRING = 20_000

_TOP_KEYS = frozenset({
    "format", "election_id", "title", "description", "questions", "trustees", "threshold",
    "credential_authority", "eligibility", "opens_at", "closes_at",
})
_QUESTION_KEYS = frozenset({"id", "kind", "text", "options", "min", "max"})
_RANKED_KEYS = _QUESTION_KEYS | {"count"}
COUNT_METHODS = ("stv", "irv", "schulze")
TIE_RULES = ("earlier-rounds-then-lot", "lot")
MAX_RANKED_CELLS = 400
"""At most m·R cells in one ranked question (5.2), which keeps ballots under 2 MiB."""
MAX_RANKED_CELLS_IN_ALL = 1000
"""At most this many ranked cells over all of a manifest's ranked questions."""


@dataclass(frozen=True)
class Question:
    """One question: its id, kind, text, option labels and bounds on the choices."""

    id: str
    kind: str
    text: str
    options: tuple[str, ...]
    min: int
    max: int
    count: dict[str, Any] | None = None
    """A ranked question's count member (5.2), as the manifest holds it."""

    @property
    def rule(self) -> QuestionRule:
        """What a ballot must encrypt and prove for this question (section 5.1)."""
        return QuestionRule(len(self.options), self.min, self.max, ranked=self.kind == "ranked")


@dataclass(frozen=True)
class Manifest:
    """A validated manifest, its digest and what the protocol derives from it."""

    body: dict[str, Any]
    digest: bytes
    election_id: str
    title: str
    questions: tuple[Question, ...]
    trustees: tuple[int, ...]
    threshold: int
    authority_key: Point

    @property
    def rules(self) -> tuple[QuestionRule, ...]:
        """The question rules in manifest order."""
        return tuple(question.rule for question in self.questions)


def parse_manifest(body: Any, entry: int | None = 0) -> Manifest:
    """Validate a manifest against every rule of section 5.

    `body` is the parsed JSON object; `entry` is its board index, used in
    errors. Raises `RecordError` naming the offending field.
    """
    _require(isinstance(body, dict), "the manifest must be an object", entry, None)
    extra = set(body) - _TOP_KEYS
    _require(not extra, f"unknown member(s) {sorted(extra)}", entry, None)
    missing = {"format", "election_id", "title", "questions", "trustees", "threshold",
               "credential_authority"} - set(body)
    _require(not missing, f"missing member(s) {sorted(missing)}", entry, None)
    _require(body["format"] == FORMAT, f"format must be {FORMAT!r}", entry, "format")
    _check_strings(body, entry, "")
    _string(body["election_id"], 1, 100, entry, "election_id")
    _string(body["title"], 1, 300, entry, "title")
    if "description" in body:
        _string(body["description"], 0, MAX_STRING, entry, "description")
    _schedule(body, entry)
    if "eligibility" in body:
        _eligibility(body["eligibility"], entry)
    questions = _questions(body["questions"], entry)
    trustees, threshold = _trustees(body["trustees"], body["threshold"], entry)
    return Manifest(
        body=body,
        digest=digest(body),
        election_id=body["election_id"],
        title=body["title"],
        questions=questions,
        trustees=trustees,
        threshold=threshold,
        authority_key=_authority_key(body["credential_authority"], entry),
    )


def _schedule(body: dict[str, Any], entry: int | None) -> None:
    """Opening and closing times, where given, are UTC times, closing after opening."""
    for key in ("opens_at", "closes_at"):
        if key in body:
            _require(is_utc_time(body[key]), "must be a UTC time such as 2026-12-01T09:00:00Z",
                     entry, key)
    if "opens_at" in body and "closes_at" in body:
        opens, closes = (_instant(body[key]) for key in ("opens_at", "closes_at"))
        _require(closes > opens, "voting must close after it opens", entry, "closes_at")


def _instant(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _eligibility(value: Any, entry: int | None) -> None:
    _require(isinstance(value, dict) and set(value) <= {"cut_off", "description"},
             "eligibility has a cut_off date and a description", entry, "eligibility")
    if "cut_off" in value:
        cut_off = value["cut_off"]
        try:
            valid = isinstance(cut_off, str) and len(cut_off) == 10 and bool(
                datetime.date.fromisoformat(cut_off))
        except ValueError:
            valid = False
        _require(valid, "must be a date such as 2026-11-01", entry, "eligibility.cut_off")
    if "description" in value:
        _string(value["description"], 0, MAX_STRING, entry, "eligibility.description")


def _questions(value: Any, entry: int | None) -> tuple[Question, ...]:
    _require(isinstance(value, list) and 1 <= len(value) <= 20,
             "there must be 1 to 20 questions", entry, "questions")
    questions = tuple(_question(item, entry, f"questions[{n}]") for n, item in enumerate(value))
    ids = [question.id for question in questions]
    _require(len(set(ids)) == len(ids), "question ids must be unique", entry, "questions")
    cells = sum(q.rule.encrypted_count for q in questions if q.kind == "ranked")
    _require(cells <= MAX_RANKED_CELLS_IN_ALL, f"the ranked questions hold {cells:,} cells "
             f"(candidates times max) in all; at most {MAX_RANKED_CELLS_IN_ALL:,} are allowed",
             entry, "questions")
    return questions


def _question(value: Any, entry: int | None, field: str) -> Question:
    ranked = isinstance(value, dict) and value.get("kind") == "ranked"
    if ranked:
        _require("count" in value, "a question of kind ranked needs a count member (5.2)",
                 entry, f"{field}.kind")
        _require(set(value) == _RANKED_KEYS, "a ranked question has exactly id, kind, text, "
                 "options, min, max and count", entry, field)
    else:
        _require(isinstance(value, dict) and set(value) == _QUESTION_KEYS,
                 "a question has exactly id, kind, text, options, min and max", entry, field)
    _string(value["id"], 1, 50, entry, f"{field}.id")
    _string(value["text"], 0, MAX_STRING, entry, f"{field}.text")
    options = value["options"]
    _require(isinstance(options, list) and 2 <= len(options) <= 100,
             "a question has 2 to 100 options", entry, f"{field}.options")
    for n, option in enumerate(options):
        _string(option, 1, 500, entry, f"{field}.options[{n}]")
    _require(len(set(options)) == len(options), "options must be unique", entry,
             f"{field}.options")
    low, high, m = value["min"], value["max"], len(options)
    _require(type(low) is int and type(high) is int and 0 <= low <= high <= m and high >= 1,
             f"need integers 0 <= min <= max <= {m} and max >= 1", entry, f"{field}.min")
    _kind_rule(value["kind"], m, low, high, entry, f"{field}.kind")
    if ranked:
        _require(m * high <= MAX_RANKED_CELLS, f"a ranked question holds at most "
                 f"{MAX_RANKED_CELLS} cells: {m} candidates times max {high} is {m * high}",
                 entry, f"{field}.max")
        _count(value["count"], m, entry, f"{field}.count")
        return Question(value["id"], "ranked", value["text"], tuple(options), low, high,
                        value["count"])
    return Question(value["id"], value["kind"], value["text"], tuple(options), low, high)


def _count(value: Any, m: int, entry: int | None, field: str) -> None:
    """A ranked question's count member (5.2): method, seats, ties and, for
    stv only, balance rules."""
    _require(isinstance(value, dict) and {"method", "seats", "ties"} <= set(value)
             and set(value) <= {"method", "seats", "ties", "balance"},
             "count holds exactly method, seats and ties, and for stv optionally balance",
             entry, field)
    method = value["method"]
    _require(isinstance(method, str) and method in COUNT_METHODS,
             "method must be stv, irv or schulze", entry, f"{field}.method")
    seats = value["seats"]
    if method == "irv":
        _require(type(seats) is int and seats == 1, "an irv count fills exactly 1 seat",
                 entry, f"{field}.seats")
    else:
        _require(type(seats) is int and 1 <= seats <= m - 1,
                 f"a {method} count fills 1 to {m - 1} seats (fewer than the candidates)",
                 entry, f"{field}.seats")
    _require(isinstance(value["ties"], str) and value["ties"] in TIE_RULES,
             "ties must be earlier-rounds-then-lot or lot", entry, f"{field}.ties")
    if "balance" in value:
        _require(method == "stv", "balance rules apply to an stv count only", entry,
                 f"{field}.balance")
        _balance(value["balance"], m, seats, entry, f"{field}.balance")


def _balance(value: Any, m: int, seats: int, entry: int | None, field: str) -> None:
    _require(isinstance(value, list), "balance is a list of rules", entry, field)
    labels = []
    for n, rule in enumerate(value):
        at = f"{field}[{n}]"
        _require(isinstance(rule, dict) and set(rule) == {"label", "candidates", "at_least"},
                 "a balance rule holds exactly label, candidates and at_least", entry, at)
        _string(rule["label"], 1, 100, entry, f"{at}.label")
        labels.append(rule["label"])
        candidates = rule["candidates"]
        _require(isinstance(candidates, list) and len(candidates) >= 1
                 and all(type(c) is int and 0 <= c < m for c in candidates),
                 f"candidates is a non-empty list of option indices 0 to {m - 1}", entry,
                 f"{at}.candidates")
        _require(all(a < b for a, b in pairwise(candidates)),
                 "candidates must be sorted ascending, each once", entry, f"{at}.candidates")
        at_least = rule["at_least"]
        _require(type(at_least) is int and 1 <= at_least <= min(seats, len(candidates)),
                 f"at_least must be 1 to {min(seats, len(candidates))} (at most the seats "
                 "and the rule's candidates)", entry, f"{at}.at_least")
    _require(len(set(labels)) == len(labels), "balance rule labels must be unique", entry,
             field)


def _kind_rule(kind: Any, m: int, low: int, high: int, entry: int | None, field: str) -> None:
    rules = {
        "yes_no": (m == 2 and low == high == 1, "exactly 2 options and min = max = 1"),
        "yes_no_abstain": (m == 3 and low == high == 1, "exactly 3 options and min = max = 1"),
        "choose": (True, ""),
        "approval": (low == 0 and high == m, "min = 0 and max = the number of options"),
        "block": (low == 0 and high < m, "min = 0 and max below the number of options"),
        "ranked": (low <= 1, "min 0 (a blank ballot allowed) or 1"),
    }
    _require(isinstance(kind, str) and kind in rules, f"unknown question kind {kind!r}",
             entry, field)
    holds, needs = rules[kind]
    _require(holds, f"a question of kind {kind} needs {needs}", entry, field)


def _trustees(value: Any, threshold: Any, entry: int | None) -> tuple[tuple[int, ...], int]:
    _require(isinstance(value, list) and 1 <= len(value) <= 50,
             "there must be 1 to 50 trustees", entry, "trustees")
    for n, trustee in enumerate(value):
        _require(isinstance(trustee, dict) and trustee.get("index") == n + 1
                 and type(trustee["index"]) is int,
                 f"trustees must be numbered 1..n in order; expected index {n + 1}",
                 entry, f"trustees[{n}].index")
        _require(set(trustee) == {"index", "name"},
                 "a trustee holds exactly index and name", entry, f"trustees[{n}]")
        name = trustee["name"]
        _require(isinstance(name, str) and 1 <= len(name) <= 500,
                 "a trustee needs a name of 1 to 500 characters", entry, f"trustees[{n}].name")
    count = len(value)
    _require(type(threshold) is int and 1 <= threshold <= count,
             f"threshold must be between 1 and {count}", entry, "threshold")
    return tuple(range(1, count + 1)), threshold


def _authority_key(value: Any, entry: int | None) -> Point:
    field = "credential_authority.public_key"
    _require(isinstance(value, dict) and set(value) == {"name", "public_key"},
             "the credential authority holds exactly name and public_key", entry,
             "credential_authority")
    _string(value["name"], 1, 500, entry, "credential_authority.name")
    _require(isinstance(value["public_key"], str),
             "the credential authority needs a public_key", entry, field)
    try:
        return Point.from_hex(value["public_key"], field=field)
    except InvalidEncoding as error:
        raise RecordError(error.args[0], entry=entry, field=field) from None


def _check_strings(value: Any, entry: int | None, field: str) -> None:
    if isinstance(value, str):
        _require(len(value) <= MAX_STRING, "a string is longer than 20,000 characters",
                 entry, field or None)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_strings(item, entry, f"{field}.{key}" if field else key)
    elif isinstance(value, list):
        for n, item in enumerate(value):
            _check_strings(item, entry, f"{field}[{n}]")


def _string(value: Any, low: int, high: int, entry: int | None, field: str) -> None:
    _require(isinstance(value, str) and low <= len(value) <= high,
             f"must be a string of {low} to {high} characters", entry, field)


def _require(condition: bool, message: str, entry: int | None, field: str | None) -> None:
    if not condition:
        raise RecordError(f"manifest: {message}", entry=entry, field=field)
