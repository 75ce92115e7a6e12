"""What the platform writes: counting a closed board (9.1) and entry bodies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omov.record.election import close_body, count_ballots, open_body, tally_body
from omov.record.manifest import parse_manifest
from omov.record.simulation import simulate
from tests.record.tamper_kit import PLAN, load, positions


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path: Path = tmp_path_factory.mktemp("election") / "r.omov.jsonl"
    simulate(path, PLAN)
    return load(path)


def voting_entries(entries: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(entry["kind"], entry["body"]) for entry in entries]


def tally_entry(entries: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = entries[positions(entries, "tally")[0]]["body"]
    return body


def test_counting_the_board_gives_the_published_tally(entries: list[dict[str, Any]]) -> None:
    manifest = parse_manifest(entries[0]["body"])
    counted, tally = count_ballots(manifest.rules, voting_entries(entries))
    assert tally_body(counted, tally) == tally_entry(entries)
    cast = len(positions(entries, "ballot"))
    assert 0 < counted < cast  # the simulation revotes, and only the last ballot counts


def test_a_revocation_removes_its_credentials_ballots(entries: list[dict[str, Any]]) -> None:
    manifest = parse_manifest(entries[0]["body"])
    voting = voting_entries(entries)
    counted, _ = count_ballots(manifest.rules, voting)
    credential = next(body["credential"] for kind, body in voting if kind == "ballot")
    revoked = [*voting, ("revocation", {"revoked": [credential], "added": []})]
    assert count_ballots(manifest.rules, revoked)[0] == counted - 1


def test_an_empty_board_counts_nothing(entries: list[dict[str, Any]]) -> None:
    manifest = parse_manifest(entries[0]["body"])
    counted, tally = count_ballots(manifest.rules, [])
    assert counted == 0
    assert all(c is None for row in tally for c in row)


def test_entry_bodies() -> None:
    assert open_body(b"\x01" * 32, "2026-12-01T09:00:00Z") == {
        "fingerprint": "01" * 32, "opened_at": "2026-12-01T09:00:00Z"}
    assert close_body("2026-12-02T21:00:00Z", 7) == {
        "closed_at": "2026-12-02T21:00:00Z", "ballots": 7}
