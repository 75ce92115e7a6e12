"""`omov trustee`, end to end in a temporary directory: three trustees with
threshold two generate a key, deal and check shares, and decrypt a tally,
from individual entry files and from a record file."""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from omov.commands import trustee as command
from omov.crypto.backup import decrypt_backup, encrypt_backup
from omov.crypto.canonical import canonical_json, digest
from omov.crypto.decryption import check_partial_decryption, combine, parse_tally
from omov.crypto.dkg import deal_shares
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.dkg_review import KeyGeneration, joint_key_body, review_key_generation
from omov.crypto.elgamal import encrypt
from omov.crypto.group import L, Scalar, base_mult
from omov.crypto.threshold import joint_key, verification_keys
from omov.crypto.transcript import TestRng

PASSPHRASE = "trustee passphrase"
FINGERPRINT = hashlib.sha256(b"cli fingerprint").digest().hex()


def main(argv: list[str]) -> int:
    """Run `omov trustee ...` as omov.cli does, with only this command loaded."""
    parser = argparse.ArgumentParser(prog="omov")
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser(command.NAME)
    command.configure(sub)
    args = parser.parse_args(argv)
    result: int = command.run(args)
    return result


def make_manifest() -> dict[str, Any]:
    return {
        "format": "omov-election/1",
        "election_id": "cli-test",
        "title": "CLI test",
        "description": "",
        "questions": [
            {"id": "q1", "kind": "yes_no", "text": "Agree?", "options": ["Yes", "No"],
             "min": 1, "max": 1},
        ],
        "trustees": [{"index": i, "name": f"Trustee {i}"} for i in (1, 2, 3)],
        "threshold": 2,
        "credential_authority": {
            "name": "Scrutineer", "public_key": base_mult(Scalar.from_int(5)).hex()
        },
        "eligibility": {"cut_off": "2026-11-01", "description": "Members"},
        "opens_at": "2026-12-01T09:00:00Z",
        "closes_at": "2026-12-02T21:00:00Z",
    }


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest = root / "manifest.json"
        self.manifest.write_bytes(canonical_json(make_manifest()))
        self.passphrase = root / "passphrase.txt"
        self.passphrase.write_text(PASSPHRASE + "\n")

    def path(self, name: str) -> Path:
        return self.root / name

    def trustee(self, step: str, *args: str) -> int:
        return main(["trustee", step, *args, "--passphrase-file", str(self.passphrase)])

    def entries(self, flag: str, pattern: str) -> list[str]:
        return [part for p in sorted(self.root.glob(pattern)) for part in (flag, str(p))]

    def board(self) -> list[str]:
        return [
            "--manifest", str(self.manifest),
            *self.entries("--commitment", "commitment-*.json"),
            *self.entries("--shares", "shares-*.json"),
            *self.entries("--complaint", "complaint-*.json"),
        ]

    def state(self, index: int) -> TrusteeState:
        document = json.loads(self.path(f"backup-{index}.json").read_text())
        return TrusteeState.from_json(decrypt_backup(document, PASSPHRASE))

    def read(self, name: str) -> Any:
        return json.loads(self.path(name).read_text())


def keygen_all(ws: Workspace) -> None:
    for i in (1, 2, 3):
        assert ws.trustee(
            "keygen", "--manifest", str(ws.manifest), "--trustee", str(i),
            "--commitment-out", str(ws.path(f"commitment-{i}.json")),
            "--backup-out", str(ws.path(f"backup-{i}.json")),
        ) == 0


def shares_all(ws: Workspace) -> None:
    board = ws.board()
    for i in (1, 2, 3):
        assert ws.trustee(
            "shares", *board, "--backup", str(ws.path(f"backup-{i}.json")),
            "--out", str(ws.path(f"shares-{i}.json")),
        ) == 0


def check(ws: Workspace, index: int) -> int:
    return ws.trustee(
        "check", *ws.board(), "--backup", str(ws.path(f"backup-{index}.json")),
        "--complaint-dir", str(ws.root),
    )


