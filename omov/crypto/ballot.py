"""Ballots (section 7): the fingerprint, encryption in the order of draws,
checking, hashes, trackers and audited ballots.

``verify_ballot`` checks everything of 7.4 except eligibility: the caller
looks the returned credential up on the roll.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from omov.crypto.base32 import encode_bits, grouped
from omov.crypto.canonical import canonical_json, canonical_json_unchecked
from omov.crypto.elgamal import Ciphertext, encrypt
from omov.crypto.errors import InvalidBallot, InvalidEncoding
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.proofs import SchnorrProof, ValueSetProof
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import RankedAnswer, encrypt_ranked
from omov.crypto.transcript import Rng, transcript_bytes

TAG_OPTION = "option"
TAG_SUM = "sum"
TAG_BALLOT_SIGNATURE = "ballot-signature"
MAX_BALLOT_BYTES = 2 << 20
OPTION_VALUES = (0, 1)
BALLOT_MEMBERS = frozenset({"election", "credential", "answers", "signature"})
ANSWER_MEMBERS = frozenset({"choices", "proofs", "sum_proof"})
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")


def fingerprint(manifest_digest: bytes, public_key: Point, roll_digest: bytes) -> bytes:
    """SHA256(T("fingerprint", manifest_digest, Y, roll_digest)) (7.1)."""
    return hashlib.sha256(
        transcript_bytes("fingerprint", manifest_digest, public_key, roll_digest)
    ).digest()


@dataclass(frozen=True)
class ElectionContext:
    """What every ballot of one election is checked against: its
    ``fingerprint`` (7.1), the joint ``public_key`` Y, and the question
    ``rules`` in manifest order. Picklable, for worker processes."""

    fingerprint: bytes
    public_key: Point
    rules: tuple[QuestionRule, ...]


def ballot_hash(ballot: Any) -> bytes:
    """digest(ballot), the whole ballot with its signature (7.5)."""
    return hashlib.sha256(canonical_json(ballot)).digest()


def tracker(hash_: bytes) -> str:
    """The first 10 bytes of a ballot hash in Crockford base32, in four
    groups of four: ``7QXM-2K4D-PJ9A-W3RT``."""
    return grouped(encode_bits(hash_[:10], 16), 4)


def _signed_bytes(unsigned: bytes, signature: dict[str, str]) -> bytes:
    """The canonical ballot from the canonical unsigned ballot: "signature"
    sorts after every other member, so it is appended before the final brace."""
    return unsigned[:-1] + b',"signature":' + canonical_json(signature) + b"}"


@dataclass(frozen=True)
class PreparedBallot:
    """A ballot encrypted in the voter's browser (or a test), before it is
    cast or audited. ``randomness`` holds r_{q,o} per encrypted option and
    ``selections`` the 0/1 values of all m options per question."""

    ballot: dict[str, Any]
    randomness: tuple[tuple[Scalar, ...], ...]
    selections: tuple[tuple[int, ...], ...]
    hash: bytes

    @property
    def tracker(self) -> str:
        return tracker(self.hash)

    def audit_reveal(self) -> dict[str, Any]:
        """The anonymous ``audited_ballot`` body (7.6) that opens this ballot.

        It holds the election, the ciphertexts, their randomness and the
        selections, and nothing of the voter: not the credential, not the
        proofs bound to it, not the signature.
        """
        return {
            "election": self.ballot["election"],
            "choices": [answer["choices"] for answer in self.ballot["answers"]],
            "randomness": [[r.hex() for r in row] for row in self.randomness],
            "selections": [list(row) for row in self.selections],
        }


def check_selections(
    rules: Sequence[QuestionRule], selections: Sequence[Sequence[int]]
) -> tuple[tuple[int, ...], ...]:
    """``selections`` as tuples, or InvalidBallot naming the question whose
    selection breaks its rule (one 0/1 per option, sum in [min, max])."""
    if len(selections) != len(rules):
        raise InvalidBallot(
            f"expected a selection for each of {len(rules)} questions, "
            f"found {len(selections)}",
            "selections",
        )
    checked = []
    for q, (rule, selection) in enumerate(zip(rules, selections, strict=True)):
        row = tuple(selection)
        if rule.ranked and not (all(type(v) is int for v in row) and rule.allows(row)):
            raise InvalidBallot(
                f"question {q + 1} needs a 0 or 1 for each of its {rule.encrypted_count} cells "
                f"(candidate j at rank i in cell j·{rule.max} + i) that rank between "
                f"{rule.min} and {rule.max} candidates, each once, one per rank, with no gap",
                f"selections[{q}]",
            )
        if not (all(type(v) is int for v in row) and rule.allows(row)):
            raise InvalidBallot(
                f"question {q + 1} needs a 0 or 1 for each of its {rule.options} options "
                f"with between {rule.min} and {rule.max} chosen",
                f"selections[{q}]",
            )
        checked.append(row)
    return tuple(checked)


def encrypt_ballot(
    ctx: ElectionContext,
    credential_secret: Scalar,
    selections: Sequence[Sequence[int]],
    rng: Rng,
) -> PreparedBallot:
    """Encrypt, prove and sign a ballot, drawing from ``rng`` in the order of 7.3.

    ``credential_secret`` is the voter's x (6.2); ``selections`` holds a 0/1
    value for every option of every question (the implicit last one included).
    """
    chosen = check_selections(ctx.rules, selections)
    credential = base_mult(credential_secret)
    key = ctx.public_key
    answers = []
    randomness = []
    for q, (rule, row) in enumerate(zip(ctx.rules, chosen, strict=True)):
        if rule.ranked:
            answer, cells_drawn = encrypt_ranked(ctx.fingerprint, credential, key, q, rule, row,
                                                 rng)
            answers.append(answer)
            randomness.append(cells_drawn)
            continue
        choices, proofs, drawn = [], [], []
        for o, value in enumerate(row[: rule.encrypted_count]):
            r = rng.scalar()
            choice = encrypt(key, value, r)
            proof = ValueSetProof.prove(
                TAG_OPTION, (ctx.fingerprint, credential, q, o), key, choice,
                OPTION_VALUES, value, r, rng,
            )
            choices.append(choice)
            proofs.append(proof.to_json())
            drawn.append(r)
        sum_proof = None
        if rule.needs_sum_proof:
            sum_proof = _prove_sum(ctx, credential, q, rule, choices, drawn, row, rng).to_json()
        answers.append({
            "choices": [choice.to_json() for choice in choices],
            "proofs": proofs,
            "sum_proof": sum_proof,
        })
        randomness.append(tuple(drawn))
    unsigned = {"answers": answers, "credential": credential.hex(),
                "election": ctx.fingerprint.hex()}
    unsigned_bytes = canonical_json(unsigned)
    signature = SchnorrProof.prove(
        TAG_BALLOT_SIGNATURE, (ctx.fingerprint, hashlib.sha256(unsigned_bytes).digest()),
        credential_secret, rng,
    ).to_json()
    ballot = {**unsigned, "signature": signature}
    hash_ = hashlib.sha256(_signed_bytes(unsigned_bytes, signature)).digest()
    return PreparedBallot(ballot, tuple(randomness), chosen, hash_)


def _prove_sum(
    ctx: ElectionContext, credential: Point, q: int, rule: QuestionRule,
    choices: list[Ciphertext], drawn: list[Scalar], row: tuple[int, ...], rng: Rng,
) -> ValueSetProof:
    low, high = rule.sum_range
    total = choices[0]
    for choice in choices[1:]:
        total = total + choice
    randomness = Scalar.from_int(sum(r.value for r in drawn))
    encrypted_sum = sum(row[: rule.encrypted_count])
    return ValueSetProof.prove(
        TAG_SUM, (ctx.fingerprint, credential, q), ctx.public_key, total,
        range(low, high + 1), encrypted_sum - low, randomness, rng,
    )


@dataclass(frozen=True)
class VerifiedBallot:
    """A ballot that passed 7.4 (but for eligibility): its ``credential``
    X, its ``choices`` per question per encrypted option, and its ``hash``."""

    credential: Point
    choices: tuple[tuple[Ciphertext, ...], ...]
    hash: bytes


def _expect_list(value: Any, length: int, field: str, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidBallot(f"{what} must be a list", field)
    if len(value) != length:
        raise InvalidBallot(f"expected {length} {what}, found {len(value)}", field)
    return value


def _expect_members(value: Any, members: frozenset[str], field: str | None, what: str) -> None:
    if not isinstance(value, dict):
        raise InvalidBallot(f"{what} must be a JSON object", field)
    if value.keys() != members:
        extra = sorted(value.keys() - members)
        missing = sorted(members - value.keys())
        detail = f"unexpected member {extra[0]!r}" if extra else f"missing member {missing[0]!r}"
        prefix = f"{field}." if field else ""
        raise InvalidBallot(f"{what}: {detail}", prefix + (extra or missing)[0])


def _check_election(ctx: ElectionContext, election: Any) -> None:
    if election != ctx.fingerprint.hex():
        if not isinstance(election, str) or not _FINGERPRINT.fullmatch(election):
            raise InvalidEncoding("the election fingerprint must be 64 lowercase hexadecimal "
                                  "characters", "election")
        raise InvalidBallot("this ballot is for another election (fingerprint differs)",
                            "election")


def verify_ballot(
    ctx: ElectionContext, ballot: Any, canonical: bytes | None = None
) -> VerifiedBallot:
    """Check ``ballot`` (parsed JSON) against the election ``ctx`` as in 7.4,
    except roll membership. Raises InvalidBallot, InvalidEncoding or
    InvalidProof naming the field, e.g. ``answers[0].proofs[1]``.

    ``canonical`` is the ballot's canonical JSON when the caller already
    holds it (the body of a board line checked to be canonical), so that it
    is not serialised again; it must be exactly ``canonical_json(ballot)``."""
    _expect_members(ballot, BALLOT_MEMBERS, None, "a ballot")
    _check_election(ctx, ballot["election"])
    credential = Point.from_hex(ballot["credential"], "credential")
    answers = _expect_list(ballot["answers"], len(ctx.rules), "answers", "answers")
    parsed = [RankedAnswer.from_json(answer, rule, q) if rule.ranked else
              _parse_answer(answer, rule, q)
              for q, (answer, rule) in enumerate(zip(answers, ctx.rules, strict=True))]
    signature = SchnorrProof.from_json(ballot["signature"], "signature")
    # The shape checks above leave only objects, lists, hex strings and null,
    # so the type walk of canonical_json is not needed. "signature" sorts last,
    # so the unsigned ballot is the signed one with that member cut off.
    signed_bytes = canonical_json_unchecked(ballot) if canonical is None else canonical
    unsigned_bytes = signed_bytes[: signed_bytes.rindex(b',"signature":')] + b"}"
    if len(signed_bytes) > MAX_BALLOT_BYTES:
        raise InvalidBallot(f"the ballot is {len(signed_bytes)} bytes; at most 2 MiB is allowed")
    key, election = ctx.public_key, ctx.fingerprint
    for q, (rule, answer) in enumerate(zip(ctx.rules, parsed, strict=True)):
        if isinstance(answer, RankedAnswer):
            answer.verify(election, credential, key, q, rule)
            continue
        choices, proofs, sum_proof = answer
        for o, (choice, proof) in enumerate(zip(choices, proofs, strict=True)):
            proof.verify(TAG_OPTION, (election, credential, q, o), key, choice, OPTION_VALUES,
                         f"answers[{q}].proofs[{o}]")
        if sum_proof is not None:
            low, high = rule.sum_range
            total = choices[0]
            for choice in choices[1:]:
                total = total + choice
            sum_proof.verify(TAG_SUM, (election, credential, q), key, total,
                             range(low, high + 1), f"answers[{q}].sum_proof")
    signature.verify(TAG_BALLOT_SIGNATURE, (election, hashlib.sha256(unsigned_bytes).digest()),
                     credential, "signature")
    return VerifiedBallot(
        credential,
        tuple(answer.choices if isinstance(answer, RankedAnswer) else answer[0]
              for answer in parsed),
        hashlib.sha256(signed_bytes).digest(),
    )


def _parse_answer(
    answer: Any, rule: QuestionRule, q: int
) -> tuple[tuple[Ciphertext, ...], tuple[ValueSetProof, ...], ValueSetProof | None]:
    field = f"answers[{q}]"
    _expect_members(answer, ANSWER_MEMBERS, field, "an answer")
    count = rule.encrypted_count
    choices = tuple(
        Ciphertext.from_json(item, f"{field}.choices[{o}]") for o, item in
        enumerate(_expect_list(answer["choices"], count, f"{field}.choices", "choices"))
    )
    proofs = tuple(
        ValueSetProof.from_json(item, f"{field}.proofs[{o}]") for o, item in
        enumerate(_expect_list(answer["proofs"], count, f"{field}.proofs", "proofs"))
    )
    sum_proof = None
    if rule.needs_sum_proof:
        if answer["sum_proof"] is None:
            raise InvalidBallot("this question needs a sum proof", f"{field}.sum_proof")
        sum_proof = ValueSetProof.from_json(answer["sum_proof"], f"{field}.sum_proof")
    elif answer["sum_proof"] is not None:
        raise InvalidBallot("this question takes no sum proof (must be null)",
                            f"{field}.sum_proof")
    return choices, proofs, sum_proof



AUDIT_MEMBERS = frozenset({"election", "choices", "randomness", "selections"})


def audit_hash(reveal: Any) -> bytes:
    """digest(audited ballot body): names an anonymous audit on the board (7.6)."""
    return hashlib.sha256(canonical_json(reveal)).digest()


def check_audit(ctx: ElectionContext, reveal: Any) -> tuple[tuple[int, ...], ...]:
    """Check an anonymous ``audited_ballot`` body (7.6) and return its selections.

    The body holds exactly ``election``, ``choices``, ``randomness`` and
    ``selections``; every choice must be a valid ciphertext and equal
    Enc_Y(v; r) for the revealed v and r, every v a JSON integer 0 or 1, and
    each question's selections must obey its rule. There is no credential,
    so eligibility does not apply.
    """
    _expect_members(reveal, AUDIT_MEMBERS, None, "an audited ballot")
    _check_election(ctx, reveal["election"])
    if len(canonical_json(reveal)) > MAX_BALLOT_BYTES:
        raise InvalidBallot("an audited ballot's canonical JSON is at most 2 MiB")
    rows = _expect_list(reveal["choices"], len(ctx.rules), "choices", "choice rows")
    parsed = []
    for q, (rule, row) in enumerate(zip(ctx.rules, rows, strict=True)):
        field = f"choices[{q}]"
        items = _expect_list(row, rule.encrypted_count, field, "choices")
        parsed.append([Ciphertext.from_json(item, f"{field}[{o}]")
                       for o, item in enumerate(items)])
    randomness = _expect_list(reveal["randomness"], len(ctx.rules), "randomness",
                              "randomness rows")
    selections = _expect_list(reveal["selections"], len(ctx.rules), "selections",
                              "selection rows")
    if not all(isinstance(row, list) for row in selections):
        raise InvalidBallot("each question's selections must be a list", "selections")
    chosen = check_selections(ctx.rules, selections)
    for q, (rule, row, choices) in enumerate(zip(ctx.rules, randomness, parsed, strict=True)):
        field = f"randomness[{q}]"
        revealed = _expect_list(row, rule.encrypted_count, field, "randomness values")
        for o, (text, choice) in enumerate(zip(revealed, choices, strict=True)):
            r = Scalar.from_hex(text, f"{field}[{o}]")
            if encrypt(ctx.public_key, chosen[q][o], r) != choice:
                raise InvalidBallot(
                    f"the revealed {field}[{o}] and selections[{q}][{o}] = {chosen[q][o]} "
                    f"do not give this choice (question {q + 1}, option {o + 1})",
                    f"choices[{q}][{o}]",
                )
    return chosen
