"""Trustee steps that cannot go wrong, in Chromium against the live server.

A forked ceremony: a hostile server (a Playwright route) shows one trustee a
commitment of its own in place of trustee 2's; that trustee's ceremony code
differs from the others', and when they type the code the others read out the
page tells them to stop and sends nothing.

Every path: trustees 1 and 2 run the ceremony in the browser, trustee 3 with
`omov trustee` and uploads; step 1 repeated (a reload, a stale tab) makes no
new keys; after the close trustee 1 decrypts its browser backup with
`omov trustee decrypt` and trustee 3 its command-line backup on the page; the
result verifies.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Route

from omov.crypto.canonical import canonical_json, digest
from omov.crypto.dkg import check_commitment, commit
from omov.crypto.transcript import SystemRng
from omov.record.ceremony_code import ceremony_code
from omov.trustee_files import backup_file_name

from .conftest import ROOT, Browser, LiveServer, Page, expect, mailbox_text, sign_in, wait_for_entry

pytestmark = pytest.mark.browser
PASSPHRASE = "a long trustee passphrase"


def record_lines(server: LiveServer, slug: str) -> list[dict]:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"{server.url}/ballots/{slug}/record.omov.jsonl") as response:
        return [json.loads(line) for line in response.read().decode().splitlines()]


def save_record(server: LiveServer, slug: str, path: Path) -> Path:
    with urllib.request.urlopen(f"{server.url}/ballots/{slug}/record.omov.jsonl") as response:
        path.write_bytes(response.read())
    return path


def code_of(lines: list[dict]) -> str:  # type: ignore[type-arg]
    manifest = lines[0]["body"]
    found = {}
    for line in lines:
        if line["kind"] == "trustee_commitment":
            body = line["body"]
            found[body["trustee"]] = check_commitment(digest(manifest), body, 3, 2)
    return ceremony_code(digest(manifest), found)


def trustee_page(browser: Browser, server: LiveServer, email: str, slug: str) -> Page:
    page = sign_in(browser, server, email)
    page.goto(f"{server.url}/ballots/{slug}/trustee/")
    return page


def make_keys(page: Page, path: Path) -> Path:
    page.get_by_label("New passphrase").fill(PASSPHRASE)
    page.get_by_label("The passphrase again").fill(PASSPHRASE)
    with page.expect_download() as started:
        page.get_by_role("button", name="Make my keys and download the backup").click()
    download = started.value
    expect(page.locator("#trustee-status")).to_contain_text("commitments are on the board",
                                                            timeout=60_000)
    download.save_as(path / download.suggested_filename)
    return path / download.suggested_filename


def load_backup(page: Page, backup: Path) -> None:
    page.get_by_label("Backup file").set_input_files(str(backup))
    page.get_by_label("Your backup's passphrase").fill(PASSPHRASE)


def press(page: Page, button: str, done: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator("#trustee-status")).to_contain_text(done, timeout=60_000)


def upload(page: Page, step: str, body: Path | None, done: str) -> None:
    page.reload()
    page.get_by_label("Step").select_option(label=step)
    if body is not None:
        page.get_by_label("JSON file").set_input_files(str(body))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_contain_text(done)


def omov(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "omov.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, env=server.env)


def test_a_forked_ceremony_shows_another_code_and_the_trustee_is_told_to_stop(
    browser: Browser, omov_server: LiveServer, tmp_path: Path
) -> None:
    server = omov_server
    slug = "e2e-fork"
    people = json.loads((server.work / "people.json").read_text())
    pages = [trustee_page(browser, server, email, slug) for email in people["trustees"]]
    backups = [make_keys(page, tmp_path) for page in pages]
    honest = record_lines(server, slug)
    manifest = honest[0]["body"]
    _state, forged_body = commit(digest(manifest), 2, 2, SystemRng())

    def forked(route: Route) -> None:
        """The server's own commitment for trustee 2, shown to trustee 1 only."""
        lines = route.fetch().text().splitlines()
        out = []
        for line in lines:
            entry = json.loads(line)
            if entry["kind"] == "trustee_commitment" and entry["body"]["trustee"] == 2:
                entry["body"] = forged_body
            out.append(canonical_json(entry).decode())
        route.fulfill(body="\n".join(out) + "\n", content_type="application/x-ndjson")

    victim = pages[0]
    victim.route(re.compile(r".*/record\.omov\.jsonl$"), forked)
    posts: list[str] = []
    victim.on("request", lambda r: posts.append(r.post_data or "")
              if r.method == "POST" and "/trustee/" in r.url else None)
    codes = []
    for page in pages:
        page.reload()
        shown = page.locator("#ceremony-code")
        expect(shown).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"), timeout=30_000)
        codes.append(shown.inner_text())
    assert codes[1] == codes[2] == code_of(honest)
    forged_lines = [dict(line, body=forged_body) if line["kind"] == "trustee_commitment"
                    and line["body"]["trustee"] == 2 else line for line in honest]
    assert codes[0] == code_of(forged_lines) != codes[1], "the fork shows in the code"

    load_backup(victim, backups[0])
    victim.get_by_label("The ceremony code the other trustees read out").fill(codes[1])
    victim.get_by_role("button", name="Send my encrypted shares").click()
    status = victim.locator("#trustee-status")
    expect(status).to_contain_text("STOP", timeout=60_000)
    expect(status).to_contain_text("Do not send your shares")
    assert not [body for body in posts if "trustee_shares" in body], "nothing was sent"
    assert not [line for line in record_lines(server, slug) if line["kind"] == "trustee_shares"]


