"""`omov verify` on a petition signature log: dispatch by the kind of entry 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from omov.cli import main
from omov.record.petition import PetitionLog, signer_pseudonym

AT = "2026-12-01T09:00:00Z"


def _record(path: Path) -> list[bytes]:
    log = PetitionLog()
    log.append("petition", {"id": "p1", "kind": "open_letter", "title": "Camden's letter",
                            "target": "national committee", "thresholds": {"answer": 2},
                            "at": AT})
    log.append("text_version", {"version": 1, "text": "We ask you to reverse it.", "at": AT})
    for n in range(2):
        log.append("signature", {"receipt": f"r{n}", "version": 1, "at": AT,
                                 "pseudonym": signer_pseudonym(b"k" * 32, "p1", f"m{n}"),
                                 "visibility": "counted"})
    log.append("threshold_reached", {"threshold": "answer", "target": 2, "count": 2, "at": AT})
    lines = [entry.line for entry in log.entries]
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return lines


def test_valid_petition_record_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p1.petition.jsonl"
    _record(path)
    assert main(["verify", str(path)]) == 0
    said = capsys.readouterr().out
    assert "2 live signatures" in said
    assert "threshold answer reached" in said
    assert said.rstrip().endswith("VALID")


def test_dropped_signature_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p1.petition.jsonl"
    lines = _record(path)
    path.write_bytes(b"".join(line + b"\n" for line in lines[:2] + lines[3:]))
    assert main(["verify", str(path)]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_unreadable_petition_record_exits_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p1.petition.jsonl"
    lines = _record(path)
    path.write_bytes(lines[0] + b"\nnot json\n")
    assert main(["verify", str(path)]) == 2
    assert "cannot read" in capsys.readouterr().out
