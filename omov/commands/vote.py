"""`omov vote URL --ballot ID ...`: a command-line booth, for members who do not
trust the JavaScript the server sends (docs/protocol.md 7).

It downloads the ballot's public record, checks it with the verifier, compares
the election code (7.1) it computes with the one from the credential
authority's message, and refuses to go on if they differ. It then asks the
choices (or takes them from `--choice`), encrypts, proves and signs the ballot
here (7.3), casts it through the same HTTP request the booth makes, checks the
server's answer against the tracker it computed itself, and looks for the
ballot on the board. Nothing here imports Django; the voting code never
leaves this machine.

Casting needs the member's signed-in session, as in the browser: either a
sign-in link (`--sign-in-link`, from the email the sign-in page sends; this
command uses it up) or the value of the `sessionid` cookie of a browser
session (`--session`, or the OMOV_SESSION environment variable).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import http.cookiejar
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omov.crypto.ballot import ElectionContext, PreparedBallot, encrypt_ballot, tracker
from omov.crypto.base32 import CROCKFORD
from omov.crypto.canonical import canonical_json, digest, parse_json
from omov.crypto.credentials import credential_secret, normalise_code, public_credential
from omov.crypto.errors import ProtocolError
from omov.crypto.group import Point
from omov.crypto.transcript import SystemRng
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.manifest import Manifest, parse_manifest
from omov.record.parallel import default_jobs
from omov.record.reader import read_board
from omov.record.setup_reader import Eligible, read_setup
from omov.record.verifier import verify_record
from omov.trustee_files import CommandError

NAME = "vote"
HELP = "Vote from the command line: check the record and the election code, encrypt, cast."

EXIT_CAST = 0
EXIT_REFUSED = 1
"""Nothing was cast: a check failed (record, election code, credential) or the server refused."""
EXIT_TROUBLE = 2
"""Nothing was cast: wrong arguments, or the server could not be reached."""

SESSION_COOKIE = "sessionid"
_TYPING = str.maketrans({" ": None, "-": None, "O": "0", "I": "1", "L": "1"})
_TIMEOUT = 60
_DOWNLOAD_PIECE = 1 << 20

EPILOG = """\
choices: --choice QUESTION=OPTION, once per chosen option (repeat it for a
question that takes several). QUESTION is the question's id or number (from 1),
OPTION its label exactly as in the manifest or its number (from 1). Without any
--choice the command asks, question by question.

signing in: casting needs your member session. Either ask the sign-in page for
a link and pass it with --sign-in-link (the command uses it up), or copy the
value of the "sessionid" cookie from a browser where you are signed in and
pass it with --session (or the OMOV_SESSION environment variable).

exit status: 0 cast, and found on the board; 1 nothing cast (a check failed or
the server refused the ballot); 2 nothing cast (wrong arguments, or the server
could not be reached)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("url", help="the server's address, e.g. https://vote.example.org")
    parser.add_argument("--ballot", required=True, help="the ballot's id (its address name)")
    parser.add_argument("--code", help="your voting code (asked for if not given; other "
                        "users of this machine can read a command line, so leave it out "
                        "there)")
    parser.add_argument("--election-code", required=True,
                        help="the election code from the credential authority's message")
    parser.add_argument("--choice", action="append", default=[], metavar="QUESTION=OPTION",
                        help="a chosen option (repeatable)")
    login = parser.add_mutually_exclusive_group()
    login.add_argument("--sign-in-link", help="a sign-in link from the server's email")
    login.add_argument("--session", help="the value of a signed-in browser's sessionid cookie")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes that check the record's ballots (default: every core)")


@dataclass(frozen=True)
class Election:
    """What the checked record says about the election one votes in."""

    manifest: Manifest
    manifest_json: dict[str, Any]
    context: ElectionContext
    eligible: Eligible
    """The credentials (32-byte encodings) that may vote now."""
    code: str


