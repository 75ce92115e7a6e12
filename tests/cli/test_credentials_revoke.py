"""`omov credentials revoke`: replacing lost codes during voting (6.4)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from test_credentials_commands import ROLL, Authority, main

from omov.crypto.canonical import digest
from omov.crypto.credentials import credential_secret, normalise_code, public_credential
from omov.crypto.group import Point
from omov.record.errors import RecordError
from omov.record.roll import check_revocation

FINGERPRINT = bytes(range(32))


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    return Authority(tmp_path)


def revoke(authority: Authority, *extra: str, out: str = "revocation.json") -> int:
    return main([
        "credentials", "revoke", "--manifest", str(authority.manifest_path),
        "--authority-key", str(authority.key), "--fingerprint", FINGERPRINT.hex(),
        "--private", str(authority.private), "--reason", "code reported lost",
        "--out", str(authority.root / out), "--private-out", str(authority.root / f"new-{out}.csv"),
        *extra,
    ])


def credential_of(authority: Authority, code: str) -> str:
    secret = credential_secret(digest(authority.manifest), normalise_code(code))
    return public_credential(secret).hex()


def test_revoke_replaces_a_members_credential_with_a_signed_body(authority: Authority) -> None:
    assert authority.generate(ROLL) == 0
    old = {row["member"]: row for row in authority.private_rows()}
    assert revoke(authority, "--member", "1002", "--member", "GRACE@example.org") == 0
    body = json.loads((authority.root / "revocation.json").read_text())
    revoked, added = check_revocation(
        body, FINGERPRINT, Point.from_hex(authority.public_key), entry=9
    )
    roll = json.loads(authority.public.read_text())["credentials"]
    assert body["revoked"] == [credential_of(authority, old["1002"]["code"]),
                               credential_of(authority, old["grace@example.org"]["code"])]
    assert all(c in roll for c in body["revoked"]) and not any(c in roll for c in body["added"])
    assert body["reason"] == "code reported lost" and len(revoked) == len(added) == 2
    new_csv = authority.root / "new-revocation.json.csv"
    assert oct(new_csv.stat().st_mode & 0o777) == "0o600"
    with open(new_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["member"], r["email"], r["name"]) for r in rows] == [
        ("1002", "", "Brian"), ("grace@example.org", "grace@example.org", "Grace")]
    assert [credential_of(authority, r["code"]) for r in rows] == body["added"]
    assert rows[0]["code"] != old["1002"]["code"]


def test_a_revocation_for_another_election_fails_its_signature(authority: Authority) -> None:
    assert authority.generate(ROLL) == 0
    assert revoke(authority, "--member", "1001") == 0
    body = json.loads((authority.root / "revocation.json").read_text())
    with pytest.raises(RecordError, match="signature"):
        check_revocation(body, bytes(32), Point.from_hex(authority.public_key), entry=3)


def test_revoke_refuses_an_unknown_member(
    authority: Authority, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    assert revoke(authority, "--member", "1001", "--member", "9999") == 2
    err = capsys.readouterr().err
    assert "not in" in err and "9999" in err and "1001" not in err.split("not in")[1]
    assert not (authority.root / "revocation.json").exists()


def test_revoke_refuses_another_authoritys_key(
    authority: Authority, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    other = tmp_path / "other-key.json"
    assert main(["credentials", "keygen", "--out", str(other)]) == 0
    authority.key = other
    assert revoke(authority, "--member", "1001") == 2
    assert "another credential authority key" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("private", "message"),
    [(None, "cannot read"), ("member,code\n1001,x\n", "must have the columns")],
)
def test_revoke_refuses_an_unreadable_private_file(
    authority: Authority, private: str | None, message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if private is not None:
        authority.private.write_text(private, encoding="utf-8")
    assert revoke(authority, "--member", "1001") == 2
    assert message in capsys.readouterr().err


def test_revoke_refuses_a_bad_fingerprint(
    authority: Authority, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    args = ["credentials", "revoke", "--manifest", str(authority.manifest_path),
            "--authority-key", str(authority.key), "--fingerprint", "abc",
            "--private", str(authority.private), "--reason", "lost", "--member", "1001",
            "--out", str(authority.root / "r.json"), "--private-out", str(authority.root / "n.csv")]
    assert main(args) == 2
    assert "--fingerprint must be 64" in capsys.readouterr().err


def test_revoke_records_the_members_request_time(authority: Authority) -> None:
    assert authority.generate(ROLL) == 0
    assert revoke(authority, "--member", "1002", "--requested-at", "2026-12-01T14:05:00Z") == 0
    body = json.loads((authority.root / "revocation.json").read_text())
    assert body["requested_at"] == "2026-12-01T14:05:00Z"
    check_revocation(body, FINGERPRINT, Point.from_hex(authority.public_key), entry=9)
    assert revoke(authority, "--member", "1002", out="unasked.json") == 0
    assert json.loads((authority.root / "unasked.json").read_text())["requested_at"] is None


def test_revoke_refuses_a_bad_request_time(authority: Authority,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert authority.generate(ROLL) == 0
    assert revoke(authority, "--member", "1002", "--requested-at", "yesterday") != 0
    assert "--requested-at must be a UTC time" in capsys.readouterr().err
    assert not (authority.root / "revocation.json").exists()
