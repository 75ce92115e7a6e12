"""Write the shared protocol vectors: group.json, transcript.json,
canonical.json, proofs.json, ballots.json, credentials.json and board.json.

    .venv/bin/python tests/vectors/generate.py

The JavaScript implementation must reproduce every output byte for byte;
tests/crypto/test_vectors.py regenerates the files and compares them, so they
never drift from the Python code. (threshold.json and backup.json come from
generate_threshold.py.)

Format. Every file is one JSON object written with sorted keys and two-space
indentation. Conventions shared by all files:

- byte strings, scalars and points are lowercase hex; integers that may
  exceed 2^53 are decimal strings (``"decimal"``);
- ``seed`` is an ASCII string: the test generator of protocol section 2.5
  seeded with its bytes, TestRng(seed), from which the operation draws;
- a transcript or context item is ``{"type": t, "value": v}`` with t one of
  ``point`` (hex), ``scalar`` (hex), ``int`` (number), ``string`` (text) or
  ``bytes`` (hex), encoded as in protocol section 2.4;
- a rejected input names the error class the implementation must raise
  (``error``: InvalidEncoding, InvalidProof, InvalidBallot, InvalidCredential)
  and, where there is one, the ``field`` (JSON path) the error must carry.

group.json
  scalars: {decimal, hex} encodings (little-endian) of scalars.
  scalar_arithmetic: {a, b, sum, difference (a-b), product, negation (-a),
    inverse (a^-1)}, all hex.
  invalid_scalars: {hex, error, reason}: decoding must fail.
  multiples: {n, point} for n·G, n = 0 .. 20 (0 gives the identity).
  scalar_multiples: {scalar, point, product} with product = scalar·point.
  additions: {p, q, sum, difference (p-q)}.
  invalid_points: {hex, error, reason}: decoding must fail (RFC 9496 A.2 and
    others); the identity is refused unless the reader allows it.
canonical.json
  canonical: {text (JSON input), canonical (the canonical text),
    canonical_hex (its UTF-8 bytes), digest (SHA-256)}.
  rejected: {bytes (hex of the input), error, reason}: parsing must fail.
transcript.json
  transcripts: {tag, items, transcript (hex of T), challenge}.
  test_rng: {seed, scalars (the first five draws)}.
proofs.json
  schnorr: {seed, tag, context, secret, public, proof}.
  dleq: {seed, tag, context, secret, base_a, public, result_d, proof}.
  value_set: {seed, tag, context, public_key, values, true_index,
    randomness, ciphertext, proof}; the ciphertext is Enc(values[true_index];
    randomness), its randomness an input; the proof draws from seed.
  rejected: {kind (schnorr, dleq, value_set), the statement as above,
    proof, error, reason}: verification must fail.
ballots.json
  elections: {name, fingerprint, public_key, rules [{options, min, max}]}.
  ballots: {election (a name), manifest_digest, code, credential_secret,
    selections, seed, ballot, ballot_hash, tracker, audit_reveal}: the voter's
    secret is derived from code and manifest_digest (section 6.2).
  rejected: {election, description, ballot, error, field}: verify_ballot
    must fail with that error and field.
  rejected_audits: {election, description, reveal, error, field}.
manifests.json
  accepted: manifests both verifiers accept.
  rejected: {description, manifest, field}: both refuse it, naming field.
credentials.json
  codes: {random (12 bytes hex), code (display form)}.
  normalise: {input, code} accepted; {input, error} rejected as mistyped.
  keys: {manifest_digest, code, secret, public}.
  roll: {manifest_digest, authority_secret, authority_key, seed,
    credentials (input, unsorted, with a duplicate), roll}.
ranked.json
  election: the ballots.json election whose ranked questions these are;
    election_secret: its secret key y (Y = y·G), to decrypt the rows.
  cells: {rule, ranking (0-based candidates in rank order), cells (the m·R
    0/1 cells, candidate j at rank i in cell j·R + i)}.
  rows: {ballot (its index in ballots.json's ballots), question, rows (the R
    ciphertexts of ranked_rows, protocol 5.2), values (their decryptions:
    candidate number index + 1 per rank, 0 for an empty rank)}.
ballots.json also holds ballots of the "ranked" election (rules with
  "ranked": true), forged ranked ballots among the rejected ones (description
  "forged: ..."; each made by running the prover on cells that are not a
  ranking) and rejected ranked audits.
board.json
  entries: {index, kind, previous, body, time, line (the canonical entry line,
    section 10), hash (entry_hash)}: a chain, each previous the hash before.
  rejected: {line, field, reason}: a line whose entry is refused (the time
    stamp of 10.1 of the wrong form, or the members not exactly the five);
    field is the member named, or null when the entry's members are wrong.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vector_board import board_vectors
from vector_manifest import manifest_vectors
from vector_primitives import canonical_vectors, group_vectors, transcript_vectors
from vector_protocol import ballot_vectors, credential_vectors, proof_vectors
from vector_ranked import ranked_vectors

HERE = Path(__file__).resolve().parent

BUILDERS = {
    "group.json": group_vectors,
    "canonical.json": canonical_vectors,
    "transcript.json": transcript_vectors,
    "proofs.json": proof_vectors,
    "ballots.json": ballot_vectors,
    "credentials.json": credential_vectors,
    "manifests.json": manifest_vectors,
    "board.json": board_vectors,
    "ranked.json": ranked_vectors,
}


def render(vectors: dict[str, Any]) -> str:
    """The file text: sorted keys, two-space indentation, UTF-8, final newline."""
    return json.dumps(vectors, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    for name, build in BUILDERS.items():
        (HERE / name).write_text(render(build()), encoding="utf-8")
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
