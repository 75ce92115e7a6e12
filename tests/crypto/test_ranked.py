"""Ranked questions (protocol 5.2, 7.3): the encoding, its proof, its soundness
against forged ballots, audits, and the rows the mix shuffles."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from omov.crypto.ballot import ElectionContext, check_audit, encrypt_ballot, verify_ballot
from omov.crypto.elgamal import Ciphertext, decrypt_to_point, small_multiple
from omov.crypto.errors import InvalidBallot, InvalidProof
from omov.crypto.group import Scalar, base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import cells_from_ranking, ranked_rows, ranking_from_cells
from omov.crypto.transcript import TestRng

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vectors"))
from ranked_forgery import cells, forged_ballot

SECRET = Scalar.from_int(424242)
RULES = (QuestionRule(2, 1, 1), QuestionRule(5, 1, 4, ranked=True),
         QuestionRule(3, 0, 3, ranked=True))
CTX = ElectionContext(bytes(range(32)), base_mult(SECRET), RULES)
VOTER = Scalar.from_int(77)


def _decrypt(ciphertext: Ciphertext, bound: int) -> int:
    point = decrypt_to_point(SECRET, ciphertext)
    for value in range(bound + 1):
        if point.is_identity() if value == 0 else point == small_multiple(value):
            return value
    raise AssertionError("out of range")


def _ballot(first: list[int], second: list[int], seed: bytes = b"ranked") -> dict[str, object]:
    selections = [[1, 0], list(cells_from_ranking(RULES[1], first)),
                  list(cells_from_ranking(RULES[2], second))]
    return encrypt_ballot(CTX, VOTER, selections, TestRng(seed)).ballot


def test_rule_of_a_ranked_question() -> None:
    rule = RULES[1]
    assert rule.encrypted_count == 20 and rule.tally_width == 0
    assert not rule.implicit_last and not rule.needs_sum_proof
    assert not QuestionRule(3, 1, 1, ranked=True).implicit_last
    with pytest.raises(ValueError):
        QuestionRule(3, 2, 3, ranked=True)


@pytest.mark.parametrize("ranking", [[4], [2, 0, 4, 1], [0, 1, 2]])
def test_a_ranked_ballot_verifies_and_its_rows_decrypt_to_the_ranking(ranking: list[int]) -> None:
    ballot = _ballot(ranking, [2])
    verified = verify_ballot(CTX, ballot)
    answer = ballot["answers"][1]
    assert sorted(answer) == ["candidate_proofs", "choices", "proofs", "rank_proofs"]
    assert (len(answer["choices"]), len(answer["candidate_proofs"]),
            len(answer["rank_proofs"])) == (20, 5, 4)
    row = ranked_rows(RULES[1], verified.choices[1])
    assert [_decrypt(c, 5) for c in row] == [j + 1 for j in ranking] + [0] * (4 - len(ranking))
    assert [_decrypt(c, 3) for c in ranked_rows(RULES[2], verified.choices[2])] == [3, 0, 0]


def test_ranked_rows_equal_the_definition_by_multiplication() -> None:
    verified = verify_ballot(CTX, _ballot([3, 1], []))
    choices = verified.choices[1]
    for i, row in enumerate(ranked_rows(RULES[1], choices)):
        alpha = beta = None
        for j in range(5):
            cell = choices[j * 4 + i]
            weight = Scalar.from_int(j + 1)
            a, b = weight * cell.alpha, weight * cell.beta
            alpha = a if alpha is None else alpha + a
            beta = b if beta is None else beta + b
        assert (row.alpha, row.beta) == (alpha, beta)


def test_a_blank_ranking_is_allowed_only_where_min_is_0() -> None:
    verify_ballot(CTX, _ballot([1], []))
    with pytest.raises(InvalidBallot, match="rank between 1 and 4"):
        _ballot([], [])


def test_an_audit_of_a_ranked_ballot_decodes_to_the_ranking() -> None:
    prepared = encrypt_ballot(CTX, VOTER, [[0, 1], list(cells_from_ranking(RULES[1], [4, 2])),
                                            list(cells_from_ranking(RULES[2], [1, 0, 2]))],
                              TestRng(b"audit"))
    selections = check_audit(CTX, prepared.audit_reveal())
    assert ranking_from_cells(RULES[1], selections[1]) == [4, 2]
    assert ranking_from_cells(RULES[2], selections[2]) == [1, 0, 2]


@pytest.mark.parametrize(("description", "row", "field"), [
    ("a candidate ranked twice", cells(5, 4, [(1, 0), (1, 2), (3, 1)]), "candidate_proofs[1]"),
    ("a gap", cells(5, 4, [(0, 0), (1, 1), (2, 3)]), "rank_proofs[3]"),
    ("two candidates at one rank", cells(5, 4, [(0, 0), (1, 1), (4, 1)]), "rank_proofs[1]"),
    ("two candidates at the first rank", cells(5, 4, [(0, 0), (4, 0)]), "rank_proofs[0]"),
    ("a value 2 in a cell", cells(5, 4, [(3, 0)], 2), "proofs[12]"),
    ("a value -1 in a cell", [*cells(5, 4, [(3, 0), (2, 1)])[:9], -1, *[0] * 10], "proofs[9]"),
    ("a blank ballot where min is 1", cells(5, 4, []), "rank_proofs[0]"),
])
def test_a_forged_ranking_is_rejected(description: str, row: list[int], field: str) -> None:
    forged = forged_ballot(CTX, VOTER, [[1, 0], row, [0] * 9], TestRng(description.encode()))
    with pytest.raises(InvalidProof) as caught:
        verify_ballot(CTX, forged.ballot)
    assert caught.value.field == f"answers[1].{field}", description


def test_a_rank_beyond_r_is_rejected() -> None:
    wide = ElectionContext(CTX.fingerprint, CTX.public_key,
                           (RULES[0], QuestionRule(5, 1, 5, ranked=True), RULES[2]))
    forged = forged_ballot(wide, VOTER, [[1, 0], cells(5, 5, [(0, 0), (1, 1), (2, 2), (3, 3),
                                                               (4, 4)]), [0] * 9],
                           TestRng(b"beyond"))
    with pytest.raises(InvalidBallot) as caught:
        verify_ballot(CTX, forged.ballot)
    assert caught.value.field == "answers[1].choices"


def test_a_forged_ballot_that_is_a_valid_ranking_verifies() -> None:
    """The forger's tools make honest proofs of honest statements: the rejections
    above come from the false statements, not from the forging itself."""
    forged = forged_ballot(CTX, VOTER, [[1, 0], cells(5, 4, [(2, 0), (0, 1)]), [0] * 9],
                           TestRng(b"honest"))
    verify_ballot(CTX, forged.ballot)


@pytest.mark.parametrize("ranking", [[0, 0], [5], [0, 1, 2, 3, 4], [True]])
def test_cells_from_a_ranking_that_is_not_one_are_refused(ranking: list[int]) -> None:
    with pytest.raises(InvalidBallot):
        cells_from_ranking(RULES[1], ranking)


def test_audited_cells_that_are_not_a_ranking_are_refused() -> None:
    prepared = encrypt_ballot(CTX, VOTER, [[0, 1], list(cells_from_ranking(RULES[1], [4])),
                                            [0] * 9], TestRng(b"audit"))
    reveal = prepared.audit_reveal()
    reveal["selections"][1] = cells(5, 4, [(4, 0), (4, 1)])
    with pytest.raises(InvalidBallot) as caught:
        check_audit(CTX, reveal)
    assert caught.value.field == "selections[1]"
