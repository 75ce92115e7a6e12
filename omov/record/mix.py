"""The mix in the record (protocol section 16): its input, its entries, the count's rankings.

For each ranked question the mix input is one row per counted ballot (5.2,
in board order); the trustees' `shuffle` entries re-encrypt and permute it
one after another (section 14); the `ranked_decryption` entries decrypt the
last shuffle's output cell by cell; combining k of them gives the rankings
that the count (section 15) takes. A shuffle or a decryption is split into
`parts` consecutive entries so that no line exceeds 8 MiB (10).

Everything here is pure: the simulator, the platform and the verifier build
and read these bodies with the same functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from omov.crypto.elgamal import Ciphertext
from omov.crypto.errors import InvalidEncoding, ProtocolError
from omov.crypto.group import Point, Scalar, base_mult
from omov.crypto.proofs import DleqProof
from omov.crypto.questions import QuestionRule
from omov.crypto.ranked import ranked_rows
from omov.crypto.shuffle_proof import ShuffleProof
from omov.crypto.threshold import lagrange_at_zero
from omov.crypto.transcript import Rng
from omov.record import mix_work
from omov.record.errors import RecordError
from omov.record.manifest import Manifest
from omov.record.mix_rows import PackedRows, parse_points, parse_rows

TAG_RANKED_DECRYPTION = mix_work.TAG_RANKED_DECRYPTION
MAX_PART_BYTES = 4 * 1024 * 1024
"""A part's estimated size at most: half the 8 MiB line limit (10)."""

SHUFFLE_MEMBERS = frozenset({"question", "trustee", "part", "parts", "rows", "commitments",
                             "chain", "s_hat", "s_prime", "proof"})
PROOF_MEMBERS = frozenset({"challenge", "s1", "s2", "s3", "s4"})
DECRYPTION_MEMBERS = frozenset({"question", "trustee", "part", "parts", "shares", "proofs"})

_CIPHERTEXT_JSON = 151  # {"alpha":"<64 hex>","beta":"<64 hex>"} and a comma
_ITEM_JSON = 67  # "<64 hex>" and a comma
_PROOF_JSON = 160  # {"challenge":"<64 hex>","response":"<64 hex>"} and a comma


def question_index(manifest: Manifest, question_id: str) -> int:
    """The position of ranked question `question_id` in the manifest."""
    for q, question in enumerate(manifest.questions):
        if question.id == question_id and question.kind == "ranked":
            return q
    raise ValueError(f"the manifest has no ranked question {question_id!r}")


def ballot_rows(rules: Sequence[QuestionRule], choices: Sequence[Sequence[Ciphertext]]
                ) -> bytes:
    """One ballot's rows (5.2) for every ranked question in manifest order, packed
    (R ciphertexts of 64 bytes per question); b"" for a manifest without one."""
    return b"".join(
        PackedRows.of([ranked_rows(rule, row)], rule.max).data
        for rule, row in zip(rules, choices, strict=True) if rule.ranked)


def mix_input_rows(manifest: Manifest, counted_ballots: Iterable[Mapping[str, Any]],
                   question_id: str) -> list[list[Ciphertext]]:
    """The mix input of ranked question `question_id` (16.1): for each counted
    ballot body, in board order, ranked_rows of its cells of the question."""
    q = question_index(manifest, question_id)
    rule = manifest.rules[q]
    return [ranked_rows(rule, [Ciphertext.from_json(c, f"answers[{q}].choices[{o}]")
                               for o, c in enumerate(ballot["answers"][q]["choices"])])
            for ballot in counted_ballots]


