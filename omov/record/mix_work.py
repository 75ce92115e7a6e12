"""The cell-by-cell work of a ranked decryption (protocol 16.3, 16.4), on processes.

Decrypting, checking and combining the shares of a million cells costs a few
million scalar multiplications, so, as for the shuffle, the rows are split
into pieces that forked worker processes share without copying: every kernel
reads the module's `_job`, set before the pool forks.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any, TypeVar

from omov.crypto.errors import InvalidProof
from omov.crypto.group import Point, Scalar
from omov.crypto.proofs import DleqProof
from omov.crypto.shuffle_work import (
    IDENTITY,
    PARALLEL_MIN_ROWS,
    add,
    call_on_rows,
    mul,
    row_ranges,
    sub,
)

TAG_RANKED_DECRYPTION = "ranked-decryption"
Result = TypeVar("Result")

_job: dict[str, Any] = {}


class _Drawn:
    """A generator that hands out one nonce drawn before the work was split."""

    def __init__(self, nonce: Scalar) -> None:
        self.nonce = nonce

    def scalar(self) -> Scalar:
        return self.nonce


def decrypt_kernel(lo: int, hi: int) -> list[tuple[bytes, DleqProof]]:
    """D = s·alpha and its DLEQ proof for every cell of rows lo..hi-1, in order."""
    rows = _job["rows"]
    share: Scalar = _job["share"]
    nonces: list[Scalar] = _job["nonces"]
    fingerprint, trustee, question, first = (_job["fingerprint"], _job["trustee"],
                                             _job["question"], _job["first_row"])
    width = rows.width
    out = []
    for j in range(lo, hi):
        for k in range(width):
            alpha = Point(rows.cell(j, k)[0])
            proof = DleqProof.prove(TAG_RANKED_DECRYPTION,
                                    (fingerprint, trustee, question, first + j, k), share,
                                    alpha, _Drawn(nonces[j * width + k]))
            out.append((mul(share.value, alpha.encoded), proof))
    return out


def verify_kernel(lo: int, hi: int) -> tuple[int, int, str] | None:
    """Check the shares and proofs of rows lo..hi-1; the first (row, column, reason)
    that fails, or None. Rows are numbered within the part; `first_row` is added
    for the proof's context."""
    rows = _job["rows"]
    shares: bytes = _job["shares"]
    proofs: list[DleqProof] = _job["proofs"]
    key: Point = _job["key"]
    fingerprint, trustee, question, first = (_job["fingerprint"], _job["trustee"],
                                             _job["question"], _job["first_row"])
    width = rows.width
    for j in range(lo, hi):
        for k in range(width):
            n = j * width + k
            alpha = Point(rows.cell(first + j, k)[0])
            share = Point(shares[32 * n:32 * n + 32])
            try:
                proofs[n].verify(TAG_RANKED_DECRYPTION,
                                 (fingerprint, trustee, question, first + j, k), key, alpha,
                                 share)
            except InvalidProof:
                return j, k, "the proof does not verify"
    return None


def combine_kernel(lo: int, hi: int) -> list[int] | tuple[int, int]:
    """The decrypted value of every cell of rows lo..hi-1 (row by row), or the
    (row, column) of the first cell that is not v·G for a v in 0..m."""
    rows = _job["rows"]
    shares: list[bytes] = _job["shares"]
    coefficients: list[int] = _job["coefficients"]
    table: dict[bytes, int] = _job["table"]
    width = rows.width
    values = []
    for j in range(lo, hi):
        for k in range(width):
            n = j * width + k
            factor = IDENTITY
            for coefficient, trustee_shares in zip(coefficients, shares, strict=True):
                factor = add(factor, mul(coefficient, trustee_shares[32 * n:32 * n + 32]))
            value = table.get(sub(rows.cell(j, k)[1], factor))
            if value is None:
                return j, k
            values.append(value)
    return values


def run(kernel: Callable[[int, int], Result], job: dict[str, Any], rows: int,
        jobs: int) -> list[Result]:
    """`kernel` over rows 0..rows-1 in pieces on `jobs` processes, results in row order."""
    global _job
    _job = job
    try:
        if rows == 0:
            return []
        if jobs <= 1 or rows < PARALLEL_MIN_ROWS:
            return [kernel(0, rows)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(call_on_rows, [(kernel, r) for r in row_ranges(rows, jobs)])
    finally:
        _job = {}
