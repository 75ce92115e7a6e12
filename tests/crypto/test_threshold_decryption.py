"""Partial decryptions and combining them (docs/protocol.md section 9): every
set of k trustees gives the totals, fewer cannot, tampered partial decryptions
are rejected naming the field."""

from __future__ import annotations

import copy
import hashlib
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omov.crypto.decryption import (
    PartialDecryption,
    check_partial_decryption,
    combine,
    parse_tally,
    partial_decrypt,
    question_totals,
)
from omov.crypto.dkg import check_commitment, check_shares, commit, deal_shares, receive_shares
from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.errors import InvalidEncoding, InvalidProof, ProtocolError
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.threshold import NotEnoughTrustees, joint_key, verification_keys
from omov.crypto.transcript import TestRng

MANIFEST_DIGEST = hashlib.sha256(b"decryption test manifest").digest()
FINGERPRINT = hashlib.sha256(b"decryption test fingerprint").digest()


class Election:
    """A finished 3-of-5 key generation: final shares and verification keys."""

    def __init__(self, n: int, k: int) -> None:
        self.n, self.k = n, k
        states = {}
        bodies = []
        for i in range(1, n + 1):
            states[i], body = commit(MANIFEST_DIGEST, i, k, TestRng(f"c{i}".encode()))
            bodies.append(body)
        commitments = {
            c.trustee: c for c in (check_commitment(MANIFEST_DIGEST, b, n, k) for b in bodies)
        }
        dealt = [deal_shares(s, commitments, TestRng(f"d{i}".encode())) for i, s in states.items()]
        checked = (check_shares(MANIFEST_DIGEST, b, commitments) for b in dealt)
        shares = {s.trustee: s for s in checked}
        members = tuple(range(1, n + 1))
        self.finals = {
            i: receive_shares(s, commitments, shares, members) for i, s in states.items()
        }
        points = {i: c.commitments for i, c in commitments.items()}
        self.public_key = joint_key(points, members)
        self.verification_keys = verification_keys(points, members, members)

    def tally(self, totals: list[list[int]]) -> list[list[Ciphertext | None]]:
        rng = TestRng(b"ballots")
        return [
            [encrypt(self.public_key, value, rng.scalar()) for value in row] for row in totals
        ]

    def partial(self, index: int, tally: Any) -> dict[str, Any]:
        return partial_decrypt(
            self.finals[index], index, FINGERPRINT, tally, TestRng(f"p{index}".encode())
        )

    def checked(self, index: int, tally: Any) -> PartialDecryption:
        return check_partial_decryption(
            FINGERPRINT, self.partial(index, tally), tally, self.verification_keys[index]
        )


@pytest.fixture(scope="module")
def election() -> Election:
    return Election(5, 3)


def test_every_set_of_three_of_five_decrypts_the_same_totals(election: Election) -> None:
    totals = [[3, 0, 7], [10]]
    tally = election.tally(totals)
    partials = {i: election.checked(i, tally) for i in range(1, 6)}
    for subset in itertools.combinations(range(1, 6), 3):
        chosen = {i: partials[i] for i in subset}
        assert combine(tally, chosen, 3, 10) == ((3, 0, 7), (10,))
    assert combine(tally, partials, 3, 10) == ((3, 0, 7), (10,))


def test_fewer_than_the_threshold_cannot_combine(election: Election) -> None:
    tally = election.tally([[4]])
    partials = {i: election.checked(i, tally) for i in (2, 5)}
    with pytest.raises(NotEnoughTrustees) as caught:
        combine(tally, partials, 3, 5)
    assert "threshold is 3" in str(caught.value)


def test_two_shares_used_as_if_enough_give_no_valid_total(election: Election) -> None:
    # Interpolating two shares of a degree-2 polynomial does not give the key.
    tally = election.tally([[4]])
    partials = {i: election.checked(i, tally) for i in (2, 5)}
    with pytest.raises(ProtocolError) as caught:
        combine(tally, partials, 2, 5)
    assert caught.value.field == "totals[0][0]"