class Server:
    """The server's HTTP API as the booth uses it, with one cookie jar."""

    def __init__(self, url: str, ballot: str) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise CommandError(f"{url} is not a server address such as https://vote.example.org")
        self.base = f"{parsed.scheme}://{parsed.netloc}"
        self.ballot = urllib.parse.quote(ballot, safe="")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def address(self, path: str) -> str:
        return f"{self.base}/ballots/{self.ballot}/{path}"

    def get(self, url: str) -> bytes:
        return self.page(url)[0]

    def page(self, url: str) -> tuple[bytes, str]:
        """The body at `url` and the address it ended at (after redirects)."""
        with self._open(url) as response:
            return bytes(response.read()), str(response.url)

    def download(self, url: str, path: Path) -> None:
        """Write the body at `url` to `path` as it comes (a record may be a gigabyte)."""
        with self._open(url) as response, path.open("wb") as out:
            shutil.copyfileobj(response, out, _DOWNLOAD_PIECE)

    @contextlib.contextmanager
    def _open(self, url: str) -> Iterator[Any]:
        try:
            with self.opener.open(url, timeout=_TIMEOUT) as response:
                yield response
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise CommandError(f"the server has no such page: {url} (is the ballot id "
                                   "right, and is voting open?)") from None
            raise CommandError(f"the server answered {error.code} for {url}") from None
        except OSError as error:
            raise ServerUnreachable(f"cannot reach {url}: {error}") from None

    def post(self, url: str, data: bytes, content_type: str,
             referer: str) -> tuple[int, bytes, str]:
        """POST with Django's CSRF token from the cookie; returns status, body and final URL."""
        token = self.cookie("csrftoken")
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": content_type, "X-CSRFToken": token or "",
            "Origin": self.base, "Referer": referer,
        })
        try:
            with self.opener.open(request, timeout=_TIMEOUT) as response:
                return response.status, bytes(response.read()), response.url
        except urllib.error.HTTPError as error:
            return error.code, bytes(error.read()), url
        except OSError as error:
            raise ServerUnreachable(f"cannot reach {url}: {error}") from None

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def set_session(self, value: str) -> None:
        host = urllib.parse.urlsplit(self.base).hostname or ""
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, SESSION_COOKIE, value, None, False, host, False, False, "/", True,
            self.base.startswith("https:"), None, False, None, None, {}))

    def sign_in(self, link: str) -> None:
        """Use a sign-in link as its page does: fetch its form, then post it."""
        if not link.startswith(self.base + "/"):
            raise CommandError(f"the sign-in link is not on {self.base}")
        page = self.get(link).decode("utf-8", "replace")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise CommandError("the sign-in link's page holds no sign-in form")
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": found.group(1)}).encode()
        status, _, _ = self.post(link, form, "application/x-www-form-urlencoded", link)
        if status != 200 or self.cookie(SESSION_COOKIE) is None:
            raise CommandError("the sign-in link did not sign you in (it may be used up or "
                               "expired): ask the sign-in page for a new one")


class ServerUnreachable(CommandError):
    """The server did not answer at all."""


def normalise_election_code(text: str) -> str:
    """The 16 symbols of an election code as typed, or CommandError."""
    symbols = text.upper().translate(_TYPING)
    if len(symbols) != 16 or any(symbol not in CROCKFORD for symbol in symbols):
        raise CommandError(f"{text!r} is not an election code: it has 16 letters and digits "
                           "in four groups of four, such as 7QXM-2K4D-PJ9A-W3RT")
    return "-".join(symbols[i:i + 4] for i in range(0, 16, 4))


