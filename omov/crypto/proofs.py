"""Zero-knowledge proofs (section 4): Schnorr, Chaum-Pedersen, and the
disjunctive proof that a ciphertext encrypts one of a set of values.

Each proof is a frozen dataclass with ``prove`` and ``verify`` side by side.
``tag`` is the domain separation tag and ``context`` the items that bind the
proof to one election, credential, question or trustee; both go first into
the challenge. ``verify`` returns None or raises InvalidProof naming ``field``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from omov.crypto.elgamal import Ciphertext, small_multiple
from omov.crypto.errors import InvalidEncoding, InvalidProof
from omov.crypto.group import Point, Scalar, base_mult, mult
from omov.crypto.transcript import Item, Rng, challenge


def _members(obj: Any, keys: set[str], field: str | None, shape: str) -> dict[str, Any]:
    if not isinstance(obj, dict) or obj.keys() != keys:
        raise InvalidEncoding(f"a proof must be {shape}", field)
    return obj


def _path(field: str | None, name: str) -> str:
    return f"{field}.{name}" if field else name


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    """Knowledge of x with X = x·G (4.1); with the message in the context, a
    signature by X."""

    challenge: Scalar
    response: Scalar

    @classmethod
    def prove(cls, tag: str, context: tuple[Item, ...], secret: Scalar, rng: Rng) -> SchnorrProof:
        """Prove knowledge of ``secret`` (x); draws one nonce from ``rng``."""
        nonce = rng.scalar()
        c = challenge(tag, *context, base_mult(secret), base_mult(nonce))
        return cls(c, nonce + c * secret)

    def verify(
        self, tag: str, context: tuple[Item, ...], public: Point, field: str | None = None
    ) -> None:
        """Check the proof for X = ``public`` (a valid non-identity point)."""
        commitment = base_mult(self.response) - mult(self.challenge, public)
        if challenge(tag, *context, public, commitment) != self.challenge:
            raise InvalidProof(f"the {tag} proof does not verify", field)

    def to_json(self) -> dict[str, str]:
        return {"challenge": self.challenge.hex(), "response": self.response.hex()}

    @classmethod
    def from_json(cls, obj: Any, field: str | None = None) -> SchnorrProof:
        members = _members(
            obj, {"challenge", "response"}, field, '{"challenge": scalar, "response": scalar}'
        )
        return cls(
            Scalar.from_hex(members["challenge"], _path(field, "challenge")),
            Scalar.from_hex(members["response"], _path(field, "response")),
        )


@dataclass(frozen=True, slots=True)
class DleqProof:
    """Knowledge of x with X = x·G and D = x·A (4.2)."""

    challenge: Scalar
    response: Scalar

    @classmethod
    def prove(
        cls, tag: str, context: tuple[Item, ...], secret: Scalar, base_a: Point, rng: Rng
    ) -> DleqProof:
        """Prove that ``secret`` (x) relates X = x·G and D = x·``base_a``;
        draws one nonce."""
        nonce = rng.scalar()
        public, result_d = base_mult(secret), mult(secret, base_a)
        c = challenge(
            tag, *context, public, base_a, result_d, base_mult(nonce), mult(nonce, base_a)
        )
        return cls(c, nonce + c * secret)

    def verify(
        self,
        tag: str,
        context: tuple[Item, ...],
        public: Point,
        base_a: Point,
        result_d: Point,
        field: str | None = None,
    ) -> None:
        """Check the proof for X = ``public``, A = ``base_a``, D = ``result_d``."""
        c, s = self.challenge, self.response
        u = base_mult(s) - mult(c, public)
        v = mult(s, base_a) - mult(c, result_d)
        if challenge(tag, *context, public, base_a, result_d, u, v) != c:
            raise InvalidProof(f"the {tag} proof does not verify", field)

    def to_json(self) -> dict[str, str]:
        return {"challenge": self.challenge.hex(), "response": self.response.hex()}

    @classmethod
    def from_json(cls, obj: Any, field: str | None = None) -> DleqProof:
        members = _members(
            obj, {"challenge", "response"}, field, '{"challenge": scalar, "response": scalar}'
        )
        return cls(
            Scalar.from_hex(members["challenge"], _path(field, "challenge")),
            Scalar.from_hex(members["response"], _path(field, "response")),
        )


def _shifted_beta(beta: Point, value: int) -> Point:
    """beta - v·G, with no operation for v = 0."""
    return beta if value == 0 else beta - small_multiple(value)


def _simulated(
    public_key: Point, ciphertext: Ciphertext, value: int, c: Scalar, s: Scalar
) -> tuple[Point, Point]:
    """A_j = s·G - c·alpha and B_j = s·Y - c·(beta - v_j·G)."""
    a = base_mult(s) - mult(c, ciphertext.alpha)
    b = mult(s, public_key) - mult(c, _shifted_beta(ciphertext.beta, value))
    return a, b


@dataclass(frozen=True, slots=True)
class ValueSetProof:
    """The ciphertext encrypts one of the values v_0 < ... < v_{m-1} (4.3)."""

    challenges: tuple[Scalar, ...]
    responses: tuple[Scalar, ...]

    @staticmethod
    def _challenge(
        tag: str,
        context: tuple[Item, ...],
        public_key: Point,
        ciphertext: Ciphertext,
        values: Sequence[int],
        commitments: list[Point],
    ) -> Scalar:
        return challenge(
            tag, *context, public_key, ciphertext.alpha, ciphertext.beta,
            len(values), *values, *commitments,
        )

    @classmethod
    def prove(
        cls,
        tag: str,
        context: tuple[Item, ...],
        public_key: Point,
        ciphertext: Ciphertext,
        values: Sequence[int],
        true_index: int,
        randomness: Scalar,
        rng: Rng,
    ) -> ValueSetProof:
        """Prove that ``ciphertext`` encrypts one of ``values`` under Y = ``public_key``.

        The prover knows t = ``true_index`` and r = ``randomness``, with
        ``ciphertext`` = Enc_Y(values[t]; r). Draws c_j then s_j for each j ≠ t
        in increasing order, then the nonce w.
        """
        m = len(values)
        challenges: list[Scalar] = [Scalar(0)] * m
        responses: list[Scalar] = [Scalar(0)] * m
        commitments: list[Point] = []
        for j in range(m):
            if j != true_index:
                challenges[j] = rng.scalar()
                responses[j] = rng.scalar()
        nonce = rng.scalar()
        for j, value in enumerate(values):
            if j == true_index:
                commitments += [base_mult(nonce), mult(nonce, public_key)]
            else:
                commitments += _simulated(
                    public_key, ciphertext, value, challenges[j], responses[j]
                )
        c = cls._challenge(tag, context, public_key, ciphertext, values, commitments)
        simulated_sum = sum(ch.value for j, ch in enumerate(challenges) if j != true_index)
        challenges[true_index] = Scalar.from_int(c.value - simulated_sum)
        responses[true_index] = nonce + challenges[true_index] * randomness
        return cls(tuple(challenges), tuple(responses))

    def verify(
        self,
        tag: str,
        context: tuple[Item, ...],
        public_key: Point,
        ciphertext: Ciphertext,
        values: Sequence[int],
        field: str | None = None,
    ) -> None:
        """Check that ``ciphertext`` under ``public_key`` encrypts one of ``values``."""
        m = len(values)
        if len(self.challenges) != m or len(self.responses) != m:
            raise InvalidProof(
                f"expected {m} challenges and {m} responses, found "
                f"{len(self.challenges)} and {len(self.responses)}",
                field,
            )
        commitments: list[Point] = []
        for value, c, s in zip(values, self.challenges, self.responses, strict=True):
            commitments += _simulated(public_key, ciphertext, value, c, s)
        expected = self._challenge(tag, context, public_key, ciphertext, values, commitments)
        if Scalar.from_int(sum(c.value for c in self.challenges)) != expected:
            raise InvalidProof(f"the {tag} proof does not verify", field)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "challenges": [c.hex() for c in self.challenges],
            "responses": [s.hex() for s in self.responses],
        }

    @classmethod
    def from_json(cls, obj: Any, field: str | None = None) -> ValueSetProof:
        members = _members(
            obj, {"challenges", "responses"}, field,
            '{"challenges": [scalar, ...], "responses": [scalar, ...]}',
        )
        lists = []
        for name in ("challenges", "responses"):
            items = members[name]
            if not isinstance(items, list) or not items:
                raise InvalidEncoding(f"{name} must be a non-empty list of scalars",
                                      _path(field, name))
            lists.append(_scalars(items, _path(field, name)))
        return cls(lists[0], lists[1])


def _scalars(items: list[Any], path: str) -> tuple[Scalar, ...]:
    """The scalars of a JSON list; an error names ``path[n]``, the item at fault."""
    try:
        return tuple(map(Scalar.from_hex, items))
    except InvalidEncoding:
        pass
    # Decode again with the field paths, only to name the one at fault.
    return tuple(Scalar.from_hex(item, f"{path}[{n}]") for n, item in enumerate(items))
