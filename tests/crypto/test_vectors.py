"""The committed protocol vectors in tests/vectors are what the code produces now,
and every vector reads back through the public API."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from omov.crypto.ballot import ElectionContext, check_audit, verify_ballot
from omov.crypto.canonical import canonical_json, parse_json
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point, Scalar
from omov.crypto.questions import QuestionRule

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", VECTORS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


@pytest.mark.parametrize("name", sorted(GENERATOR.BUILDERS))
def test_vector_file_matches_a_fresh_generation(name: str) -> None:
    fresh = GENERATOR.render(GENERATOR.BUILDERS[name]())
    stored = (VECTORS / name).read_text(encoding="utf-8")
    assert stored == fresh, f"{name} is stale: run tests/vectors/generate.py"


def _load(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def test_group_rejections_read_back() -> None:
    vectors = _load("group.json")
    for case in vectors["invalid_points"]:
        with pytest.raises(ProtocolError):
            Point.from_hex(case["hex"])
    for case in vectors["invalid_scalars"]:
        with pytest.raises(ProtocolError):
            Scalar.from_hex(case["hex"])
    assert Point.from_hex(vectors["multiples"][0]["point"], allow_identity=True).is_identity()


def test_canonical_vectors_read_back() -> None:
    vectors = _load("canonical.json")
    for case in vectors["canonical"]:
        assert canonical_json(parse_json(case["text"])).hex() == case["canonical_hex"]
        assert canonical_json(parse_json(case["canonical"])).decode() == case["canonical"]


def test_ballot_vectors_read_back() -> None:
    vectors = _load("ballots.json")
    elections = {
        e["name"]: ElectionContext(
            bytes.fromhex(e["fingerprint"]), Point.from_hex(e["public_key"]),
            tuple(QuestionRule(r["options"], r["min"], r["max"], ranked=r.get("ranked", False))
                  for r in e["rules"]),
        )
        for e in vectors["elections"]
    }
    for case in vectors["ballots"]:
        ctx = elections[case["election"]]
        assert verify_ballot(ctx, case["ballot"]).hash.hex() == case["ballot_hash"]
        selections = check_audit(ctx, case["audit_reveal"])
        assert [list(row) for row in selections] == case["selections"]
    for case in vectors["rejected"]:
        with pytest.raises(ProtocolError) as caught:
            verify_ballot(elections[case["election"]], case["ballot"])
        assert (type(caught.value).__name__, caught.value.field) == (case["error"], case["field"])
