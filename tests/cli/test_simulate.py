"""`omov simulate` writes a complete record that `omov verify` accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omov.cli import main


def test_simulate_writes_a_complete_seeded_record(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sim.omov.jsonl"
    assert main(["simulate", "--voters", "12", "--trustees", "3", "--threshold", "2",
                 "--questions", "mixed", "--seed", "cli", "--jobs", "2", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "12 counted" in said
    kinds = [json.loads(line)["kind"] for line in out.read_text().splitlines()]
    assert kinds[:4] == ["manifest", "trustee_commitment", "trustee_commitment",
                         "trustee_commitment"]
    assert kinds[-5:] == ["close", "tally", "partial_decryption", "partial_decryption",
                          "result"]
    assert kinds.count("ballot") >= 12


def test_the_same_seed_gives_the_same_record(tmp_path: Path) -> None:
    paths = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for path, jobs in zip(paths, ("1", "2"), strict=True):
        assert main(["simulate", "--voters", "5", "--seed", "same", "--jobs", jobs,
                     "--out", str(path)]) == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_simulate_rejects_an_impossible_threshold(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--voters", "3", "--trustees", "2", "--threshold", "3",
                 "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "--threshold" in capsys.readouterr().err


def test_simulate_ranked_writes_the_mix_and_the_count(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [tmp_path / "one.omov.jsonl", tmp_path / "two.omov.jsonl"]
    # 70 voters: enough rows for the shuffle and the decryption to use both processes.
    for path, jobs in zip(paths, ("1", "2"), strict=True):
        assert main(["simulate", "--voters", "70", "--questions", "ranked", "--seed", "mix",
                     "--revote-rate", "0", "--audit-rate", "0", "--jobs", jobs,
                     "--out", str(path)]) == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()
    entries = [json.loads(line) for line in paths[0].read_text().splitlines()]
    kinds = [entry["kind"] for entry in entries]
    shuffles = [e["body"] for e in entries if e["kind"] == "shuffle"]
    assert [(s["question"], s["trustee"]) for s in shuffles] == [
        ("north", 1), ("north", 2), ("north", 3), ("chair", 1), ("chair", 2), ("chair", 3)]
    assert kinds.count("ranked_decryption") == 4 and kinds[-1] == "result"
    counts = entries[-1]["body"]["counts"]
    assert [c["question"] for c in counts] == ["north", "chair"]
    assert all(c["decrypted_by"] == [1, 2] and c["count"]["ballots"] == 70 for c in counts)
    capsys.readouterr()
    assert main(["verify", "--jobs", "2", str(paths[0])]) == 0
    said = capsys.readouterr().out
    assert "✓ shuffles: question 'north': 3 shuffle(s) of 70 rows (trustees 1, 2, 3)" in said
    assert "✓ ranked count: question 'north': 70 ranking(s) decrypted by trustees 1, 2" in said
    assert said.rstrip().endswith("VALID")
