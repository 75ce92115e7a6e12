"""The row-by-row arithmetic of the shuffle (section 14), on raw encodings.

A shuffle of 100,000 rows of width 10 costs millions of scalar
multiplications, so these loops call libsodium on 32-byte strings and keep
scalars as Python integers, without building a Point or Scalar per step.
Every kernel works on the rows ``lo <= j < hi`` of one job, reading its
inputs from the module's ``_job`` (set before the worker processes fork, so
they share it without copying) and returning plain bytes and integers.

libsodium refuses to return the identity from a multiplication; ``_mul``
and ``_base`` return its encoding (32 zero bytes) instead, and libsodium's
addition accepts it, so a sum can pass through the identity.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import rbcl

from omov.crypto.elgamal import Ciphertext

IDENTITY = bytes(32)

_mult = rbcl.crypto_scalarmult_ristretto255
_base_mult = rbcl.crypto_scalarmult_ristretto255_base
_add = rbcl.crypto_core_ristretto255_add
_sub = rbcl.crypto_core_ristretto255_sub

Rows = Sequence[Sequence[Ciphertext]]
RawRow = list[tuple[bytes, bytes]]
Result = TypeVar("Result")

# The inputs of the job in progress: set by run() in the parent process.
_job: dict[str, Any] = {}

# Below this many rows a second process costs more than it saves.
PARALLEL_MIN_ROWS = 64


def _mul(scalar: int, point: bytes) -> bytes:
    try:
        return _mult(scalar.to_bytes(32, "little"), point)  # type: ignore[no-any-return]
    except RuntimeError:
        return IDENTITY


def _base(scalar: int) -> bytes:
    try:
        return _base_mult(scalar.to_bytes(32, "little"))  # type: ignore[no-any-return]
    except RuntimeError:
        return IDENTITY


def add(p: bytes, q: bytes) -> bytes:
    return _add(p, q)  # type: ignore[no-any-return]


def sub(p: bytes, q: bytes) -> bytes:
    return _sub(p, q)  # type: ignore[no-any-return]


def mul(scalar: int, point: bytes) -> bytes:
    """scalar·point on encodings; the identity's encoding when it is the identity."""
    return _mul(scalar, point)


def base(scalar: int) -> bytes:
    """scalar·G on encodings."""
    return _base(scalar)


def add_all(points: Sequence[bytes]) -> bytes:
    total = IDENTITY
    for point in points:
        total = _add(total, point)
    return total


def reencrypt(lo: int, hi: int) -> list[RawRow]:
    """Output rows lo..hi-1: row j is input row permutation[j] plus Enc_Y(0; r_{j,k})."""
    rows: Rows = _job["rows"]
    permutation: list[int] = _job["permutation"]
    randomness: list[list[int]] = _job["randomness"]
    key: bytes = _job["key"]
    out: list[RawRow] = []
    for j in range(lo, hi):
        source = rows[permutation[j]]
        out.append([
            (_add(ct.alpha.encoded, _base(r)), _add(ct.beta.encoded, _mul(r, key)))
            for ct, r in zip(source, randomness[j], strict=True)
        ])
    return out


def permutation_commitments(lo: int, hi: int) -> list[bytes]:
    """c_i = r_i·G + H_{inverse[i]} for inputs lo..hi-1."""
    nonces: list[int] = _job["commitment_randomness"]
    inverse: list[int] = _job["inverse"]
    generators: list[bytes] = _job["generators"]
    return [_add(_base(nonces[i]), generators[inverse[i]]) for i in range(lo, hi)]


def chain_commitments(lo: int, hi: int) -> list[bytes]:
    """ĉ_j = U_j·H + R_j·G, the closed form of ĉ_j = r̂_j·G + u'_j·ĉ_{j-1}."""
    products: list[int] = _job["products"]
    offsets: list[int] = _job["offsets"]
    start: bytes = _job["chain_base"]
    return [_add(_mul(products[j], start), _base(offsets[j])) for j in range(lo, hi)]


def _weighted_column(
    totals: list[bytes], scalar: int, row: Sequence[Ciphertext], part: str
) -> list[bytes]:
    """totals[k] + scalar·row[k].part for each column k."""
    if part == "alpha":
        return [_add(t, _mul(scalar, ct.alpha.encoded)) for t, ct in zip(totals, row, strict=True)]
    return [_add(t, _mul(scalar, ct.beta.encoded)) for t, ct in zip(totals, row, strict=True)]


def _previous(chain: Sequence[bytes], start: bytes, j: int) -> bytes:
    return chain[j - 1] if j else start


