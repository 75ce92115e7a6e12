"""The manifest rules of section 5, each broken once."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from omov.crypto.group import Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.record.errors import RecordError
from omov.record.manifest import parse_manifest
from omov.record.simulated_manifest import simulated_manifest

KEY = base_mult(Scalar.from_int(3))


def mixed() -> dict[str, Any]:
    return copy.deepcopy(simulated_manifest("mixed", 3, 2, KEY))


def test_mixed_manifest_gives_rules_in_order() -> None:
    manifest = parse_manifest(mixed())
    assert manifest.rules == (
        QuestionRule(2, 1, 1), QuestionRule(3, 1, 1), QuestionRule(5, 1, 2),
        QuestionRule(4, 0, 4), QuestionRule(4, 0, 2),
    )
    assert manifest.trustees == (1, 2, 3) and manifest.threshold == 2
    assert manifest.authority_key == KEY
    assert len(manifest.digest) == 32


@pytest.mark.parametrize(("path", "value", "field", "phrase"), [
    (("format",), "omov-election/2", "format", "format must be"),
    (("election_id",), "", "election_id", "1 to 100 characters"),
    (("questions", 0, "kind"), "yes_no_abstain", "questions[0].kind",
     "kind yes_no_abstain needs exactly 3 options"),
    (("questions", 3, "min"), 1, "questions[3].kind", "kind approval needs min = 0"),
    (("questions", 4, "max"), 4, "questions[4].kind", "max below the number of options"),
    (("questions", 2, "max"), 6, "questions[2].min", "0 <= min <= max <= 5"),
    (("questions", 2, "options", 1), "Ada", "questions[2].options", "options must be unique"),
    (("questions", 1, "id"), "endorse", "questions", "question ids must be unique"),
    (("threshold",), 4, "threshold", "threshold must be between 1 and 3"),
    (("trustees", 1, "index"), 3, "trustees[1].index", "expected index 2"),
    (("credential_authority", "public_key"), "00" * 32, "credential_authority.public_key",
     "identity"),
    (("description",), "x" * 20_001, "description", "longer than 20,000"),
    (("opens_at",), "2026-12-01 09:00", "opens_at", "must be a UTC time"),
    (("closes_at",), "2026-11-30T09:00:00Z", "closes_at", "close after it opens"),
    (("eligibility", "cut_off"), "1 November", "eligibility.cut_off", "must be a date"),
    (("eligibility", "cut_off"), "2026-02-30", "eligibility.cut_off", "must be a date"),
    (("eligibility",), "members", "eligibility", "cut_off date and a description"),
    (("eligibility", "place"), "Camden", "eligibility", "cut_off date and a description"),
    (("eligibility", "description"), 7, "eligibility.description", "must be a string"),
    (("credential_authority", "name"), "", "credential_authority.name", "1 to 500"),
    (("credential_authority", "name"), True, "credential_authority.name", "1 to 500"),
    (("credential_authority", "email"), "a@b.org", "credential_authority",
     "exactly name and public_key"),
    (("questions", 0, "hint"), "x", "questions[0]", "exactly id, kind, text"),
    (("questions", 0, "text"), 3, "questions[0].text", "must be a string"),
    (("questions", 0, "min"), True, "questions[0].min", "need integers"),
    (("trustees", 0, "name"), "", "trustees[0].name", "1 to 500 characters"),
    (("trustees", 0, "index"), True, "trustees[0].index", "expected index 1"),
    (("threshold",), True, "threshold", "threshold must be between"),
    (("election_id",), "\U0001f5f3" * 101, "election_id", "1 to 100 characters"),
])
def test_each_rule_is_enforced(path: tuple[Any, ...], value: Any, field: str,
                               phrase: str) -> None:
    body = mixed()
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(RecordError) as raised:
        parse_manifest(body)
    assert raised.value.field == field
    assert phrase in raised.value.reason


def test_lengths_count_code_points() -> None:
    """5: a character is a Unicode code point, so 100 ballot-box emoji (200 UTF-16
    units, 400 bytes) make a valid election_id."""
    body = mixed()
    body["election_id"] = "\U0001f5f3" * 100
    assert parse_manifest(body).election_id == body["election_id"]


def test_the_credential_authority_needs_its_name() -> None:
    body = mixed()
    del body["credential_authority"]["name"]
    with pytest.raises(RecordError, match="exactly name and public_key"):
        parse_manifest(body)


def test_unknown_member_is_rejected() -> None:
    body = mixed()
    body["secret_note"] = "x"
    with pytest.raises(RecordError, match="unknown member"):
        parse_manifest(body)


def test_the_shared_manifest_vectors() -> None:
    """tests/vectors/manifests.json: the browser's checker agrees field by field."""
    import json
    from pathlib import Path

    vectors = json.loads((Path(__file__).parents[1] / "vectors/manifests.json").read_text())
    for body in vectors["accepted"]:
        parse_manifest(body)
    assert len(vectors["rejected"]) >= 30
    for case in vectors["rejected"]:
        with pytest.raises(RecordError) as raised:
            parse_manifest(case["manifest"])
        assert raised.value.field == case["field"], case["description"]


def _with_ranked(count: dict[str, Any], low: int = 1, high: int = 3) -> dict[str, Any]:
    body = mixed()
    body["questions"].append({"id": "north", "kind": "ranked", "text": "Elect the North seats",
                              "options": ["Ana", "Bo", "Cy", "Di"], "min": low, "max": high,
                              "count": count})
    return body


def test_a_ranked_question_gives_a_ranked_rule_and_keeps_its_count() -> None:
    count = {"method": "stv", "seats": 2, "ties": "lot",
             "balance": [{"label": "Women", "candidates": [0, 2], "at_least": 1}]}
    manifest = parse_manifest(_with_ranked(count))
    question = manifest.questions[-1]
    assert question.rule == QuestionRule(4, 1, 3, ranked=True)
    assert question.count == count
    assert manifest.rules[-1].encrypted_count == 12


@pytest.mark.parametrize(("count", "field"), [
    ({"method": "irv", "seats": 1, "ties": "lot", "balance": []}, "count.balance"),
    ({"method": "schulze", "seats": 4, "ties": "lot"}, "count.seats"),
    ({"method": "stv", "seats": 2, "ties": "lot",
      "balance": [{"label": "A", "candidates": [1], "at_least": 1},
                  {"label": "A", "candidates": [2], "at_least": 1}]}, "count.balance"),
    ({"method": "stv", "seats": 1, "ties": "lot",
      "balance": [{"label": "A", "candidates": [1, 2], "at_least": 2}]},
     "count.balance[0].at_least"),
    ({"method": "stv", "seats": 2, "ties": "lot",
      "balance": [{"label": "A", "candidates": [1, 4], "at_least": 1}]},
     "count.balance[0].candidates"),
])
def test_a_ranked_count_that_breaks_a_rule_is_refused(count: dict[str, Any], field: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse_manifest(_with_ranked(count))
    assert caught.value.field == f"questions[5].{field}"


def test_a_count_member_is_refused_on_other_kinds() -> None:
    body = mixed()
    body["questions"][2]["count"] = {"method": "irv", "seats": 1, "ties": "lot"}
    with pytest.raises(RecordError) as caught:
        parse_manifest(body)
    assert caught.value.field == "questions[2]"
