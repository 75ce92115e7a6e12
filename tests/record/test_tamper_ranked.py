"""A record with ranked questions (protocol 5.2): with its mix and count (16) it
is a complete result, without them it is not, and tampering with its ranked
ballots is caught. The mix itself is tampered with in test_tamper_mix."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from omov.cli import main
from omov.crypto.ranked import cells_from_ranking
from omov.crypto.transcript import TestRng
from omov.record.simulation import SimulationPlan, simulate
from tests.record.tamper_kit import (
    ballot_entry,
    check,
    context_of,
    positions,
    problems,
    save,
    voter_secret,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "vectors"))
from ranked_forgery import cells, forged_ballot

Entries = list[dict[str, Any]]
SET = "ranked"
PLAN = SimulationPlan(voters=10, trustees=3, threshold=2, questions=SET, seed=b"tamper-suite",
                      revote_rate=0.2, audit_rate=0.3)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ranked") / "ranked.omov.jsonl"
    summary = simulate(path, PLAN)
    assert summary.audited >= 1 and summary.totals[1:] == [[], []]
    return path


def test_a_record_with_ranked_questions_and_its_mix_is_a_valid_result(
        original: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = check(original)
    assert report.ok, problems(report)
    assert report.complete
    assert main(["verify", str(original)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("\nVALID")


def test_a_result_without_the_ranked_counts_is_not_a_result(
        entries: Entries, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n in sorted(positions(entries, "shuffle") + positions(entries, "ranked_decryption"),
                    reverse=True):
        del entries[n]
    del entries[-1]["body"]["counts"]
    report = check(save(entries, out))
    assert not report.ok
    assert ("field counts: the result has no counts: the ranked questions are counted after "
            "the mix, and the result holds their counts (protocol section 16.4)"
            in problems(report))
    assert main(["verify", str(out)]) == 1
    assert "INVALID" in capsys.readouterr().out


def test_the_tally_skips_ranked_questions(entries: Entries) -> None:
    tally = entries[positions(entries, "tally")[0]]["body"]
    assert [len(row) for row in tally["ciphertexts"]] == [1, 0, 0]
    result = entries[positions(entries, "result")[0]]["body"]
    assert result["totals"][1:] == [[], []]


def test_a_record_that_stops_at_close_exits_3(entries: Entries, out: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    closed = entries[: positions(entries, "close")[0] + 1]
    report = check(save(closed, out))
    assert report.ok and not report.complete, problems(report)
    assert main(["verify", str(out)]) == 3
    assert "VALID SO FAR" in capsys.readouterr().out


def test_a_tally_with_ranked_ciphertexts_is_caught(entries: Entries, out: Path) -> None:
    at = positions(entries, "tally")[0]
    body = entries[at]["body"]
    body["ciphertexts"][1] = [body["ciphertexts"][0][0]]
    report = check(save(entries, out))
    assert not report.ok
    assert "ciphertexts[1]" in problems(report)


def test_a_ranked_proof_swapped_is_caught(entries: Entries, out: Path) -> None:
    at = positions(entries, "ballot")[0]
    proofs = entries[at]["body"]["answers"][1]["rank_proofs"]
    proofs[1], proofs[2] = proofs[2], proofs[1]
    report = check(save(entries, out))
    assert not report.ok
    assert "answers[1].rank_proofs[1]" in problems(report)


@pytest.mark.parametrize(("row", "field"), [
    (cells(4, 3, [(2, 0), (2, 1)]), "answers[1].candidate_proofs[2]"),
    (cells(4, 3, [(2, 0), (0, 2)]), "answers[1].rank_proofs[2]"),
    (cells(4, 3, [(1, 0), (3, 0)]), "answers[1].rank_proofs[0]"),
    (cells(4, 3, [(1, 0)], 2), "answers[1].proofs[3]"),
])
def test_a_forged_ranked_ballot_from_an_eligible_voter_is_caught(
        entries: Entries, out: Path, row: list[int], field: str) -> None:
    ctx = context_of(entries)
    chair = list(cells_from_ranking(ctx.rules[2], [1]))
    forged = forged_ballot(ctx, voter_secret(entries, 3), [[1, 0], row, chair],
                           TestRng(field.encode()))
    close = positions(entries, "close")[0]
    entries.insert(close, ballot_entry(forged.ballot))
    entries[close + 1]["body"]["ballots"] += 1
    report = check(save(entries, out))
    assert not report.ok
    assert field in problems(report)
