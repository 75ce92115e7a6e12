"""The counting rule (9.1): last ballot per credential, revocations, replays, audits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from omov.record.audit_reuse import SharedCiphertexts
from omov.record.counting import BallotCounter
from omov.record.roll import CredentialRoll

A, B, C, NEW = (bytes([n]) * 32 for n in (1, 2, 3, 9))


def counter() -> BallotCounter:
    return BallotCounter(CredentialRoll(A + B + C))


def cast(counting: BallotCounter, index: int, credential: bytes, name: bytes) -> str | None:
    roll_position = counting.roll.position(credential)
    problem = counting.cast(index, name * 32, roll_position, credential)
    return None if problem is None else problem.reason


def test_roll_positions() -> None:
    roll = CredentialRoll(A + B + C)
    assert [roll.position(x) for x in (A, B, C, NEW)] == [0, 1, 2, -1]


def test_roll_positions_of_credentials_that_share_their_first_bytes() -> None:
    credentials = [*sorted(bytes(8) + bytes([n]) * 24 for n in (5, 7, 9)), b"\x01" * 32]
    roll = CredentialRoll(b"".join(credentials))
    assert [roll.position(x) for x in credentials] == [0, 1, 2, 3]
    assert roll.position(bytes(8) + b"\x06" * 24) == -1
    assert roll.position(bytes(8) + b"\x0a" * 24) == -1


@given(st.sets(st.binary(min_size=32, max_size=32), max_size=40),
       st.lists(st.binary(min_size=32, max_size=32), max_size=5))
def test_roll_position_is_the_place_in_the_sorted_roll(
    on_roll: set[bytes], others: list[bytes]
) -> None:
    credentials = sorted(on_roll)
    roll = CredentialRoll(b"".join(credentials))
    assert len(roll) == len(credentials)
    for credential in credentials + others:
        expected = credentials.index(credential) if credential in on_roll else -1
        assert roll.position(credential) == expected


def test_last_ballot_per_credential_counts() -> None:
    counting = counter()
    assert cast(counting, 10, A, b"a") is None
    assert cast(counting, 11, B, b"b") is None
    assert cast(counting, 12, A, b"c") is None
    assert list(counting.excluded) == [10]
    assert counting.counted == 2


def test_replay_and_ineligible_are_reported_and_not_counted() -> None:
    counting = counter()
    cast(counting, 10, A, b"a")
    assert cast(counting, 11, A, b"a") == (
        "a replay: the same ballot (same ballot hash) was already cast")
    assert cast(counting, 12, NEW, b"n") == "its credential is not on the credential roll"
    assert sorted(counting.excluded) == [11, 12]
    assert counting.counted == 1


def test_audited_ciphertexts_may_not_be_cast_nor_audited_again() -> None:
    """7.6: a cast ballot holding an audited ciphertext (in either order) and a
    second audit of an audited ciphertext are both reported."""
    shared = SharedCiphertexts()
    shared.cast(4, (1, 2))
    assert shared.audit(5, (3, 4)) is None
    shared.cast(6, (4, 7))
    shared.cast(7, (8, 9))
    repeat = shared.audit(8, (2, 10))
    assert repeat is None
    again = shared.audit(9, (11, 3))
    assert again is not None and again.entry == 9
    assert "audited ballot at entry 5; an audited ballot appears once" in again.reason
    assert [(p.entry, p.reason.split(" entry ")[1][:1]) for p in shared.problems()] == [
        (4, "8"), (6, "5")]


def test_revocation_uncounts_earlier_ballots_and_forbids_later_ones() -> None:
    counting = counter()
    cast(counting, 10, A, b"a")
    assert counting.revoke(11, [A], [NEW]) is None
    assert list(counting.excluded) == [10]
    assert cast(counting, 12, A, b"b") == (
        "its credential was revoked by an earlier revocation entry")
    assert cast(counting, 13, NEW, b"c") is None
    assert counting.counted == 1
    assert counting.revoke(14, [A], []) is not None
    assert counting.revoke(15, [], [B]) is not None
