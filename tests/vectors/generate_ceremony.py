"""Write tests/vectors/ceremony_code.json: the ceremony code of protocol section 8.5.

    .venv/bin/python tests/vectors/generate_ceremony.py

The JavaScript implementation (frontend/src/pages/lib/ceremony_code.js) must
reproduce every `input` and `code` byte for byte; tests/record/test_ceremony_code.py
regenerates the file and compares it.

Format: `cases` is a list of {name, manifest_digest (hex), commitments (the
trustee_commitment bodies a trustee is shown, in any order), input (hex of the
hashed bytes), code}. Seeds are ASCII strings for TestRng (section 2.5).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from omov.crypto.dkg import check_commitment, commit
from omov.crypto.transcript import TestRng
from omov.record.ceremony_code import ceremony_code, ceremony_input

HERE = Path(__file__).resolve().parent
MANIFEST_DIGEST = hashlib.sha256(b"omov ceremony code test vector manifest").digest()
OTHER_DIGEST = hashlib.sha256(b"omov ceremony code test vector other manifest").digest()
TRUSTEES = 3
THRESHOLD = 2


def _body(digest: bytes, index: int, seed: str) -> dict[str, Any]:
    _state, body = commit(digest, index, THRESHOLD, TestRng(seed.encode("ascii")))
    return body


def _case(name: str, digest: bytes, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    checked = {
        body["trustee"]: check_commitment(digest, body, TRUSTEES, THRESHOLD) for body in bodies
    }
    return {
        "name": name,
        "manifest_digest": digest.hex(),
        "commitments": bodies,
        "input": ceremony_input(digest, checked).hex(),
        "code": ceremony_code(digest, checked),
    }


def ceremony_vectors() -> dict[str, Any]:
    honest = [_body(MANIFEST_DIGEST, i, f"ceremony-{i}") for i in range(1, TRUSTEES + 1)]
    forged = _body(MANIFEST_DIGEST, 2, "forged-2")
    return {
        "trustees": TRUSTEES,
        "threshold": THRESHOLD,
        "cases": [
            _case("every trustee, as all honest trustees see it", MANIFEST_DIGEST, honest),
            _case("the same commitments in another order", MANIFEST_DIGEST,
                  [honest[2], honest[0], honest[1]]),
            _case("trustee 2's commitment replaced by the server's", MANIFEST_DIGEST,
                  [honest[0], forged, honest[2]]),
            _case("trustee 2's commitment missing", MANIFEST_DIGEST, [honest[0], honest[2]]),
            _case("another election", OTHER_DIGEST,
                  [_body(OTHER_DIGEST, i, f"ceremony-{i}") for i in range(1, TRUSTEES + 1)]),
        ],
    }


def render(vectors: dict[str, Any]) -> str:
    return json.dumps(vectors, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    path = HERE / "ceremony_code.json"
    path.write_text(render(ceremony_vectors()), encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
