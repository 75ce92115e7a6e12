"""The verifiable re-encryption shuffle of rows of ciphertexts (section 14).

A trustee re-encrypts and permutes N rows of w ciphertexts each, and proves
with a Terelius-Wikström proof of a correct shuffle (in the form of Haenni,
Locher, Koenig and Dubuis, "Pseudo-Code Algorithms for Verifiable
Re-Encryption Mix-Nets", FC 2017, Algorithms 8 and 9, on ristretto255 and for
rows, with one re-encryption randomness per ciphertext) that the output rows
are the input rows, each re-encrypted, in an order it does not reveal.

``jobs`` spreads the row-by-row arithmetic over that many processes; the
result does not depend on it. The arithmetic itself is in shuffle_work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import rbcl

from omov.crypto import shuffle_work as work
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidProof
from omov.crypto.group import G, L, Point, Scalar
from omov.crypto.shuffle_proof import ShuffleProof
from omov.crypto.transcript import Rng

Rows = Sequence[Sequence[Ciphertext]]

_PREFIX = b"omov/v1/"
_G = G.encoded


class _Transcript:
    """T(tag, items...) of section 2.4, hashed as it is written, so that a
    transcript of millions of points is never held in memory at once."""

    def __init__(self, tag: str, hash_name: str = "sha512") -> None:
        self.hash = hashlib.new(hash_name)
        self.raw(_PREFIX + tag.encode("ascii"))

    def raw(self, data: bytes) -> None:
        self.hash.update(len(data).to_bytes(4, "big") + data)

    def integer(self, n: int) -> None:
        self.raw(n.to_bytes(8, "big"))

    def points(self, encodings: Sequence[bytes]) -> None:
        prefix = (32).to_bytes(4, "big")
        self.hash.update(b"".join(prefix + p for p in encodings))

    def challenge(self) -> int:
        return int.from_bytes(self.hash.digest(), "little") % L


def _hash_to_point(tag: str, *indices: int) -> bytes:
    """from_uniform_bytes(SHA512(T(tag, indices...))) (RFC 9496 4.3.4)."""
    transcript = _Transcript(tag)
    for index in indices:
        transcript.integer(index)
    return rbcl.crypto_core_ristretto255_from_hash(transcript.hash.digest())  # type: ignore[no-any-return]


_generators: list[bytes] = []


def generators(count: int) -> list[bytes]:
    """H_0, ..., H_{count-1}: H_j = from_uniform_bytes(SHA512(T("shuffle-generator", j))).

    They are the same for every shuffle, so they are derived once and kept."""
    while len(_generators) < count:
        _generators.append(_hash_to_point("shuffle-generator", len(_generators)))
    return _generators[:count]


CHAIN_BASE = _hash_to_point("shuffle-chain-base")


@dataclass(frozen=True, slots=True)
class ShuffleContext:
    """What one shuffle is bound to, so that its proof cannot be replayed.

    ``fingerprint`` is the election's fingerprint (7.1), ``question`` the id of
    the question whose rows are shuffled, and ``trustee`` the index of the
    trustee who shuffles (its place in the sequence of shuffles)."""

    fingerprint: bytes
    question: str
    trustee: int

    def write(self, transcript: _Transcript) -> None:
        transcript.raw(self.fingerprint)
        transcript.raw(self.question.encode("utf-8"))
        transcript.integer(self.trustee)


def row_shape(rows: Rows, field: str) -> tuple[int, int]:
    """(N, w) of a non-empty list of rows that all have the same width w ≥ 1."""
    if not rows:
        raise InvalidProof("a shuffle needs at least one row", field)
    width = len(rows[0])
    if width == 0:
        raise InvalidProof("a row needs at least one ciphertext", f"{field}[0]")
    for j, row in enumerate(rows):
        if len(row) != width:
            raise InvalidProof(
                f"every row must hold {width} ciphertexts, as the first does; "
                f"this one holds {len(row)}",
                f"{field}[{j}]",
            )
    return len(rows), width


def rows_digest(rows: Rows) -> bytes:
    """SHA256(T("shuffle-rows", N, w, alpha_{0,0}, beta_{0,0}, ..., beta_{N-1,w-1}))."""
    n, width = len(rows), len(rows[0])
    transcript = _Transcript("shuffle-rows", "sha256")
    transcript.integer(n)
    transcript.integer(width)
    for row in rows:
        transcript.points([p for ct in row for p in (ct.alpha.encoded, ct.beta.encoded)])
    return transcript.hash.digest()


@dataclass(frozen=True, slots=True)
class _Statement:
    """What a shuffle proof is about: context, key, sizes, both row digests
    and the permutation commitments, the first items of its challenges (14.4)."""

    context: ShuffleContext
    public_key: Point
    rows: int
    width: int
    input_digest: bytes
    output_digest: bytes
    commitments: Sequence[bytes]

    @classmethod
    def of(cls, context: ShuffleContext, public_key: Point, inputs: Rows, outputs: Rows,
           commitments: Sequence[bytes]) -> _Statement:
        return cls(context, public_key, len(inputs), len(inputs[0]), rows_digest(inputs),
                   rows_digest(outputs), commitments)

    def transcript(self, tag: str) -> _Transcript:
        transcript = _Transcript(tag)
        self.context.write(transcript)
        transcript.points([self.public_key.encoded])
        transcript.integer(self.rows)
        transcript.integer(self.width)
        transcript.raw(self.input_digest)
        transcript.raw(self.output_digest)
        transcript.points(self.commitments)
        return transcript


def _weights(seed: int, count: int) -> list[int]:
    """u_i = challenge("shuffle-weight", seed, i) for i < count."""
    head = _Transcript("shuffle-weight")
    head.raw(seed.to_bytes(32, "little"))
    weights = []
    for i in range(count):
        h = head.hash.copy()
        h.update(b"\x00\x00\x00\x08" + i.to_bytes(8, "big"))
        weights.append(int.from_bytes(h.digest(), "little") % L)
    return weights


def _final_challenge(
    statement: _Statement, chain: Sequence[bytes], t1: bytes, t2: bytes, t3: bytes,
    t4: Sequence[tuple[bytes, bytes]], chain_terms: Sequence[bytes],
) -> int:
    transcript = statement.transcript("shuffle-challenge")
    transcript.points(chain)
    transcript.points([t1, t2, t3])
    transcript.points([p for pair in t4 for p in pair])
    transcript.points(chain_terms)
    return transcript.challenge()


def shuffle_rows(
    public_key: Point, rows: Rows, rng: Rng, jobs: int = 1
) -> tuple[list[list[Ciphertext]], list[int], list[list[Scalar]]]:
    """Re-encrypt and permute ``rows`` under the election key ``public_key`` (14.3).

    Returns the output rows, the permutation (output row j is input row
    ``permutation[j]`` re-encrypted) and the re-encryption randomness (one
    scalar per output ciphertext). Draws N-1 scalars for the permutation,
    then N·w for the randomness, row by row."""
    n, width = row_shape(rows, "rows")
    permutation = list(range(n))
    for i in range(n - 1, 0, -1):
        k = rng.scalar().value % (i + 1)
        permutation[i], permutation[k] = permutation[k], permutation[i]
    randomness = [[rng.scalar() for _ in range(width)] for _ in range(n)]
    job = {
        "rows": rows, "permutation": permutation, "key": public_key.encoded,
        "randomness": [[r.value for r in row] for row in randomness],
    }
    outputs = [
        [Ciphertext(Point(a), Point(b)) for a, b in row]
        for part in work.run(work.reencrypt, job, n, jobs) for row in part
    ]
    return outputs, permutation, randomness


def _check_witness(
    n: int, width: int, outputs: Rows, permutation: Sequence[int],
    randomness: Sequence[Sequence[Scalar]],
) -> None:
    if row_shape(outputs, "output") != (n, width):
        raise ValueError("the output rows do not have the shape of the input rows")
    if sorted(permutation) != list(range(n)):
        raise ValueError("the permutation is not a permutation of the rows")
    if len(randomness) != n or any(len(row) != width for row in randomness):
        raise ValueError("the randomness must hold one scalar per output ciphertext")


def prove_shuffle(
    public_key: Point,
    input_rows: Rows,
    output_rows: Rows,
    permutation: Sequence[int],
    randomness: Sequence[Sequence[Scalar]],
    context: ShuffleContext,
    rng: Rng,
    jobs: int = 1,
) -> ShuffleProof:
    """Prove that ``output_rows`` is ``input_rows`` permuted by ``permutation``
    and re-encrypted with ``randomness`` under ``public_key`` (14.4), as
    shuffle_rows returned them. Draws, in this order: r_i (N), r̂_j (N),
    ω1, ω2, ω3, ω4_k (w), ω̂_j (N), ω'_j (N)."""
    n, width = row_shape(input_rows, "input")
    _check_witness(n, width, output_rows, permutation, randomness)
    inverse = [0] * n
    for j, i in enumerate(permutation):
        inverse[i] = j
    hs = generators(n)
    commitment_randomness = [rng.scalar().value for _ in range(n)]
    commitments = _concat(work.run(work.permutation_commitments, {
        "commitment_randomness": commitment_randomness, "inverse": inverse, "generators": hs,
    }, n, jobs))

    statement = _Statement.of(context, public_key, input_rows, output_rows, commitments)
    seed = statement.transcript("shuffle-seed").challenge()
    weights = _weights(seed, n)
    permuted = [weights[i] for i in permutation]

    chain_randomness = [rng.scalar().value for _ in range(n)]
    products, offsets = [], []
    product, offset = 1, 0
    for u, r in zip(permuted, chain_randomness, strict=True):
        product, offset = product * u % L, (offset * u + r) % L
        products.append(product)
        offsets.append(offset)
    chain = _concat(work.run(work.chain_commitments, {
        "products": products, "offsets": offsets, "chain_base": CHAIN_BASE,
    }, n, jobs))

    omega1, omega2, omega3 = (rng.scalar().value for _ in range(3))
    omega4 = [rng.scalar().value for _ in range(width)]
    omega_hat = [rng.scalar().value for _ in range(n)]
    omega_prime = [rng.scalar().value for _ in range(n)]
    parts = work.run(work.prover_commitments, {
        "outputs": output_rows, "chain": chain, "chain_base": CHAIN_BASE, "generators": hs,
        "omega_prime": omega_prime, "omega_hat": omega_hat,
    }, n, jobs)
    on_generators = work.add_all([p[0] for p in parts])
    alphas = [work.add_all([p[1][k] for p in parts]) for k in range(width)]
    betas = [work.add_all([p[2][k] for p in parts]) for k in range(width)]
    chain_terms = [t for p in parts for t in p[3]]
    t1, t2 = work.base(omega1), work.base(omega2)
    t3 = work.add(work.base(omega3), on_generators)
    key = public_key.encoded
    t4 = [
        (work.sub(alphas[k], work.base(omega4[k])), work.sub(betas[k], work.mul(omega4[k], key)))
        for k in range(width)
    ]
    c = _final_challenge(statement, chain, t1, t2, t3, t4, chain_terms)

    r_bar = sum(commitment_randomness) % L
    r_weighted = sum(r * u for r, u in zip(commitment_randomness, weights, strict=True)) % L
    s4 = []
    for k in range(width):
        r_k = sum(randomness[j][k].value * permuted[j] for j in range(n)) % L
        s4.append(Scalar((omega4[k] + c * r_k) % L))
    return ShuffleProof(
        commitments=tuple(map(Point, commitments)),
        chain=tuple(map(Point, chain)),
        challenge=Scalar(c),
        s1=Scalar((omega1 + c * r_bar) % L),
        s2=Scalar((omega2 + c * offsets[-1]) % L),
        s3=Scalar((omega3 + c * r_weighted) % L),
        s4=tuple(s4),
        s_hat=tuple(Scalar((w + c * r) % L) for w, r in zip(omega_hat, chain_randomness,
                                                            strict=True)),
        s_prime=tuple(Scalar((w + c * u) % L) for w, u in zip(omega_prime, permuted,
                                                              strict=True)),
    )


