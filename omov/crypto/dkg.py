"""Distributed key generation: commitments, encrypted shares and complaints
(docs/protocol.md sections 8.1-8.4).

Each step a trustee takes returns the JSON body of the board entry it
publishes (`trustee_commitment`, `trustee_shares`, `trustee_complaint`); each
`check_*` function is what anyone (other trustees, the server, a verifier)
runs on a published body. Scalars are drawn in exactly the order of the spec,
so that the browser reproduces the test vectors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from omov.crypto.dkg_messages import (
    Complaint,
    EncryptedShare,
    TrusteeCommitment,
    TrusteeShares,
    TrusteeState,
)
from omov.crypto.errors import InvalidEncoding, InvalidShare
from omov.crypto.group import L, Point, Scalar, base_mult
from omov.crypto.proofs import DleqProof, SchnorrProof
from omov.crypto.threshold import (
    evaluate_commitments,
    evaluate_polynomial,
    finalise_share,
    require_threshold,
)
from omov.crypto.transcript import Rng, transcript_bytes

TAG_TRUSTEE_KEY = "trustee-key"
TAG_COEFFICIENT = "coefficient"
TAG_SHARE_PAD = "share-pad"
TAG_SHARE_SIGNATURE = "share-signature"
TAG_COMPLAINT = "complaint"


def commit(
    manifest_digest: bytes, index: int, threshold: int, rng: Rng
) -> tuple[TrusteeState, dict[str, Any]]:
    """Trustee `index` draws its secrets and returns them with its `trustee_commitment` body.

    Draws, in order: the communication secret `d_i`, the coefficients
    `a_{i,0..k-1}` (k = `threshold`), the communication proof's nonce, then
    one nonce per coefficient proof.
    """
    communication_secret = rng.scalar()
    coefficients = tuple(rng.scalar() for _ in range(threshold))
    state = TrusteeState(manifest_digest, index, communication_secret, coefficients)
    communication_proof = SchnorrProof.prove(
        TAG_TRUSTEE_KEY, (manifest_digest, index), communication_secret, rng
    )
    commitment_proofs = tuple(
        SchnorrProof.prove(TAG_COEFFICIENT, (manifest_digest, index, j), coefficient, rng)
        for j, coefficient in enumerate(coefficients)
    )
    body = TrusteeCommitment(
        trustee=index,
        communication_key=base_mult(communication_secret),
        communication_proof=communication_proof,
        commitments=tuple(base_mult(c) for c in coefficients),
        commitment_proofs=commitment_proofs,
    )
    return state, body.to_json()


def check_commitment(
    manifest_digest: bytes, body: object, trustees: int, threshold: int
) -> TrusteeCommitment:
    """Parse a `trustee_commitment` body and verify its k+1 Schnorr proofs.

    `trustees` (n) and `threshold` (k) come from the manifest. Raises
    InvalidEncoding or InvalidProof naming the field.
    """
    commitment = TrusteeCommitment.from_json(body)
    index = commitment.trustee
    if index > trustees:
        raise InvalidEncoding(f"there are only {trustees} trustees", field="trustee")
    if len(commitment.commitments) != threshold:
        raise InvalidEncoding(
            f"must hold {threshold} commitments (the threshold)", field="commitments"
        )
    if len(commitment.commitment_proofs) != threshold:
        raise InvalidEncoding(
            f"must hold {threshold} proofs, one per commitment", field="commitment_proofs"
        )
    commitment.communication_proof.verify(
        TAG_TRUSTEE_KEY, (manifest_digest, index), commitment.communication_key,
        field="communication_proof",
    )
    for j, (point, proof) in enumerate(
        zip(commitment.commitments, commitment.commitment_proofs, strict=True)
    ):
        proof.verify(
            TAG_COEFFICIENT, (manifest_digest, index, j), point, field=f"commitment_proofs[{j}]"
        )
    return commitment


def share_pad(
    manifest_digest: bytes, dealer: int, recipient: int, ephemeral: Point, key: Point
) -> bytes:
    """The 32-byte pad that hides the share of `dealer` for `recipient` (8.2 step 2)."""
    transcript = transcript_bytes(
        TAG_SHARE_PAD, manifest_digest, dealer, recipient, ephemeral, key
    )
    return hashlib.sha512(transcript).digest()[:32]


def _xor32(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def deal_shares(
    state: TrusteeState, commitments: Mapping[int, TrusteeCommitment], rng: Rng
) -> dict[str, Any]:
    """Return the dealer's `trustee_shares` body: one encrypted, signed share per other trustee.

    `commitments` are the checked commitments of every trustee (keyed by
    index); a share goes to each other trustee among them, in increasing
    order. Draws per recipient: `rho`, then the signature nonce.
    """
    dealer = state.index
    shares = []
    for recipient in sorted(commitments):
        if recipient == dealer:
            continue
        value = evaluate_polynomial(state.coefficients, recipient)
        rho = rng.scalar()
        ephemeral = base_mult(rho)
        key = rho * commitments[recipient].communication_key
        pad = share_pad(state.manifest_digest, dealer, recipient, ephemeral, key)
        ciphertext = _xor32(value.to_bytes(), pad)
        signature = SchnorrProof.prove(
            TAG_SHARE_SIGNATURE,
            (state.manifest_digest, dealer, recipient, ephemeral, ciphertext),
            state.communication_secret,
            rng,
        )
        shares.append(EncryptedShare(recipient, ephemeral, ciphertext, signature))
    return TrusteeShares(dealer, tuple(shares)).to_json()


def check_shares(
    manifest_digest: bytes, body: object, commitments: Mapping[int, TrusteeCommitment]
) -> TrusteeShares:
    """Parse a `trustee_shares` body and verify every share's signature.

    `commitments` are the valid commitments (keyed by trustee index); the
    dealer must be among them and must send exactly one share to each other
    trustee among them, in increasing order of recipient.
    """
    dealt = TrusteeShares.from_json(body)
    dealer = dealt.trustee
    if dealer not in commitments:
        raise InvalidEncoding(
            f"trustee {dealer} has no valid commitment, so cannot deal shares", field="trustee"
        )
    expected = [index for index in sorted(commitments) if index != dealer]
    recipients = [share.recipient for share in dealt.shares]
    if recipients != expected:
        raise InvalidEncoding(
            f"must hold one share for each of trustees {expected} in that order, "
            f"not {recipients}",
            field="shares",
        )
    dealer_key = commitments[dealer].communication_key
    for n, share in enumerate(dealt.shares):
        share.signature.verify(
            TAG_SHARE_SIGNATURE,
            (manifest_digest, dealer, share.recipient, share.ephemeral, share.ciphertext),
            dealer_key,
            field=f"shares[{n}].signature",
        )
    return dealt


def _read_share(
    manifest_digest: bytes, dealer: TrusteeCommitment, dealt: TrusteeShares, recipient: int,
    key: Point,
) -> Scalar:
    """Decrypt the share for `recipient` with its key `K` and check it against
    the dealer's commitments; InvalidShare names the share's ciphertext."""
    position = dealt.position_of(recipient)
    share = dealt.shares[position]
    pad = share_pad(manifest_digest, dealer.trustee, recipient, share.ephemeral, key)
    number = int.from_bytes(_xor32(share.ciphertext, pad), "little")
    field = f"shares[{position}].ciphertext"
    if number >= L:
        raise InvalidShare(
            f"the share from trustee {dealer.trustee} decrypts to a non-canonical scalar",
            field=field,
        )
    value = Scalar(number)
    if base_mult(value) != evaluate_commitments(dealer.commitments, recipient):
        raise InvalidShare(
            f"the share from trustee {dealer.trustee} to trustee {share.recipient} "
            "does not match the dealer's commitments",
            field=field,
        )
    return value


def open_share(state: TrusteeState, dealer: TrusteeCommitment, dealt: TrusteeShares) -> Scalar:
    """Decrypt and check the share `dealt` holds for this trustee (the end of 8.2).

    Raises InvalidShare when the share is not a canonical scalar or does not
    match the dealer's commitments: the trustee should then `complain`.
    """
    key = state.communication_secret * dealt.share_for(state.index).ephemeral
    return _read_share(state.manifest_digest, dealer, dealt, state.index, key)


def complain(state: TrusteeState, dealt: TrusteeShares, rng: Rng) -> dict[str, Any]:
    """Return the `trustee_complaint` body against the dealer of `dealt` (8.3).

    Reveals `K = d_l·R` for the one share addressed to this trustee, with a
    DLEQ proof (one nonce drawn) that it is `E_l`'s secret times `R`.
    """
    share = dealt.share_for(state.index)
    key = state.communication_secret * share.ephemeral
    proof = DleqProof.prove(
        TAG_COMPLAINT,
        (state.manifest_digest, state.index, dealt.trustee),
        state.communication_secret,
        share.ephemeral,
        rng,
    )
    return Complaint(state.index, dealt.trustee, key, proof).to_json()


def check_complaint(
    manifest_digest: bytes,
    body: object,
    commitments: Mapping[int, TrusteeCommitment],
    shares: Mapping[int, TrusteeShares],
) -> bool:
    """Check a `trustee_complaint` body; return True iff it is upheld (8.3).

    `commitments` and `shares` are the valid entries keyed by trustee. A
    complaint whose proof fails, or that names a trustee or a share that is
    not on the board, raises (InvalidProof / InvalidEncoding with the field):
    it has no effect. A valid complaint is upheld iff the revealed share is
    not a canonical scalar or does not match the dealer's commitments.
    """
    complaint = Complaint.from_json(body)
    if complaint.trustee not in commitments:
        raise InvalidEncoding(
            f"trustee {complaint.trustee} has no valid commitment", field="trustee"
        )
    if complaint.against not in shares or complaint.against not in commitments:
        raise InvalidEncoding(
            f"trustee {complaint.against} has no valid shares entry to complain about",
            field="against",
        )
    if complaint.against == complaint.trustee:
        raise InvalidEncoding("a trustee cannot complain about itself", field="against")
    dealt = shares[complaint.against]
    share = dealt.share_for(complaint.trustee)
    complaint.proof.verify(
        TAG_COMPLAINT,
        (manifest_digest, complaint.trustee, complaint.against),
        commitments[complaint.trustee].communication_key,
        share.ephemeral,
        complaint.key,
        field="proof",
    )
    try:
        _read_share(
            manifest_digest, commitments[complaint.against], dealt, complaint.trustee,
            complaint.key,
        )
    except InvalidShare:
        return True
    return False


def qualified(
    commitments: Mapping[int, TrusteeCommitment],
    shares: Mapping[int, TrusteeShares],
    upheld_against: Iterable[int],
    threshold: int,
) -> tuple[int, ...]:
    """The qualified set Q of 8.4, ascending; raises NotEnoughTrustees if |Q| < k.

    `commitments` and `shares` hold only entries that passed
    `check_commitment` / `check_shares`; `upheld_against` are the dealers with
    an upheld complaint.
    """
    disqualified = set(upheld_against)
    members = tuple(
        index for index in sorted(commitments) if index in shares and index not in disqualified
    )
    require_threshold(members, threshold, "qualified trustees")
    return members


def receive_shares(
    state: TrusteeState,
    commitments: Mapping[int, TrusteeCommitment],
    shares: Mapping[int, TrusteeShares],
    members: Iterable[int],
) -> Scalar:
    """Open the shares from every qualified dealer and return the final share `s_l`.

    `members` is the qualified set Q; the trustee's own `f_l(l)` is
    included. Raises InvalidShare naming the dealer if a share is bad.
    """
    own = state.index
    received = {own: evaluate_polynomial(state.coefficients, own)}
    for dealer in members:
        if dealer != own:
            received[dealer] = open_share(state, commitments[dealer], shares[dealer])
    return finalise_share(received, members)