def test_null_tally_gives_null_shares_and_zero_totals(election: Election) -> None:
    counted, tally = parse_tally({"counted": 0, "ciphertexts": [[None, None], [None]]})
    body = election.partial(1, tally)
    assert body["shares"] == [[None, None], [None]]
    assert body["proofs"] == [[None, None], [None]]
    partials = {i: election.checked(i, tally) for i in (1, 2, 3)}
    assert combine(tally, partials, 3, counted) == ((0, 0), (0,))


def _tampered(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(body)
    target = copied
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copied


OTHER_POINT = base_mult(Scalar.from_int(777)).hex()
OTHER_SCALAR = Scalar.from_int(777).hex()


@pytest.mark.parametrize(
    ("path", "value", "error", "field"),
    [
        (("shares", 0, 1), OTHER_POINT, InvalidProof, "proofs[0][1]"),
        (("proofs", 1, 0, "response"), OTHER_SCALAR, InvalidProof, "proofs[1][0]"),
        (("shares", 0, 0), "00" * 32, InvalidEncoding, "shares[0][0]"),
        (("shares", 0, 0), None, InvalidEncoding, "shares[0][0]"),
        (("trustee",), 2, InvalidProof, "proofs[0][0]"),
    ],
)
def test_tampered_partial_decryption_is_rejected_naming_the_field(
    election: Election, path: tuple[Any, ...], value: Any, error: type[ProtocolError], field: str
) -> None:
    tally = election.tally([[1, 2], [3]])
    body = _tampered(election.partial(1, tally), path, value)
    with pytest.raises(error) as caught:
        check_partial_decryption(FINGERPRINT, body, tally, election.verification_keys[1])
    assert caught.value.field == field


def test_partial_decryption_for_another_election_fails(election: Election) -> None:
    tally = election.tally([[1]])
    body = election.partial(1, tally)
    other = hashlib.sha256(b"other").digest()
    with pytest.raises(InvalidProof):
        check_partial_decryption(other, body, tally, election.verification_keys[1])


def test_partial_decryption_of_the_wrong_shape_is_rejected(election: Election) -> None:
    tally = election.tally([[1, 2]])
    body = election.partial(1, tally)
    body["shares"][0].pop()
    with pytest.raises(InvalidEncoding) as caught:
        check_partial_decryption(FINGERPRINT, body, tally, election.verification_keys[1])
    assert caught.value.field == "shares[0]"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"counted": 1, "ciphertexts": [[None]]}, "tally.ciphertexts"),
        ({"counted": -1, "ciphertexts": []}, "tally.counted"),
        ({"counted": 1, "ciphertexts": [[{"alpha": "00" * 32, "beta": "00" * 32}]]},
         "tally.ciphertexts[0][0].alpha"),
        ({"counted": 0}, "tally.ciphertexts"),
    ],
)
def test_bad_tally_bodies_are_rejected(body: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidEncoding) as caught:
        parse_tally(body)
    assert caught.value.field == field


def test_question_totals_fill_in_the_implicit_last_option() -> None:
    rules = [QuestionRule(options=2, min=1, max=1), QuestionRule(options=3, min=0, max=3)]
    assert question_totals(rules, [[7], [1, 2, 3]], 10) == ((7, 3), (1, 2, 3))


@settings(max_examples=15, deadline=None)
@given(
    subset=st.sets(st.integers(min_value=1, max_value=5), min_size=3, max_size=5),
    totals=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=3),
)
def test_any_qualifying_subset_recovers_random_totals(
    election: Election, subset: set[int], totals: list[int]
) -> None:
    tally = election.tally([totals])
    partials = {i: election.checked(i, tally) for i in subset}
    assert combine(tally, partials, 3, 40) == (tuple(totals),)


def test_identity_share_is_refused_for_a_normal_ciphertext(election: Election) -> None:
    tally = election.tally([[1]])
    body = election.partial(1, tally)
    body["shares"][0][0] = Point.from_hex("00" * 32, field="x", allow_identity=True).hex()
    with pytest.raises(InvalidEncoding):
        PartialDecryption.from_json(body, tally)
