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


def manifest_vectors() -> dict[str, Any]:
    base = simulated_manifest("mixed", 3, 2, base_mult(Scalar.from_int(3)))
    astral = copy.deepcopy(base)
    astral["election_id"] = "\U0001f5f3" * 100
    for body in (base, astral):
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
    return {"accepted": [base, astral], "rejected": rejected}