def _concat(parts: list[list[bytes]]) -> list[bytes]:
    return [p for part in parts for p in part]


def _check_sizes(n: int, width: int, outputs: Rows, proof: ShuffleProof) -> None:
    if len(outputs) != n:
        raise InvalidProof(f"the shuffle has {n} input rows but {len(outputs)} output rows",
                           "output")
    if row_shape(outputs, "output")[1] != width:
        raise InvalidProof(f"the input rows hold {width} ciphertexts each but the output "
                           f"rows {len(outputs[0])}", "output")
    for name in ("commitments", "chain", "s_hat", "s_prime"):
        found = len(getattr(proof, name))
        if found != n:
            raise InvalidProof(f"expected {n} items, one per row, found {found}",
                               f"proof.{name}")
    if len(proof.s4) != width:
        raise InvalidProof(f"expected {width} items, one per column, found {len(proof.s4)}",
                           "proof.s4")


def verify_shuffle(
    public_key: Point,
    input_rows: Rows,
    output_rows: Rows,
    proof: ShuffleProof,
    context: ShuffleContext,
    jobs: int = 1,
) -> None:
    """Check that ``output_rows`` is a re-encryption of a permutation of
    ``input_rows`` under ``public_key`` (14.6); raise InvalidProof if not."""
    n, width = row_shape(input_rows, "input")
    _check_sizes(n, width, output_rows, proof)
    commitments = [p.encoded for p in proof.commitments]
    chain = [p.encoded for p in proof.chain]
    statement = _Statement.of(context, public_key, input_rows, output_rows, commitments)
    seed = statement.transcript("shuffle-seed").challenge()
    weights = _weights(seed, n)
    c = proof.challenge.value
    parts = work.run(work.verifier_sums, {
        "inputs": input_rows, "outputs": output_rows, "commitments": commitments,
        "chain": chain, "chain_base": CHAIN_BASE, "generators": generators(n),
        "weights": weights, "s_prime": [s.value for s in proof.s_prime],
        "s_hat": [s.value for s in proof.s_hat], "challenge": c,
    }, n, jobs)

    def total(name: str) -> bytes:
        return work.add_all([part[name] for part in parts])

    def column(name: str, k: int) -> bytes:
        return work.add_all([part[name][k] for part in parts])

    product = 1
    for u in weights:
        product = product * u % L
    commitment_sum = work.sub(total("commitment_sum"), total("generator_sum"))
    chain_end = work.sub(chain[-1], work.mul(product, CHAIN_BASE))
    t1 = work.sub(work.base(proof.s1.value), work.mul(c, commitment_sum))
    t2 = work.sub(work.base(proof.s2.value), work.mul(c, chain_end))
    t3 = work.sub(work.add(work.base(proof.s3.value), total("on_generators")),
                  work.mul(c, total("weighted")))
    key = public_key.encoded
    t4 = []
    for k, s4 in enumerate(proof.s4):
        alpha = work.sub(column("out_alpha", k), work.base(s4.value))
        beta = work.sub(column("out_beta", k), work.mul(s4.value, key))
        t4.append((work.sub(alpha, work.mul(c, column("in_alpha", k))),
                   work.sub(beta, work.mul(c, column("in_beta", k)))))
    chain_terms = [t for part in parts for t in part["chain_terms"]]
    if _final_challenge(statement, chain, t1, t2, t3, t4, chain_terms) != c:
        raise InvalidProof(
            "the shuffle proof does not verify: its challenge is not the hash of the "
            "commitments recomputed from its responses",
            "proof",
        )
