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
from omov.crypto.ballot import ElectionContext, encrypt_ballot, fingerprint, verify_ballot
from omov.crypto.canonical import canonical_json, digest
from omov.crypto.credentials import (
    credential_secret,
    new_code,
    public_credential,
    roll_digest,
    sign_roll,
)
from omov.crypto.decryption import check_partial_decryption, combine, parse_tally
from omov.crypto.dkg import check_commitment, deal_shares
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.dkg_review import KeyGeneration, joint_key_body, review_key_generation
from omov.crypto.errors import ProtocolError
from omov.crypto.group import L, Scalar, base_mult
from omov.crypto.threshold import joint_key, verification_keys
from omov.crypto.transcript import TestRng
from omov.record.ceremony_code import ceremony_code
from omov.record.election import tally_body
from omov.record.manifest import parse_manifest

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
        if step == "shares" and "--ceremony-code" not in args:
            args = (*args, "--ceremony-code", self.ceremony_code())
        return main(["trustee", step, *args, "--passphrase-file", str(self.passphrase)])

    def ceremony_code(self) -> str:
        """The code the trustees read out to each other (8.5): of the valid commitment files."""
        commitments = {}
        for path in sorted(self.root.glob("commitment-*.json")):
            try:
                body = json.loads(path.read_text())
                found = check_commitment(digest(make_manifest()), body, 3, 2)
            except ProtocolError:
                continue
            commitments[found.trustee] = found
        return ceremony_code(digest(make_manifest()), commitments)

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


def election_record(ws: Workspace, votes: list[int], complaints: tuple[str, ...] = ()
                    ) -> tuple[list[str], dict[str, Any], bytes]:
    """A record that verifies, from the ceremony's entry files: one member per vote
    casts a yes/no ballot (1 is yes), and the tally is their sum.

    Returns the `--record` arguments for `decrypt`, the tally body and the
    fingerprint. The manifest's credential authority key is 5·G, so the roll
    is signed with the secret 5.
    """
    manifest = make_manifest()
    manifest_digest = digest(manifest)
    outcome = review(ws)
    key = joint_key(outcome.coefficient_commitments(), outcome.qualified(2))
    rng = TestRng(b"record")
    secrets = [credential_secret(manifest_digest, new_code(bytes([n]) * 12))
               for n in range(len(votes))]
    roll = sign_roll(manifest_digest, Scalar.from_int(5), map(public_credential, secrets), rng)
    election = fingerprint(manifest_digest, key, roll_digest(roll["credentials"]))
    context = ElectionContext(election, key, parse_manifest(manifest).rules)
    ballots = [encrypt_ballot(context, secret, [[vote, 1 - vote]], rng).ballot
               for secret, vote in zip(secrets, votes, strict=True)]
    choices = [verify_ballot(context, ballot).choices[0][0] for ballot in ballots]
    tally = tally_body(len(votes), [[sum(choices[1:], choices[0])]])
    record = _record(ws, [
        ("manifest", manifest),
        *[("trustee_commitment", ws.read(f"commitment-{i}.json")) for i in (1, 2, 3)],
        *[("trustee_shares", ws.read(f"shares-{i}.json")) for i in (1, 2, 3)],
        *[("trustee_complaint", ws.read(name)) for name in complaints],
        ("joint_key", joint_key_body(outcome, 2)),
        ("credential_roll", roll),
        ("open", {"fingerprint": election.hex(), "opened_at": "2026-12-01T09:00:00Z"}),
        *[("ballot", ballot) for ballot in ballots],
        ("close", {"closed_at": "2026-12-02T21:00:00Z", "ballots": len(votes)}),
        ("tally", tally),
    ])
    return ["--record", str(record)], tally, election


def decrypt_and_combine(ws: Workspace, decryptors: tuple[int, ...], tally: dict[str, Any],
                        board: list[str], election: bytes) -> tuple[tuple[int, ...], ...]:
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
        i: check_partial_decryption(election, ws.read(f"partial-{i}.json"), ciphertexts, keys[i])
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
    board, tally, election = election_record(ws, [1, 0, 1, 1])
    assert decrypt_and_combine(ws, (1, 3), tally, board, election) == ((3,),)
    assert decrypt_and_combine(ws, (2, 3), tally, board, election) == ((3,),)


def _record(ws: Workspace, entries: list[tuple[str, Any]]) -> Path:
    previous = "00" * 32
    lines = []
    day = "2026-12-01T08:00:00"  # before the opening; then while open; then after the close
    for index, (kind, body) in enumerate(entries):
        day = {"open": "2026-12-01T09:00:00", "close": "2026-12-02T21:00:00"}.get(kind, day)
        line = canonical_json({"body": body, "index": index, "kind": kind, "previous": previous,
                               "time": f"{day}.{index:06d}Z"})
        previous = hashlib.sha256(line).hexdigest()
        lines.append(line + b"\n")
    path = ws.path("election.omov.jsonl")
    path.write_bytes(b"".join(lines))
    return path


