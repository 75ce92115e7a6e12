"""The mix of a ranked question as board entries (protocol 12.1 and the mix contract).

Pure: no Django, so `omov trustee shuffle` runs it on the trustee's machine and
the server runs the same code before it appends anything. The input rows of a
question, the `shuffle` bodies of one shuffle (split in parts under a line
size) and back, the `ranked_decryption` bodies of one trustee and the rankings
the decryptions combine to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from omov.crypto.dlog import discrete_log
from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidEncoding, ProtocolError
from omov.crypto.group import IDENTITY, Point, Scalar
from omov.crypto.proofs import DleqProof
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import ranked_rows
from omov.crypto.shuffle_proof import ShuffleProof, rows_from_json, rows_to_json
from omov.crypto.threshold import lagrange_at_zero
from omov.crypto.transcript import Rng

Rows = list[list[Ciphertext]]
TAG_RANKED_DECRYPTION = "ranked-decryption"
MAX_PART_BYTES = 4 * 1024 * 1024
"""A part holds at most this many bytes (estimated), so that no board line passes 8 MiB."""
_ROW_BYTES_PER_CIPHERTEXT = 140
_ROW_BYTES_PER_ROW = 4 * 70 + 8
_SHUFFLE_MEMBERS = {"question", "trustee", "part", "parts", "rows", "commitments", "chain",
                    "s_hat", "s_prime", "proof"}
_DECRYPTION_MEMBERS = {"question", "trustee", "part", "parts", "shares", "proofs"}


def counted_answers(entries: Iterable[tuple[str, Mapping[str, Any]]]) -> list[list[Any]]:
    """The answers of the counted ballots (9.1), in board order of each counted ballot.

    `entries` are the board's `(kind, body)` in order; a later ballot of the same
    credential replaces the earlier one and takes its own place in the order.
    """
    latest: dict[str, list[Any]] = {}
    for kind, body in entries:
        if kind == "ballot":
            latest.pop(body["credential"], None)
            latest[body["credential"]] = list(body["answers"])
        elif kind == "revocation":
            for credential in body["revoked"]:
                latest.pop(credential, None)
    return list(latest.values())


def mix_input_rows(rules: Sequence[QuestionRule], answers: Sequence[Sequence[Any]],
                   q: int) -> Rows:
    """Question q's mix input: one row of R ciphertexts per counted ballot (5.2)."""
    rule = rules[q]
    rows = []
    for n, ballot in enumerate(answers):
        cells = [Ciphertext.from_json(item, field=f"counted ballot {n}: choices[{o}]")
                 for o, item in enumerate(ballot[q]["choices"])]
        rows.append(ranked_rows(rule, cells))
    return rows


