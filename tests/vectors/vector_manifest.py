"""Manifest vectors (section 5): accepted manifests and, for each rule, a
manifest that breaks it with the field the verifier names. The Python
verifier (omov/record/manifest.py) and the browser's (frontend/src/protocol/
manifest.js) must both accept the first and refuse each of the others at that
field."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from omov.crypto.group import Scalar, base_mult
from omov.record.errors import RecordError
from omov.record.manifest import parse_manifest
from omov.record.simulated_manifest import simulated_manifest

Change = Callable[[dict[str, Any]], object]


def _set(*path: Any) -> Change:
    *parents, last = path[:-1]
    value = path[-1]

    def change(body: dict[str, Any]) -> None:
        target = body
        for key in parents:
            target = target[key]
        target[last] = value
    return change


def _drop(*path: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


REJECTED: list[tuple[str, Change]] = [
    ("an unknown top-level member", _set("secret_note", "x")),
    ("no title", _drop("title")),
    ("another format", _set("format", "omov-election/2")),
    ("an empty election id", _set("election_id", "")),
    ("an election id of 101 code points", _set("election_id", "\U0001f5f3" * 101)),
    ("a string over 20,000 characters", _set("description", "x" * 20_001)),
    ("a time that is not UTC", _set("opens_at", "2026-12-01 09:00")),
    ("a time on 30 February", _set("opens_at", "2026-02-30T09:00:00Z")),
    ("a leap second", _set("opens_at", "2026-12-01T09:00:60Z")),
    ("closing before opening", _set("closes_at", "2026-11-30T09:00:00Z")),
    ("a cut-off on 30 February", _set("eligibility", "cut_off", "2026-02-30")),
    ("eligibility as a string", _set("eligibility", "members")),
    ("an extra eligibility member", _set("eligibility", "place", "Camden")),
    ("an eligibility description that is a number", _set("eligibility", "description", 7)),
    ("no questions", _set("questions", [])),
    ("an extra question member", _set("questions", 0, "hint", "x")),
    ("a question text that is a number", _set("questions", 0, "text", 3)),
    ("a yes/no question with three options", _set("questions", 0, "kind", "yes_no_abstain")),
    ("an unknown kind", _set("questions", 0, "kind", "ranked")),
    ("min true", _set("questions", 0, "min", True)),
    ("max above m", _set("questions", 2, "max", 6)),
    ("an approval with min 1", _set("questions", 3, "min", 1)),
    ("a block with max m", _set("questions", 4, "max", 4)),
    ("two equal options", _set("questions", 2, "options", 1, "Ada")),
    ("an empty option", _set("questions", 2, "options", 1, "")),
    ("two equal question ids", _set("questions", 1, "id", "endorse")),
    ("trustees out of order", _set("trustees", 1, "index", 3)),
    ("a trustee index true", _set("trustees", 0, "index", True)),
    ("a trustee without a name", _drop("trustees", 0, "name")),
    ("a trustee with an empty name", _set("trustees", 0, "name", "")),
    ("a trustee with an extra member", _set("trustees", 0, "region", "North")),
    ("threshold above n", _set("threshold", 4)),
    ("threshold true", _set("threshold", True)),
    ("an authority without a name", _drop("credential_authority", "name")),
    ("an authority with an extra member", _set("credential_authority", "email", "a@b.org")),
    ("an authority with an empty name", _set("credential_authority", "name", "")),
    ("the identity as the authority's key", _set("credential_authority", "public_key", "00" * 32)),
    ("an uppercase authority key", _set("credential_authority", "public_key",
                                        base_mult(Scalar.from_int(3)).hex().upper())),
]


RANKED_QUESTIONS: list[dict[str, Any]] = [
    {"id": "north", "kind": "ranked", "text": "Elect three members for the North region",
     "options": ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"], "min": 1, "max": 6,
     "count": {"method": "stv", "seats": 3, "ties": "earlier-rounds-then-lot",
               "balance": [{"label": "Women", "candidates": [0, 3, 5], "at_least": 2},
                           {"label": "Under 30", "candidates": [1, 4], "at_least": 1}]}},
    {"id": "chair", "kind": "ranked", "text": "Elect the chair", "options": ["Gil", "Hu", "Io"],
     "min": 0, "max": 2, "count": {"method": "irv", "seats": 1, "ties": "lot"}},
    {"id": "policy", "kind": "ranked", "text": "Rank the policy options",
     "options": ["Rent cap", "Public land", "Co-ops", "Tax"], "min": 0, "max": 4,
     "count": {"method": "schulze", "seats": 1, "ties": "lot"}},
    {"id": "south", "kind": "ranked", "text": "Elect two members for the South region",
     "options": ["Jo", "Kai", "Lu"], "min": 1, "max": 1,
     "count": {"method": "stv", "seats": 2, "ties": "lot", "balance": []}},
]
"""Questions 5 to 8 of the ranked manifest vector (section 5.2)."""


def _count(q: int, *path: Any) -> Change:
    return _set("questions", q, "count", *path)


RANKED_REJECTED: list[tuple[str, Change]] = [
    ("a ranked question without count", _drop("questions", 5, "count")),
    ("a count on a choose question", _set("questions", 2, "count",
                                         copy.deepcopy(RANKED_QUESTIONS[1]["count"]))),
    ("a ranked question with min 2", _set("questions", 5, "min", 2)),
    ("a ranked question with max above m", _set("questions", 6, "max", 4)),
    ("a count that is a list", _set("questions", 5, "count", [])),
    ("a count without ties", _drop("questions", 5, "count", "ties")),
    ("a count with an extra member", _count(6, "quota", "droop")),
    ("an unknown method", _count(5, "method", "meek")),
    ("a method in capitals", _count(5, "method", "STV")),
    ("an irv count of two seats", _count(6, "seats", 2)),
    ("an irv count of seats true", _count(6, "seats", True)),
    ("an stv count of zero seats", _count(5, "seats", 0)),
    ("an stv count with as many seats as candidates", _count(5, "seats", 6)),
    ("a schulze count of four seats among four", _count(7, "seats", 4)),
    ("unknown ties", _count(5, "ties", "alphabetical")),
    ("balance on an irv count", _count(6, "balance", [])),
    ("balance on a schulze count", _count(7, "balance", [
        {"label": "Women", "candidates": [0], "at_least": 1}])),
    ("balance that is an object", _count(5, "balance", {"label": "Women"})),
    ("a balance rule with an extra member", _count(5, "balance", 0, "at_most", 3)),
    ("a balance rule with an empty label", _count(5, "balance", 0, "label", "")),
    ("a balance label of 101 characters", _count(5, "balance", 0, "label", "x" * 101)),
    ("two balance rules with one label", _count(5, "balance", 1, "label", "Women")),
    ("balance candidates out of order", _count(5, "balance", 0, "candidates", [3, 0, 5])),
    ("a balance candidate twice", _count(5, "balance", 0, "candidates", [0, 3, 3])),
    ("a balance candidate out of range", _count(5, "balance", 0, "candidates", [0, 3, 6])),
    ("a negative balance candidate", _count(5, "balance", 0, "candidates", [-1, 3])),
    ("a balance candidate true", _count(5, "balance", 1, "candidates", [True, 4])),
    ("no balance candidates", _count(5, "balance", 1, "candidates", [])),
    ("at_least above the seats", _count(5, "balance", 0, "at_least", 4)),
    ("at_least above the rule's candidates", _count(5, "balance", 1, "at_least", 3)),
    ("at_least zero", _count(5, "balance", 1, "at_least", 0)),
    ("at_least true", _count(5, "balance", 1, "at_least", True)),
    ("a ranked question of 500 cells", lambda body: body["questions"][6].update(
        options=[f"Candidate {n}" for n in range(100)], max=5)),
    ("ranked questions of 1,001 cells in all", lambda body: body["questions"].extend(
        {"id": f"seat-{n}", "kind": "ranked", "text": "", "min": 0, "max": 20,
         "options": [f"Candidate {k}" for k in range(20)],
         "count": {"method": "irv", "seats": 1, "ties": "lot"}} for n in range(3))),
]


def _refused(base: dict[str, Any], cases: list[tuple[str, Change]]) -> list[dict[str, Any]]:
    rejected = []
    for description, change in cases:
        body = copy.deepcopy(base)
        change(body)
        try:
            parse_manifest(body)
        except RecordError as error:
            rejected.append({"description": description, "manifest": body, "field": error.field})
            continue
        raise AssertionError(f"the manifest with {description} was accepted")
    return rejected


def manifest_vectors() -> dict[str, Any]:
    base = simulated_manifest("mixed", 3, 2, base_mult(Scalar.from_int(3)))
    astral = copy.deepcopy(base)
    astral["election_id"] = "\U0001f5f3" * 100
    ranked = copy.deepcopy(base)
    ranked["election_id"] = "ranked-vector"
    ranked["questions"] = [*ranked["questions"], *copy.deepcopy(RANKED_QUESTIONS)]
    for body in (base, astral, ranked):
        parse_manifest(body)
    rejected = []
    for description, change in REJECTED:
        body = copy.deepcopy(base)
        change(body)
        try:
            parse_manifest(body)
        except RecordError as error:
            rejected.append({"description": description, "manifest": body, "field": error.field})
            continue
        raise AssertionError(f"the manifest with {description} was accepted")
    rejected += _refused(ranked, RANKED_REJECTED)
    return {"accepted": [base, astral, ranked], "rejected": rejected}
