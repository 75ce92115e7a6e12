"""`omov vote`: the command-line booth against a live `omov serve`.

The server runs as a separate process with an open ballot (the browser tests'
election setup); the member signs in with a link from the dev mailbox or with
a session cookie, exactly as the command's help says.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from omov.cli import main
from omov.commands.election_code import election_code
from omov.commands.vote import Refused, checked_election, normalise_election_code
from omov.crypto.ballot import tracker
from omov.crypto.canonical import digest, parse_json
from omov.record.simulation import SimulationPlan, simulate
from omov.trustee_files import CommandError

ROOT = Path(__file__).resolve().parents[2]
SLUG = "e2e-vote"


class Live:
    def __init__(self, url: str, work: Path) -> None:
        self.url = url
        self.work = work

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return str(response.read().decode())

    def record(self) -> str:
        return self.get(f"/ballots/{SLUG}/record.omov.jsonl")

    def voter(self) -> str:
        return str(json.loads((self.work / "people.json").read_text())["voter"])

    def credential_code(self) -> str:
        mailbox = self.get("/dev/mailbox/")
        return str(re.findall(r"\b[0-9A-Z]{5}(?:-[0-9A-Z]{5}){3}\b", mailbox)[0])

    def sign_in_link(self) -> str:
        """Ask the sign-in page for a link, as a member does, and read it from the mailbox."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(self.url + "/sign-in/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        before = set(self._links())
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1),
                                       "email": self.voter()}).encode()
        opener.open(urllib.request.Request(self.url + "/sign-in/", data=form,
                                           headers={"Referer": self.url + "/sign-in/"}),
                    timeout=30).read()
        deadline = time.monotonic() + 30  # the mail worker delivers it a moment later
        while not (fresh := [link for link in self._links() if link not in before]):
            assert time.monotonic() < deadline, "no new sign-in link in the mailbox"
            time.sleep(0.2)
        return fresh[0]

    def _links(self) -> list[str]:
        return re.findall(r"https?://[^\s\"<]+/sign-in/link/[^\s\"</]+/", self.get("/dev/mailbox/"))

    def election_code(self, tmp: Path) -> str:
        """The code the credential authority computes and mails (7.1)."""
        path = tmp / "authority-copy.omov.jsonl"
        path.write_text(self.record())
        return election_code(str(path), None)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    import time

    work = tmp_path_factory.mktemp("vote-cli")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OMOV_DEBUG": "1", "OMOV_VAR_DIR": str(work / "var"),
           "DATABASE_URL": f"sqlite:///{work / 'live.sqlite3'}", "OMOV_BASE_URL": url,
           "DJANGO_SETTINGS_MODULE": "omov.web.settings"}
    env.pop("OMOV_SECRET_KEY", None)
    subprocess.run([sys.executable, str(ROOT / "tests/browser/election_setup.py"), str(work),
                    "3600"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen([sys.executable, "-m", "omov.cli", "serve", "--port", str(port),
                               "--schedule-every", "2"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        server_live = Live(url, work)
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, "omov serve exited"
            try:
                if '"kind":"open"' in server_live.record():
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the ballot did not open"
            time.sleep(0.5)
        yield server_live
    finally:
        server.terminate()
        server.wait(timeout=30)


def vote(live: Live, *extra: str) -> int:
    return main(["vote", live.url, "--ballot", SLUG, "--jobs", "1", *extra])


def ballots_on(record: str) -> list[dict[str, object]]:
    return [parse_json(line)["body"] for line in record.splitlines() if '"kind":"ballot"' in line]


def test_a_wrong_election_code_casts_nothing(live: Live, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    before = len(ballots_on(live.record()))
    status = vote(live, "--code", live.credential_code(), "--election-code",
                  "0000-0000-0000-0000", "--choice", "1=Yes", "--sign-in-link",
                  live.sign_in_link())
    err = capsys.readouterr().err
    assert status == 1
    assert "do not vote here" in err and "Nothing was cast" in err
    assert len(ballots_on(live.record())) == before


def test_a_member_votes_with_a_sign_in_link_and_then_with_a_session_cookie(
    live: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = live.election_code(tmp_path)
    credential = live.credential_code()
    status = vote(live, "--code", credential, "--election-code", code.lower().replace("-", " "),
                  "--choice", "1=Yes", "--sign-in-link", live.sign_in_link())
    out = capsys.readouterr().out
    assert status == 0, out
    printed = re.search(r"your tracker is ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})", out)
    assert printed is not None and "on the board" in out
    last = ballots_on(live.record())[-1]
    assert tracker(digest(last)) == printed.group(1)

    # A session cookie works too: the member's browser session, signed in by a link.
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    link = live.sign_in_link()
    page = opener.open(link, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    opener.open(urllib.request.Request(
        link, data=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1)}).encode(),
        headers={"Referer": link}), timeout=30).read()
    session = next(c.value for c in jar if c.name == "sessionid")
    status = vote(live, "--code", credential, "--election-code", code, "--choice", "1=2",
                  "--session", session)
    out = capsys.readouterr().out
    assert status == 0, out
    again = ballots_on(live.record())[-1]
    assert again != last and again["credential"] == last["credential"]


def test_without_a_session_nothing_is_cast(live: Live, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    before = len(ballots_on(live.record()))
    status = vote(live, "--code", live.credential_code(), "--election-code",
                  live.election_code(tmp_path), "--choice", "1=Yes", "--session", "forged")
    assert status == 2
    assert "this session is not signed in" in capsys.readouterr().err
    assert len(ballots_on(live.record())) == before


def test_a_mistyped_credential_or_choice_is_refused_before_anything_is_sent(
    live: Live, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = live.election_code(tmp_path)
    credential = live.credential_code()
    mistyped = ("1" if credential[0] != "1" else "2") + credential[1:]
    assert vote(live, "--code", mistyped, "--election-code", code, "--choice", "1=Yes") == 2
    assert "mistyped" in capsys.readouterr().err
    assert vote(live, "--code", credential, "--election-code", code, "--choice",
                "1=Maybe") == 2
    assert "no option 'Maybe' of question 1: choose one of 1. Yes; 2. No" in (
        capsys.readouterr().err)


def test_the_election_code_is_read_as_typed() -> None:
    assert normalise_election_code("7qxm 2k4d-pj9a-w3rt") == "7QXM-2K4D-PJ9A-W3RT"
    assert normalise_election_code("oiL0-0000-0000-0000") == "0110-0000-0000-0000"
    with pytest.raises(CommandError, match="is not an election code"):
        normalise_election_code("7QXM-2K4D-PJ9A")


def test_a_record_that_does_not_verify_or_has_closed_is_refused(tmp_path: Path) -> None:
    record = tmp_path / "r.omov.jsonl"
    simulate(record, SimulationPlan(voters=3, trustees=3, threshold=2, questions="yes_no",
                                    seed=b"vote-cli"))
    with pytest.raises(Refused, match="voting has closed"):
        checked_election(record, 1)
    lines = record.read_bytes().splitlines(keepends=True)
    ballot = next(n for n, line in enumerate(lines) if b'"kind":"ballot"' in line)
    tampered = bytearray(lines[ballot])
    at = tampered.index(b'"challenge":"') + len(b'"challenge":"')
    tampered[at:at + 1] = b"1" if tampered[at:at + 1] != b"1" else b"2"
    lines[ballot] = bytes(tampered)
    record.write_bytes(b"".join(lines))
    with pytest.raises(Refused, match="does not verify"):
        checked_election(record, 1)


def test_the_choices_are_asked_question_by_question(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from omov.commands.vote import ask_choices

    manifest = {"questions": [
        {"id": "q1", "text": "Restore?", "options": ["Yes", "No"], "min": 1, "max": 1},
        {"id": "q2", "text": "Whom?", "options": ["Ann", "Bo", "Cy"], "min": 0, "max": 2},
    ]}
    answers = iter(["3", "1 2", "2", "1, 3"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert ask_choices(manifest) == [[0, 1], [1, 0, 1]]
    out = capsys.readouterr().out
    assert out.count("Please give between 1 and 1 of the numbers 1 to 2.") == 2
    assert "2. Whom?  (choose up to 2)" in out and "   3. Cy" in out