def _part_ranges(rows: int, width: int, max_bytes: int) -> list[tuple[int, int]]:
    per_part = max(1, max_bytes // (width * _ROW_BYTES_PER_CIPHERTEXT + _ROW_BYTES_PER_ROW))
    return [(start, min(rows, start + per_part)) for start in range(0, rows, per_part)]


def shuffle_bodies(question: str, trustee: int, output_rows: Rows, proof: ShuffleProof,
                   max_part_bytes: int = MAX_PART_BYTES) -> list[dict[str, Any]]:
    """The `shuffle` entries of one shuffle: its output rows and per-row proof lists in
    consecutive parts; the last part holds the rest of the proof."""
    whole = proof.to_json()
    ranges = _part_ranges(len(output_rows), len(output_rows[0]), max_part_bytes)
    bodies = []
    for part, (start, end) in enumerate(ranges):
        last = part == len(ranges) - 1
        bodies.append({
            "question": question, "trustee": trustee, "part": part, "parts": len(ranges),
            "rows": rows_to_json(output_rows[start:end]),
            **{name: whole[name][start:end] for name in ("commitments", "chain", "s_hat",
                                                         "s_prime")},
            "proof": {name: whole[name] for name in ("challenge", "s1", "s2", "s3", "s4")}
            if last else None,
        })
    return bodies


def _member(body: Any, members: set[str], what: str, field: str) -> dict[str, Any]:
    if not isinstance(body, dict) or set(body) != members:
        raise InvalidEncoding(f"a {what} body holds exactly {', '.join(sorted(members))}",
                              field)
    return body


def _parts(bodies: Sequence[Any], members: set[str], what: str) -> tuple[str, int]:
    if not bodies:
        raise InvalidEncoding(f"a {what} needs at least one part", "part")
    first = _member(bodies[0], members, what, "part 0")
    question, trustee = first["question"], first["trustee"]
    for p, body in enumerate(bodies):
        _member(body, members, what, f"part {p}")
        if (body["question"], body["trustee"]) != (question, trustee):
            raise InvalidEncoding("every part is of the same question and trustee",
                                  f"part {p}")
        if body["part"] != p or body["parts"] != len(bodies):
            raise InvalidEncoding(f"expected part {p} of {len(bodies)}", f"part {p}.part")
    if not isinstance(question, str) or type(trustee) is not int or trustee < 1:
        raise InvalidEncoding("question is an id and trustee an index", "question")
    return question, trustee


def join_shuffle(bodies: Sequence[Any]) -> tuple[str, int, Rows, ShuffleProof]:
    """The question, trustee, output rows and proof of one shuffle's parts."""
    question, trustee = _parts(bodies, _SHUFFLE_MEMBERS, "shuffle")
    whole: dict[str, Any] = {name: [] for name in ("commitments", "chain", "s_hat", "s_prime")}
    rows: list[Any] = []
    for p, body in enumerate(bodies):
        last = p == len(bodies) - 1
        if (body["proof"] is None) == last:
            raise InvalidEncoding("proof is set in the last part only", f"part {p}.proof")
        if not isinstance(body["rows"], list) or not body["rows"]:
            raise InvalidEncoding("every part holds at least one row", f"part {p}.rows")
        rows.extend(body["rows"])
        for name in whole:
            if not isinstance(body[name], list) or len(body[name]) != len(body["rows"]):
                raise InvalidEncoding("one item per row of the part", f"part {p}.{name}")
            whole[name].extend(body[name])
    tail = bodies[-1]["proof"]
    if not isinstance(tail, dict) or set(tail) != {"challenge", "s1", "s2", "s3", "s4"}:
        raise InvalidEncoding("proof holds exactly challenge, s1, s2, s3 and s4", "proof")
    proof = ShuffleProof.from_json({**whole, **tail}, "proof")
    return question, trustee, rows_from_json(rows, "rows"), proof


def decrypt_rows(share: Scalar, trustee: int, fingerprint: bytes, question: str, rows: Rows,
                 rng: Rng) -> tuple[list[list[str]], list[list[dict[str, str]]]]:
    """Trustee `trustee`'s D = s·alpha of every cell with a DLEQ proof each, rows then
    columns, context (fingerprint, trustee, question, row, column)."""
    shares, proofs = [], []
    for j, row in enumerate(rows):
        shares.append([(share * ct.alpha).hex() for ct in row])
        proofs.append([DleqProof.prove(TAG_RANKED_DECRYPTION, (fingerprint, trustee, question,
                                                                j, k), share, ct.alpha,
                                       rng).to_json()
                       for k, ct in enumerate(row)])
    return shares, proofs


def ranked_decryption_bodies(question: str, trustee: int, shares: list[list[str]],
                             proofs: list[list[dict[str, str]]], width: int,
                             max_part_bytes: int = MAX_PART_BYTES) -> list[dict[str, Any]]:
    ranges = _part_ranges(len(shares), width, max_part_bytes)
    return [{"question": question, "trustee": trustee, "part": p, "parts": len(ranges),
             "shares": shares[start:end], "proofs": proofs[start:end]}
            for p, (start, end) in enumerate(ranges)]


def check_ranked_decryption(fingerprint: bytes, bodies: Sequence[Any], rows: Rows,
                            verification_key: Point) -> tuple[int, list[list[Point]]]:
    """The trustee and shares of one trustee's `ranked_decryption` parts of `rows` (the
    last shuffle's output), every proof checked; raises ProtocolError naming the cell."""
    question, trustee = _parts(bodies, _DECRYPTION_MEMBERS, "ranked decryption")
    shares: list[Any] = []
    proofs: list[Any] = []
    for body in bodies:
        shares.extend(body["shares"] if isinstance(body["shares"], list) else [None])
        proofs.extend(body["proofs"] if isinstance(body["proofs"], list) else [None])
    if len(shares) != len(rows) or len(proofs) != len(rows):
        raise InvalidEncoding(f"expected {len(rows)} rows of shares and proofs, one per row "
                              "of the last shuffle's output", "shares")
    points = []
    for j, (row, share_row, proof_row) in enumerate(zip(rows, shares, proofs, strict=True)):
        if not (isinstance(share_row, list) and isinstance(proof_row, list)
                and len(share_row) == len(row) == len(proof_row)):
            raise InvalidEncoding(f"expected {len(row)} shares and proofs", f"shares[{j}]")
        found = []
        for k, (ct, item, proof) in enumerate(zip(row, share_row, proof_row, strict=True)):
            d = Point.from_hex(item, field=f"shares[{j}][{k}]",
                               allow_identity=ct.alpha.is_identity())
            DleqProof.from_json(proof, f"proofs[{j}][{k}]").verify(
                TAG_RANKED_DECRYPTION, (fingerprint, trustee, question, j, k),
                verification_key, ct.alpha, d, field=f"proofs[{j}][{k}]")
            found.append(d)
        points.append(found)
    return trustee, points


def combine_rankings(candidates: int, rows: Rows,
                     shares_by_trustee: Mapping[int, Sequence[Sequence[Point]]]) -> list[list[int]]:
    """The rankings (0-based option indices in rank order) the named trustees' shares
    decrypt `rows` to (9.3's Lagrange combination; each value in 0..m)."""
    indices = sorted(shares_by_trustee)
    coefficients = {i: lagrange_at_zero(i, indices) for i in indices}
    rankings = []
    for j, row in enumerate(rows):
        values = []
        for k, ct in enumerate(row):
            factor = IDENTITY
            for i in indices:
                factor = factor + coefficients[i] * shares_by_trustee[i][j][k]
            try:
                values.append(discrete_log(ct.beta - factor, candidates))
            except ProtocolError as error:
                raise ProtocolError(error.reason, field=f"row {j}, column {k}") from None
        ranking = [v - 1 for v in values if v]
        if values != [v + 1 for v in ranking] + [0] * (len(values) - len(ranking)):
            raise InvalidEncoding("a decrypted row is not a ranking (a gap or a zero first)",
                                  f"row {j}")
        rankings.append(ranking)
    return rankings
