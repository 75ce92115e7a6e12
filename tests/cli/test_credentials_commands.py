"""`omov credentials`: the authority's key, codes and signed roll, and mailing
the codes through a small SMTP server started on 127.0.0.1."""

from __future__ import annotations

import argparse
import base64
import csv
import email
import json
import socketserver
import threading
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest

from omov.commands import credentials as command
from omov.commands.credentials_mail import grouped
from omov.crypto.ballot import fingerprint, tracker
from omov.crypto.canonical import canonical_json, digest
from omov.crypto.credentials import (
    credential_secret,
    normalise_code,
    public_credential,
    roll_digest,
    verify_roll,
)
from omov.crypto.group import Point
from omov.crypto.transcript import SystemRng
from omov.record.manifest import parse_manifest
from omov.record.simulation import _key_generation
from omov.record.writer import RecordWriter


def main(argv: list[str]) -> int:
    """Run `omov credentials ...` as omov.cli does, with only this command loaded."""
    parser = argparse.ArgumentParser(prog="omov")
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser(command.NAME)
    command.configure(sub)
    args = parser.parse_args(argv)
    result: int = command.run(args)
    return result


def manifest_for(public_key: str) -> dict[str, Any]:
    return {
        "format": "omov-election/1",
        "election_id": "codes-test",
        "title": "Codes test",
        "description": "",
        "questions": [
            {"id": "q1", "kind": "yes_no", "text": "Agree?", "options": ["Yes", "No"],
             "min": 1, "max": 1},
        ],
        "trustees": [{"index": 1, "name": "Only trustee"}],
        "threshold": 1,
        "credential_authority": {"name": "Scrutineer", "public_key": public_key},
        "eligibility": {"cut_off": "2026-11-01", "description": "Members"},
        "opens_at": "2026-12-01T09:00:00Z",
        "closes_at": "2026-12-02T21:00:00Z",
    }