def test_every_path_between_the_browser_and_the_command_line(
    browser: Browser, omov_server: LiveServer, tmp_path: Path
) -> None:
    server = omov_server
    slug = "e2e-paths"
    people = json.loads((server.work / "people.json").read_text())
    first, second, third = (trustee_page(browser, server, email, slug)
                            for email in people["trustees"])
    stale = first.context.new_page()
    stale.goto(f"{server.url}/ballots/{slug}/trustee/")
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")

    # Step 1. Trustee 1 in the browser; the backup is named after the commitment.
    backup_1 = make_keys(first, tmp_path)
    own = next(line["body"] for line in record_lines(server, slug)
               if line["kind"] == "trustee_commitment" and line["body"]["trustee"] == 1)
    assert backup_1.name == backup_file_name(slug, 1, own)
    original = backup_1.read_bytes()
    # Repeated: a reload offers no key generation; a stale tab makes no new keys.
    first.reload()
    expect(first.locator("#step-committed")).to_be_visible()
    expect(first.locator("#commitment-fingerprint")).to_have_text(backup_1.name.split("-")[-2])
    assert first.get_by_role("button", name="Make my keys and download the backup").count() == 0
    downloads: list[object] = []
    stale.on("download", lambda started: downloads.append(started))
    stale.get_by_label("New passphrase").fill(PASSPHRASE)
    stale.get_by_label("The passphrase again").fill(PASSPHRASE)
    stale.get_by_role("button", name="Make my keys and download the backup").click()
    expect(stale.locator("#trustee-status")).to_contain_text("no new keys were made",
                                                             timeout=60_000)
    expect(stale.locator("#trustee-status")).to_contain_text(backup_1.name)
    assert downloads == [], "no second backup is offered"
    assert [line["body"]["trustee"] for line in record_lines(server, slug)
            if line["kind"] == "trustee_commitment"] == [1]
    load_backup(first, backup_1)
    press(first, "Check my backup file", "holds the secrets of your commitment on the board")

    backup_2 = make_keys(second, tmp_path)
    # Trustee 3 on the command line, uploading what `omov trustee` writes.
    record = save_record(server, slug, tmp_path / "r.omov.jsonl")
    backup_3 = tmp_path / "cli-backup-3.json"
    made = omov(server, "trustee", "keygen", "--record", str(record), "--trustee", "3",
                "--commitment-out", str(tmp_path / "commitment-3.json"),
                "--backup-out", str(backup_3), "--passphrase-file", str(passphrase))
    assert made.returncode == 0, made.stderr
    upload(third, "Commitments", tmp_path / "commitment-3.json", "commitments are on the board")

    # A backup from another attempt is refused on the page in plain words.
    (tmp_path / "manifest.json").write_text(json.dumps(record_lines(server, slug)[0]["body"]))
    other = tmp_path / "other-attempt.json"
    assert omov(server, "trustee", "keygen", "--manifest", str(tmp_path / "manifest.json"),
                "--trustee", "1", "--commitment-out", str(tmp_path / "unused.json"),
                "--backup-out", str(other), "--passphrase-file", str(passphrase)).returncode == 0
    first.reload()
    load_backup(first, other)
    first.get_by_role("button", name="Check my backup file").click()
    expect(first.locator("#trustee-status")).to_contain_text("comes from another attempt")
    expect(first.locator("#trustee-status")).to_contain_text(backup_1.name)

    # Step 2, after comparing the ceremony code: the pages and the command agree.
    record = save_record(server, slug, record)
    printed = omov(server, "trustee", "code", "--record", str(record))
    assert printed.returncode == 0, printed.stderr
    agreed = code_of(record_lines(server, slug))
    assert f"Ceremony code: {agreed}" in printed.stdout
    for page, backup in ((first, backup_1), (second, backup_2)):
        page.reload()
        expect(page.locator("#ceremony-code")).to_have_text(agreed, timeout=30_000)
        load_backup(page, backup)
        page.get_by_label("The ceremony code the other trustees read out").fill(agreed)
        press(page, "Send my encrypted shares", "encrypted shares are on the board")
    # Asked to deal again, the page says it already did and sends nothing.
    first.reload()
    expect(first.locator("#dealt-note")).to_be_visible()
    expect(first.locator("#step-deal")).to_be_hidden()
    dealt = omov(server, "trustee", "shares", "--record", str(record), "--backup", str(backup_3),
                 "--ceremony-code", agreed, "--out", str(tmp_path / "shares-3.json"),
                 "--passphrase-file", str(passphrase))
    assert dealt.returncode == 0, dealt.stderr
    upload(third, "Encrypted shares", tmp_path / "shares-3.json",
           "encrypted shares are on the board")

    # Step 3.
    for page, backup in ((first, backup_1), (second, backup_2)):
        page.reload()
        load_backup(page, backup)
        press(page, "Check the shares sent to me", "Every share sent to you checked out")
    record = save_record(server, slug, record)
    checked = omov(server, "trustee", "check", "--record", str(record), "--backup", str(backup_3),
                   "--passphrase-file", str(passphrase))
    assert checked.returncode == 0, checked.stderr
    upload(third, "Every share sent to me checked out (no file)", None,
           "every share sent to you checked out")

    # The organiser, the authority and three voters; the ballot closes.
    done = subprocess.run([sys.executable, str(Path(__file__).parent / "finish_election.py"),
                           str(server.work), slug, "count"], cwd=ROOT, env=server.env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    wait_for_entry(server, slug, '"kind":"tally"', seconds=30)
    mailbox = ""
    for _ in range(30):
        mailbox = mailbox_text(server)
        if mailbox.count("please decrypt your part of “Browser and command line”") >= 3:
            break
        first.wait_for_timeout(1000)
    assert mailbox.count("please decrypt your part of “Browser and command line”") >= 3

    # Browser backup, command-line decryption: no hidden step in between.
    assert backup_1.read_bytes() == original
    record = save_record(server, slug, record)
    partial = omov(server, "trustee", "decrypt", "--record", str(record), "--backup",
                   str(backup_1), "--out", str(tmp_path / "partial-1.json"),
                   "--passphrase-file", str(passphrase))
    assert partial.returncode == 0, partial.stdout + partial.stderr
    upload(first, "Partial decryption", tmp_path / "partial-1.json",
           "partial decryption is on the board")
    # Command-line backup, browser decryption.
    third.reload()
    load_backup(third, backup_3)
    third.get_by_role("button", name="Check the record and count the ballots").click()
    expect(third.locator("#count-counted")).to_have_text("3", timeout=120_000)
    third.get_by_label("I compared the count code").check()
    third.get_by_role("button", name="Decrypt my part of the tally").click()
    expect(third.locator("#trustee-status")).to_contain_text("partial decryption is on the board",
                                                             timeout=60_000)

    published = subprocess.run([sys.executable, str(Path(__file__).parent / "finish_election.py"),
                                str(server.work), slug, "publish"], cwd=ROOT, env=server.env,
                               capture_output=True, text=True)
    assert published.returncode == 0, published.stderr
    record = save_record(server, slug, record)
    result = next(line["body"] for line in record_lines(server, slug) if line["kind"] == "result")
    assert result["totals"] == [[2, 1]]
    assert sorted(line["body"]["trustee"] for line in record_lines(server, slug)
                  if line["kind"] == "partial_decryption") == [1, 3]
    verified = omov(server, "verify", str(record))
    assert verified.returncode == 0, verified.stdout + verified.stderr
