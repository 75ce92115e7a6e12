"""Ranked questions (protocol 5.2, 7.3): the 0/1 matrix a ballot encrypts,
its validity proof, and the rows the mix shuffles.

A ranked question with m candidates and R = max ranks is encrypted as m·R
cells x[j][i] (candidate j at rank i, both from 0), cell j·R + i in the
answer's ``choices``. Each cell has the 0/1 proof of 7.3; on top of them:

- ``candidate_proofs[j]``: Σ_i x[j][i] ∈ {0, 1} (no candidate ranked twice);
- ``rank_proofs[0]``: c_0 = Σ_j x[j][0] ∈ [min, 1] (one first preference at
  most, and one at least when min = 1);
- ``rank_proofs[i]``, 1 ≤ i < R: c_{i-1} - c_i ∈ {0, 1} (no gap).

Every c_i is the sum of 0/1 cells, so an integer in [0, m]; with c_0 ≤ 1 and
each difference 0 or 1 the column sums are 1, ..., 1, 0, ..., 0: each rank
holds at most one candidate and the filled ranks are 1..k, k ≥ min.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.errors import InvalidBallot
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import ValueSetProof
from omov.crypto.questions import QuestionRule
from omov.crypto.transcript import Rng

TAG_OPTION = "option"
TAG_CANDIDATE = "ranked-candidate"
TAG_RANK = "ranked-rank"
BIT_VALUES = (0, 1)
RANKED_MEMBERS = frozenset({"choices", "proofs", "candidate_proofs", "rank_proofs"})


def cells_from_ranking(rule: QuestionRule, ranking: Sequence[int]) -> tuple[int, ...]:
    """The m·R cells for ``ranking``, the 0-based candidate indices in rank order.

    Raises InvalidBallot if the ranking repeats a candidate, names one out of
    range, is longer than R or shorter than min."""
    _require_ranked(rule)
    ranks = rule.max
    if not (rule.min <= len(ranking) <= ranks):
        raise InvalidBallot(f"rank between {rule.min} and {ranks} candidates "
                            f"(ranked {len(ranking)})", "ranking")
    if len(set(ranking)) != len(ranking):
        raise InvalidBallot("a candidate is ranked more than once", "ranking")
    cells = [0] * (rule.options * ranks)
    for i, j in enumerate(ranking):
        if type(j) is not int or not 0 <= j < rule.options:
            raise InvalidBallot(f"rank {i + 1} names no candidate of this question", "ranking")
        cells[j * ranks + i] = 1
    return tuple(cells)


def ranking_from_cells(rule: QuestionRule, cells: Sequence[int]) -> list[int]:
    """The 0-based candidate indices in rank order that valid ``cells`` hold."""
    _require_ranked(rule)
    if not rule.allows(tuple(cells)):
        raise InvalidBallot("these cells are not a valid ranking", "selections")
    ranks = rule.max
    ranking = []
    for i in range(ranks):
        for j in range(rule.options):
            if cells[j * ranks + i] == 1:
                ranking.append(j)
    return ranking


def _require_ranked(rule: QuestionRule) -> None:
    if not rule.ranked:
        raise ValueError("not a ranked question")


def _total(ciphertexts: Sequence[Ciphertext]) -> Ciphertext:
    total = ciphertexts[0]
    for ciphertext in ciphertexts[1:]:
        total = total + ciphertext
    return total


def _difference(a: Ciphertext, b: Ciphertext) -> Ciphertext:
    return Ciphertext(a.alpha - b.alpha, a.beta - b.beta)


def candidate_sums(rule: QuestionRule, choices: Sequence[Ciphertext]) -> list[Ciphertext]:
    """Per candidate j, Σ_i x[j][i]: the statement of candidate_proofs[j]."""
    ranks = rule.max
    return [_total(choices[j * ranks:(j + 1) * ranks]) for j in range(rule.options)]


def rank_statements(rule: QuestionRule, choices: Sequence[Ciphertext]) -> list[Ciphertext]:
    """C_0, then C_{i-1} - C_i for 1 ≤ i < R: the statements of rank_proofs."""
    columns = [_total(choices[i::rule.max]) for i in range(rule.max)]
    return [columns[0]] + [_difference(columns[i - 1], columns[i])
                           for i in range(1, rule.max)]


def rank_values(rule: QuestionRule, i: int) -> tuple[int, ...]:
    """The value set of rank_proofs[i]: [min, 1] for i = 0, {0, 1} after."""
    return tuple(range(rule.min, 2)) if i == 0 else BIT_VALUES


def _index(values: tuple[int, ...], value: int) -> int:
    """The true index t of ``value`` in a value set of consecutive integers (4.3)."""
    return value - values[0]


def encrypt_ranked(
    fingerprint: bytes, credential: Point, public_key: Point, q: int, rule: QuestionRule,
    cells: Sequence[int], rng: Rng,
) -> tuple[dict[str, Any], tuple[Scalar, ...]]:
    """The answer to ranked question ``q`` and the randomness of its cells,
    drawing in the order of 7.3: each cell's r then its 0/1 proof, cell by
    cell; then the candidate proofs, j = 0..m-1; then the rank proofs,
    i = 0..R-1. ``cells`` must be a valid ranking (``QuestionRule.allows``)."""
    context = (fingerprint, credential, q)
    choices: list[Ciphertext] = []
    proofs = []
    drawn: list[Scalar] = []
    for o, value in enumerate(cells):
        r = rng.scalar()
        choice = encrypt(public_key, value, r)
        proofs.append(ValueSetProof.prove(TAG_OPTION, (*context, o), public_key, choice,
                                          BIT_VALUES, _index(BIT_VALUES, value), r,
                                          rng).to_json())
        choices.append(choice)
        drawn.append(r)
    ranks = rule.max
    candidate_proofs = []
    for j, total in enumerate(candidate_sums(rule, choices)):
        value = sum(cells[j * ranks:(j + 1) * ranks])
        randomness = Scalar.from_int(sum(r.value for r in drawn[j * ranks:(j + 1) * ranks]))
        candidate_proofs.append(ValueSetProof.prove(
            TAG_CANDIDATE, (*context, j), public_key, total, BIT_VALUES,
            _index(BIT_VALUES, value), randomness, rng).to_json())
    column_values = [sum(cells[i::ranks]) for i in range(ranks)]
    column_randomness = [sum(r.value for r in drawn[i::ranks]) for i in range(ranks)]
    rank_proofs = []
    for i, statement in enumerate(rank_statements(rule, choices)):
        if i == 0:
            value, summed = column_values[0], column_randomness[0]
        else:
            value = column_values[i - 1] - column_values[i]
            summed = column_randomness[i - 1] - column_randomness[i]
        values = rank_values(rule, i)
        rank_proofs.append(ValueSetProof.prove(
            TAG_RANK, (*context, i), public_key, statement, values, _index(values, value),
            Scalar.from_int(summed), rng).to_json())
    answer = {
        "candidate_proofs": candidate_proofs,
        "choices": [choice.to_json() for choice in choices],
        "proofs": proofs,
        "rank_proofs": rank_proofs,
    }
    return answer, tuple(drawn)


@dataclass(frozen=True)
class RankedAnswer:
    """A parsed answer to a ranked question, before its proofs are checked."""

    choices: tuple[Ciphertext, ...]
    proofs: tuple[ValueSetProof, ...]
    candidate_proofs: tuple[ValueSetProof, ...]
    rank_proofs: tuple[ValueSetProof, ...]

    @classmethod
    def from_json(cls, answer: Any, rule: QuestionRule, q: int) -> RankedAnswer:
        """Read ``answers[q]``: exactly the four members of 7.2, each list of
        its length (m·R, m·R, m and R)."""
        field = f"answers[{q}]"
        if not isinstance(answer, dict):
            raise InvalidBallot("an answer must be a JSON object", field)
        if answer.keys() != RANKED_MEMBERS:
            extra = sorted(answer.keys() - RANKED_MEMBERS)
            missing = sorted(RANKED_MEMBERS - answer.keys())
            detail = (f"unexpected member {extra[0]!r}" if extra
                      else f"missing member {missing[0]!r}")
            raise InvalidBallot(f"a ranked answer: {detail}", f"{field}.{(extra or missing)[0]}")
        cells = rule.encrypted_count
        choices = tuple(Ciphertext.from_json(item, f"{field}.choices[{o}]") for o, item
                        in enumerate(_list(answer["choices"], cells, f"{field}.choices")))

        def proofs(name: str, length: int) -> tuple[ValueSetProof, ...]:
            items = _list(answer[name], length, f"{field}.{name}")
            return tuple(ValueSetProof.from_json(item, f"{field}.{name}[{n}]")
                         for n, item in enumerate(items))

        return cls(choices, proofs("proofs", cells), proofs("candidate_proofs", rule.options),
                   proofs("rank_proofs", rule.max))

    def verify(self, fingerprint: bytes, credential: Point, public_key: Point, q: int,
               rule: QuestionRule) -> None:
        """Check every proof of the answer to ranked question ``q`` (7.4);
        raises InvalidProof naming the first that fails."""
        field = f"answers[{q}]"
        context = (fingerprint, credential, q)
        for o, (choice, proof) in enumerate(zip(self.choices, self.proofs, strict=True)):
            proof.verify(TAG_OPTION, (*context, o), public_key, choice, BIT_VALUES,
                         f"{field}.proofs[{o}]")
        for j, (total, proof) in enumerate(zip(candidate_sums(rule, self.choices),
                                               self.candidate_proofs, strict=True)):
            proof.verify(TAG_CANDIDATE, (*context, j), public_key, total, BIT_VALUES,
                         f"{field}.candidate_proofs[{j}]")
        for i, (statement, proof) in enumerate(zip(rank_statements(rule, self.choices),
                                                   self.rank_proofs, strict=True)):
            proof.verify(TAG_RANK, (*context, i), public_key, statement, rank_values(rule, i),
                         f"{field}.rank_proofs[{i}]")


def _list(value: Any, length: int, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidBallot("must be a list", field)
    if len(value) != length:
        raise InvalidBallot(f"expected {length} items, found {len(value)}", field)
    return value


def ranked_rows(rule: QuestionRule, choices: Sequence[Ciphertext]) -> list[Ciphertext]:
    """The row the mix shuffles for one ballot's ranked question (5.2, 14):
    R ciphertexts, row_i = Σ_j (j+1)·x[j][i], which encrypts the number
    (index + 1) of the candidate ranked i+1, or 0 if rank i+1 is empty.

    ``choices`` are the answer's m·R cells in order (a verified ballot's
    choices for the question). Public and deterministic: anyone computes the
    same points. It is computed with additions only, by suffix sums:
    Σ_j (j+1)·x_j = Σ_k S_k with S_k = Σ_{j≥k} x_j."""
    _require_ranked(rule)
    ranks, m = rule.max, rule.options
    if len(choices) != m * ranks:
        raise ValueError(f"a ranked question of {m} candidates and {ranks} ranks has "
                         f"{m * ranks} cells, not {len(choices)}")
    row = []
    for i in range(ranks):
        suffix = choices[(m - 1) * ranks + i]
        total = suffix
        for j in range(m - 2, -1, -1):
            suffix = suffix + choices[j * ranks + i]
            total = total + suffix
        row.append(total)
    return row
