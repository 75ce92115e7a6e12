"""A trustee's own check of the mix in a record file, before shuffling or decrypting.

Pure (no Django): `omov trustee shuffle` runs it on the trustee's machine. The
record is verified up to its tally with `omov verify`'s verifier (section 12),
then every shuffle already in it is verified in order from the mix input the
trustee computes from the record's own counted ballots, so the input to shuffle
next (or the rows to decrypt) is what the record implies, never what a server
says it is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omov.crypto.canonical import parse_json
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.shuffle import ShuffleContext, rows_digest, verify_shuffle
from omov.record.errors import RecordError
from omov.record.manifest import Manifest, parse_manifest
from omov.record.mix_entries import PackedRows, Rows, counted_ballots, join_shuffle, mix_input_rows
from omov.record.verifier import verify_record


class MixRecordError(ValueError):
    """The record cannot be trusted for the mix: the message says why, in plain words."""


@dataclass
class MixRecord:
    manifest: Manifest
    fingerprint: bytes
    public_key: Point
    qualified: tuple[int, ...]
    counted: list[Any]
    shuffles: dict[str, list[list[Any]]] = field(default_factory=dict)
    """Per question, the bodies of each shuffle (its parts), in record order."""
    decrypted: dict[str, set[int]] = field(default_factory=dict)
    commitments: list[Any] = field(default_factory=list)
    shares: list[Any] = field(default_factory=list)
    complaints: list[Any] = field(default_factory=list)

    def ranked_ids(self) -> list[str]:
        return [q.id for q in self.manifest.questions if q.kind == "ranked"]

    def chain(self, question_id: str, jobs: int = 1) -> tuple[Rows, list[int]]:
        """The rows the next shuffle of `question_id` takes and the trustees who shuffled
        it, after verifying every shuffle of it in the record in order."""
        if question_id not in self.ranked_ids():
            raise MixRecordError(f"the manifest has no ranked question {question_id!r} "
                                 f"(its ranked questions: {', '.join(self.ranked_ids())})")
        rows: Rows = mix_input_rows(self.manifest, self.counted, question_id)
        after: list[int] = []
        for parts in self.shuffles.get(question_id, []):
            trustee = int(parts[0]["trustee"])
            try:
                output, proof = join_shuffle(parts)
                verify_shuffle(self.public_key, rows, output, proof,
                               ShuffleContext(self.fingerprint, question_id, trustee), jobs)
            except (RecordError, ProtocolError) as error:
                raise MixRecordError(f"trustee {trustee}'s shuffle of question {question_id} "
                                     f"in the record does not verify: {error}") from None
            rows = output
            after.append(trustee)
        return rows, after


def _verify_to_tally(lines: list[bytes], say: Callable[[str], None], jobs: int) -> None:
    with tempfile.TemporaryDirectory() as work:
        prefix = Path(work) / "to-tally.omov.jsonl"
        prefix.write_bytes(b"".join(lines))
        report = verify_record(prefix, jobs=jobs)
    if not report.ok:
        say(report.render())
        raise MixRecordError("the record does not verify up to its tally, so its ballots "
                             "cannot be trusted: do not shuffle or decrypt")


def read_mix_record(path: str | Path, say: Callable[[str], None] = print,
                    jobs: int = 1) -> MixRecord:
    """Read and check a record for the mix (see the module's docstring); `jobs` processes
    check its ballots."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise MixRecordError(f"cannot read the record {path}: {error.strerror}") from None
    lines = raw.splitlines(keepends=True)
    entries = []
    for number, line in enumerate(lines):
        try:
            entries.append(parse_json(line.rstrip(b"\n")))
        except ProtocolError as error:
            raise MixRecordError(f"{path} line {number + 1}: {error}") from None
    kinds = [entry.get("kind") if isinstance(entry, dict) else None for entry in entries]
    if "tally" not in kinds:
        raise MixRecordError("the record holds no tally yet: voting has not closed")
    tally_at = kinds.index("tally")
    _verify_to_tally(lines[:tally_at + 1], say, jobs)
    bodies = [entry["body"] for entry in entries]
    manifest = parse_manifest(bodies[0])
    (joint,) = [b for b, k in zip(bodies, kinds, strict=True) if k == "joint_key"]
    (opened,) = [b for b, k in zip(bodies, kinds, strict=True) if k == "open"]
    found = MixRecord(
        manifest=manifest, fingerprint=bytes.fromhex(opened["fingerprint"]),
        public_key=Point.from_hex(joint["public_key"]), qualified=tuple(joint["qualified"]),
        counted=counted_ballots((k, b) for k, b in zip(kinds, bodies, strict=True)
                                if k in ("ballot", "revocation")),
        commitments=[b for b, k in zip(bodies, kinds, strict=True) if k == "trustee_commitment"],
        shares=[b for b, k in zip(bodies, kinds, strict=True) if k == "trustee_shares"],
        complaints=[b for b, k in zip(bodies, kinds, strict=True) if k == "trustee_complaint"],
    )
    for kind, body in zip(kinds[tally_at + 1:], bodies[tally_at + 1:], strict=True):
        if kind == "shuffle" and isinstance(body, dict):
            chains = found.shuffles.setdefault(str(body.get("question")), [])
            if body.get("part") == 0:
                chains.append([])
            if not chains:
                raise MixRecordError("a shuffle in the record starts without its part 0")
            chains[-1].append(body)
        elif kind == "ranked_decryption" and isinstance(body, dict) and body.get("part") == 0:
            found.decrypted.setdefault(str(body.get("question")), set()).add(
                int(body["trustee"]))
    return found


def packed(rows: Rows) -> PackedRows:
    return rows if isinstance(rows, PackedRows) else PackedRows.of(rows, len(rows[0]))


def same_input(served: Any, rows: Rows, question_id: str) -> str | None:
    """Why the input a server sent (`{"question", "after", "digest", "rows"}`) is not
    the record's `rows`, or None when it is the same."""
    if not isinstance(served, dict) or served.get("question") != question_id:
        return f"it is not an input of question {question_id}"
    expected = rows_digest(rows).hex()
    if served.get("digest") != expected:
        return (f"its digest {str(served.get('digest'))[:16]}… is not the record's "
                f"{expected[:16]}…")
    try:
        from omov.crypto.shuffle_proof import rows_from_json

        sent = rows_from_json(served.get("rows"), "rows")
    except ProtocolError as error:
        return f"its rows are not readable: {error}"
    if rows_digest(sent).hex() != expected:
        return "its rows are not the record's rows (another order, or other ciphertexts)"
    return None
