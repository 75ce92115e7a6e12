"""The ceremony code (protocol 8.5): its exact input, the shared vector, and what changes it."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from omov.crypto.base32 import encode_bits
from omov.crypto.dkg import check_commitment
from omov.record.ceremony_code import ceremony_code, ceremony_input

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate_ceremony",
                                                  VECTORS / "generate_ceremony.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vector_file_matches_a_fresh_generation() -> None:
    generator = _generator()
    fresh = generator.render(generator.ceremony_vectors())
    assert (VECTORS / "ceremony_code.json").read_text(encoding="utf-8") == fresh, (
        "ceremony_code.json is stale: run tests/vectors/generate_ceremony.py")


def _cases() -> list[dict]:  # type: ignore[type-arg]
    return list(json.loads((VECTORS / "ceremony_code.json").read_text())["cases"])


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_every_vector_reads_back_to_its_input_and_code(case: dict) -> None:  # type: ignore[type-arg]
    digest = bytes.fromhex(case["manifest_digest"])
    commitments = {b["trustee"]: check_commitment(digest, b, 3, 2) for b in case["commitments"]}
    built = ceremony_input(digest, commitments)
    assert built.hex() == case["input"]
    # The input, spelled out from the spec: domain, M, u32(|S|), then per trustee
    # u32(i), E_i and the k coefficient commitments.
    expected = b"omov/ceremony-code/v1" + digest + len(commitments).to_bytes(4, "big")
    for index in sorted(commitments):
        expected += index.to_bytes(4, "big") + bytes.fromhex(
            next(b for b in case["commitments"] if b["trustee"] == index)["communication_key"])
        for point in next(b for b in case["commitments"] if b["trustee"] == index)["commitments"]:
            expected += bytes.fromhex(point)
    assert built == expected
    code = encode_bits(hashlib.sha256(expected).digest(), 10)
    assert ceremony_code(digest, commitments) == case["code"] == f"{code[:5]}-{code[5:]}"


def test_a_forged_missing_or_foreign_commitment_changes_the_code() -> None:
    honest, reordered, forged, missing, other = (c["code"] for c in _cases())
    assert honest == reordered
    assert len({honest, forged, missing, other}) == 4


def test_a_commitment_filed_under_another_trustee_is_refused() -> None:
    case = _cases()[0]
    digest = bytes.fromhex(case["manifest_digest"])
    first, second = (check_commitment(digest, b, 3, 2) for b in case["commitments"][:2])
    with pytest.raises(ValueError, match="filed under trustee 1"):
        ceremony_input(digest, {1: second, 2: first})
    with pytest.raises(ValueError, match="32-byte"):
        ceremony_input(digest[:31], {1: first})
