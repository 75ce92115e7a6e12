"""The key ceremony and the credential roll made in the browser, end to end.

The credential authority makes its key and then every code and the signed
roll on its page; three trustees make their keys, deal and check shares on
theirs, each keeping an encrypted backup file; the organiser publishes,
fixes the key; the schedule opens the ballot; a member votes with a code from the authority's
private file. The server receives public bodies only.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from omov.crypto.ballot import tracker as as_tracker

from .conftest import ROOT, Browser, LiveServer, Page, expect, sign_in, wait_for_entry

pytestmark = pytest.mark.browser

CEREMONY = "/ballots/e2e-ceremony"
PASSPHRASE = "a long trustee passphrase"


def download(page: Page, button: str, path: Path) -> Path:
    with page.expect_download() as started:
        page.get_by_role("button", name=button).click()
    started.value.save_as(path)
    return path


def organiser_step(page: Page, server: LiveServer, button: str, done: str) -> None:
    page.goto(server.url + CEREMONY + "/")
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messages")).to_contain_text(done)


def trustee_step(page: Page, backup: Path, button: str, done: str, heard: str = "") -> None:
    page.reload()
    page.get_by_label("Backup file").set_input_files(str(backup))
    page.get_by_label("Your backup's passphrase").fill(PASSPHRASE)
    if heard:
        page.get_by_label("The ceremony code the other trustees read out").fill(heard)
    page.get_by_role("button", name=button).click()
    expect(page.locator("#trustee-status")).to_contain_text(done, timeout=60_000)


def ceremony_codes(pages: list[Page]) -> list[str]:
    """The ceremony code each trustee's page shows (8.5), once every trustee has committed."""
    codes = []
    for page in pages:
        page.reload()
        shown = page.locator("#ceremony-code")
        expect(shown).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"), timeout=30_000)
        codes.append(shown.inner_text())
    return codes


def test_key_ceremony_and_credentials_in_the_browser(
    browser: Browser, omov_server: LiveServer
) -> None:
    server = omov_server
    people = json.loads((server.work / "people.json").read_text())

    authority = sign_in(browser, server, people["authority"])
    authority.goto(server.url + CEREMONY + "/authority/")
    key_file = download(authority, "Make a key pair in this browser", server.work / "ca.json")
    authority.get_by_role("button", name="Store my public key").click()
    expect(authority.locator(".messages")).to_contain_text("Your public key is stored")

    organiser = sign_in(browser, server, people["organiser"])
    organiser_step(organiser, server, "Publish the manifest", "Manifest published")

    trustees = [sign_in(browser, server, email) for email in people["trustees"]]
    backups = []
    for index, page in enumerate(trustees, start=1):
        page.goto(server.url + CEREMONY + "/trustee/")
        page.get_by_label("New passphrase").fill(PASSPHRASE)
        page.get_by_label("The passphrase again").fill(PASSPHRASE)
        backups.append(download(page, "Make my keys and download the backup",
                                server.work / f"ceremony-{index}.json"))
        expect(page.locator("#trustee-status")).to_contain_text("commitments are on the board",
                                                                timeout=60_000)
    codes = ceremony_codes(trustees)
    assert len(set(codes)) == 1, "every trustee is shown the same commitments"
    for page, backup in zip(trustees, backups, strict=True):
        trustee_step(page, backup, "Send my encrypted shares", "encrypted shares are on the board",
                     heard=codes[0].lower())
    for page, backup in zip(trustees, backups, strict=True):
        trustee_step(page, backup, "Check the shares sent to me", "Every share sent to you checked")
    organiser_step(organiser, server, "Fix the election key", "The joint key is fixed")

    uploads: list[str] = []
    authority.on("request", lambda request: uploads.append(request.url)
                 if request.method == "POST" and "/authority/roll/" in request.url else None)
    authority.goto(server.url + CEREMONY + "/authority/")
    authority.get_by_label("Your secret key file").set_input_files(str(key_file))
    private = download(authority, "Make the codes and the roll in this browser",
                       server.work / "private.csv")
    status = authority.locator("#authority-status")
    expect(status).to_contain_text("Nothing has been uploaded yet")
    confirm = authority.get_by_role("button", name="I have saved the file: upload the roll")
    expect(confirm).to_be_visible()
    authority.wait_for_timeout(500)
    assert uploads == [], "the roll is uploaded only after the private file is saved"
    confirm.click()
    expect(status).to_contain_text("public roll of 6 credentials")
    assert len(uploads) == 1
    wait_for_entry(server, "e2e-ceremony", '"kind":"open"', seconds=30)

    record = server.work / "ceremony.omov.jsonl"
    with urllib.request.urlopen(f"{server.url}/ballots/e2e-ceremony/record.omov.jsonl") as got:
        record.write_bytes(got.read())
    mail = subprocess.run(
        [sys.executable, "-m", "omov.cli", "credentials", "mail", "--dry-run",
         "--record", str(record), "--smtp-host",
         "localhost", "--from", "scrutineer@example.org", "--election-title", "Ceremony",
         str(private)], cwd=ROOT, capture_output=True, text=True)
    assert mail.returncode == 0, mail.stdout + mail.stderr
    with private.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = {row["email"]: row["code"] for row in rows}
    opened = next(json.loads(line)["body"] for line in record.read_text().splitlines()
                  if json.loads(line)["kind"] == "open")
    election = as_tracker(bytes.fromhex(opened["fingerprint"]))
    assert {row["election_code"] for row in rows} == {election}
    assert f"The election code is:\n\n    {election}\n" in mail.stdout
    voter = sign_in(browser, server, people["voter"])
    voter.goto(server.url + CEREMONY + "/vote/")
    voter.get_by_label("Ann").check()
    voter.get_by_label("Bo").check()
    voter.get_by_label("Cy").click()
    expect(voter.locator("#q0-error")).to_contain_text("at most 2 options")
    assert not voter.get_by_label("Cy").is_checked()
    voter.get_by_label("The election code matches").check()
    voter.get_by_label("Your voting code").fill(codes[people["voter"]])
    voter.get_by_role("button", name="Encrypt my ballot").click()
    tracker = voter.locator("#prepared-tracker").inner_text(timeout=30_000)
    voter.get_by_role("button", name="Cast my ballot").click()
    expect(voter.locator("#tracker")).to_have_text(tracker, timeout=30_000)
