"""One whole election in headless Chromium against a live server.

The server's schedule opens the ballot; a member signs in from the mailbox
link, reads their code from the mailbox, audits one ballot and casts another
in the booth (encrypted in the browser), and sees the tracker; the schedule
closes the ballot at its closing time; two trustees count the record on their
pages, see the board's count code, confirm and decrypt from their encrypted
backups; the organiser publishes the result; the
server's schedule verifies the record; the downloaded record passes
`omov verify`.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import (
    ROOT,
    Browser,
    LiveServer,
    expect,
    mailbox_text,
    sign_in,
    wait_for_entry,
)
from .election_setup import PASSPHRASE

pytestmark = pytest.mark.browser

def credential_code(server: LiveServer) -> str:
    codes = re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b", mailbox_text(server))
    assert codes, "the authority's email with the code is in the mailbox"
    return str(codes[0])


def test_a_whole_election_in_the_browser(browser: Browser, own_omov_server: LiveServer) -> None:
    server = own_omov_server
    people = json.loads((server.work / "people.json").read_text())
    booth_url = f"{server.url}/ballots/e2e-vote/vote/"

    wait_for_entry(server, "e2e-vote", '"kind":"open"', seconds=30)
    voter = sign_in(browser, server, people["voter"])
    code = credential_code(server)
    voter.goto(booth_url)
    voter.get_by_label("Yes").check()
    voter.get_by_role("button", name="Encrypt my ballot").click()
    expect(voter.locator("#fingerprint-error")).to_contain_text("Compare the election code")
    expect(voter.locator("#fingerprint-code")).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    voter.get_by_label("The election code matches").check()
    voter.get_by_label("Your voting code").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    voter.get_by_role("button", name="Encrypt my ballot").click()
    expect(voter.locator("#credential-error")).to_contain_text("mistyped")

    voter.get_by_label("Your voting code").fill(code.lower())
    voter.get_by_role("button", name="Encrypt my ballot").click()
    audited_tracker = voter.locator("#prepared-tracker").inner_text(timeout=30_000)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", audited_tracker)
    voter.get_by_role("button", name="Audit instead").click()
    expect(voter.locator("#audited-selections")).to_contain_text("Yes", timeout=30_000)

    voter.get_by_role("button", name="Prepare a new ballot").click()
    expect(voter.get_by_label("Yes")).not_to_be_checked()
    voter.get_by_label("Yes").check()
    voter.get_by_role("button", name="Encrypt my ballot").click()
    tracker = voter.locator("#prepared-tracker").inner_text(timeout=30_000)
    assert tracker != audited_tracker
    voter.get_by_role("button", name="Cast my ballot").click()
    expect(voter.locator("#tracker")).to_have_text(tracker, timeout=30_000)

    board = voter.context.new_page()
    board.goto(f"{server.url}/ballots/e2e-vote/board/?tracker={tracker}")
    expect(board.locator("table.trackers")).to_contain_text(tracker)

    wait_for_entry(server, "e2e-vote", '"kind":"tally"', seconds=120)

    board.goto(f"{server.url}/ballots/e2e-vote/board/")
    board_code = board.locator("#board-count-code").inner_text()
    for index in (1, 3):
        trustee = sign_in(browser, server, people["trustees"][index - 1])
        trustee.goto(f"{server.url}/ballots/e2e-vote/trustee/")
        trustee.get_by_label("Backup file").set_input_files(
            str(server.work / f"trustee-{index}-backup.json"))
        trustee.get_by_label("Your backup's passphrase").fill(PASSPHRASE)
        trustee.get_by_role("button", name="Check the record and count the ballots").click()
        expect(trustee.locator("#count-code")).to_have_text(board_code, timeout=120_000)
        expect(trustee.locator("#count-counted")).to_have_text("1")
        decrypt = trustee.get_by_role("button", name="Decrypt my part of the tally")
        expect(decrypt).to_be_disabled()
        trustee.get_by_label("I compared the count code").check()
        decrypt.click()
        expect(trustee.locator("#trustee-status")).to_contain_text(
            "partial decryption is on the board", timeout=60_000)

    organiser = sign_in(browser, server, people["organiser"])
    organiser.goto(f"{server.url}/ballots/e2e-vote/")
    organiser.get_by_role("button", name="Publish the result").click()
    organiser.goto(f"{server.url}/ballots/e2e-vote/results/")
    deadline = time.monotonic() + 60
    while "The server is verifying" in organiser.content() and time.monotonic() < deadline:
        time.sleep(1)
        organiser.reload()
    expect(organiser.locator("main")).to_contain_text("every check passed")
    expect(organiser.locator("svg.chart")).to_contain_text("Yes")
    rows = organiser.locator("table tbody tr").all_inner_texts()
    assert [re.sub(r"\s+", " ", row).strip() for row in rows] == ["Yes 1 100.0%", "No 0 0.0%"]

    record = server.work / "e2e.omov.jsonl"
    with urllib.request.urlopen(f"{server.url}/ballots/e2e-vote/record.omov.jsonl") as response:
        record.write_bytes(response.read())
    verify = subprocess.run([sys.executable, "-m", "omov.cli", "verify", str(record)],
                            cwd=ROOT, env=server.env, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
