"""tests/vectors/shuffle.json is what the code produces now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def test_shuffle_vectors_match_a_fresh_generation() -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_shuffle", VECTORS / "generate_shuffle.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    fresh = generator.render(generator.shuffle_vectors())
    stored = (VECTORS / "shuffle.json").read_text(encoding="utf-8")
    assert stored == fresh, "shuffle.json is stale: run tests/vectors/generate_shuffle.py"
