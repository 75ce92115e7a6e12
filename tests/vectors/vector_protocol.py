"""Vectors for proofs, ballots and credentials (see generate.py)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from vector_primitives import item_json, rng
from vector_ranked import ranked_rejected, ranked_rejected_audits

from omov.crypto.ballot import ElectionContext, check_audit, encrypt_ballot, verify_ballot
from omov.crypto.credentials import (
    credential_secret,
    new_code,
    normalise_code,
    public_credential,
    sign_roll,
)
from omov.crypto.elgamal import encrypt
from omov.crypto.errors import ProtocolError
from omov.crypto.group import IDENTITY, G, Point, Scalar, base_mult
from omov.crypto.proofs import DleqProof, SchnorrProof, ValueSetProof
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import cells_from_ranking
from omov.crypto.transcript import Item

DIGEST = hashlib.sha256(b"omov protocol test vector manifest").digest()
FINGERPRINT = hashlib.sha256(b"omov protocol test vector fingerprint").digest()


def _context(items: tuple[Item, ...]) -> list[dict[str, Any]]:
    return [item_json(item) for item in items]


def _failure(check: Callable[[], object]) -> tuple[str, str | None]:
    try:
        check()
    except ProtocolError as error:
        return type(error).__name__, error.field
    raise AssertionError("a rejected vector was accepted")


def proof_vectors() -> dict[str, Any]:
    inputs = rng("proof-inputs")
    schnorr, dleq, value_set, rejected = [], [], [], []
    for n, (tag, context) in enumerate([
        ("ballot-signature", (FINGERPRINT, hashlib.sha256(b"ballot").digest())),
        ("trustee-key", (DIGEST, 3)),
        ("coefficient", (DIGEST, 2, 1)),
    ]):
        secret, seed = inputs.scalar(), f"schnorr-{n}"
        proof = SchnorrProof.prove(tag, context, secret, rng(seed))
        case = {"seed": seed, "tag": tag, "context": _context(context), "secret": secret.hex(),
                "public": base_mult(secret).hex(), "proof": proof.to_json()}
        schnorr.append(case)
    wrong_key = base_mult(inputs.scalar())
    rejected.append({**schnorr[0], "kind": "schnorr", "public": wrong_key.hex(),
                     "error": "InvalidProof", "reason": "another public key"})
    for n, (tag, context) in enumerate([
        ("partial-decryption", (FINGERPRINT, 2, 0, 1)),
        ("complaint", (DIGEST, 3, 1)),
    ]):
        secret, base_a, seed = inputs.scalar(), base_mult(inputs.scalar()), f"dleq-{n}"
        proof = DleqProof.prove(tag, context, secret, base_a, rng(seed))
        dleq.append({"seed": seed, "tag": tag, "context": _context(context),
                     "secret": secret.hex(), "base_a": base_a.hex(),
                     "public": base_mult(secret).hex(), "result_d": (secret * base_a).hex(),
                     "proof": proof.to_json()})
    moved = Point.from_hex(dleq[0]["result_d"]) + G
    rejected.append({**dleq[0], "kind": "dleq", "result_d": moved.hex(),
                     "error": "InvalidProof", "reason": "D is not x·A"})
    key = base_mult(inputs.scalar())
    for n, (tag, context, values, true_index) in enumerate([
        ("option", (FINGERPRINT, key, 0, 0), [0, 1], 0),
        ("option", (FINGERPRINT, key, 0, 1), [0, 1], 1),
        ("sum", (FINGERPRINT, key, 1), [1, 2], 1),
        ("sum", (FINGERPRINT, key, 2), [0, 1, 2, 3], 2),
        ("sum", (FINGERPRINT, key, 3), [2], 0),
    ]):
        randomness, seed = inputs.scalar(), f"value-set-{n}"
        ciphertext = encrypt(key, values[true_index], randomness)
        proof = ValueSetProof.prove(tag, context, key, ciphertext, values, true_index,
                                    randomness, rng(seed))
        value_set.append({"seed": seed, "tag": tag, "context": _context(context),
                          "public_key": key.hex(), "values": values, "true_index": true_index,
                          "randomness": randomness.hex(), "ciphertext": ciphertext.to_json(),
                          "proof": proof.to_json()})
    # A ciphertext of 2 with a proof that it is 0 or 1, made by a cheating prover.
    randomness = inputs.scalar()
    two = encrypt(key, 2, randomness)
    context = (FINGERPRINT, key, 0, 0)
    cheat = ValueSetProof.prove("option", context, key, two, [0, 1], 1, randomness,
                                rng("value-set-cheat"))
    rejected.append({"kind": "value_set", "seed": "value-set-cheat", "tag": "option",
                     "context": _context(context), "public_key": key.hex(), "values": [0, 1],
                     "ciphertext": two.to_json(), "proof": cheat.to_json(),
                     "error": "InvalidProof", "reason": "the ciphertext encrypts 2"})
    return {"schnorr": schnorr, "dleq": dleq, "value_set": value_set, "rejected": rejected}


ELECTIONS = {
    "yes-no": (QuestionRule(2, 1, 1),),
    "mixed": (QuestionRule(3, 1, 1), QuestionRule(5, 2, 2), QuestionRule(4, 0, 2),
              QuestionRule(3, 0, 3), QuestionRule(6, 1, 3)),
    "ranked": (QuestionRule(2, 1, 1), QuestionRule(4, 1, 3, ranked=True),
               QuestionRule(3, 0, 3, ranked=True)),
}
RANKINGS = [([2, 0, 3], [1]), ([1], []), ([3, 1, 0], [2, 0, 1])]
"""Rankings of the "ranked" election's two ranked questions, ballots 4 to 6."""