def checked_election(record: Path, jobs: int) -> Election:
    """The election of a record the verifier accepts, open for voting."""
    try:
        report = verify_record(record, jobs=jobs)
    except RecordUnreadable as error:
        raise Refused(f"the server's record cannot be read: {error}") from None
    if not report.ok:
        raise Refused("the server's record does not verify, so nothing was cast:\n"
                      + report.render())
    try:
        setup = read_setup(record)
    except (RecordUnreadable, RecordError) as error:
        raise Refused(f"the server's record cannot be read: {error}") from None
    bodies = setup.bodies
    if "open" not in bodies:
        raise Refused("voting has not opened on the record yet")
    if "close" in bodies:
        raise Refused("voting has closed on the record")
    manifest_json = bodies["manifest"]
    manifest = parse_manifest(manifest_json, 0)
    election = bytes.fromhex(bodies["open"]["fingerprint"])
    context = ElectionContext(election, Point.from_hex(bodies["joint_key"]["public_key"]),
                              manifest.rules)
    return Election(manifest, manifest_json, context, setup.eligible(), tracker(election))


class Refused(CommandError):
    """A check failed: nothing is cast."""


def read_choices(manifest: dict[str, Any], given: list[str]) -> list[list[int]]:
    """0/1 per option per question from `--choice QUESTION=OPTION` values."""
    questions = manifest["questions"]
    selections = [[0] * len(q["options"]) for q in questions]
    for text in given:
        question_text, separator, option_text = text.partition("=")
        if not separator:
            raise CommandError(f"--choice {text!r}: write QUESTION=OPTION, e.g. --choice 1=Yes")
        q = _pick(question_text.strip(), [question["id"] for question in questions], "question")
        o = _pick(option_text.strip(), questions[q]["options"], "option",
                  f" of question {q + 1}")
        selections[q][o] = 1
    return selections


def _pick(text: str, names: list[str], what: str, where: str = "") -> int:
    if text in names:
        return names.index(text)
    if text.isdigit() and 1 <= int(text) <= len(names):
        return int(text) - 1
    listed = "; ".join(f"{n + 1}. {name}" for n, name in enumerate(names))
    raise CommandError(f"no {what} {text!r}{where}: choose one of {listed}")


def ask_choices(manifest: dict[str, Any]) -> list[list[int]]:
    """Ask, question by question, for the numbers of the chosen options."""
    selections = []
    for q, question in enumerate(manifest["questions"]):
        print(f"\n{q + 1}. {question['text']}  ({_rule(question['min'], question['max'])})")
        for o, option in enumerate(question["options"]):
            print(f"   {o + 1}. {option}")
        while True:
            answer = input("Your choice (option numbers, separated by spaces): ")
            picked = [part for part in re.split(r"[\s,]+", answer.strip()) if part]
            if all(p.isdigit() and 1 <= int(p) <= len(question["options"]) for p in picked):
                numbers = {int(p) - 1 for p in picked}
                if question["min"] <= len(numbers) <= question["max"]:
                    break
            print(f"   Please give between {question['min']} and {question['max']} of the "
                  f"numbers 1 to {len(question['options'])}.")
        selections.append([1 if o in numbers else 0 for o in range(len(question["options"]))])
    return selections


def _rule(low: int, high: int) -> str:
    if low == high:
        return f"choose {high}"
    return f"choose up to {high}" if low == 0 else f"choose between {low} and {high}"


