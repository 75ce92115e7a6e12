"""Small elections for the ballot tests."""

from omov.crypto.ballot import ElectionContext, PreparedBallot, encrypt_ballot
from omov.crypto.credentials import credential_secret, new_code
from omov.crypto.group import Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import TestRng

MANIFEST_DIGEST = bytes(range(32))
ELECTION_SECRET = TestRng(b"election key").scalar()
YES_NO = QuestionRule(2, 1, 1)


def context(*rules: QuestionRule, fingerprint: bytes = b"\x07" * 32) -> ElectionContext:
    """An election with the given questions under a fixed key."""
    return ElectionContext(fingerprint, base_mult(ELECTION_SECRET), rules)


def voter_secret(seed: int = 0) -> Scalar:
    """A fixed voter's credential secret."""
    return credential_secret(MANIFEST_DIGEST, new_code(seed.to_bytes(12, "little")))


def cast(ctx: ElectionContext, selections: list[list[int]], seed: bytes = b"ballot",
         voter: int = 0) -> PreparedBallot:
    """A ballot by voter number ``voter`` with deterministic randomness."""
    return encrypt_ballot(ctx, voter_secret(voter), selections, TestRng(seed))
