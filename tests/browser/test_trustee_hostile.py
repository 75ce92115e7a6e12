"""The trustee's decryption page against a hostile server (protocol 9.4).

Playwright routes rewrite the record the server serves to a trustee's page:
a tally with one extra row per cast ballot (so that the trustees would
decrypt every ballot one by one), and a tally that is one member's ballot
instead of the sum, each with every later link recomputed as a server would.
The page must refuse with a message that says why, and send nothing. Served
the honest record, it shows the same count code as the public board and
decrypts only once the trustee confirms they compared it. The server is
this module's own, so its ballot is closed and tallied while no result is
published yet.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from omov.record.board import GENESIS, make_entry

from .conftest import (
    ROOT,
    Browser,
    LiveServer,
    expect,
    live_server,
    mailbox_text,
    sign_in,
    wait_for_entry,
)
from .election_setup import PASSPHRASE

pytestmark = pytest.mark.browser
SLUG = "e2e-vote"
TRUSTEE = 2
CLOSES_IN = 120

# Casts the voter's ballot as the booth would, in the live server's database.
CAST = """
import sys
from omov.web.bootstrap import setup_django
setup_django(debug=True)
from omov.ballots import simulation
from omov.ballots.models import Ballot
from omov.crypto.transcript import SystemRng
from omov.members.models import Member
ballot = Ballot.objects.get(slug=sys.argv[1])
for email, code, choice in zip(sys.argv[2::3], sys.argv[3::3], sys.argv[4::3]):
    member = Member.objects.get(email=email)
    simulation.vote(ballot, member, code, [[int(choice), 1 - int(choice)]], SystemRng())
"""


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own whose ballot gets two cast ballots, then closes and is tallied."""
    with live_server(tmp_path_factory, CLOSES_IN) as live:
        wait_for_entry(live, SLUG, '"kind":"open"', seconds=30)
        people = json.loads((live.work / "people.json").read_text())
        codes = re.findall(r"\b[0-9A-Z]{5}(?:-[0-9A-Z]{5}){3}\b", mailbox_text(live))
        assert len(set(codes)) >= 2
        votes = [people["voter"], codes[0], "1", people["organiser"], codes[1], "0"]
        subprocess.run([sys.executable, "-c", CAST, SLUG, *votes], env=live.env, check=True,
                       cwd=ROOT)
        wait_for_entry(live, SLUG, '"kind":"tally"', seconds=CLOSES_IN + 180)
        yield live


def record_lines(server: LiveServer) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{server.url}/ballots/{SLUG}/record.omov.jsonl") as response:
        return [json.loads(line) for line in response.read().decode().splitlines()]


def rechained(entries: list[dict[str, Any]]) -> bytes:
    """The record with every link recomputed, as a server that rewrites its board would."""
    previous = GENESIS
    lines = []
    for index, entry in enumerate(entries):
        made = make_entry(index, entry["kind"], previous, entry["body"], entry["time"])
        lines.append(made.line + b"\n")
        previous = made.hash
    return b"".join(lines)


def extra_row_per_ballot(entries: list[dict[str, Any]]) -> None:
    """The tally's row gets each cast ballot's ciphertext: decrypted, they give every vote."""
    tally = next(e for e in entries if e["kind"] == "tally")["body"]
    cast = [e["body"]["answers"][0]["choices"][0] for e in entries if e["kind"] == "ballot"]
    assert len(cast) == 2
    tally["ciphertexts"][0] = [*tally["ciphertexts"][0], *cast]


def one_ballot_as_tally(entries: list[dict[str, Any]]) -> None:
    """The first member's ballot passed off as the sum of both."""
    tally = next(e for e in entries if e["kind"] == "tally")["body"]
    victim = next(e for e in entries if e["kind"] == "ballot")
    tally["ciphertexts"] = [answer["choices"] for answer in victim["body"]["answers"]]


def trustee_page(browser: Browser, server: LiveServer) -> tuple[Page, list[str]]:
    """Trustee 2's page with the backup loaded; also the POSTs it sends to the server."""
    people = json.loads((server.work / "people.json").read_text())
    page = sign_in(browser, server, people["trustees"][TRUSTEE - 1])
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url)
            if request.method == "POST" and "/trustee/submit/" in request.url else None)
    page.goto(f"{server.url}/ballots/{SLUG}/trustee/")
    page.get_by_label("Backup file").set_input_files(
        str(server.work / f"trustee-{TRUSTEE}-backup.json"))
    page.get_by_label("Your backup's passphrase").fill(PASSPHRASE)
    return page, sent


def serve_instead(page: Page, body: bytes) -> None:
    def fulfil(route: Route) -> None:
        route.fulfill(status=200, body=body, content_type="application/jsonl")
    page.route(f"**/ballots/{SLUG}/record.omov.jsonl", fulfil)


@pytest.mark.parametrize(
    ("rewrite", "reason"),
    [
        (extra_row_per_ballot, "but the manifest gives 1 encrypted option"),
        (one_ballot_as_tally, "the tally is not the sum of the counted ballots"),
    ],
    ids=["one extra row per ballot", "one ballot as the tally"],
)
def test_the_page_refuses_a_tally_that_is_not_the_records_sum(
    browser: Browser, closed_server: LiveServer,
    rewrite: Callable[[list[dict[str, Any]]], None], reason: str,
) -> None:
    server = closed_server
    entries = record_lines(server)
    rewrite(entries)
    page, sent = trustee_page(browser, server)
    serve_instead(page, rechained(entries))
    page.get_by_role("button", name="Check the record and count the ballots").click()
    status = page.locator("#trustee-status")
    expect(status).to_contain_text("Refused: the record does not check", timeout=120_000)
    expect(status).to_contain_text(reason)
    expect(status).to_contain_text("Nothing was decrypted and nothing was sent")
    expect(page.locator("#count-check")).to_be_hidden()
    expect(page.locator("#decrypt-confirm")).to_be_disabled()
    page.wait_for_timeout(500)
    assert sent == [], "no partial decryption is sent for a tally the page did not recompute"


def test_the_honest_record_shows_the_boards_count_code_and_waits_for_confirmation(
    browser: Browser, closed_server: LiveServer
) -> None:
    server = closed_server
    counted = next(e for e in record_lines(server) if e["kind"] == "tally")["body"]["counted"]
    page, sent = trustee_page(browser, server)
    board = page.context.new_page()
    board.goto(f"{server.url}/ballots/{SLUG}/board/")
    board_code = board.locator("#board-count-code").inner_text()
    page.get_by_role("button", name="Check the record and count the ballots").click()
    expect(page.locator("#count-code")).to_have_text(board_code, timeout=120_000)
    expect(page.locator("#count-counted")).to_have_text(f"{counted:,}")
    expect(page.locator("#trustee-status")).to_contain_text("The record checks")
    decrypt = page.get_by_role("button", name="Decrypt my part of the tally")
    expect(decrypt).to_be_disabled()
    page.get_by_label("I compared the count code").check()
    expect(decrypt).to_be_enabled()
    page.get_by_label("I compared the count code").uncheck()
    expect(decrypt).to_be_disabled()
    assert sent == []
    page.get_by_label("I compared the count code").check()
    decrypt.click()
    expect(page.locator("#trustee-status")).to_contain_text("partial decryption is on the board",
                                                            timeout=60_000)
    assert len(sent) == 1
    wait_for_entry(server, SLUG, '"kind":"partial_decryption"', seconds=10)
