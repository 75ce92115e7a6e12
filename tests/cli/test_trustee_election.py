"""A whole election driven through the command-line tools: the credential
authority and three trustees (threshold two) do their steps with `omov
credentials` and `omov trustee`; members vote; two trustees decrypt from the
record, which then verifies. A trustee refuses to decrypt a forged tally."""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from omov.commands import credentials, trustee
from omov.crypto.backup import decrypt_backup, encrypt_backup
from omov.crypto.ballot import ElectionContext, encrypt_ballot, fingerprint, verify_ballot
from omov.crypto.canonical import canonical_json, digest
from omov.crypto.credentials import credential_secret, roll_digest
from omov.crypto.decryption import PartialDecryption, parse_tally
from omov.crypto.dkg import check_commitment
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.dkg_review import joint_key_body, review_key_generation
from omov.crypto.elgamal import Ciphertext
from omov.crypto.group import Point
from omov.crypto.transcript import TestRng
from omov.record.board import GENESIS, entry_hash, make_entry
from omov.record.ceremony_code import ceremony_code
from omov.record.count_code import count_code
from omov.record.election import result_body, tally_body
from omov.record.manifest import parse_manifest
from omov.record.verifier import verify_record

PASSPHRASE = "a long trustee passphrase"
VOTES = [[1, 0], [1, 0], [0, 1], [1, 0]]  # yes, yes, no, yes


def omov(command: ModuleType, *argv: str) -> int:
    """Run `omov <command> ...` as omov.cli does, with only that command loaded."""
    parser = argparse.ArgumentParser(prog="omov")
    sub = parser.add_subparsers(dest="command", required=True).add_parser(command.NAME)
    command.configure(sub)
    result: int = command.run(parser.parse_args([command.NAME, *argv]))
    return result


def manifest_body(authority_key: str) -> dict[str, Any]:
    return {
        "format": "omov-election/1",
        "election_id": "endorsement-2026",
        "title": "Reverse the withdrawal of endorsement?",
        "description": "",
        "questions": [{"id": "q1", "kind": "yes_no", "text": "Reverse it?",
                       "options": ["Yes", "No"], "min": 1, "max": 1}],
        "trustees": [{"index": i, "name": f"Region {i}"} for i in (1, 2, 3)],
        "threshold": 2,
        "credential_authority": {"name": "Scrutineer", "public_key": authority_key},
        "eligibility": {"cut_off": "2026-11-01", "description": "Members on the cut-off date"},
        "opens_at": "2026-12-01T09:00:00Z",
        "closes_at": "2026-12-02T21:00:00Z",
    }


