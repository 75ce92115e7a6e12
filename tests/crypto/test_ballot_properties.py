"""Properties of ballot checking: valid ballots verify, and nothing else does.

A ballot arrives as bytes; ``check_bytes`` is the whole path a verifier takes:
parse, require canonical form, verify. A rejection is a ProtocolError (or the
bytes not being canonical); any other exception is a bug.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omov.crypto.ballot import MAX_BALLOT_BYTES, ElectionContext, verify_ballot
from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import InvalidBallot, InvalidEncoding, ProtocolError
from omov.crypto.group import G
from omov.crypto.questions import QuestionRule

from .helpers import YES_NO, cast, context


def check_bytes(ctx: ElectionContext, data: bytes) -> str:
    """'accepted', or the name of the stage that rejected ``data``."""
    try:
        ballot = parse_json(data)
    except ProtocolError:
        return "unparseable"
    try:
        if canonical_json(ballot) != data:
            return "non-canonical"
    except ProtocolError:
        return "non-canonical"
    try:
        verify_ballot(ctx, ballot)
    except ProtocolError:
        return "invalid"
    return "accepted"


@st.composite
def rules(draw: st.DrawFn) -> QuestionRule:
    options = draw(st.integers(2, 5))
    low = draw(st.integers(0, options))
    high = draw(st.integers(max(low, 1), options))
    return QuestionRule(options, low, high)


@st.composite
def election_and_selections(draw: st.DrawFn) -> tuple[ElectionContext, list[list[int]]]:
    questions = draw(st.lists(rules(), min_size=1, max_size=3))
    selections = []
    for rule in questions:
        count = draw(st.integers(rule.min, rule.max))
        chosen = draw(st.permutations(range(rule.options)))[:count]
        selections.append([1 if o in chosen else 0 for o in range(rule.options)])
    return context(*questions), selections


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(election_and_selections(), st.binary(min_size=1, max_size=8))
def test_random_valid_ballots_verify(
    case: tuple[ElectionContext, list[list[int]]], seed: bytes
) -> None:
    ctx, selections = case
    prepared = cast(ctx, selections, seed=seed)
    data = canonical_json(prepared.ballot)
    assert check_bytes(ctx, data) == "accepted"
    assert verify_ballot(ctx, prepared.ballot).hash == prepared.hash


YES_NO_CONTEXT = context(YES_NO)
YES_NO_BYTES = canonical_json(cast(YES_NO_CONTEXT, [[1, 0]]).ballot)


@pytest.mark.slow
def test_every_single_byte_change_of_a_yes_no_ballot_is_rejected() -> None:
    data = bytearray(YES_NO_BYTES)
    outcomes: dict[str, int] = {}
    for position in range(len(data)):
        original = data[position]
        for value in range(256):
            if value == original:
                continue
            data[position] = value
            outcome = check_bytes(YES_NO_CONTEXT, bytes(data))
            assert outcome != "accepted", f"byte {position} set to {value} was accepted"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        data[position] = original
    assert check_bytes(YES_NO_CONTEXT, bytes(data)) == "accepted"
    # Every stage does some of the rejecting; changed hex digits reach verification.
    assert set(outcomes) == {"unparseable", "non-canonical", "invalid"}


MIXED_CONTEXT = context(QuestionRule(3, 1, 1), QuestionRule(4, 0, 2), QuestionRule(3, 0, 3))
MIXED_BYTES = canonical_json(cast(MIXED_CONTEXT, [[0, 1, 0], [1, 0, 0, 1], [0, 0, 1]]).ballot)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(MIXED_BYTES) - 1), st.integers(1, 255))
def test_single_byte_changes_of_a_larger_ballot_are_rejected(position: int, delta: int) -> None:
    data = bytearray(MIXED_BYTES)
    data[position] = (data[position] + delta) % 256
    assert check_bytes(MIXED_CONTEXT, bytes(data)) != "accepted"


def _ballot() -> dict[str, Any]:
    return copy.deepcopy(cast(MIXED_CONTEXT, [[0, 1, 0], [1, 0, 0, 1], [0, 0, 1]]).ballot)


NON_CANONICAL_SCALAR = (2**255 - 1).to_bytes(32, "little").hex()
NON_CANONICAL_POINT = "ff" * 31 + "7f"


@pytest.mark.parametrize(
    "path,value,error,field",
    [
        (("election",), 7, InvalidEncoding, "election"),
        (("election",), "AB" * 32, InvalidEncoding, "election"),
        (("election",), "ab" * 32, InvalidBallot, "election"),
        (("credential",), 7, InvalidEncoding, "credential"),
        (("credential",), NON_CANONICAL_POINT, InvalidEncoding, "credential"),
        (("credential",), "00" * 32, InvalidEncoding, "credential"),
        (("answers",), {}, InvalidBallot, "answers"),
        (("answers", 0), [], InvalidBallot, "answers[0]"),
        (("answers", 0, "choices", 0), "x", InvalidEncoding, "answers[0].choices[0]"),
        (("answers", 0, "choices", 0, "beta"), NON_CANONICAL_POINT, InvalidEncoding,
         "answers[0].choices[0].beta"),
        (("answers", 0, "choices", 0, "beta"), "00" * 32, InvalidEncoding,
         "answers[0].choices[0].beta"),
        (("answers", 0, "proofs", 1), [1, 2], InvalidEncoding, "answers[0].proofs[1]"),
        (("answers", 0, "proofs", 1, "challenges", 0), NON_CANONICAL_SCALAR, InvalidEncoding,
         "answers[0].proofs[1].challenges[0]"),
        (("answers", 0, "proofs", 1, "challenges", 0), None, InvalidEncoding,
         "answers[0].proofs[1].challenges[0]"),
        (("answers", 1, "sum_proof", "responses"), [], InvalidEncoding,
         "answers[1].sum_proof.responses"),
        (("answers", 2, "sum_proof"), {"challenges": [], "responses": []}, InvalidBallot,
         "answers[2].sum_proof"),
        (("signature",), "sig", InvalidEncoding, "signature"),
        (("signature", "response"), NON_CANONICAL_SCALAR, InvalidEncoding,
         "signature.response"),
        (("signature", "challenge"), 1, InvalidEncoding, "signature.challenge"),
    ],
)
def test_malformed_values_name_their_field(
    path: tuple[str | int, ...], value: object, error: type[ProtocolError], field: str
) -> None:
    ballot = _ballot()
    target: Any = ballot
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(error) as caught:
        verify_ballot(MIXED_CONTEXT, ballot)
    assert caught.value.field == field


def test_too_many_and_too_few_selections() -> None:
    ballot = _ballot()
    ballot["answers"][1]["choices"].append(ballot["answers"][1]["choices"][0])
    with pytest.raises(InvalidBallot, match="expected 4 choices, found 5") as caught:
        verify_ballot(MIXED_CONTEXT, ballot)
    assert caught.value.field == "answers[1].choices"
    ballot = _ballot()
    ballot["answers"][0]["proofs"].pop()
    with pytest.raises(InvalidBallot, match="expected 2 proofs, found 1") as caught:
        verify_ballot(MIXED_CONTEXT, ballot)
    assert caught.value.field == "answers[0].proofs"


def test_oversize_ballot_rejected_before_its_proofs() -> None:
    rule = QuestionRule(100, 1, 99)
    many = context(*[rule] * 40)
    scalar = "01" + "00" * 31
    answer = {
        "choices": [{"alpha": G.hex(), "beta": G.hex()}] * 100,
        "proofs": [{"challenges": [scalar] * 2, "responses": [scalar] * 2}] * 100,
        "sum_proof": {"challenges": [scalar] * 99, "responses": [scalar] * 99},
    }
    ballot = {"answers": [answer] * 40, "credential": G.hex(), "election": many.fingerprint.hex(),
              "signature": {"challenge": scalar, "response": scalar}}
    assert len(canonical_json(ballot)) > MAX_BALLOT_BYTES
    with pytest.raises(InvalidBallot, match="at most 2 MiB"):
        verify_ballot(many, ballot)


@pytest.mark.parametrize("data", [b"", b"{", b'{"answers":[]', b"\xff", b'{"a":1.5}', b"[]"])
def test_bytes_that_are_not_a_ballot(data: bytes) -> None:
    assert check_bytes(MIXED_CONTEXT, data) in {"unparseable", "invalid"}
