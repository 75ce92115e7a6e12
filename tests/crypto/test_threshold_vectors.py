"""The shared trustee vectors in tests/vectors are what the code produces now."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

VECTORS = Path(__file__).resolve().parents[1] / "vectors"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_threshold", VECTORS / "generate_threshold.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "build"), [("threshold.json", "threshold_vectors"), ("backup.json", "backup_vectors")]
)
def test_vector_file_matches_a_fresh_generation(name: str, build: str) -> None:
    generator = _generator()
    fresh = generator.render(getattr(generator, build)())
    stored = (VECTORS / name).read_text(encoding="utf-8")
    assert stored == fresh, f"{name} is stale: run tests/vectors/generate_threshold.py"
