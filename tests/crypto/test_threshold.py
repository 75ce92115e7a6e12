"""Distributed key generation (docs/protocol.md section 8): honest runs, a
cheating dealer caught by a complaint anyone can check, a false complaint, and
tampered entries rejected with the field named."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omov.crypto.dkg import (
    check_commitment,
    check_complaint,
    check_shares,
    commit,
    complain,
    deal_shares,
    open_share,
    qualified,
    receive_shares,
)
from omov.crypto.dkg_messages import TrusteeCommitment, TrusteeShares, TrusteeState
from omov.crypto.dkg_review import review_key_generation
from omov.crypto.errors import InvalidEncoding, InvalidProof, InvalidShare, ProtocolError
from omov.crypto.group import L, Scalar, base_mult
from omov.crypto.threshold import (
    NotEnoughTrustees,
    evaluate_polynomial,
    joint_key,
    lagrange_at_zero,
    verification_key,
)
from omov.crypto.transcript import TestRng

MANIFEST_DIGEST = hashlib.sha256(b"test manifest").digest()


@dataclass
class Ceremony:
    """A key generation among n trustees, run with deterministic randomness."""

    n: int
    k: int
    states: dict[int, TrusteeState] = field(default_factory=dict)
    commitment_bodies: list[dict[str, Any]] = field(default_factory=list)
    shares_bodies: list[dict[str, Any]] = field(default_factory=list)

    def commitments(self) -> dict[int, TrusteeCommitment]:
        bodies = self.commitment_bodies
        checked = (check_commitment(MANIFEST_DIGEST, b, self.n, self.k) for b in bodies)
        return {c.trustee: c for c in checked}

    def shares(self) -> dict[int, TrusteeShares]:
        commitments = self.commitments()
        checked = (check_shares(MANIFEST_DIGEST, b, commitments) for b in self.shares_bodies)
        return {s.trustee: s for s in checked}


def run_ceremony(n: int, k: int, cheat: int | None = None) -> Ceremony:
    """Every trustee commits and deals; dealer `cheat` deals from a different polynomial."""
    ceremony = Ceremony(n, k)
    for i in range(1, n + 1):
        state, body = commit(MANIFEST_DIGEST, i, k, TestRng(f"commit-{i}".encode()))
        ceremony.states[i] = state
        ceremony.commitment_bodies.append(body)
    commitments = ceremony.commitments()
    for i, state in ceremony.states.items():
        dealer = state
        if i == cheat:
            wrong = Scalar.from_int((state.coefficients[-1].value + 1) % L)
            dealer = TrusteeState(
                state.manifest_digest, i, state.communication_secret,
                (*state.coefficients[:-1], wrong),
            )
        rng = TestRng(f"deal-{i}".encode())
        ceremony.shares_bodies.append(deal_shares(dealer, commitments, rng))
    return ceremony


def test_honest_ceremony_gives_consistent_shares_and_keys() -> None:
    ceremony = run_ceremony(4, 3)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    members = qualified(commitments, shares, set(), 3)
    assert members == (1, 2, 3, 4)
    points = {i: c.commitments for i, c in commitments.items()}
    secret = sum(s.coefficients[0].value for s in ceremony.states.values()) % L
    assert joint_key(points, members) == base_mult(Scalar.from_int(secret))
    finals = {}
    for index, state in ceremony.states.items():
        finals[index] = receive_shares(state, commitments, shares, members)
        assert base_mult(finals[index]) == verification_key(points, members, index)
    # Any 3 final shares interpolate to the joint secret at zero.
    subset = (1, 3, 4)
    total = sum(lagrange_at_zero(i, subset).value * finals[i].value for i in subset) % L
    assert total == secret


def test_share_encryption_round_trips_for_each_recipient() -> None:
    ceremony = run_ceremony(3, 2)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    for recipient, state in ceremony.states.items():
        for dealer in (1, 2, 3):
            if dealer == recipient:
                continue
            value = open_share(state, commitments[dealer], shares[dealer])
            expected = evaluate_polynomial(ceremony.states[dealer].coefficients, recipient)
            assert value == expected


def test_cheating_dealer_is_disqualified_by_an_upheld_complaint() -> None:
    ceremony = run_ceremony(3, 2, cheat=2)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    victim = ceremony.states[3]
    with pytest.raises(InvalidShare) as caught:
        open_share(victim, commitments[2], shares[2])
    assert "trustee 2" in str(caught.value)
    assert caught.value.field == "shares[1].ciphertext"
    body = complain(victim, shares[2], TestRng(b"complain"))
    # A third party, with only the public entries, upholds it.
    assert check_complaint(MANIFEST_DIGEST, body, commitments, shares) is True
    review = review_key_generation(
        MANIFEST_DIGEST, 3, 2, ceremony.commitment_bodies, ceremony.shares_bodies, [body]
    )
    assert review.upheld_against == {2}
    assert review.qualified(2) == (1, 3)
    # Without the cheat's share the others still agree on the key.
    members = (1, 3)
    points = {i: c.commitments for i, c in commitments.items()}
    for index in (1, 3):
        final = receive_shares(ceremony.states[index], commitments, shares, members)
        assert base_mult(final) == verification_key(points, members, index)


def test_false_complaint_is_not_upheld() -> None:
    ceremony = run_ceremony(3, 2)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    body = complain(ceremony.states[1], shares[2], TestRng(b"false"))
    assert check_complaint(MANIFEST_DIGEST, body, commitments, shares) is False
    review = review_key_generation(
        MANIFEST_DIGEST, 3, 2, ceremony.commitment_bodies, ceremony.shares_bodies, [body]
    )
    assert review.upheld_against == set()
    assert review.rejected_complaints == [(1, 2)]
    assert review.qualified(2) == (1, 2, 3)


def test_complaint_with_a_forged_key_fails_its_proof() -> None:
    ceremony = run_ceremony(3, 2)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    body = complain(ceremony.states[1], shares[2], TestRng(b"forged"))
    body["key"] = base_mult(Scalar.from_int(7)).hex()
    with pytest.raises(InvalidProof) as caught:
        check_complaint(MANIFEST_DIGEST, body, commitments, shares)
    assert caught.value.field == "proof"


def test_complaint_about_unknown_trustees_is_rejected() -> None:
    ceremony = run_ceremony(3, 2)
    commitments, shares = ceremony.commitments(), ceremony.shares()
    body = complain(ceremony.states[1], shares[2], TestRng(b"c"))
    body["against"] = 1
    with pytest.raises(InvalidEncoding) as caught:
        check_complaint(MANIFEST_DIGEST, body, commitments, shares)
    assert caught.value.field == "against"


def _tampered(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    copied = copy.deepcopy(body)
    target = copied
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copied


OTHER_SCALAR = Scalar.from_int(12345).hex()
OTHER_POINT = base_mult(Scalar.from_int(12345)).hex()


@pytest.mark.parametrize(
    ("path", "value", "error", "field"),
    [
        (("communication_key",), OTHER_POINT, InvalidProof, "communication_proof"),
        (("communication_proof", "response"), OTHER_SCALAR, InvalidProof, "communication_proof"),
        (("commitments", 1), OTHER_POINT, InvalidProof, "commitment_proofs[1]"),
        (("commitment_proofs", 0, "challenge"), OTHER_SCALAR, InvalidProof, "commitment_proofs[0]"),
        (("commitments", 0), "00" * 32, InvalidEncoding, "commitments[0]"),
        (("commitments", 0), "ff" * 32, InvalidEncoding, "commitments[0]"),
        (("trustee",), 4, InvalidEncoding, "trustee"),
        (("trustee",), 2, InvalidProof, "communication_proof"),
    ],
)
def test_tampered_commitment_is_rejected_naming_the_field(
    path: tuple[Any, ...], value: Any, error: type[ProtocolError], field: str
) -> None:
    ceremony = run_ceremony(3, 2)
    body = _tampered(ceremony.commitment_bodies[0], path, value)
    with pytest.raises(error) as caught:
        check_commitment(MANIFEST_DIGEST, body, 3, 2)
    assert caught.value.field == field


def test_commitment_with_wrong_number_of_coefficients_is_rejected() -> None:
    ceremony = run_ceremony(3, 2)
    with pytest.raises(InvalidEncoding) as caught:
        check_commitment(MANIFEST_DIGEST, ceremony.commitment_bodies[0], 3, 3)
    assert caught.value.field == "commitments"


def test_commitment_for_another_election_fails() -> None:
    ceremony = run_ceremony(3, 2)
    other = hashlib.sha256(b"another manifest").digest()
    with pytest.raises(InvalidProof):
        check_commitment(other, ceremony.commitment_bodies[0], 3, 2)


@pytest.mark.parametrize(
    ("path", "value", "error", "field"),
    [
        (("shares", 0, "ciphertext"), "11" * 32, InvalidProof, "shares[0].signature"),
        (("shares", 1, "ephemeral"), OTHER_POINT, InvalidProof, "shares[1].signature"),
        (("shares", 0, "signature", "response"), OTHER_SCALAR, InvalidProof, "shares[0].signature"),
        (("shares", 0, "recipient"), 3, InvalidEncoding, "shares"),
        (("shares", 0, "ciphertext"), "AB" * 32, InvalidEncoding, "shares[0].ciphertext"),
        (("shares", 0, "ciphertext"), "ab" * 31 + " a b", InvalidEncoding, "shares[0].ciphertext"),
        (("shares", 0, "extra"), 1, InvalidEncoding, "shares[0].extra"),
    ],
)
def test_tampered_shares_are_rejected_naming_the_field(
    path: tuple[Any, ...], value: Any, error: type[ProtocolError], field: str
) -> None:
    ceremony = run_ceremony(3, 2)
    body = _tampered(ceremony.shares_bodies[0], path, value)
    with pytest.raises(error) as caught:
        check_shares(MANIFEST_DIGEST, body, ceremony.commitments())
    assert caught.value.field == field


def test_shares_missing_a_recipient_disqualify_the_dealer() -> None:
    ceremony = run_ceremony(3, 2)
    body = copy.deepcopy(ceremony.shares_bodies[0])
    body["shares"].pop()
    with pytest.raises(InvalidEncoding) as caught:
        check_shares(MANIFEST_DIGEST, body, ceremony.commitments())
    assert caught.value.field == "shares"
    bodies = [body, *ceremony.shares_bodies[1:]]
    review = review_key_generation(MANIFEST_DIGEST, 3, 2, ceremony.commitment_bodies, bodies, [])
    assert review.qualified(2) == (2, 3)
    assert [p.trustee for p in review.problems] == [1]
    assert "shares" in str(review.problems[0])


def test_review_ignores_a_second_commitment_from_the_same_trustee() -> None:
    ceremony = run_ceremony(3, 2)
    bodies = [*ceremony.commitment_bodies, ceremony.commitment_bodies[0]]
    review = review_key_generation(MANIFEST_DIGEST, 3, 2, bodies, ceremony.shares_bodies, [])
    assert sorted(review.commitments) == [1, 2, 3]
    assert len(review.problems) == 1


def test_too_few_qualified_trustees_is_refused() -> None:
    ceremony = run_ceremony(3, 3, cheat=2)
    shares = ceremony.shares()
    body = complain(ceremony.states[1], shares[2], TestRng(b"c"))
    review = review_key_generation(
        MANIFEST_DIGEST, 3, 3, ceremony.commitment_bodies, ceremony.shares_bodies, [body]
    )
    with pytest.raises(NotEnoughTrustees) as caught:
        review.qualified(3)
    assert "threshold is 3" in str(caught.value)


def test_state_round_trips_through_json() -> None:
    state, _ = commit(MANIFEST_DIGEST, 2, 3, TestRng(b"state"))
    with_share = state.with_share(Scalar.from_int(99))
    assert TrusteeState.from_json(with_share.to_json()) == with_share
    assert TrusteeState.from_json(state.to_json()) == state
    upper = state.to_json()
    upper["manifest_digest"] = upper["manifest_digest"].upper()
    with pytest.raises(InvalidEncoding) as caught:
        TrusteeState.from_json(upper)
    assert caught.value.field == "state.manifest_digest"
    broken = state.to_json()
    broken["coefficients"][1] = "zz"
    with pytest.raises(InvalidEncoding) as caught:
        TrusteeState.from_json(broken)
    assert caught.value.field == "state.coefficients[1]"


def test_commit_draws_secrets_then_nonces_in_spec_order() -> None:
    rng = TestRng(b"order")
    state, body = commit(MANIFEST_DIGEST, 1, 2, rng)
    replay = TestRng(b"order")
    assert state.communication_secret == replay.scalar()
    assert state.coefficients == (replay.scalar(), replay.scalar())
    assert body["communication_key"] == base_mult(state.communication_secret).hex()


@settings(max_examples=50, deadline=None)
@given(
    coefficients=st.lists(st.integers(min_value=0, max_value=L - 1), min_size=1, max_size=6),
    data=st.data(),
)
def test_any_k_points_of_a_polynomial_interpolate_its_constant(
    coefficients: list[int], data: st.DataObject
) -> None:
    k = len(coefficients)
    indices = data.draw(
        st.lists(st.integers(min_value=1, max_value=50), min_size=k, max_size=k, unique=True)
    )
    polynomial = [Scalar.from_int(c) for c in coefficients]
    total = sum(
        lagrange_at_zero(i, indices).value * evaluate_polynomial(polynomial, i).value
        for i in indices
    )
    assert total % L == coefficients[0]