def _rule_json(rule: QuestionRule) -> dict[str, Any]:
    """A rule as the vectors write it: "ranked" appears only for a ranked question."""
    shape: dict[str, Any] = {"options": rule.options, "min": rule.min, "max": rule.max}
    return {**shape, "ranked": True} if rule.ranked else shape


def _election(name: str) -> ElectionContext:
    key = base_mult(rng(f"election-key-{name}").scalar())
    fingerprint = hashlib.sha256(f"omov vector election {name}".encode()).digest()
    return ElectionContext(fingerprint, key, ELECTIONS[name])


BALLOTS = [
    ("yes-no", [[1, 0]], 0),
    ("yes-no", [[0, 1]], 1),
    ("mixed", [[0, 0, 1], [1, 0, 0, 0, 1], [0, 1, 1, 0], [0, 0, 0], [1, 1, 1, 0, 0, 0]], 2),
    ("mixed", [[1, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1], [0, 0, 0, 0, 0, 1]], 3),
    *(("ranked", [[n % 2, 1 - n % 2],
                  list(cells_from_ranking(ELECTIONS["ranked"][1], first)),
                  list(cells_from_ranking(ELECTIONS["ranked"][2], second))], 4 + n)
      for n, (first, second) in enumerate(RANKINGS)),
]


def _ballot_cases() -> list[dict[str, Any]]:
    cases = []
    for n, (name, selections, voter) in enumerate(BALLOTS):
        code = new_code(hashlib.sha256(f"voter {voter}".encode()).digest()[:12])
        secret = credential_secret(DIGEST, code)
        seed = f"ballot-{n}"
        prepared = encrypt_ballot(_election(name), secret, selections, rng(seed))
        cases.append({"election": name, "manifest_digest": DIGEST.hex(), "code": code,
                      "credential_secret": secret.hex(), "selections": selections,
                      "seed": seed, "ballot": prepared.ballot,
                      "ballot_hash": prepared.hash.hex(), "tracker": prepared.tracker,
                      "audit_reveal": prepared.audit_reveal()})
    return cases


def _tamper(
    ballot: dict[str, Any], other: dict[str, Any]
) -> list[tuple[str, Callable[[dict[str, Any]], object]]]:
    return [
        ("no signature", lambda b: b.pop("signature")),
        ("an extra member", lambda b: b.update(note="hello")),
        ("another election", lambda b: b.update(election="00" * 32)),
        ("an election that is not hex", lambda b: b.update(election=b["election"].upper())),
        ("identity credential", lambda b: b.update(credential=IDENTITY.hex())),
        ("another voter's credential", lambda b: b.update(credential=other["credential"])),
        ("one answer too few", lambda b: b["answers"].pop()),
        ("a missing choice", lambda b: b["answers"][1]["choices"].pop()),
        ("a sum proof missing", lambda b: b["answers"][1].update(sum_proof=None)),
        ("a sum proof where none belongs",
         lambda b: b["answers"][3].update(sum_proof=b["answers"][1]["sum_proof"])),
        ("an identity alpha", lambda b: b["answers"][2]["choices"][0].update(
            alpha=IDENTITY.hex())),
        ("choices swapped", lambda b: b["answers"][2]["choices"].reverse()),
        ("another ballot's sum proof",
         lambda b: b["answers"][4].update(sum_proof=other["answers"][4]["sum_proof"])),
        ("a non-canonical response", lambda b: b["answers"][0]["proofs"][0]["responses"]
         .__setitem__(1, "ff" * 32)),
        ("another ballot's signature", lambda b: b.update(signature=other["signature"])),
        ("uppercase hex", lambda b: b.update(credential=b["credential"].upper())),
    ]