class Authority:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.key = root / "authority.json"
        assert main(["credentials", "keygen", "--out", str(self.key)]) == 0
        self.public_key = json.loads(self.key.read_text())["public_key"]
        self.manifest = manifest_for(self.public_key)
        self.manifest_path = root / "manifest.json"
        self.manifest_path.write_bytes(canonical_json(self.manifest))
        self.private = root / "private.csv"
        self.public = root / "roll.json"
        self.record = root / "record.omov.jsonl"
        self.joint_key = self._key_ceremony()

    def _key_ceremony(self) -> Point:
        """The record after the key ceremony, which the authority mails against."""
        manifest = parse_manifest(self.manifest)
        with RecordWriter(self.record) as writer:
            writer.append("manifest", manifest.body)
            _, public_key = _key_generation(writer, manifest, SystemRng())
        return public_key

    def election_code(self) -> str:
        credentials = json.loads(self.public.read_text())["credentials"]
        return tracker(fingerprint(digest(self.manifest), self.joint_key,
                                   roll_digest(credentials)))

    def generate(self, roll_csv: str) -> int:
        roll = self.root / "roll.csv"
        roll.write_text(roll_csv, encoding="utf-8")
        return main([
            "credentials", "generate", "--manifest", str(self.manifest_path),
            "--roll", str(roll), "--private-out", str(self.private),
            "--public-out", str(self.public), "--authority-key", str(self.key),
        ])

    def private_rows(self) -> list[dict[str, str]]:
        with open(self.private, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    return Authority(tmp_path)


ROLL = """member,email,name
1001,ada@example.org,Ada Lovelace
1002,,Brian
grace@example.org,grace@example.org,Grace
"""


def test_keygen_prints_the_public_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "key.json"
    assert main(["credentials", "keygen", "--out", str(path)]) == 0
    key = json.loads(path.read_text())
    assert key["public_key"] in capsys.readouterr().out
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert main(["credentials", "keygen", "--out", str(path)]) == 2


def test_generate_writes_codes_and_a_signed_sorted_roll(authority: Authority) -> None:
    assert authority.generate(ROLL) == 0
    rows = authority.private_rows()
    assert [r["member"] for r in rows] == ["1001", "1002", "grace@example.org"]
    assert rows[0]["name"] == "Ada Lovelace" and rows[1]["email"] == ""
    assert oct(authority.private.stat().st_mode & 0o777) == "0o600"
    roll = json.loads(authority.public.read_text())
    manifest_digest = digest(authority.manifest)
    points = verify_roll(manifest_digest, Point.from_hex(authority.public_key), roll)
    assert len(points) == 3
    assert roll["credentials"] == sorted(roll["credentials"])
    expected = {
        public_credential(credential_secret(manifest_digest, normalise_code(r["code"]))).hex()
        for r in rows
    }
    assert set(roll["credentials"]) == expected
    assert "Ada" not in authority.public.read_text()


@pytest.mark.parametrize(
    ("roll", "message"),
    [
        ("member,email\n1,a@example.org\n1,b@example.org\n",
         "line 3: member '1' is already on line 2"),
        ("member,email\n,a@example.org\n", "line 2: the member column is empty"),
        ("member\nAda@example.org\nada@example.org\n", "line 3: member 'ada@example.org' is"),
        ("member,email\n7,not-an-address\n", "line 2: 'not-an-address' is not an email address"),
        ("member,name\n7,=HYPERLINK()\n", "line 2: the name starts with '='"),
        ("email,name\na@example.org,A\n", "needs a 'member' column"),
        ("member\n1,extra\n", "line 2: more cells than columns"),
        ("member\n", "lists no members"),
    ],
)
def test_bad_roll_rows_are_named(
    authority: Authority, capsys: pytest.CaptureFixture[str], roll: str, message: str
) -> None:
    assert authority.generate(roll) == 2
    assert message in capsys.readouterr().err
    assert not authority.private.exists()
    assert not authority.public.exists()


def test_generate_refuses_another_authority_key(
    authority: Authority, capsys: pytest.CaptureFixture[str]
) -> None:
    other = authority.root / "other.json"
    assert main(["credentials", "keygen", "--out", str(other)]) == 0
    authority.key = other
    assert authority.generate(ROLL) == 2
    assert "another credential authority key" in capsys.readouterr().err


def test_unreadable_roll_is_reported(
    authority: Authority, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([
        "credentials", "generate", "--manifest", str(authority.manifest_path),
        "--roll", str(authority.root / "absent.csv"), "--private-out", str(authority.private),
        "--public-out", str(authority.public), "--authority-key", str(authority.key),
    ])
    assert code == 2
    assert "cannot read roll" in capsys.readouterr().err


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept messages and keep them."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.logins: list[str] = []
        self.drop_after: int | None = None


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpSink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink ready")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                credentials = base64.b64decode(command.split()[2]).split(b"\0")
                self.server.logins.append(b":".join(credentials[1:]).decode())
                self.reply("235 accepted")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip("<> "), []
                self.reply("250 ok")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip("<> ")
                if address in self.server.refuse:
                    self.reply("550 no such user")
                else:
                    recipients.append(address)
                    self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append((sender, recipients, data))
                self.reply("250 queued")
                if len(self.server.messages) == self.server.drop_after:
                    return
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _mail(authority: Authority, sink: SmtpSink, *extra: str) -> int:
    return main([
        "credentials", "mail", str(authority.private), "--record", str(authority.record),
        "--public-roll", str(authority.public), "--smtp-host", "127.0.0.1",
        "--smtp-port", str(sink.server_address[1]), "--from", "scrutineer@example.org",
        "--election-title", "Codes test", "--vote-url", "https://vote.example.org", *extra,
    ])


def test_mail_sends_each_member_their_code(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    rows = {r["email"]: r for r in authority.private_rows()}
    assert _mail(authority, sink) == 0
    output = capsys.readouterr()
    assert "Sent 2 of 2" in output.out
    assert "1002" in output.err  # Brian has no address: told to deliver by hand.
    assert [m[1] for m in sink.messages] == [["ada@example.org"], ["grace@example.org"]]
    parsed: Message = email.message_from_bytes(sink.messages[0][2], policy=default_policy)
    assert parsed["Subject"] == "Your voting code: Codes test"
    body = parsed.get_content()  # type: ignore[attr-defined]
    assert grouped(normalise_code(rows["ada@example.org"]["code"])) in body
    assert "Dear Ada Lovelace," in body
    assert "https://vote.example.org" in body
    lines = body.replace("\r\n", "\n")
    assert f"The election code is:\n\n    {authority.election_code()}\n" in lines
    assert "check that the booth shows this same election code" in body
    assert "Voting closes Wed 2 Dec 2026, 21:00 UTC." in body
    assert "vote in the booth:\n\n    https://vote.example.org\n" in lines
    assert "credential code" not in body.lower() and "voting code" in body


def test_mail_gives_the_close_in_the_organisations_time_zone(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    """The letter says the closing time as the site shows it ("… GMT", "… BST")."""
    assert authority.generate(ROLL) == 0
    assert _mail(authority, sink, "--time-zone", "Asia/Tokyo") == 0
    parsed: Message = email.message_from_bytes(sink.messages[0][2], policy=default_policy)
    assert "Voting closes Thu 3 Dec 2026, 06:00 JST." in parsed.get_content()  # type: ignore[attr-defined]
    assert _mail(authority, sink, "--time-zone", "Mars/Olympus") == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err


def test_mail_refuses_a_private_file_with_another_election_code(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    rows = authority.private_rows()
    with open(authority.private, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "election_code"])
        writer.writeheader()
        writer.writerows({**row, "election_code": "AAAA-BBBB-CCCC-DDDD"} for row in rows)
    assert _mail(authority, sink) == 2
    assert authority.election_code() in capsys.readouterr().err
    assert sink.messages == []


def test_mail_refuses_a_record_that_does_not_verify(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    lines = authority.record.read_text().splitlines()
    stored = json.loads(lines[-1])["body"]["public_key"]
    other = (Point.from_hex(stored) + Point.from_hex(authority.public_key)).hex()
    lines[-1] = lines[-1].replace(stored, other)
    authority.record.write_text("\n".join(lines) + "\n")
    assert _mail(authority, sink) == 2
    assert "does not verify" in capsys.readouterr().err
    assert sink.messages == []


def test_mail_reports_refused_recipients(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    sink.refuse.add("grace@example.org")
    assert _mail(authority, sink) == 1
    output = capsys.readouterr()
    assert "Sent 1 of 2" in output.out
    assert "not sent to grace@example.org" in output.err


def test_mail_dry_run_sends_nothing(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    assert _mail(authority, sink, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "To: ada@example.org" in out and "Dry run: 2 message(s) not sent." in out
    assert sink.messages == []


def test_mail_refuses_a_damaged_code(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    rows = authority.private_rows()
    rows[0]["code"] = rows[0]["code"][:-1] + ("0" if rows[0]["code"][-1] != "0" else "1")
    with open(authority.private, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["member", "email", "name", "code"])
        writer.writeheader()
        writer.writerows(rows)
    assert _mail(authority, sink) == 2
    assert "line 2" in capsys.readouterr().err
    assert sink.messages == []


def test_mail_cannot_reach_the_server(
    authority: Authority, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    unused = socketserver.TCPServer(("127.0.0.1", 0), socketserver.BaseRequestHandler)
    port = unused.server_address[1]
    unused.server_close()
    code = main([
        "credentials", "mail", str(authority.private), "--record", str(authority.record),
        "--public-roll", str(authority.public), "--smtp-host", "127.0.0.1",
        "--smtp-port", str(port), "--from", "s@example.org", "--election-title", "T",
    ])
    assert code == 2
    assert f"127.0.0.1:{port}" in capsys.readouterr().err


def test_mail_logs_in_with_the_password_file(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    password = authority.root / "smtp-password"
    password.write_text("s3cret\n")
    assert _mail(authority, sink, "--user", "authority", "--password-file", str(password)) == 0
    assert sink.logins == ["authority:s3cret"]
    assert len(sink.messages) == 2


def test_mail_needs_user_and_password_together(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    assert _mail(authority, sink, "--user", "authority") == 2
    assert "both --user and --password-file" in capsys.readouterr().err


def test_mail_can_start_after_an_interrupted_run(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    assert _mail(authority, sink, "--start-at", "1") == 0
    assert [m[1] for m in sink.messages] == [["grace@example.org"]]
    assert _mail(authority, sink, "--start-at", "3") == 2
    assert "--start-at must be between 0 and 2" in capsys.readouterr().err


def test_a_dropped_connection_says_where_to_go_on(
    authority: Authority, sink: SmtpSink, capsys: pytest.CaptureFixture[str]
) -> None:
    assert authority.generate(ROLL) == 0
    sink.drop_after = 1
    assert _mail(authority, sink) == 2
    assert "after 1 of 2 letters; run again with --start-at 1" in capsys.readouterr().err
