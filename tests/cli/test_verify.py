"""`omov verify`: what it prints and its exit status.

0 valid and complete, 1 invalid, 2 unreadable, 3 valid so far but no result yet.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from omov.cli import main
from omov.crypto import group
from omov.record.simulation import SimulationPlan, simulate
from omov.record.verifier import verify_record


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("verify") / "valid.omov.jsonl"
    simulate(path, SimulationPlan(voters=20, questions="yes_no", seed=b"cli-verify",
                                  revote_rate=0.2, audit_rate=0.3))
    return path


def test_valid_record_exits_0_and_lists_every_check(
        record: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--jobs", "2", str(record)]) == 0
    said = capsys.readouterr().out
    for phrase in ("✓ manifest: 1 question(s), 3 trustees, threshold 2",
                   "✓ key generation: 3 commitments, 3 share sets",
                   "✓ credential roll: 20 credentials",
                   "✓ open: the fingerprint",
                   "ballots: proofs and signatures valid",
                   "audited ballots: the revealed choices match",
                   "✓ tally: the sum of the 20 counted ballots",
                   "✓ 2 partial decryptions: proofs valid (trustees 1, 2)",
                   "✓ result: totals",
                   "VALID"):
        assert phrase in said


def test_invalid_record_exits_1_and_says_where(
        record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = record.read_bytes().split(b"\n")
    lines[10] = lines[10].replace(b'"index":10', b'"index":11')
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\n".join(lines))
    assert main(["verify", str(broken)]) == 1
    said = capsys.readouterr().out
    assert "entry 10, field index: index is 11 but this is line 10" in said
    assert "INVALID" in said


@pytest.mark.parametrize(("content", "phrase"), [
    (None, "cannot open"),
    (b"", "is empty"),
    (b'{"body":{},"index":0,"kind":"manifest","previous":"' + b"0" * 64 + b'"}',
     "line 0: the last line has no newline: the file is truncated"),
    (b'{"a":"\xff"}\n', "line 0: not UTF-8"),
    (b"hello\n", "line 0: not a JSON line"),
])
def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 content: bytes | None, phrase: str) -> None:
    path = tmp_path / "record.jsonl"
    if content is not None:
        path.write_bytes(content)
    assert main(["verify", str(path)]) == 2
    assert phrase in capsys.readouterr().out


def test_truncated_record_exits_2(record: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    cut = tmp_path / "cut.jsonl"
    data = record.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert main(["verify", "--jobs", "2", str(cut)]) == 2
    assert "the file is truncated" in capsys.readouterr().out


def test_record_that_stops_early_exits_3_and_says_there_is_no_result(
        record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = record.read_bytes().split(b"\n")
    close = next(n for n, line in enumerate(lines) if b'"kind":"close"' in line)
    early = tmp_path / "early.jsonl"
    early.write_bytes(b"\n".join(lines[:close]) + b"\n")
    assert main(["verify", str(early)]) == 3
    said = capsys.readouterr().out
    assert "stops in the voting phase" in said
    assert said.rstrip().endswith("stops in the voting phase and holds no result yet")
    assert "VALID SO FAR, NOT A RESULT" in said


def test_record_without_its_result_line_exits_3(
        record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = record.read_bytes().rstrip(b"\n").split(b"\n")
    assert b'"kind":"result"' in lines[-1]
    withheld = tmp_path / "withheld.jsonl"
    withheld.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    assert main(["verify", str(withheld)]) == 3
    assert "holds no result yet" in capsys.readouterr().out


def test_json_that_parses_but_is_not_canonical_exits_1(
        record: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = record.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b'{"body":{', b'{"body":{"x":0.5,', 1)
    spaced = tmp_path / "float.jsonl"
    spaced.write_bytes(b"\n".join(lines))
    assert main(["verify", str(spaced)]) == 1
    said = capsys.readouterr().out
    assert "entry 5" in said and "not canonical JSON (section 2.3)" in said
    assert "INVALID" in said


def test_help_names_every_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "3 valid so far but it stops before its result" in said
    assert "1 invalid (including JSON that is not canonical)" in said


def test_many_small_chunks_in_parallel_give_the_same_verdict(
        record: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("omov.record.parallel.CHUNK_LINES", 3)
    assert main(["verify", "--jobs", "2", str(record)]) == 0
    assert "✓ tally: the sum of the 20 counted ballots" in capsys.readouterr().out
    lines = record.read_bytes().split(b"\n")
    garbled = tmp_path / "garbled.jsonl"
    lines[20] = b"not json"
    garbled.write_bytes(b"\n".join(lines))
    assert main(["verify", "--jobs", "2", str(garbled)]) == 2
    assert "line 20: not a JSON line" in capsys.readouterr().out


def test_the_operations_counted_in_parallel_are_those_of_one_process(
        record: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("omov.record.parallel.CHUNK_LINES", 3)
    with group.count_operations() as alone:
        assert verify_record(record, jobs=1).ok
    for jobs in (1, 2):
        counted: Counter[str] = Counter()
        assert verify_record(record, jobs=jobs, operations=counted).ok
        assert counted == alone
    assert alone["mult"] > 0 and alone["valid"] > 0