def test_decrypt_refuses_a_record_that_does_not_verify(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """There is no way to skip the check: a tally not recomputed is not decrypted."""
    keygen_all(ws)
    shares_all(ws)
    for i in (1, 2, 3):
        assert check(ws, i) == 0
    board, _, _ = election_record(ws, [0, 1])
    record = Path(board[1])
    lines = record.read_bytes().splitlines(keepends=True)
    forged = json.loads(lines[-1])
    forged["body"]["counted"] = 1
    lines[-1] = canonical_json(forged) + b"\n"
    record.write_bytes(b"".join(lines))
    backup = ["--backup", str(ws.path("backup-1.json")), "--out", str(ws.path("partial-1.json"))]
    assert ws.trustee("decrypt", *board, *backup) == 2
    assert "its tally cannot be trusted" in capsys.readouterr().err
    assert not ws.path("partial-1.json").exists()
    with pytest.raises(SystemExit):
        ws.trustee("decrypt", *board, "--no-verify", *backup)
    assert "unrecognized arguments: --no-verify" in capsys.readouterr().err


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
    board, tally, election = election_record(ws, [1, 1], ("complaint-1-against-2.json",))
    assert decrypt_and_combine(ws, (1, 3), tally, board, election) == ((2,),)


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


def test_shares_are_dealt_only_after_the_ceremony_code_the_others_read_out(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    code = ws.ceremony_code()
    deal = ["shares", *ws.board(), "--backup", str(ws.path("backup-1.json")),
            "--out", str(ws.path("shares-1.json"))]
    assert ws.trustee(*deal, "--ceremony-code", "00000-00000") == 2
    err = capsys.readouterr().err
    assert "STOP" in err and code in err and "Do not deal" in err
    assert not ws.path("shares-1.json").exists()
    # Without the flag and without a terminal, the code is printed and nothing is dealt.
    assert main(["trustee", *deal, "--passphrase-file", str(ws.passphrase)]) == 2
    captured = capsys.readouterr()
    assert f"Ceremony code: {code}" in captured.out and "--ceremony-code" in captured.err
    assert not ws.path("shares-1.json").exists()
    assert main(["trustee", "code", *ws.board()]) == 0
    assert f"Ceremony code: {code}" in capsys.readouterr().out
    spoken = code.lower().replace("0", "o").replace("-", " ")
    assert ws.trustee(*deal, "--ceremony-code", spoken) == 0
    assert ws.path("shares-1.json").exists()


def test_a_forked_commitment_gives_another_code_and_nothing_is_dealt(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """The others' code is of the real commitments; trustee 1 is given a forged trustee 2."""
    keygen_all(ws)
    agreed = ws.ceremony_code()
    forged = ws.path("forged")
    forged.mkdir()
    assert main(["trustee", "keygen", "--manifest", str(ws.manifest), "--trustee", "2",
                 "--commitment-out", str(forged / "commitment-2.json"),
                 "--backup-out", str(forged / "backup-2.json"),
                 "--passphrase-file", str(ws.passphrase)]) == 0
    board = ["--manifest", str(ws.manifest), "--commitment", str(ws.path("commitment-1.json")),
             "--commitment", str(forged / "commitment-2.json"),
             "--commitment", str(ws.path("commitment-3.json"))]
    assert ws.trustee("shares", *board, "--backup", str(ws.path("backup-1.json")),
                      "--out", str(ws.path("shares-1.json")), "--ceremony-code", agreed) == 2
    assert "STOP" in capsys.readouterr().err
    assert not ws.path("shares-1.json").exists()


def test_a_trustee_is_stopped_from_dealing_twice(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    shares_all(ws)
    again = ws.trustee("shares", *ws.board(), "--backup", str(ws.path("backup-1.json")),
                       "--out", str(ws.path("again.json")))
    assert again == 2
    assert "already among the published entries" in capsys.readouterr().err
    assert not ws.path("again.json").exists()


def test_a_backup_from_another_attempt_is_refused_in_plain_words(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    keygen_all(ws)
    assert ws.trustee("keygen", "--manifest", str(ws.manifest), "--trustee", "1",
                      "--commitment-out", str(ws.path("unused.json")),
                      "--backup-out", str(ws.path("second-try.json"))) == 0
    assert ws.trustee("shares", *ws.board(), "--backup", str(ws.path("second-try.json")),
                      "--out", str(ws.path("shares-1.json"))) == 2
    err = capsys.readouterr().err
    assert "is not the backup of trustee 1's published commitment" in err
    assert not ws.path("shares-1.json").exists()


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
