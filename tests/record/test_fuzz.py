"""Random alterations never crash the verifier: each ends in a report that says invalid."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest

from omov.record.errors import RecordUnreadable
from omov.record.simulation import simulate
from tests.record.tamper_kit import PLAN, check, load, problems, save

REPLACEMENTS: list[Any] = [None, True, 0, -1, 2**53 - 1, "", "x", "00" * 32, "ff" * 32,
                           [], [1, "a"], {}, {"a": [None]}, [[1]], [2, 1]]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside `value` that a replacement can go."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*path, key)))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found.extend(_paths(item, (*path, n)))
    return found


def _parent(entry: dict[str, Any], path: tuple[Any, ...]) -> Any:
    target = entry["body"]
    for key in path[:-1]:
        target = target[key]
    return target


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = tmp_path_factory.mktemp("fuzz") / "valid.omov.jsonl"
    simulate(path, PLAN)
    return load(path)


@pytest.mark.parametrize("seed", range(80))
def test_random_alteration_is_reported_not_crashed(entries: list[dict[str, Any]],
                                                    tmp_path: Path, seed: int) -> None:
    chooser = random.Random(seed)
    altered = copy.deepcopy(entries)
    position = chooser.randrange(len(altered))
    paths = [p for p in _paths(altered[position]["body"]) if p]
    if not paths:
        pytest.skip("an empty body")
    path = chooser.choice(paths)
    parent = _parent(altered[position], path)
    original = parent[path[-1]]
    replacement = chooser.choice([r for r in REPLACEMENTS if r != original])
    parent[path[-1]] = replacement
    out = save(altered, tmp_path / "fuzzed.omov.jsonl")
    try:
        report = check(out)
    except RecordUnreadable:
        return
    assert not report.ok or problems(report), f"entry {position} {path} = {replacement!r}"
