"""Ranked-question vectors (protocol 5.2, 7.3): forged and tampered ranked
ballots and audits (added to ballots.json), and ranked.json: cells of
rankings and the rows the mix shuffles."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from ranked_forgery import cells, forged_ballot
from vector_primitives import rng

from omov.crypto.ballot import ElectionContext, check_audit, verify_ballot
from omov.crypto.credentials import credential_secret, new_code
from omov.crypto.elgamal import decrypt_to_point, small_multiple
from omov.crypto.errors import ProtocolError
from omov.crypto.group import base_mult
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import cells_from_ranking, ranked_rows

Change = Callable[[dict[str, Any]], object]

# The "ranked" election of vector_protocol: question 1 ranks 3 of 4 candidates
# (min 1), question 2 ranks up to 3 of 3 (min 0). Cell (j, i) is j·R + i.
FORGERIES: list[tuple[str, list[int], str]] = [
    ("a candidate ranked twice", cells(4, 3, [(2, 0), (2, 1)]), "candidate_proofs[2]"),
    ("a gap at rank 2", cells(4, 3, [(2, 0), (0, 2)]), "rank_proofs[2]"),
    ("two candidates at rank 1", cells(4, 3, [(0, 0), (2, 0)]), "rank_proofs[0]"),
    ("two candidates at rank 2", cells(4, 3, [(1, 0), (0, 1), (2, 1)]), "rank_proofs[1]"),
    ("a value 2 in a cell", cells(4, 3, [(2, 0)], 2), "proofs[6]"),
    ("a blank ballot where min is 1", cells(4, 3, []), "rank_proofs[0]"),
]


def _failure(check: Callable[[], object]) -> tuple[str, str | None]:
    try:
        check()
    except ProtocolError as error:
        return type(error).__name__, error.field
    raise AssertionError("a rejected vector was accepted")


def _secret() -> Any:
    code = new_code(hashlib.sha256(b"voter 9").digest()[:12])
    return credential_secret(hashlib.sha256(b"omov protocol test vector manifest").digest(), code)


def forgeries(ctx: ElectionContext) -> list[tuple[str, dict[str, Any], str]]:
    """(description, forged ballot, the field a verifier names) for the "ranked" election."""
    found = []
    for n, (description, row, field) in enumerate(FORGERIES):
        forged = forged_ballot(ctx, _secret(), [[1, 0], row, [0] * 9], rng(f"forgery-{n}"))
        found.append((description, forged.ballot, f"answers[1].{field}"))
    wide = ElectionContext(ctx.fingerprint, ctx.public_key,
                           (ctx.rules[0], QuestionRule(4, 1, 4, ranked=True), ctx.rules[2]))
    beyond = forged_ballot(wide, _secret(), [[1, 0], cells(4, 4, [(2, 0), (0, 1), (3, 2), (1, 3)]),
                                             [0] * 9], rng("forgery-beyond"))
    found.append(("a rank beyond R (a fourth column)", beyond.ballot, "answers[1].choices"))
    return found


def _tamper(other: dict[str, Any]) -> list[tuple[str, Change]]:
    return [
        ("a ranked answer with a sum proof",
         lambda b: b["answers"][1].update(sum_proof=None)),
        ("a ranked answer without rank proofs", lambda b: b["answers"][2].pop("rank_proofs")),
        ("a candidate proof missing", lambda b: b["answers"][1]["candidate_proofs"].pop()),
        ("rank proofs swapped", lambda b: b["answers"][1]["rank_proofs"].reverse()),
        ("another ballot's ranked cells", lambda b: b["answers"][2].update(
            choices=other["answers"][2]["choices"])),
        ("another ballot's candidate proof", lambda b: b["answers"][2]["candidate_proofs"]
         .__setitem__(0, other["answers"][2]["candidate_proofs"][0])),
        ("a first-rank proof of two values where min is 1",
         lambda b: b["answers"][1]["rank_proofs"].__setitem__(
             0, b["answers"][1]["rank_proofs"][1])),
    ]


def ranked_rejected(base: dict[str, Any], other: dict[str, Any]) -> list[dict[str, Any]]:
    """Rejected ballots of the "ranked" election: tampered copies of ``base`` and forgeries."""
    from vector_protocol import _election

    ctx = _election("ranked")
    rejected = []
    for description, change in _tamper(other):
        ballot = copy.deepcopy(base)
        change(ballot)
        error, field = _failure(lambda ballot=ballot: verify_ballot(ctx, ballot))
        rejected.append({"election": "ranked", "description": description, "ballot": ballot,
                         "error": error, "field": field})
    for description, ballot, expected in forgeries(ctx):
        error, field = _failure(lambda ballot=ballot: verify_ballot(ctx, ballot))
        assert field == expected, (description, field)
        rejected.append({"election": "ranked", "description": f"forged: {description}",
                         "ballot": ballot, "error": error, "field": field})
    return rejected


def ranked_rejected_audits(reveal: dict[str, Any]) -> list[dict[str, Any]]:
    """Rejected audits of the "ranked" election, from the valid ``reveal``."""
    from vector_protocol import _election

    ctx = _election("ranked")
    audits = []
    for description, change in [
        ("a ranked selection with a candidate twice",
         lambda r: r["selections"].__setitem__(1, cells(4, 3, [(2, 0), (2, 1)]))),
        ("a ranked selection with a gap",
         lambda r: r["selections"].__setitem__(1, cells(4, 3, [(2, 0), (0, 2)]))),
        ("a ranked selection of one value per candidate",
         lambda r: r["selections"].__setitem__(1, [0, 0, 1, 0])),
        ("another valid ranking than the encryption",
         lambda r: r["selections"].__setitem__(1, cells(4, 3, [(0, 0), (2, 1), (3, 2)]))),
    ]:
        tampered = copy.deepcopy(reveal)
        change(tampered)
        error, field = _failure(lambda tampered=tampered: check_audit(ctx, tampered))
        audits.append({"election": "ranked", "description": description, "reveal": tampered,
                       "error": error, "field": field})
    return audits


def _decrypt_small(secret: Any, ciphertext: Any, bound: int) -> int:
    point = decrypt_to_point(secret, ciphertext)
    for value in range(bound + 1):
        if (point.is_identity() if value == 0 else point == small_multiple(value)):
            return value
    raise AssertionError("a row value out of range")


def ranked_vectors() -> dict[str, Any]:
    """ranked.json: rankings as cells, and each ranked ballot's rows."""
    from vector_protocol import ELECTIONS, _ballot_cases, _election

    rules = ELECTIONS["ranked"]
    conversions = []
    for q, ranking in [(1, [2, 0, 3]), (1, [1]), (1, [3, 2, 1]), (2, []), (2, [2, 0, 1])]:
        conversions.append({"rule": {"options": rules[q].options, "min": rules[q].min,
                                     "max": rules[q].max, "ranked": True},
                            "ranking": ranking,
                            "cells": list(cells_from_ranking(rules[q], ranking))})
    ctx = _election("ranked")
    secret = rng("election-key-ranked").scalar()
    assert base_mult(secret) == ctx.public_key
    rows = []
    for n, case in enumerate(_ballot_cases()):
        if case["election"] != "ranked":
            continue
        verified = verify_ballot(ctx, case["ballot"])
        for q, rule in enumerate(ctx.rules):
            if not rule.ranked:
                continue
            row = ranked_rows(rule, verified.choices[q])
            rows.append({"ballot": n, "question": q,
                         "rows": [c.to_json() for c in row],
                         "values": [_decrypt_small(secret, c, rule.options) for c in row]})
    return {"election": "ranked", "election_secret": secret.hex(), "cells": conversions,
            "rows": rows}