class Board:
    """A record file that entries are appended to, one canonical line each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.head = GENESIS
        self.index = 0
        path.write_bytes(b"")

    def append(self, kind: str, body: Any) -> None:
        # Setup before the opening, ballots during voting, the rest at the closing.
        day = {"open": "01T09", "ballot": "01T10"}.get(kind, "01T08")
        if kind in ("close", "tally", "partial_decryption", "result"):
            day = "02T21"
        entry = make_entry(self.index, kind, self.head, body,
                           f"2026-12-{day}:00:00.{self.index:06d}Z")
        with open(self.path, "ab") as handle:
            handle.write(entry.line + b"\n")
        self.head, self.index = entry.hash, self.index + 1

    def last_body(self, kind: str) -> Any:
        bodies = [json.loads(line) for line in self.path.read_bytes().splitlines()]
        return [entry["body"] for entry in bodies if entry["kind"] == kind][-1]


class Election:
    """Files of one election in a temporary directory, made by the commands."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.passphrase = self.file("passphrase.txt", PASSPHRASE + "\n")
        assert omov(credentials, "keygen", "--out", self.at("authority.json")) == 0
        key = json.loads((root / "authority.json").read_text())["public_key"]
        self.manifest = manifest_body(key)
        self.file("manifest.json", canonical_json(self.manifest).decode())
        for step in ("keygen", "shares", "check"):
            for i in (1, 2, 3):
                assert self.trustee(step, i) == 0
        roll = "member,email,name\n" + "".join(f"{n},m{n}@example.org,M{n}\n" for n in range(4))
        self.file("roll.csv", roll)
        assert omov(
            credentials, "generate", "--manifest", self.at("manifest.json"),
            "--roll", self.at("roll.csv"), "--private-out", self.at("private.csv"),
            "--public-out", self.at("roll.json"), "--authority-key", self.at("authority.json"),
        ) == 0

    def at(self, name: str) -> str:
        return str(self.root / name)

    def file(self, name: str, text: str) -> str:
        (self.root / name).write_text(text, encoding="utf-8")
        return self.at(name)

    def read(self, name: str) -> Any:
        return json.loads((self.root / name).read_text())

    def trustee(self, step: str, index: int, *extra: str) -> int:
        board = ["--manifest", self.at("manifest.json")]
        if step != "keygen":
            for kind in ("commitment", "shares"):
                for i in (1, 2, 3):
                    if (self.root / f"{kind}-{i}.json").exists():
                        board += [f"--{kind}", self.at(f"{kind}-{i}.json")]
        outputs = {
            "keygen": ["--trustee", str(index), "--commitment-out",
                       self.at(f"commitment-{index}.json"), "--backup-out",
                       self.at(f"backup-{index}.json")],
            "shares": ["--backup", self.at(f"backup-{index}.json"),
                       "--out", self.at(f"shares-{index}.json")],
            "check": ["--backup", self.at(f"backup-{index}.json")],
        }[step]
        if step == "shares":
            outputs += ["--ceremony-code", self.ceremony_code()]
        return omov(trustee, step, *board, *outputs, "--passphrase-file", self.passphrase)

    def ceremony_code(self) -> str:
        """The code the trustees read out to each other (8.5), from the commitment files."""
        digest = parse_manifest(self.manifest, entry=None).digest
        commitments = {
            i: check_commitment(digest, self.read(f"commitment-{i}.json"), 3, 2) for i in (1, 2, 3)
        }
        return ceremony_code(digest, commitments)

    def decrypt(self, record: str, index: int) -> int:
        return omov(
            trustee, "decrypt", "--record", record, "--backup", self.at(f"backup-{index}.json"),
            "--out", self.at(f"partial-{index}.json"), "--passphrase-file", self.passphrase,
        )

    def codes(self) -> list[str]:
        with open(self.root / "private.csv", encoding="utf-8", newline="") as handle:
            return [row["code"] for row in csv.DictReader(handle)]

    def write_record(self, name: str, forge_tally: bool = False,
                     extra_row: bool = False) -> Board:
        """The board up to the tally, with a ballot per member of the roll."""
        manifest = parse_manifest(self.manifest)
        commitments = [self.read(f"commitment-{i}.json") for i in (1, 2, 3)]
        shares = [self.read(f"shares-{i}.json") for i in (1, 2, 3)]
        review = review_key_generation(manifest.digest, 3, 2, commitments, shares, [])
        joint = joint_key_body(review, 2)
        roll = self.read("roll.json")
        public_key = Point.from_hex(joint["public_key"])
        election_fingerprint = fingerprint(
            manifest.digest, public_key, roll_digest(roll["credentials"])
        )
        context = ElectionContext(election_fingerprint, public_key, manifest.rules)
        writer = Board(self.root / name)
        writer.append("manifest", self.manifest)
        for body in commitments:
            writer.append("trustee_commitment", body)
        for body in shares:
            writer.append("trustee_shares", body)
        writer.append("joint_key", joint)
        writer.append("credential_roll", roll)
        writer.append("open", {"fingerprint": election_fingerprint.hex(),
                               "opened_at": "2026-12-01T09:00:00Z"})
        rng = TestRng(b"voters")
        choices: list[Ciphertext] = []
        for code, selection in zip(self.codes(), VOTES, strict=True):
            secret = credential_secret(digest(self.manifest), code)
            ballot = encrypt_ballot(context, secret, [selection], rng).ballot
            writer.append("ballot", ballot)
            choices.append(verify_ballot(context, ballot).choices[0][0])
        writer.append("close", {"closed_at": "2026-12-02T21:00:00Z", "ballots": len(VOTES)})
        total = choices[2] if forge_tally else sum(choices[1:], choices[0])
        rows = [[total], [choices[0]]] if extra_row else [[total]]
        writer.append("tally", tally_body(len(VOTES), rows))
        return writer


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> Election:
    return Election(tmp_path_factory.mktemp("election"))