def review(ws: Workspace) -> KeyGeneration:
    """The key generation as the published entry files show it."""
    return review_key_generation(
        digest(make_manifest()), 3, 2,
        [ws.read(f"commitment-{i}.json") for i in (1, 2, 3)],
        [ws.read(f"shares-{i}.json") for i in (1, 2, 3)],
        [json.loads(p.read_text()) for p in sorted(ws.root.glob("complaint-*.json"))],
    )


def tally_for(ws: Workspace, votes: list[int]) -> dict[str, Any]:
    outcome = review(ws)
    key = joint_key(outcome.coefficient_commitments(), outcome.qualified(2))
    rng = TestRng(b"tally")
    total = encrypt(key, votes[0], rng.scalar())
    for vote in votes[1:]:
        total = total + encrypt(key, vote, rng.scalar())
    return {"counted": len(votes), "ciphertexts": [[total.to_json()]]}


def decrypt_and_combine(ws: Workspace, decryptors: tuple[int, ...], tally: dict[str, Any],
                        board: list[str]) -> tuple[tuple[int, ...], ...]:
    for i in decryptors:
        assert ws.trustee(
            "decrypt", *board, "--backup", str(ws.path(f"backup-{i}.json")),
            "--out", str(ws.path(f"partial-{i}.json")),
        ) == 0
    outcome = review(ws)
    members = outcome.qualified(2)
    keys = verification_keys(outcome.coefficient_commitments(), members, members)
    counted, ciphertexts = parse_tally(tally)
    partials = {
        i: check_partial_decryption(
            bytes.fromhex(FINGERPRINT), ws.read(f"partial-{i}.json"), ciphertexts, keys[i]
        )
        for i in decryptors
    }
    return combine(ciphertexts, partials, 2, counted)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_three_trustees_from_entry_files(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    assert oct(ws.path("backup-1.json").stat().st_mode & 0o777) == "0o600"
    shares_all(ws)
    for i in (1, 2, 3):
        assert check(ws, i) == 0
        assert ws.state(i).share is not None
    assert "Qualified trustees: [1, 2, 3]" in capsys.readouterr().out
    tally = tally_for(ws, [1, 0, 1, 1])
    board = record_board(ws, tally)
    assert decrypt_and_combine(ws, (1, 3), tally, board) == ((3,),)
    assert decrypt_and_combine(ws, (2, 3), tally, board) == ((3,),)


def _record(ws: Workspace, entries: list[tuple[str, Any]]) -> Path:
    previous = "00" * 32
    lines = []
    for index, (kind, body) in enumerate(entries):
        line = canonical_json({"body": body, "index": index, "kind": kind, "previous": previous,
                               "time": f"2026-12-01T09:00:00.{index:06d}Z"})
        previous = hashlib.sha256(line).hexdigest()
        lines.append(line + b"\n")
    path = ws.path("election.omov.jsonl")
    path.write_bytes(b"".join(lines))
    return path


def record_board(ws: Workspace, tally: dict[str, Any], complaints: tuple[str, ...] = ()
                 ) -> list[str]:
    """A record of the ceremony's entry files ending in `tally`, for `decrypt`.

    Its ballots are not there, so the record cannot verify: skip that.
    """
    record = _record(ws, [
        ("manifest", make_manifest()),
        *[("trustee_commitment", ws.read(f"commitment-{i}.json")) for i in (1, 2, 3)],
        *[("trustee_shares", ws.read(f"shares-{i}.json")) for i in (1, 2, 3)],
        *[("trustee_complaint", ws.read(name)) for name in complaints],
        ("joint_key", joint_key_body(review(ws), 2)),
        ("open", {"fingerprint": FINGERPRINT, "opened_at": "2026-12-01T09:00:00Z"}),
        ("close", {"closed_at": "2026-12-02T21:00:00Z", "ballots": tally["counted"]}),
        ("tally", tally),
    ])
    return ["--record", str(record), "--no-verify"]


def test_decrypt_from_a_record_file(ws: Workspace) -> None:
    keygen_all(ws)
    shares_all(ws)
    for i in (1, 2, 3):
        assert check(ws, i) == 0
    tally = tally_for(ws, [0, 1])
    record = _record(ws, [
        ("manifest", make_manifest()),
        *[("trustee_commitment", ws.read(f"commitment-{i}.json")) for i in (1, 2, 3)],
        *[("trustee_shares", ws.read(f"shares-{i}.json")) for i in (1, 2, 3)],
        ("joint_key", joint_key_body(review(ws), 2)),
        ("open", {"fingerprint": FINGERPRINT, "opened_at": "2026-12-01T09:00:00Z"}),
        ("ballot", {"anything": "skipped unparsed"}),
        ("close", {"closed_at": "2026-12-02T21:00:00Z", "ballots": 2}),
        ("tally", tally),
    ])
    # The ballot here is a placeholder, so the record cannot verify: skip that.
    board = ["--record", str(record), "--no-verify"]
    assert decrypt_and_combine(ws, (1, 2), tally, board) == ((1,),)


def test_a_cheating_dealer_draws_a_complaint_and_is_left_out(ws: Workspace) -> None:
    keygen_all(ws)
    shares_all(ws)
    cheat = ws.state(2)
    wrong = Scalar.from_int((cheat.coefficients[1].value + 1) % L)
    cheat = TrusteeState(cheat.manifest_digest, 2, cheat.communication_secret,
                         (cheat.coefficients[0], wrong))
    outcome = review(ws)
    ws.path("shares-2.json").write_bytes(
        canonical_json(deal_shares(cheat, outcome.commitments, TestRng(b"cheat")))
    )
    assert check(ws, 1) == 1
    assert ws.path("complaint-1-against-2.json").exists()
    assert ws.state(1).share is None
    # With the complaint published, trustees 1 and 3 finish without trustee 2.
    assert check(ws, 1) == 0
    assert check(ws, 3) == 0
    tally = tally_for(ws, [1, 1])
    board = record_board(ws, tally, ("complaint-1-against-2.json",))
    assert decrypt_and_combine(ws, (1, 3), tally, board) == ((2,),)


def test_wrong_passphrase_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    ws.passphrase.write_text("not the passphrase\n")
    code = ws.trustee(
        "shares", *ws.board(), "--backup", str(ws.path("backup-1.json")),
        "--out", str(ws.path("shares-1.json")),
    )
    assert code == 1
    assert "passphrase is wrong" in capsys.readouterr().err
    assert not ws.path("shares-1.json").exists()


def test_keygen_refuses_to_overwrite_a_backup(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    before = ws.path("backup-1.json").read_bytes()
    code = ws.trustee(
        "keygen", "--manifest", str(ws.manifest), "--trustee", "1",
        "--commitment-out", str(ws.path("c.json")), "--backup-out", str(ws.path("backup-1.json")),
    )
    assert code == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert ws.path("backup-1.json").read_bytes() == before


def test_decrypt_before_check_says_what_to_do(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    shares_all(ws)
    ws.path("tally.json").write_bytes(canonical_json(tally_for(ws, [1])))
    code = ws.trustee(
        "decrypt", *ws.board(), "--tally", str(ws.path("tally.json")),
        "--fingerprint", FINGERPRINT, "--backup", str(ws.path("backup-1.json")),
        "--out", str(ws.path("partial-1.json")),
    )
    assert code == 2
    assert "run `omov trustee check` first" in capsys.readouterr().err


def test_backup_of_another_election_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    state = ws.state(1)
    other = TrusteeState(b"\x01" * 32, 1, state.communication_secret, state.coefficients)
    backup = encrypt_backup(other.to_json(), PASSPHRASE)
    ws.path("backup-1.json").write_bytes(canonical_json(backup))
    code = ws.trustee(
        "shares", *ws.board(), "--backup", str(ws.path("backup-1.json")),
        "--out", str(ws.path("shares-1.json")),
    )
    assert code == 2
    assert "another election" in capsys.readouterr().err


def test_tampered_commitment_file_is_reported(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    body = ws.read("commitment-3.json")
    body["commitment_proofs"][0]["response"] = Scalar.from_int(1).hex()
    ws.path("commitment-3.json").write_text(json.dumps(body))
    assert ws.trustee(
        "shares", *ws.board(), "--backup", str(ws.path("backup-1.json")),
        "--out", str(ws.path("shares-1.json")),
    ) == 0
    err = capsys.readouterr().err
    assert "trustee 3's trustee_commitment" in err
    assert "commitment_proofs[0]" in err
    assert [s["recipient"] for s in ws.read("shares-1.json")["shares"]] == [2]


def test_unreadable_input_names_the_file(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    code = ws.trustee(
        "keygen", "--manifest", str(ws.path("missing.json")), "--trustee", "1",
        "--commitment-out", str(ws.path("c.json")), "--backup-out", str(ws.path("b.json")),
    )
    assert code == 2
    assert "missing.json" in capsys.readouterr().err


def test_invalid_manifest_is_refused(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = make_manifest()
    manifest["threshold"] = 4
    ws.manifest.write_bytes(canonical_json(manifest))
    code = ws.trustee(
        "keygen", "--manifest", str(ws.manifest), "--trustee", "1",
        "--commitment-out", str(ws.path("c.json")), "--backup-out", str(ws.path("b.json")),
    )
    assert code == 2
    assert "the manifest is not valid" in capsys.readouterr().err
    assert not ws.path("b.json").exists()


def test_record_and_entry_files_are_not_mixed(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    code = ws.trustee(
        "shares", "--record", str(ws.path("r.jsonl")), "--manifest", str(ws.manifest),
        "--backup", str(ws.path("backup-1.json")), "--out", str(ws.path("s.json")),
    )
    assert code == 2
    assert "either --record or the individual entry files" in capsys.readouterr().err


def test_the_commands_run_through_omov_without_django(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from omov.cli import main\n"
        f"code = main(['credentials', 'keygen', '--out', {str(tmp_path / 'a.json')!r}])\n"
        "import omov.commands.trustee, omov.commands.credentials\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'Django imported'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "a.json").read_text())["public_key"] in done.stdout


def test_key_generation_from_a_growing_record(ws: Workspace) -> None:
    entries: list[tuple[str, Any]] = [("manifest", make_manifest())]
    for i in (1, 2, 3):
        record = _record(ws, entries)
        assert ws.trustee(
            "keygen", "--record", str(record), "--trustee", str(i),
            "--commitment-out", str(ws.path(f"commitment-{i}.json")),
            "--backup-out", str(ws.path(f"backup-{i}.json")),
        ) == 0
    entries += [("trustee_commitment", ws.read(f"commitment-{i}.json")) for i in (1, 2, 3)]
    record = _record(ws, entries)
    for i in (1, 2, 3):
        assert ws.trustee(
            "shares", "--record", str(record), "--backup", str(ws.path(f"backup-{i}.json")),
            "--out", str(ws.path(f"shares-{i}.json")),
        ) == 0
    entries += [("trustee_shares", ws.read(f"shares-{i}.json")) for i in (1, 2, 3)]
    record = _record(ws, entries)
    for i in (1, 2, 3):
        assert ws.trustee(
            "check", "--record", str(record), "--backup", str(ws.path(f"backup-{i}.json"))
        ) == 0
    keys = verification_keys(review(ws).coefficient_commitments(), (1, 2, 3), (1, 2, 3))
    for i in (1, 2, 3):
        share = ws.state(i).share
        assert share is not None and base_mult(share) == keys[i]
