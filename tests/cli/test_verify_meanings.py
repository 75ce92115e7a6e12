"""`omov verify` adds, for each check, one line saying what it means for a member."""

from __future__ import annotations

from pathlib import Path

import pytest

from omov.cli import main
from omov.commands.verify import MEANINGS
from omov.record.simulation import SimulationPlan, simulate


def test_each_passed_check_says_what_a_member_may_rely_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "valid.omov.jsonl"
    simulate(path, SimulationPlan(voters=6, questions="yes_no", seed=b"meanings",
                                  revote_rate=0.2, audit_rate=0.3))
    assert main(["verify", "--jobs", "1", str(path)]) == 0
    said = capsys.readouterr().out
    part = said.split("What this means for members:")[1]
    assert "✓ Nobody removed, reordered or changed an entry after it was published." in part
    assert "✓ Only each voter's last ballot" not in part
    assert "only each voter's last ballot is counted" in part
    assert "✓ The published totals are what the counted ballots add up to." in part
    assert part.count("✓") >= 9


def test_a_failed_check_says_what_is_not_shown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tampered.omov.jsonl"
    simulate(path, SimulationPlan(voters=4, questions="yes_no", seed=b"meanings-bad"))
    lines = path.read_text(encoding="utf-8").splitlines()
    last = lines[-1]
    lines[-1] = last.replace('"totals":[[', '"totals":[[9', 1)
    assert lines[-1] != last, "the result's totals were changed"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["verify", "--jobs", "1", str(path)]) == 1
    part = capsys.readouterr().out.split("What this means for members:")[1]
    assert "✗ NOT shown: that" in part
    assert set(MEANINGS) == set(range(2, 13)) | {14, 15}