def test_two_trustees_decrypt_a_verified_record(election: Election) -> None:
    board = election.write_record("election.omov.jsonl")
    for index in (1, 3):
        assert election.decrypt(str(board.path), index) == 0
        board.append("partial_decryption", election.read(f"partial-{index}.json"))
    counted, tally = parse_tally(board.last_body("tally"))
    partials = {
        i: PartialDecryption.from_json(election.read(f"partial-{i}.json"), tally) for i in (1, 3)
    }
    result = result_body(parse_manifest(election.manifest).rules, tally, partials, 2, counted)
    assert result["totals"] == [[3, 1]]
    board.append("result", result)
    report = verify_record(board.path, jobs=1)
    assert report.ok, report.render()
    assert report.complete


def test_a_forged_tally_is_not_decrypted(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    board = election.write_record("forged.omov.jsonl", forge_tally=True)
    assert election.decrypt(str(board.path), 2) == 2
    assert "its tally cannot be trusted" in capsys.readouterr().err
    assert not (election.root / "partial-2.json").exists()


def test_decrypting_prints_the_count_code_of_the_tally_entry(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    board = election.write_record("code.omov.jsonl")
    tally_line = board.path.read_bytes().splitlines()[-1]
    expected = count_code(entry_hash(tally_line), len(VOTES))
    printed = []
    for index in (1, 2):
        assert election.decrypt(str(board.path), index) == 0
        out = capsys.readouterr().out
        assert f"Counted ballots: {len(VOTES)}" in out
        printed.append(out.split("Count code: ")[1].split()[0])
    assert printed == [expected, expected]


def test_a_tally_with_a_row_per_ballot_is_not_decrypted(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    board = election.write_record("extra-rows.omov.jsonl", extra_row=True)
    (election.root / "partial-3.json").unlink(missing_ok=True)
    assert election.decrypt(str(board.path), 3) == 2
    assert "its tally cannot be trusted" in capsys.readouterr().err
    assert not (election.root / "partial-3.json").exists()


def test_a_tally_given_without_the_record_is_refused(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    """The server hands one ballot's ciphertext over as the tally file."""
    board = election.write_record("for-tally.omov.jsonl", forge_tally=True)
    election.file("tally.json", json.dumps(board.last_body("tally")))
    election.file("manifest.json", json.dumps(election.manifest))
    (election.root / "partial-1.json").unlink(missing_ok=True)
    code = omov(
        trustee, "decrypt", "--manifest", election.at("manifest.json"),
        "--tally", election.at("tally.json"), "--fingerprint", "00" * 32,
        "--backup", election.at("backup-1.json"), "--out", election.at("partial-1.json"),
        "--passphrase-file", election.passphrase,
    )
    assert code == 2
    assert "cannot be checked against the ballots" in capsys.readouterr().err
    assert not (election.root / "partial-1.json").exists()


def test_a_backup_made_on_the_trustee_page_decrypts_without_a_check_step(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    """The page keeps no final share in the backup; `decrypt` computes it from the record."""
    board = election.write_record("page-backup.omov.jsonl")
    checked = TrusteeState.from_json(
        decrypt_backup(election.read("backup-2.json"), PASSPHRASE))
    assert checked.share is not None
    as_the_page_saves_it = replace(checked, share=None)
    election.file("page-backup-2.json", json.dumps(
        encrypt_backup(as_the_page_saves_it.to_json(), PASSPHRASE)))
    (election.root / "partial-2.json").unlink(missing_ok=True)
    assert omov(
        trustee, "decrypt", "--record", str(board.path), "--backup",
        election.at("page-backup-2.json"), "--out", election.at("partial-2.json"),
        "--passphrase-file", election.passphrase,
    ) == 0
    assert "computed it from the shares on the record" in capsys.readouterr().out
    _counted, tally = parse_tally(board.last_body("tally"))
    assert PartialDecryption.from_json(election.read("partial-2.json"), tally).trustee == 2


def test_keys_are_not_made_again_once_the_commitment_is_on_the_board(
    election: Election, capsys: pytest.CaptureFixture[str]
) -> None:
    board = election.write_record("keygen-again.omov.jsonl")
    assert omov(
        trustee, "keygen", "--record", str(board.path), "--trustee", "1",
        "--commitment-out", election.at("again.json"), "--backup-out", election.at("again-b.json"),
        "--passphrase-file", election.passphrase,
    ) == 2
    assert "commitment is already on the board" in capsys.readouterr().err
    assert not (election.root / "again-b.json").exists()
