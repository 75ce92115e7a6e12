"""Fixtures shared by the tamper suites: each module supplies `original`, a
valid record, and tampers with a copy of its entries written to `out`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.record.tamper_kit import load


@pytest.fixture
def entries(original: Path) -> list[dict[str, Any]]:
    return load(original)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "tampered.omov.jsonl"
