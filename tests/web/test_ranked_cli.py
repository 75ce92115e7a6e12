"""`omov trustee shuffle` and `decrypt-rankings` on the record the server publishes: the
shuffle of the record's own input is taken by the trustee page; an input the server
forged (another order, a row left out, a replaced ciphertext) is refused and nothing
is written; the decryption is checked and the count published."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from django.urls import reverse

from omov.ballots import board, mix_state, simulation
from omov.ballots.actions import counting, mixing
from omov.ballots.models import MixStage, Phase
from omov.commands import trustee as trustee_command
from omov.crypto.backup import encrypt_backup
from omov.crypto.canonical import parse_json

from .test_ranked_mix import RANKINGS, ranked_election

PASSPHRASE = "a long trustee passphrase"


def omov_trustee(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="omov")
    sub = parser.add_subparsers(dest="command", required=True).add_parser("trustee")
    trustee_command.configure(sub)
    return int(trustee_command.run(parser.parse_args(["trustee", *argv])))


def download(client: object, url: str, path: Path) -> Path:
    response = client.get(url)  # type: ignore[attr-defined]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path.write_bytes(content)
    return path


def test_a_trustee_shuffles_with_the_command_line_and_uploads_it(tmp_path: Path) -> None:
    election = ranked_election()
    ballot = election.ballot
    page = election.client(election.trustees[0])
    record = download(page, reverse("ballots:record", args=[ballot.slug]),
                      tmp_path / "record.omov.jsonl")
    served = download(page, reverse("ballots:mix_input", args=[ballot.slug, "q2"]),
                      tmp_path / "input.json")
    out = tmp_path / "shuffle.json"
    assert omov_trustee("shuffle", "--record", str(record), "--trustee", "1", "--question",
                        "q2", "--input", str(served), "--out", str(out)) == 0
    with out.open("rb") as handle:
        answer = page.post(reverse("ballots:trustee_submit", args=[ballot.slug]),
                           {"step": "shuffle", "body_file": handle}, follow=True)
    assert "Your shuffle is verified and on the board" in answer.content.decode()
    assert mix_state.shuffled_by(ballot, "q2") == [1]

    # The second trustee's command verifies the first shuffle in the record, then goes on.
    record = download(page, reverse("ballots:record", args=[ballot.slug]), record)
    served = download(page, reverse("ballots:mix_input", args=[ballot.slug, "q2"]), served)
    second = tmp_path / "second.json"
    assert omov_trustee("shuffle", "--record", str(record), "--trustee", "2", "--question",
                        "q2", "--input", str(served), "--out", str(second)) == 0
    mixing.submit_shuffle(ballot, ballot.trustees.get(index=2), parse_json(second.read_bytes()))
    mixing.end_mix(ballot, by=election.organiser)
    assert election.refresh().mix.stage == MixStage.DECRYPTING

    record = download(page, reverse("ballots:record", args=[ballot.slug]), record)
    for index in (1, 2):
        backup = tmp_path / f"backup-{index}.json"
        backup.write_text(json.dumps(encrypt_backup(election.states[index].to_json(),
                                                    PASSPHRASE)))
        (tmp_path / "pass").write_text(PASSPHRASE)
        out = tmp_path / f"rankings-{index}.json"
        assert omov_trustee("decrypt-rankings", "--record", str(record), "--question", "q2",
                            "--backup", str(backup), "--passphrase-file",
                            str(tmp_path / "pass"), "--out", str(out)) == 0
        mixing.submit_ranked_decryption(ballot, ballot.trustees.get(index=index),
                                        parse_json(out.read_bytes()))
    simulation.decrypt(ballot, election.states, election.rng, trustees=[1, 2])
    assert election.refresh().phase == Phase.TALLIED
    counting.publish_result(election.refresh(), by=election.organiser)
    (result,) = board.bodies(ballot, "result")
    assert result["counts"][0]["count"]["valid"] == len(RANKINGS)


def _forged(served: Path, how: str) -> None:
    body = parse_json(served.read_bytes())
    if how == "order":
        body["rows"] = body["rows"][::-1]
    elif how == "dropped":
        body["rows"] = body["rows"][1:]
    else:
        body["rows"][0][0] = body["rows"][1][0]
    if how != "digest-kept":
        from omov.crypto.shuffle import rows_digest
        from omov.crypto.shuffle_proof import rows_from_json

        body["digest"] = rows_digest(rows_from_json(body["rows"])).hex()
    served.write_text(json.dumps(body))


@pytest.mark.parametrize("how", ["order", "dropped", "replaced", "digest-kept"])
def test_an_input_the_server_forged_is_refused_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    election = ranked_election()
    ballot = election.ballot
    page = election.client(election.trustees[0])
    record = download(page, reverse("ballots:record", args=[ballot.slug]),
                      tmp_path / "record.omov.jsonl")
    served = download(page, reverse("ballots:mix_input", args=[ballot.slug, "q2"]),
                      tmp_path / "input.json")
    _forged(served, how)
    out = tmp_path / "shuffle.json"
    assert omov_trustee("shuffle", "--record", str(record), "--trustee", "1", "--question",
                        "q2", "--input", str(served), "--out", str(out)) == 2
    assert "STOP: the input in" in capsys.readouterr().err
    assert not out.exists()


def test_a_record_with_a_forged_shuffle_is_refused(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    election = ranked_election()
    ballot = election.ballot
    simulation.shuffle(ballot, 1, election.rng)
    lines = b"".join(board.lines(ballot)).splitlines(keepends=True)
    entry = parse_json(lines[-1].rstrip(b"\n"))
    entry["body"]["rows"][0], entry["body"]["rows"][1] = (entry["body"]["rows"][1],
                                                          entry["body"]["rows"][0])
    from omov.crypto.canonical import canonical_json

    lines[-1] = canonical_json(entry) + b"\n"
    record = tmp_path / "record.omov.jsonl"
    record.write_bytes(b"".join(lines))
    out = tmp_path / "shuffle.json"
    assert omov_trustee("shuffle", "--record", str(record), "--trustee", "2", "--question",
                        "q2", "--out", str(out)) == 2
    assert "trustee 1's shuffle of question q2 in the record does not verify" in (
        capsys.readouterr().err)
    assert not out.exists()
