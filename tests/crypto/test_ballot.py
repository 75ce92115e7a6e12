"""Ballots (section 7): encryption, checking, trackers, audits."""

import copy
from typing import Any

import pytest

from omov.crypto.ballot import (
    ballot_hash,
    check_audit,
    encrypt_ballot,
    fingerprint,
    tracker,
    verify_ballot,
)
from omov.crypto.base32 import CROCKFORD
from omov.crypto.canonical import canonical_json
from omov.crypto.elgamal import decrypt_to_point, small_multiple
from omov.crypto.errors import InvalidBallot, InvalidEncoding, InvalidProof, ProtocolError
from omov.crypto.group import IDENTITY, G
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import TestRng, transcript_bytes

from .helpers import ELECTION_SECRET, YES_NO, cast, context, voter_secret

MIXED = context(YES_NO, QuestionRule(5, 2, 2), QuestionRule(4, 0, 2), QuestionRule(3, 0, 3))
MIXED_SELECTION = [[0, 1], [1, 0, 1, 0, 0], [0, 0, 0, 0], [1, 1, 1]]


def test_fingerprint_formula() -> None:
    import hashlib

    expected = hashlib.sha256(transcript_bytes("fingerprint", b"m" * 32, G, b"r" * 32)).digest()
    assert fingerprint(b"m" * 32, G, b"r" * 32) == expected


def test_round_trip_and_shape() -> None:
    prepared = cast(MIXED, MIXED_SELECTION)
    ballot = prepared.ballot
    assert [len(a["choices"]) for a in ballot["answers"]] == [1, 4, 4, 3]
    assert [a["sum_proof"] is None for a in ballot["answers"]] == [True, False, False, True]
    verified = verify_ballot(MIXED, ballot)
    assert verified.hash == prepared.hash == ballot_hash(ballot)
    assert verified.credential.to_bytes().hex() == ballot["credential"]
    decrypted = [[decrypt_to_point(ELECTION_SECRET, c) for c in row] for row in verified.choices]
    expected = [[small_multiple(v) if v else IDENTITY for v in row[: rule.encrypted_count]]
                for row, rule in zip(MIXED_SELECTION, MIXED.rules, strict=True)]
    assert decrypted == expected


def test_the_canonical_bytes_of_the_caller_stand_for_the_ballot() -> None:
    ballot = cast(MIXED, MIXED_SELECTION).ballot
    given = verify_ballot(MIXED, ballot, canonical=canonical_json(ballot))
    assert given == verify_ballot(MIXED, ballot)
    other = cast(MIXED, MIXED_SELECTION, seed=b"x").ballot
    with pytest.raises(InvalidProof) as caught:
        verify_ballot(MIXED, ballot, canonical=canonical_json(other))
    assert caught.value.field == "signature"


def test_deterministic_with_test_rng() -> None:
    assert cast(MIXED, MIXED_SELECTION).ballot == cast(MIXED, MIXED_SELECTION).ballot
    assert cast(MIXED, MIXED_SELECTION).ballot != cast(MIXED, MIXED_SELECTION, seed=b"x").ballot


def test_tracker_form() -> None:
    code = tracker(bytes(range(32)))
    assert len(code) == 19 and code.count("-") == 3
    assert all(c in CROCKFORD for c in code.replace("-", ""))
    assert tracker(bytes(10) + b"\xff" * 22) == "0000-0000-0000-0000"
    assert tracker(b"\xff" * 10) == "ZZZZ-ZZZZ-ZZZZ-ZZZZ"


@pytest.mark.parametrize(
    "selections,field",
    [
        ([[1, 1]], "selections[0]"),
        ([[1]], "selections[0]"),
        ([[2, 0]], "selections[0]"),
        ([[True, False]], "selections[0]"),
        ([], "selections"),
    ],
)
def test_encrypt_refuses_bad_selection(selections: list[list[int]], field: str) -> None:
    with pytest.raises(InvalidBallot) as caught:
        encrypt_ballot(context(YES_NO), voter_secret(), selections, TestRng(b"x"))
    assert caught.value.field == field


def tampered(change: Any) -> dict[str, Any]:
    ballot = copy.deepcopy(cast(MIXED, MIXED_SELECTION).ballot)
    change(ballot)
    return ballot


OTHER = cast(MIXED, MIXED_SELECTION, seed=b"other", voter=1).ballot