def ballot_vectors() -> dict[str, Any]:
    elections = [
        {"name": name, "fingerprint": ctx.fingerprint.hex(), "public_key": ctx.public_key.hex(),
         "rules": [_rule_json(r) for r in ctx.rules]}
        for name, ctx in ((name, _election(name)) for name in ELECTIONS)
    ]
    ballots = _ballot_cases()
    mixed = _election("mixed")
    base, other = ballots[2]["ballot"], ballots[3]["ballot"]
    rejected = []
    for description, change in _tamper(base, other):
        ballot = copy.deepcopy(base)
        change(ballot)
        error, field = _failure(lambda ballot=ballot: verify_ballot(mixed, ballot))
        rejected.append({"election": "mixed", "description": description, "ballot": ballot,
                         "error": error, "field": field})
    reveal = ballots[2]["audit_reveal"]
    audits = []
    for description, change in [
        ("a selection that differs from the encryption",
         lambda r: r["selections"].__setitem__(2, [1, 0, 1, 0])),
        ("randomness of another option",
         lambda r: r["randomness"][1].__setitem__(0, r["randomness"][1][1])),
        ("too many chosen", lambda r: r["selections"].__setitem__(4, [1, 1, 1, 1, 0, 0])),
        ("another election", lambda r: r.update(election="11" * 32)),
        ("the voter's credential", lambda r: r.update(credential="11" * 32)),
        ("a missing choice row", lambda r: r["choices"].pop()),
        ("an identity beta", lambda r: r["choices"][2][0].update(beta=IDENTITY.hex())),
        ("a selection true instead of 1",
         lambda r: r["selections"].__setitem__(0, [0, 0, True])),
    ]:
        tampered = copy.deepcopy(reveal)
        change(tampered)
        error, field = _failure(lambda tampered=tampered: check_audit(mixed, tampered))
        audits.append({"election": "mixed", "description": description, "reveal": tampered,
                       "error": error, "field": field})
    rejected += ranked_rejected(ballots[4]["ballot"], ballots[6]["ballot"])
    audits += ranked_rejected_audits(ballots[4]["audit_reveal"])
    return {"elections": elections, "ballots": ballots, "rejected": rejected,
            "rejected_audits": audits}


def credential_vectors() -> dict[str, Any]:
    randoms = [bytes(12), b"\xff" * 12, bytes(range(12))] + [
        hashlib.sha256(f"code {n}".encode()).digest()[:12] for n in range(8)
    ]
    codes = [{"random": r.hex(), "code": new_code(r)} for r in randoms]
    # A code holding 0 and 1 (for O, I and l to stand for) whose first two
    # symbols differ (so that swapping them is a typo).
    code = next(c["code"] for c in codes
                if "0" in c["code"] and "1" in c["code"] and c["code"][0] != c["code"][1])
    plain = code.replace("-", "")
    flipped = plain[:7] + ("Z" if plain[7] != "Z" else "Y") + plain[8:]
    normalise: list[dict[str, Any]] = [
        {"input": text, "code": normalise_code(text)}
        for text in (code, plain, code.lower(), " ".join(code.split("-")),
                     plain.replace("0", "O").replace("1", "I"), plain.replace("1", "l"))
    ]
    for text in (plain[:-1], plain + "0", flipped, plain[1] + plain[0] + plain[2:],
                 plain[:4] + "U" + plain[5:], code.replace("-", "_"), ""):
        error, _ = _failure(lambda text=text: normalise_code(text))
        normalise.append({"input": text, "error": error})
    keys = []
    for case in codes[:4]:
        secret = credential_secret(DIGEST, case["code"])
        keys.append({"manifest_digest": DIGEST.hex(), "code": case["code"],
                     "secret": secret.hex(), "public": public_credential(secret).hex()})
    authority = rng("authority").scalar()
    members = [base_mult(Scalar.from_int(n + 2)) for n in range(5)]
    members.append(members[1])
    roll = sign_roll(DIGEST, authority, members, rng("roll-signature"))
    return {"codes": codes, "normalise": normalise, "keys": keys,
            "roll": {"manifest_digest": DIGEST.hex(), "authority_secret": authority.hex(),
                     "authority_key": base_mult(authority).hex(), "seed": "roll-signature",
                     "credentials": [m.hex() for m in members], "roll": roll}}
