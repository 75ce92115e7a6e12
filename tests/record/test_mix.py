"""The mix's builders and readers (protocol section 16), without a record."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import pytest

from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import cells_from_ranking, ranked_rows
from omov.crypto.shuffle import ShuffleContext, prove_shuffle, shuffle_rows, verify_shuffle
from omov.crypto.threshold import evaluate_polynomial
from omov.crypto.transcript import TestRng
from omov.record.errors import RecordError
from omov.record.mix import (
    DecryptionPart,
    ballot_rows,
    check_decryption_part,
    combine_rankings,
    decrypt_rows,
    join_shuffle,
    ranked_decryption_bodies,
    shuffle_bodies,
)
from omov.record.mix_rows import PackedRows, parse_rows

FINGERPRINT = hashlib.sha256(b"mix test").digest()
RULE = QuestionRule(4, 0, 3, ranked=True)
RANKINGS = [[0, 1, 2], [3], [], [2, 0], [1, 3, 0], [3], [0]]
COEFFICIENTS = [Scalar.from_int(1234567), Scalar.from_int(7654321)]
SHARES = {i: evaluate_polynomial(COEFFICIENTS, i) for i in (1, 2, 3)}
KEY = base_mult(COEFFICIENTS[0])


def mix_input(label: bytes = b"input") -> list[list[Ciphertext]]:
    rng = TestRng(label)
    rows = []
    for ranking in RANKINGS:
        cells = [encrypt(KEY, v, rng.scalar()) for v in cells_from_ranking(RULE, ranking)]
        rows.append(ranked_rows(RULE, cells))
    return rows


def shuffled(rows: Any, trustee: int) -> tuple[list[list[Ciphertext]], Any]:
    rng = TestRng(b"shuffle %d" % trustee)
    context = ShuffleContext(FINGERPRINT, "north", trustee)
    out, permutation, randomness = shuffle_rows(KEY, rows, rng)
    return out, prove_shuffle(KEY, rows, out, permutation, randomness, context, rng)


def test_packed_rows_read_as_the_rows_they_hold() -> None:
    rows = mix_input()
    packed = PackedRows.of(rows, 3)
    assert len(packed) == len(rows) and packed == rows and list(packed[2]) == rows[2]
    assert packed[1:3] == rows[1:3] and packed[-1] == rows[-1]
    assert parse_rows(packed.to_json(), "rows") == packed
    with pytest.raises(IndexError):
        packed[len(rows)]


def test_ballot_rows_are_the_ranked_rows_of_each_ranked_question() -> None:
    rules = (QuestionRule(2, 1, 1), RULE)
    rng = TestRng(b"ballot")
    cells = [encrypt(KEY, v, rng.scalar()) for v in cells_from_ranking(RULE, [1, 0])]
    plain = [encrypt(KEY, 1, rng.scalar())]
    assert ballot_rows(rules, [plain, cells]) == PackedRows.of([ranked_rows(RULE, cells)], 3).data
    assert ballot_rows(rules[:1], [plain]) == b""


@pytest.mark.parametrize("limit", [1, 2000, 4 * 1024 * 1024])
def test_a_shuffle_split_into_parts_joins_back(limit: int) -> None:
    rows = mix_input()
    out, proof = shuffled(rows, 1)
    bodies = shuffle_bodies("north", 1, out, proof, max_line_bytes=limit)
    assert [b["part"] for b in bodies] == list(range(len(bodies)))
    assert all(b["parts"] == len(bodies) for b in bodies)
    assert [b["proof"] is None for b in bodies] == [True] * (len(bodies) - 1) + [False]
    assert sum(len(b["rows"]) for b in bodies) == len(rows)
    if limit == 1:
        assert len(bodies) == len(rows)
    joined, read = join_shuffle(bodies)
    assert joined == out and read == proof
    verify_shuffle(KEY, rows, joined, read, ShuffleContext(FINGERPRINT, "north", 1))


def broken(bodies: list[dict[str, Any]], how: str) -> list[dict[str, Any]]:
    if how == "missing":
        return bodies[:-2] + bodies[-1:]
    if how == "reordered":
        return [bodies[1], bodies[0], *bodies[2:]]
    if how == "extra-member":
        bodies[0]["input"] = []
    if how == "proof-early":
        bodies[0]["proof"] = bodies[-1]["proof"]
    if how == "other-trustee":
        bodies[1]["trustee"] = 2
    if how == "short-list":
        bodies[0]["chain"] = bodies[0]["chain"][1:]
    return bodies


@pytest.mark.parametrize(("how", "said"), [
    ("missing", "expected part 2"),
    ("reordered", "expected part 0"),
    ("extra-member", "unexpected member 'input'"),
    ("proof-early", "must be null except in the last part"),
    ("other-trustee", "is of another shuffle"),
    ("short-list", "one per row"),
])
def test_join_shuffle_names_what_is_wrong(how: str, said: str) -> None:
    out, proof = shuffled(mix_input(), 1)
    bodies = broken(shuffle_bodies("north", 1, out, proof, max_line_bytes=2000), how)
    with pytest.raises(RecordError, match=said) as caught:
        join_shuffle(bodies, entries=list(range(40, 40 + len(bodies))))
    assert caught.value.entry is not None and caught.value.entry >= 40


def decrypted_by(rows: Any, trustees: tuple[int, ...]) -> dict[int, Any]:
    return {i: decrypt_rows(SHARES[i], i, FINGERPRINT, "north", rows, TestRng(b"d%d" % i))
            for i in trustees}


@pytest.mark.parametrize("trustees", [(1, 2), (2, 3), (1, 3), (1, 2, 3)])
def test_any_k_trustees_decrypt_the_last_shuffle_to_the_rankings(
        trustees: tuple[int, ...]) -> None:
    first, _ = shuffled(mix_input(), 1)
    last, _ = shuffled(first, 2)
    made = decrypted_by(last, trustees)
    rankings = combine_rankings(RULE, last, {i: shares for i, (shares, _) in made.items()})
    assert Counter(map(tuple, rankings)) == Counter(map(tuple, RANKINGS))


def test_decryption_parts_check_and_a_wrong_share_is_named_by_row_and_column() -> None:
    last, _ = shuffled(mix_input(), 1)
    packed = PackedRows.of(last, 3)
    shares, proofs = decrypted_by(last, (2,))[2]
    bodies = ranked_decryption_bodies("north", 2, shares, proofs, max_line_bytes=1500)
    assert len(bodies) > 1
    first = 0
    key = base_mult(SHARES[2])
    for n, body in enumerate(bodies):
        part = DecryptionPart(body, 3, entry=n)
        assert check_decryption_part(part, packed, first, FINGERPRINT, key) is None
        first += part.rows
    assert first == len(last)
    second = bodies[1]
    j = len(bodies[0]["shares"])
    second["shares"][1][2] = Point.hex(base_mult(Scalar.from_int(5)))
    part = DecryptionPart(second, 3, entry=1)
    assert check_decryption_part(part, packed, j, FINGERPRINT, key) == (
        j + 1, 2, "the proof does not verify")


def test_a_wrong_combination_is_named_by_row_and_column() -> None:
    last, _ = shuffled(mix_input(), 1)
    made = decrypted_by(last, (1, 2))
    shares = {i: [list(row) for row in s] for i, (s, _) in made.items()}
    shares[1][4][1] = base_mult(Scalar.from_int(99))
    with pytest.raises(RecordError, match="row 4, column 1 does not decrypt"):
        combine_rankings(RULE, last, shares)