@pytest.mark.parametrize(
    "change,error,field",
    [
        (lambda b: b.pop("signature"), InvalidBallot, "signature"),
        (lambda b: b.update(extra=1), InvalidBallot, "extra"),
        (lambda b: b.update(election="00" * 32), InvalidBallot, "election"),
        (lambda b: b.update(credential=IDENTITY.hex()), InvalidEncoding, "credential"),
        (lambda b: b.update(credential=OTHER["credential"]), InvalidProof, "answers[0].proofs[0]"),
        (lambda b: b["answers"].pop(), InvalidBallot, "answers"),
        (lambda b: b["answers"][1]["choices"].pop(), InvalidBallot, "answers[1].choices"),
        (lambda b: b["answers"][1]["proofs"].append(b["answers"][1]["proofs"][0]),
         InvalidBallot, "answers[1].proofs"),
        (lambda b: b["answers"][1].update(sum_proof=None), InvalidBallot, "answers[1].sum_proof"),
        (lambda b: b["answers"][0].update(sum_proof=b["answers"][1]["sum_proof"]),
         InvalidBallot, "answers[0].sum_proof"),
        (lambda b: b["answers"][2]["choices"][3].update(alpha=IDENTITY.hex()),
         InvalidEncoding, "answers[2].choices[3].alpha"),
        (lambda b: b["answers"][2]["choices"].reverse(), InvalidProof, "answers[2].proofs[0]"),
        (lambda b: b["answers"][1].update(sum_proof=OTHER["answers"][1]["sum_proof"]),
         InvalidProof, "answers[1].sum_proof"),
        (lambda b: b["answers"][3]["proofs"][2]["challenges"].pop(), InvalidProof,
         "answers[3].proofs[2]"),
        (lambda b: b["answers"][3]["proofs"][2]["responses"].__setitem__(0, "ff" * 32),
         InvalidEncoding, "answers[3].proofs[2].responses[0]"),
        (lambda b: b.update(signature=OTHER["signature"]), InvalidProof, "signature"),
        (lambda b: b["answers"][0].update(choices="x"), InvalidBallot, "answers[0].choices"),
    ],
)
def test_tampered_ballots_rejected(change: Any, error: type[ProtocolError], field: str) -> None:
    with pytest.raises(error) as caught:
        verify_ballot(MIXED, tampered(change))
    assert caught.value.field == field


def test_proof_for_another_election_rejected() -> None:
    elsewhere = context(*MIXED.rules, fingerprint=b"\x08" * 32)
    ballot = cast(elsewhere, MIXED_SELECTION).ballot
    ballot["election"] = MIXED.fingerprint.hex()
    with pytest.raises(InvalidProof) as caught:
        verify_ballot(MIXED, ballot)
    assert caught.value.field == "answers[0].proofs[0]"


def test_not_an_object() -> None:
    with pytest.raises(InvalidBallot):
        verify_ballot(MIXED, [])


def test_audit_reveal_checks() -> None:
    prepared = cast(MIXED, MIXED_SELECTION)
    reveal = prepared.audit_reveal()
    assert canonical_json(reveal)
    assert check_audit(MIXED, reveal) == tuple(tuple(row) for row in MIXED_SELECTION)

    lied = copy.deepcopy(reveal)
    lied["selections"][2] = [1, 0, 0, 0]
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, lied)
    assert caught.value.field == "choices[2][0]"

    wrong_r = copy.deepcopy(reveal)
    wrong_r["randomness"][0][0] = wrong_r["randomness"][1][0]
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, wrong_r)
    assert caught.value.field == "choices[0][0]"

    bad_rule = copy.deepcopy(reveal)
    bad_rule["selections"][1] = [1, 1, 1, 0, 0]
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, bad_rule)
    assert caught.value.field == "selections[1]"

    other_election = copy.deepcopy(reveal)
    other_election["election"] = "00" * 32
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, other_election)
    assert caught.value.field == "election"

    swapped = copy.deepcopy(reveal)
    swapped["choices"][2].reverse()
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, swapped)
    assert caught.value.field == "choices[2][0]"

    boolean = copy.deepcopy(reveal)
    boolean["selections"][0] = [value == 1 for value in boolean["selections"][0]]
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, boolean)
    assert caught.value.field == "selections[0]"

    short = copy.deepcopy(reveal)
    short["randomness"][3].pop()
    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, short)
    assert caught.value.field == "randomness[3]"

    with pytest.raises(InvalidBallot) as caught:
        check_audit(MIXED, {**reveal, "extra": 1})
    assert caught.value.field == "extra"


def test_an_audit_carries_nothing_of_the_voter() -> None:
    """An audited ballot is anonymous (7.6): no credential, no proof bound to
    it, no signature; a reveal that adds the ballot or the credential is refused."""
    prepared = cast(MIXED, MIXED_SELECTION)
    reveal = prepared.audit_reveal()
    assert set(reveal) == {"election", "choices", "randomness", "selections"}
    text = canonical_json(reveal).decode()
    assert prepared.ballot["credential"] not in text
    assert prepared.ballot["signature"]["challenge"] not in text
    assert reveal["choices"] == [answer["choices"] for answer in prepared.ballot["answers"]]
    for extra in ({"credential": prepared.ballot["credential"]}, {"ballot": prepared.ballot}):
        with pytest.raises(InvalidBallot) as caught:
            check_audit(MIXED, {**reveal, **extra})
        assert caught.value.field == next(iter(extra))


def test_context_results_and_errors_cross_process_boundaries() -> None:
    import pickle

    ballot = cast(MIXED, MIXED_SELECTION).ballot
    ctx = pickle.loads(pickle.dumps(MIXED))
    verified = verify_ballot(ctx, ballot)
    assert pickle.loads(pickle.dumps(verified)) == verified
    error = InvalidProof("the option proof does not verify", "answers[0].proofs[0]")
    copied = pickle.loads(pickle.dumps(error))
    assert (type(copied), copied.reason, copied.field) == (InvalidProof, error.reason, error.field)
