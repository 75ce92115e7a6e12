"""The mix in the record (protocol 16): a complete ranked election verifies, and
every way of tampering with its shuffles, ranked decryptions and counts is
caught with a message saying which shuffle, part, row, column or round."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from omov.cli import main
from omov.crypto.elgamal import encrypt
from omov.crypto.group import Scalar, base_mult
from omov.crypto.transcript import TestRng
from omov.record.simulation import SimulationPlan, simulate
from tests.record.tamper_kit import check, context_of, positions, problems, save

Entries = list[dict[str, Any]]
# Small parts, so that every shuffle and decryption of 10 rows has three or four.
PLAN = SimulationPlan(voters=10, trustees=3, threshold=2, questions="ranked",
                      seed=b"tamper-suite", revote_rate=0.2, audit_rate=0.2,
                      mix_part_bytes=3000)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mix") / "mix.omov.jsonl"
    simulate(path, PLAN)
    return path


def caught(entries: Entries, out: Path, *expected: str) -> str:
    report = check(save(entries, out))
    said = problems(report)
    assert not report.ok, "the tampering was not caught"
    for phrase in expected:
        assert phrase in said, f"{phrase!r} not in:\n{said}"
    return said


def mix_entries(entries: Entries, kind: str, question: str = "north",
                trustee: int | None = None) -> list[int]:
    """Positions of the parts of `kind` of `question` (by `trustee` if given)."""
    return [n for n in positions(entries, kind)
            if entries[n]["body"]["question"] == question
            and (trustee is None or entries[n]["body"]["trustee"] == trustee)]


def test_a_complete_ranked_election_is_valid(original: Path, entries: Entries,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    report = check(original)
    assert report.ok, problems(report)
    assert report.complete
    parts = mix_entries(entries, "shuffle", trustee=2)
    assert len(parts) >= 3 and [entries[n]["body"]["part"] for n in parts] == [0, 1, 2][
        :len(parts)] + list(range(3, len(parts)))
    assert main(["verify", str(original)]) == 0
    out = capsys.readouterr().out
    assert "✓ shuffles: question 'north': 3 shuffle(s) of 10 rows (trustees 1, 2, 3)" in out
    assert "✓ ranked count: question 'north': 10 ranking(s) decrypted by trustees 1, 2" in out
    assert out.rstrip().endswith("VALID")


def test_fewer_than_k_shuffles_is_a_missing_shuffle(entries: Entries, out: Path) -> None:
    for n in reversed(mix_entries(entries, "shuffle", trustee=2)
                      + mix_entries(entries, "shuffle", trustee=3)):
        del entries[n]
    caught(entries, out, "missing shuffle: a ranked decryption of question 'north' after "
                         "1 shuffle(s) (trustees 1); at least 2 trustees must shuffle")


def test_a_wrong_shuffle_proof_names_the_trustee_question_and_entries(
        entries: Entries, out: Path) -> None:
    parts = mix_entries(entries, "shuffle", trustee=2)
    entries[parts[1]]["body"]["s_hat"][0] = Scalar.from_int(7).hex()
    caught(entries, out, f"trustee 2's shuffle of question 'north' (entries {parts[0]} to "
                         f"{parts[-1]}) is wrong with the output of trustee 1's shuffle",
           "the shuffle proof does not verify")


def drop_row(body: dict[str, Any]) -> None:
    for name in ("rows", "commitments", "chain", "s_hat", "s_prime"):
        del body[name][0]


def duplicate_row(body: dict[str, Any]) -> None:
    body["rows"][1] = copy.deepcopy(body["rows"][0])


@pytest.mark.parametrize(("alter", "said"), [
    (drop_row, "the shuffle has 10 input rows but 9 output rows"),
    (duplicate_row, "the shuffle proof does not verify"),
    ("replace", "the shuffle proof does not verify"),
])
def test_a_shuffle_that_drops_duplicates_or_replaces_a_row_is_caught(
        entries: Entries, out: Path, alter: Any, said: str) -> None:
    parts = mix_entries(entries, "shuffle", trustee=1)
    body = entries[parts[0]]["body"]
    if alter == "replace":
        key = context_of(entries).public_key
        rng = TestRng(b"replace")
        body["rows"][0] = [encrypt(key, v, rng.scalar()).to_json() for v in (1, 2, 3)]
    else:
        alter(body)
    caught(entries, out, "trustee 1's shuffle of question 'north'", said)


def test_shuffles_out_of_order_are_caught(entries: Entries, out: Path) -> None:
    first = mix_entries(entries, "shuffle", trustee=1)
    second = mix_entries(entries, "shuffle", trustee=2)
    moved = [entries[n] for n in first]
    entries[second[-1] + 1:second[-1] + 1] = moved
    for n in reversed(first):
        del entries[n]
    caught(entries, out, "trustee 2's shuffle of question 'north'",
           "is wrong with the mix input (the counted ballots' rows) as its input",
           "or the shuffles are out of order")


def test_a_shuffle_after_a_ranked_decryption_is_caught(entries: Entries, out: Path) -> None:
    third = mix_entries(entries, "shuffle", trustee=3)
    decryption = mix_entries(entries, "ranked_decryption", trustee=1)
    moved = [entries[n] for n in third]
    entries[decryption[-1] + 1:decryption[-1] + 1] = moved
    for n in reversed(third):
        del entries[n]
    caught(entries, out, "a shuffle of question 'north' after its ranked decryption",
           "trustee 1's ranked decryption of question 'north'",
           "the share does not match the last shuffle's output")


def test_parts_out_of_order_are_caught(entries: Entries, out: Path) -> None:
    parts = mix_entries(entries, "shuffle", trustee=2)
    entries[parts[0]], entries[parts[1]] = entries[parts[1]], entries[parts[0]]
    caught(entries, out, f"entry {parts[0]}, field part: part 1 of",
           "trustee 2's shuffle of question 'north' does not follow its part 0")


def test_a_missing_part_is_caught(entries: Entries, out: Path) -> None:
    parts = mix_entries(entries, "shuffle", trustee=2)
    del entries[parts[1]]
    caught(entries, out, f"trustee 2's shuffle of question 'north' (entry {parts[0]}) stops "
                         f"after 1 of its {len(parts)} parts: entry {parts[1]} is not its part 1")


def test_a_missing_last_decryption_part_is_caught(entries: Entries, out: Path) -> None:
    parts = mix_entries(entries, "ranked_decryption", trustee=2)
    del entries[parts[-1]]
    caught(entries, out, "trustee 2's ranked decryption of question 'north'",
           "parts: entry", "is not its part")


def test_a_decryption_share_that_does_not_match_is_caught(entries: Entries, out: Path) -> None:
    parts = mix_entries(entries, "ranked_decryption", trustee=2, question="chair")
    body = entries[parts[1]]["body"]
    row = len(entries[parts[0]]["body"]["shares"]) + 1
    body["shares"][1][2] = base_mult(Scalar.from_int(5)).hex()
    caught(entries, out, "trustee 2's ranked decryption of question 'chair'",
           f"row {row}, column 2: the proof does not verify",
           f"entry {parts[1]}, field proofs[1][2]")


def test_a_count_that_differs_names_the_round_and_candidate(entries: Entries,
                                                            out: Path) -> None:
    result = entries[-1]["body"]
    tallies = result["counts"][0]["count"]["rounds"][0]["tallies"]
    tallies[1] = [tallies[1][0] + 100000, 1] if isinstance(tallies[1], list) else tallies[1] + 1
    caught(entries, out, "question 'north': the published count differs from the recount: "
                         "round 1 differs: the published count gives Bo")


def test_a_count_decrypted_by_a_trustee_without_a_decryption_is_caught(
        entries: Entries, out: Path) -> None:
    entries[-1]["body"]["counts"][1]["decrypted_by"] = [1, 3]
    caught(entries, out, "question 'chair': decrypted_by names trustees [1, 3], but only "
                         "trustees [1, 2] published valid ranked decryptions")


def test_a_result_without_counts_is_caught(entries: Entries, out: Path) -> None:
    del entries[-1]["body"]["counts"]
    caught(entries, out, "the result has no counts: the ranked questions are counted after "
                         "the mix", "protocol section 16.4")


def test_a_record_that_stops_in_the_mix_exits_3(entries: Entries, out: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    stop = mix_entries(entries, "shuffle", trustee=2)[-1]
    report = check(save(entries[:stop + 1], out))
    assert report.ok and not report.complete, problems(report)
    assert report.phase == "mix"
    assert main(["verify", str(out)]) == 3
    assert "stops in the mix phase" in capsys.readouterr().out