def describe(manifest: dict[str, Any], selections: list[list[int]]) -> str:
    lines = []
    for q, question in enumerate(manifest["questions"]):
        names = [name for o, name in enumerate(question["options"]) if selections[q][o]]
        lines.append(f"  {q + 1}. {question['text']}: {', '.join(names) or 'nothing chosen'}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        return _vote(args)
    except ServerUnreachable as error:
        print(f"✗ {error}. Nothing was cast.", file=sys.stderr)
        return EXIT_TROUBLE
    except Refused as error:
        print(f"✗ {error}", file=sys.stderr)
        return EXIT_REFUSED
    except CommandError as error:
        print(f"✗ {error}. Nothing was cast.", file=sys.stderr)
        return EXIT_TROUBLE


def _vote(args: argparse.Namespace) -> int:
    expected = normalise_election_code(args.election_code)
    server = Server(args.url, args.ballot)
    with tempfile.TemporaryDirectory(prefix="omov-vote-") as work:
        record = Path(work) / "record.omov.jsonl"
        server.download(server.address("record.omov.jsonl"), record)
        election = checked_election(record, args.jobs)
    print(f"✓ the server's record verifies; election code {election.code}")
    if election.code != expected:
        raise Refused(
            f"the election code of this record is {election.code}, but the credential "
            f"authority's message says {expected}. The server may be showing you another "
            "election key or roll than other members see: do not vote here, and tell the "
            "credential authority. Nothing was cast.")
    print("✓ it is the election code of the credential authority's message")
    secret = _credential(args.code, election)
    manifest = election.manifest_json
    selections = (read_choices(manifest, args.choice) if args.choice
                  else ask_choices(manifest))
    try:
        prepared = encrypt_ballot(election.context, secret, selections, SystemRng())
    except ProtocolError as error:
        raise CommandError(f"those choices break a question's rule: {error}") from None
    print(f"Your ballot, encrypted here:\n{describe(manifest, selections)}")
    print(f"Its tracker: {prepared.tracker}")
    _sign_in(server, args)
    return _cast(server, prepared)


def _credential(code: str | None, election: Election) -> Any:
    text = code if code is not None else getpass.getpass("Your voting code: ")
    try:
        normalised = normalise_code(text)
    except ProtocolError:
        raise CommandError("the voting code looks mistyped: check each group of "
                           "five") from None
    secret = credential_secret(election.manifest.digest, normalised)
    if public_credential(secret).to_bytes() not in election.eligible:
        raise Refused("this voting code is not on the election's credential roll (or it "
                      "was revoked): check that it is the code for this ballot. Nothing was "
                      "cast.")
    return secret


def _sign_in(server: Server, args: argparse.Namespace) -> None:
    if args.sign_in_link:
        server.sign_in(args.sign_in_link)
        return
    session = args.session or os.environ.get("OMOV_SESSION")
    if not session:
        raise CommandError("casting needs your member session: give --sign-in-link or "
                           "--session (see omov vote --help)")
    server.set_session(session)


def _cast(server: Server, prepared: PreparedBallot) -> int:
    booth = server.address("vote/")
    _, landed = server.page(booth)  # the booth page sets the CSRF cookie, as for the browser
    if landed != booth or server.cookie("csrftoken") is None:
        raise CommandError("this session is not signed in, or not as a member who may vote in "
                           "this ballot (the server did not open the booth): sign in again")
    status, body, _ = server.post(server.address("vote/cast/"), canonical_json(prepared.ballot),
                                  "application/json", booth)
    reply = _json(body)
    if status != 200:
        message = reply.get("error") if isinstance(reply, dict) else None
        raise Refused(f"the server refused the ballot ({status}): "
                      f"{message or body[:200].decode('utf-8', 'replace')}")
    if not isinstance(reply, dict) or reply.get("tracker") != prepared.tracker:
        raise Refused(f"the server answered another tracker than this ballot's "
                      f"({prepared.tracker}): look for your tracker on the board, and tell the "
                      "credential authority if it is not there")
    line = _on_board(server, prepared)
    print(f"✓ cast: your tracker is {prepared.tracker}")
    if line is None:
        print("! the ballot is not on the board's record yet: look for your tracker on the "
              "board page later")
    else:
        print(f"✓ it is entry {line} on the board")
    return EXIT_CAST


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _on_board(server: Server, prepared: PreparedBallot) -> int | None:
    """The board index of this very ballot in a fresh download of the record."""
    wanted = prepared.ballot["signature"]["challenge"].encode()
    with tempfile.TemporaryDirectory(prefix="omov-vote-") as work:
        record = Path(work) / "record.omov.jsonl"
        server.download(server.address("record.omov.jsonl"), record)
        try:
            for number, line in read_board(record):
                # The roll line (a RollLine, read past in pieces) is no ballot.
                if isinstance(line, bytes) and b'"kind":"ballot"' in line and wanted in line:
                    body = parse_json(line)["body"]
                    if digest(body) == prepared.hash:
                        return number
        except (RecordUnreadable, RecordError):
            return None
    return None