def prover_commitments(lo: int, hi: int) -> tuple[bytes, list[bytes], list[bytes], list[bytes]]:
    """Over rows lo..hi-1: Σ ω'_j·H_j, Σ ω'_j·alpha~_{j,k} and Σ ω'_j·beta~_{j,k}
    for each column k, and t̂_j = ω̂_j·G + ω'_j·ĉ_{j-1} for each row."""
    outputs: Rows = _job["outputs"]
    chain: list[bytes] = _job["chain"]
    start: bytes = _job["chain_base"]
    generators: list[bytes] = _job["generators"]
    primes: list[int] = _job["omega_prime"]
    hats: list[int] = _job["omega_hat"]
    width = len(outputs[0])
    on_generators = IDENTITY
    alphas, betas = [IDENTITY] * width, [IDENTITY] * width
    chain_terms: list[bytes] = []
    for j in range(lo, hi):
        w = primes[j]
        on_generators = _add(on_generators, _mul(w, generators[j]))
        row = outputs[j]
        alphas = _weighted_column(alphas, w, row, "alpha")
        betas = _weighted_column(betas, w, row, "beta")
        chain_terms.append(_add(_base(hats[j]), _mul(w, _previous(chain, start, j))))
    return on_generators, alphas, betas, chain_terms


def verifier_sums(lo: int, hi: int) -> dict[str, Any]:
    """Over rows lo..hi-1, every sum the verification equations need (14.6),
    and the recomputed t̂_j = ŝ_j·G + s'_j·ĉ_{j-1} - c·ĉ_j of each row."""
    inputs: Rows = _job["inputs"]
    outputs: Rows = _job["outputs"]
    commitments: list[bytes] = _job["commitments"]
    chain: list[bytes] = _job["chain"]
    start: bytes = _job["chain_base"]
    generators: list[bytes] = _job["generators"]
    weights: list[int] = _job["weights"]
    primes: list[int] = _job["s_prime"]
    hats: list[int] = _job["s_hat"]
    c: int = _job["challenge"]
    width = len(inputs[0])
    commitment_sum = generator_sum = weighted = on_generators = IDENTITY
    in_alpha, in_beta = [IDENTITY] * width, [IDENTITY] * width
    out_alpha, out_beta = [IDENTITY] * width, [IDENTITY] * width
    chain_terms: list[bytes] = []
    for j in range(lo, hi):
        u, s = weights[j], primes[j]
        commitment_sum = _add(commitment_sum, commitments[j])
        generator_sum = _add(generator_sum, generators[j])
        weighted = _add(weighted, _mul(u, commitments[j]))
        on_generators = _add(on_generators, _mul(s, generators[j]))
        row_in, row_out = inputs[j], outputs[j]
        in_alpha = _weighted_column(in_alpha, u, row_in, "alpha")
        in_beta = _weighted_column(in_beta, u, row_in, "beta")
        out_alpha = _weighted_column(out_alpha, s, row_out, "alpha")
        out_beta = _weighted_column(out_beta, s, row_out, "beta")
        chain_terms.append(_sub(
            _add(_base(hats[j]), _mul(s, _previous(chain, start, j))), _mul(c, chain[j])
        ))
    return {
        "commitment_sum": commitment_sum, "generator_sum": generator_sum,
        "weighted": weighted, "on_generators": on_generators,
        "in_alpha": in_alpha, "in_beta": in_beta, "out_alpha": out_alpha, "out_beta": out_beta,
        "chain_terms": chain_terms,
    }


def row_ranges(rows: int, jobs: int) -> list[tuple[int, int]]:
    """Rows 0..rows-1 cut into about four pieces per process, for an even spread."""
    pieces = min(rows, jobs * 4)
    bounds = [rows * p // pieces for p in range(pieces + 1)]
    return [(bounds[p], bounds[p + 1]) for p in range(pieces)]


def call_on_rows(task: tuple[Callable[[int, int], Any], tuple[int, int]]) -> Any:
    """A pool task: one kernel on one range of rows."""
    kernel, (lo, hi) = task
    return kernel(lo, hi)


def run(
    kernel: Callable[[int, int], Result], job: dict[str, Any], rows: int, jobs: int
) -> list[Result]:
    """``kernel`` over rows 0..rows-1 in pieces, on ``jobs`` processes; the
    results in row order. The processes fork after ``job`` is installed."""
    global _job
    _job = job
    try:
        if jobs <= 1 or rows < PARALLEL_MIN_ROWS:
            return [kernel(0, rows)]
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            return pool.map(call_on_rows, [(kernel, r) for r in row_ranges(rows, jobs)])
    finally:
        _job = {}