def part_ranges(rows: int, row_bytes: int, max_line_bytes: int = MAX_PART_BYTES
                ) -> list[tuple[int, int]]:
    """[start, end) of each part: as many rows as fit in `max_line_bytes`, at
    least one, and as even as that allows."""
    per_part = max(1, max_line_bytes // max(row_bytes, 1))
    parts = max(1, -(-rows // per_part))
    return [(rows * p // parts, rows * (p + 1) // parts) for p in range(parts)]


def shuffle_row_bytes(width: int) -> int:
    """The estimated JSON size of one row of a shuffle part with its four proof items."""
    return width * _CIPHERTEXT_JSON + 4 * _ITEM_JSON + 2


def iter_shuffle_bodies(question_id: str, trustee: int, output_rows: Sequence[Sequence[Ciphertext]],
                        proof: ShuffleProof, max_line_bytes: int = MAX_PART_BYTES
                        ) -> Iterator[dict[str, Any]]:
    """The `shuffle` bodies (16.2) of one shuffle, part by part (for a writer that
    appends each before the next is built)."""
    width = len(output_rows[0])
    ranges = part_ranges(len(output_rows), shuffle_row_bytes(width), max_line_bytes)
    for p, (start, end) in enumerate(ranges):
        last = p == len(ranges) - 1
        yield {
            "question": question_id, "trustee": trustee, "part": p, "parts": len(ranges),
            "rows": [[ct.to_json() for ct in output_rows[j]] for j in range(start, end)],
            "commitments": [c.hex() for c in proof.commitments[start:end]],
            "chain": [c.hex() for c in proof.chain[start:end]],
            "s_hat": [s.hex() for s in proof.s_hat[start:end]],
            "s_prime": [s.hex() for s in proof.s_prime[start:end]],
            "proof": {"challenge": proof.challenge.hex(), "s1": proof.s1.hex(),
                      "s2": proof.s2.hex(), "s3": proof.s3.hex(),
                      "s4": [s.hex() for s in proof.s4]} if last else None,
        }


def shuffle_bodies(question_id: str, trustee: int, output_rows: Sequence[Sequence[Ciphertext]],
                   proof: ShuffleProof, max_line_bytes: int = MAX_PART_BYTES
                   ) -> list[dict[str, Any]]:
    """Every `shuffle` body of one shuffle, in order (16.2)."""
    return list(iter_shuffle_bodies(question_id, trustee, output_rows, proof, max_line_bytes))


class ShufflePart:
    """One `shuffle` body read: its header, its rows packed, its per-row proof items."""

    __slots__ = (
        "chain",
        "commitments",
        "part",
        "parts",
        "proof",
        "question",
        "rows",
        "s_hat",
        "s_prime",
        "trustee",
    )

    def __init__(self, body: Any, width: int | None = None, entry: int | None = None) -> None:
        """Read a body with exactly the members of 16.2; rows `width` wide if given."""
        header = read_header(body, SHUFFLE_MEMBERS, "shuffle", entry)
        self.question, self.trustee, self.part, self.parts = header
        try:
            self.rows = parse_rows(body["rows"], "rows", width)
            count = len(self.rows)
            self.commitments = parse_points(body["commitments"], "commitments", count)
            self.chain = parse_points(body["chain"], "chain", count)
            self.s_hat = _scalars(body["s_hat"], "s_hat", count)
            self.s_prime = _scalars(body["s_prime"], "s_prime", count)
            self.proof = _final_proof(body["proof"], self.part == self.parts - 1,
                                      self.rows.width)
        except ProtocolError as error:
            raise RecordError(error.reason, entry=entry, field=error.field) from None


def read_header(body: Any, members: frozenset[str], kind: str, entry: int | None
                ) -> tuple[str, int, int, int]:
    """(question, trustee, part, parts) of a shuffle or ranked_decryption body."""
    if not isinstance(body, dict) or body.keys() != members:
        found = set(body) if isinstance(body, dict) else set()
        extra, missing = sorted(found - members), sorted(members - found)
        detail = (f"unexpected member {extra[0]!r}" if extra else
                  f"missing member {missing[0]!r}" if missing else "not an object")
        raise RecordError(f"a {kind} body holds exactly {', '.join(sorted(members))}: "
                          f"{detail}", entry=entry)
    question, trustee, part, parts = (body[k] for k in ("question", "trustee", "part", "parts"))
    if type(question) is not str:
        raise RecordError("must be a question id (a string)", entry=entry, field="question")
    if type(trustee) is not int or trustee < 1:
        raise RecordError("must be a trustee index (an integer from 1)", entry=entry,
                          field="trustee")
    if type(parts) is not int or parts < 1:
        raise RecordError("must be the number of parts (an integer from 1)", entry=entry,
                          field="parts")
    if type(part) is not int or not 0 <= part < parts:
        raise RecordError(f"must be an integer from 0 to parts - 1 = {parts - 1}",
                          entry=entry, field="part")
    return question, trustee, part, parts


def _scalars(obj: Any, field: str, count: int) -> list[int]:
    if not isinstance(obj, list) or len(obj) != count:
        raise InvalidEncoding(f"must be a list of {count} scalars, one per row", field)
    return [Scalar.from_hex(item, f"{field}[{n}]").value for n, item in enumerate(obj)]


def _final_proof(obj: Any, last: bool, width: int) -> dict[str, Any] | None:
    if not last:
        if obj is not None:
            raise InvalidEncoding("must be null except in the last part", "proof")
        return None
    if not isinstance(obj, dict) or obj.keys() != PROOF_MEMBERS:
        raise InvalidEncoding("the last part's proof holds exactly challenge, s1, s2, s3 "
                              "and s4", "proof")
    if not isinstance(obj["s4"], list) or len(obj["s4"]) != width:
        raise InvalidEncoding(f"must hold {width} scalars, one per column", "proof.s4")
    for name in ("challenge", "s1", "s2", "s3"):
        Scalar.from_hex(obj[name], f"proof.{name}")
    for n, item in enumerate(obj["s4"]):
        Scalar.from_hex(item, f"proof.s4[{n}]")
    return obj


def join_parts(parts: Sequence[ShufflePart], entries: Sequence[int] | None = None
               ) -> tuple[PackedRows, ShuffleProof]:
    """The output rows and the proof of one shuffle from its parts read in order."""
    def at(n: int) -> int | None:
        return entries[n] if entries is not None else None

    if not parts:
        raise RecordError("a shuffle has at least one part")
    first = parts[0]
    for n, part in enumerate(parts):
        if (part.question, part.trustee) != (first.question, first.trustee):
            raise RecordError(f"part {n} of trustee {first.trustee}'s shuffle of question "
                              f"{first.question!r} is of another shuffle", entry=at(n))
        if part.part != n or part.parts != first.parts:
            raise RecordError(f"expected part {n} of {first.parts}, found part {part.part} "
                              f"of {part.parts}", entry=at(n), field="part")
        if part.rows.width != first.rows.width:
            raise RecordError(f"rows of {part.rows.width} ciphertexts, but part 0's hold "
                              f"{first.rows.width}", entry=at(n), field="rows")
    if len(parts) != first.parts:
        raise RecordError(f"the shuffle has {len(parts)} of its {first.parts} parts",
                          entry=at(len(parts) - 1), field="parts")
    final = parts[-1].proof
    assert final is not None
    proof = ShuffleProof(
        commitments=tuple(_points(b"".join(p.commitments for p in parts))),
        chain=tuple(_points(b"".join(p.chain for p in parts))),
        challenge=Scalar.from_hex(final["challenge"]),
        s1=Scalar.from_hex(final["s1"]), s2=Scalar.from_hex(final["s2"]),
        s3=Scalar.from_hex(final["s3"]),
        s4=tuple(Scalar.from_hex(s) for s in final["s4"]),
        s_hat=tuple(Scalar(v) for p in parts for v in p.s_hat),
        s_prime=tuple(Scalar(v) for p in parts for v in p.s_prime),
    )
    return PackedRows.join([p.rows for p in parts], first.rows.width), proof


def _points(data: bytes) -> Iterator[Point]:
    return (Point(data[o:o + 32]) for o in range(0, len(data), 32))


def join_shuffle(bodies: Sequence[Any], entries: Sequence[int] | None = None
                 ) -> tuple[PackedRows, ShuffleProof]:
    """The output rows and proof of one shuffle from its `shuffle` bodies in order
    (16.2). Raises RecordError naming the entry (from `entries`) and field."""
    width = None
    parts = []
    for n, body in enumerate(bodies):
        part = ShufflePart(body, width, entries[n] if entries is not None else None)
        width = part.rows.width
        parts.append(part)
    return join_parts(parts, entries)


def decrypt_rows(share: Scalar, trustee: int, fingerprint: bytes, question_id: str,
                 rows: PackedRows | Sequence[Sequence[Ciphertext]], rng: Rng, *,
                 first_row: int = 0, jobs: int = 1
                 ) -> tuple[list[list[Point]], list[list[DleqProof]]]:
    """Trustee `trustee`'s shares D = s·alpha of every cell of `rows` with DLEQ proofs
    (16.3), `share` its secret s_l. `rows` begin at row `first_row` of the last
    shuffle's output (the row index j of the proofs' context). One nonce is drawn
    per cell, rows then columns, before the work is spread over `jobs` processes."""
    packed = rows if isinstance(rows, PackedRows) else PackedRows.of(rows, len(rows[0]))
    nonces = [rng.scalar() for _ in range(len(packed) * packed.width)]
    pieces = mix_work.run(mix_work.decrypt_kernel, {
        "rows": packed, "share": share, "nonces": nonces, "fingerprint": fingerprint,
        "trustee": trustee, "question": question_id, "first_row": first_row,
    }, len(packed), jobs)
    cells = [cell for piece in pieces for cell in piece]
    width = packed.width
    shares = [[Point(cells[j * width + k][0]) for k in range(width)] for j in range(len(packed))]
    proofs = [[cells[j * width + k][1] for k in range(width)] for j in range(len(packed))]
    return shares, proofs


def decryption_row_bytes(width: int) -> int:
    """The estimated JSON size of one row of a ranked_decryption part."""
    return width * (_ITEM_JSON + _PROOF_JSON) + 4


def ranked_decryption_body(question_id: str, trustee: int, part: int, parts: int,
                           shares: Sequence[Sequence[Point]],
                           proofs: Sequence[Sequence[DleqProof]]) -> dict[str, Any]:
    """One `ranked_decryption` body (16.3) holding the rows of one part."""
    return {"question": question_id, "trustee": trustee, "part": part, "parts": parts,
            "shares": [[d.hex() for d in row] for row in shares],
            "proofs": [[p.to_json() for p in row] for row in proofs]}


def ranked_decryption_bodies(question_id: str, trustee: int, shares: Sequence[Sequence[Point]],
                             proofs: Sequence[Sequence[DleqProof]],
                             max_line_bytes: int = MAX_PART_BYTES) -> list[dict[str, Any]]:
    """Every `ranked_decryption` body of one trustee's decryption of a question."""
    ranges = part_ranges(len(shares), decryption_row_bytes(len(shares[0])), max_line_bytes)
    return [ranked_decryption_body(question_id, trustee, p, len(ranges), shares[a:b],
                                   proofs[a:b]) for p, (a, b) in enumerate(ranges)]


class DecryptionPart:
    """One `ranked_decryption` body read: header, shares packed, proofs."""

    __slots__ = ("part", "parts", "proofs", "question", "rows", "shares", "trustee")

    def __init__(self, body: Any, width: int, entry: int | None = None) -> None:
        header = read_header(body, DECRYPTION_MEMBERS, "ranked_decryption", entry)
        self.question, self.trustee, self.part, self.parts = header
        try:
            shares, proofs = body["shares"], body["proofs"]
            for name, value in (("shares", shares), ("proofs", proofs)):
                if not isinstance(value, list) or not value:
                    raise InvalidEncoding("must be a non-empty list of rows", name)
            if len(proofs) != len(shares):
                raise InvalidEncoding(f"holds {len(proofs)} rows but shares holds "
                                      f"{len(shares)}", "proofs")
            self.rows = len(shares)
            buffer = bytearray()
            self.proofs: list[DleqProof] = []
            for j, (share_row, proof_row) in enumerate(zip(shares, proofs, strict=True)):
                buffer += parse_points(share_row, f"shares[{j}]", width)
                if not isinstance(proof_row, list) or len(proof_row) != width:
                    raise InvalidEncoding(f"must hold {width} proofs, one per column",
                                          f"proofs[{j}]")
                self.proofs.extend(DleqProof.from_json(p, f"proofs[{j}][{k}]")
                                   for k, p in enumerate(proof_row))
            self.shares = bytes(buffer)
        except ProtocolError as error:
            raise RecordError(error.reason, entry=entry, field=error.field) from None


def check_decryption_part(part: DecryptionPart, rows: PackedRows, first_row: int,
                          fingerprint: bytes, key: Point, jobs: int = 1
                          ) -> tuple[int, int, str] | None:
    """Check a part's shares of rows first_row.. of `rows` against trustee key Y_l;
    the first (global row, column, reason) that fails, or None."""
    if first_row + part.rows > len(rows):
        return first_row + part.rows - 1, 0, (f"the decryption goes on past the "
                                              f"{len(rows)} rows of the last shuffle")
    for failed in mix_work.run(mix_work.verify_kernel, {
        "rows": rows, "shares": part.shares, "proofs": part.proofs, "key": key,
        "fingerprint": fingerprint, "trustee": part.trustee, "question": part.question,
        "first_row": first_row,
    }, part.rows, jobs):
        if failed is not None:
            j, k, reason = failed
            return first_row + j, k, reason
    return None


def _packed_shares(shares: bytes | Sequence[Sequence[Point]]) -> bytes:
    if isinstance(shares, bytes):
        return shares
    return b"".join(d.encoded for row in shares for d in row)


def combine_values(rule: QuestionRule, rows: PackedRows | Sequence[Sequence[Ciphertext]],
                   decryptions_by_trustee: Mapping[int, bytes | Sequence[Sequence[Point]]],
                   jobs: int = 1) -> list[list[int]]:
    """The decrypted values (0..m) of every cell, combining the shares of the
    trustees named (9.3's Lagrange coefficients). Raises RecordError naming the
    row and column of a cell that decrypts to no value in 0..m."""
    packed = rows if isinstance(rows, PackedRows) else PackedRows.of(rows, len(rows[0]))
    indices = sorted(decryptions_by_trustee)
    table = {base_mult(Scalar(v)).encoded: v for v in range(rule.options + 1)}
    pieces = mix_work.run(mix_work.combine_kernel, {
        "rows": packed, "table": table,
        "shares": [_packed_shares(decryptions_by_trustee[i]) for i in indices],
        "coefficients": [lagrange_at_zero(i, indices).value for i in indices],
    }, len(packed), jobs)
    values: list[int] = []
    for piece in pieces:
        if isinstance(piece, tuple):
            j, k = piece
            raise RecordError(f"row {j}, column {k} does not decrypt to a candidate number "
                              f"from 0 to {rule.options} with the shares of trustees "
                              f"{', '.join(map(str, indices))}", field=f"rows[{j}][{k}]")
        values.extend(piece)
    width = packed.width
    return [values[j * width:(j + 1) * width] for j in range(len(packed))]


def ranking_of(values: Sequence[int], row: int) -> list[int]:
    """The ranking (0-based candidates) of a decrypted row: candidate numbers in
    rank order, then zeros (12.1); RecordError if the row is not of that form."""
    filled = 0
    while filled < len(values) and values[filled]:
        filled += 1
    ranking = [v - 1 for v in values[:filled]]
    if any(values[filled:]) or len(set(ranking)) != filled:
        raise RecordError(f"row {row} decrypts to {list(values)}, which is not a ranking "
                          "(candidate numbers, each once, then zeros)", field=f"rows[{row}]")
    return ranking


def combine_rankings(rule: QuestionRule, rows: PackedRows | Sequence[Sequence[Ciphertext]],
                     decryptions_by_trustee: Mapping[int, bytes | Sequence[Sequence[Point]]],
                     jobs: int = 1) -> list[list[int]]:
    """The rankings (0-based, rank order) that the last shuffle's `rows` decrypt to
    with the shares of the trustees named (16.4), one per row."""
    return [ranking_of(values, j) for j, values
            in enumerate(combine_values(rule, rows, decryptions_by_trustee, jobs))]
