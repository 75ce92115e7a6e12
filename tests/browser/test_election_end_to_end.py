"""An election from nominations to a verified count, in Chromium against a live server.

Members nominate in the browser (Ann Able nominates herself, Bo Brown nominates Cy
Cole, who accepts; Tess supports Ann); the organiser rules both nominations valid,
closes nominations at their closing time and drafts the ballot on the election's
pages. The ceremony and the codes are played outside the browser as in
election_setup.py (election_setup_ranked.py). Ann, Bo and Cy rank the candidates in
the booth, by keyboard and by clicks; two more electors vote outside it. After the
schedule closes the ballot, trustees 1 and 2 shuffle in their browser page and
trustee 3 with `omov trustee shuffle`; trustee 1 decrypts the tally on the page and
trustee 2 with `omov trustee decrypt`; both decrypt the shuffled rankings with
`omov trustee decrypt-rankings` and upload them on the page. The organiser
publishes; the result page shows the instant-runoff count round by round, verified;
`omov verify` on the downloaded record says VALID with its shuffle and count lines.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
import time
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Browser, LiveServer, Page, expect, served, sign_in, wait_for_entry
from .election_setup_ranked import ELECTION, PASSPHRASE

pytestmark = pytest.mark.browser

SETUP = Path(__file__).parent / "election_setup_ranked.py"
NOMINATION_SECONDS = 60
VOTING_SECONDS = 40
SLUG = f"{ELECTION}-ballot"
QUESTION = re.compile("Chair: rank the candidates")


@pytest.fixture(scope="module")
def election_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    def seed(env: dict[str, str], work: Path) -> None:
        subprocess.run([sys.executable, str(SETUP), "seed", str(work), str(NOMINATION_SECONDS)],
                       env=env, check=True, cwd=ROOT)
    with served(tmp_path_factory, seed) as server:
        yield server


def play(server: LiveServer, step: str) -> None:
    subprocess.run([sys.executable, str(SETUP), step, str(server.work), SLUG], env=server.env,
                   check=True, cwd=ROOT)


def omov(server: LiveServer, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "omov.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, env=server.env)
    assert done.returncode == 0, f"omov {args[0]} {args[1]}: {done.stdout}{done.stderr}"
    return done


def _local(moment: datetime.datetime) -> str:
    """A datetime-local value in the server's time zone, to the second."""
    return moment.astimezone(zoneinfo.ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M:%S")


def nomination_card(page: Page, name: str) -> Any:
    return page.locator("section.nomination").filter(
        has=page.get_by_role("heading", name=name))


def rule_valid(page: Page, name: str) -> None:
    card = nomination_card(page, name)
    card.locator("summary").click()
    card.get_by_label("Valid", exact=True).check()
    card.get_by_label("Published reason").fill("Accepted, supported and eligible.")
    card.get_by_role("button", name="Publish the ruling").click()
    expect(page.locator(".messages")).to_contain_text(f"The ruling on {name} is published.")


def vote(page: Page, server: LiveServer, code: str, rank: dict[str, str],
         *, keyboard: str | None = None) -> None:
    """Ranks in the booth: `keyboard` takes 1st with the arrow key, the rest by clicks."""
    page.goto(f"{server.url}/ballots/{SLUG}/vote/")
    question = page.get_by_role("group", name=QUESTION)
    if keyboard is not None:
        question.get_by_label(keyboard, exact=True).focus()
        page.keyboard.press("ArrowDown")  # Not ranked -> 1st
        expect(question.get_by_label(keyboard, exact=True)).to_have_value("1")
    for name, place in rank.items():
        question.get_by_label(name, exact=True).select_option(place)
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(code)
    page.get_by_role("button", name="Encrypt my ballot").click()
    tracker = page.locator("#prepared-tracker").inner_text(timeout=60_000)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#tracker")).to_have_text(tracker, timeout=30_000)


def save_record(server: LiveServer, page: Page, path: Path) -> Path:
    path.write_bytes(page.context.request.get(
        f"{server.url}/ballots/{SLUG}/record.omov.jsonl").body())
    return path


def upload(page: Page, server: LiveServer, step: str, body: Path, done: str) -> None:
    page.goto(f"{server.url}/ballots/{SLUG}/trustee/")
    page.get_by_label("Step").select_option(label=step)
    page.get_by_label("JSON file").set_input_files(str(body))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".messages")).to_contain_text(done)


def shuffle_in_browser(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/ballots/{SLUG}/trustee/")
    page.get_by_role("button", name="Check the input against the board and shuffle "
                     "question q1").click()
    status = page.locator("#trustee-status")
    expect(status).to_contain_text("Your shuffle is verified and on the board", timeout=120_000)
    expect(status).to_contain_text("shuffled and proved 5 rows")


def test_members_nominate_vote_ranked_and_the_shuffled_count_verifies(
    browser: Browser, election_server: LiveServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    server = election_server
    people = json.loads((server.work / "people.json").read_text())
    post_url = f"{server.url}/elections/{ELECTION}/posts/{people['post']}/"

    # Nominations, in the browser.
    ann = sign_in(browser, server, people["ann"])
    ann.goto(post_url)
    ann.get_by_role("link", name="Nominate for this post").click()
    ann.get_by_label("Your statement").fill("I will chair fairly.")
    ann.get_by_role("button", name="Nominate").click()
    expect(ann.locator(".messages")).to_contain_text("Nominated.")
    bo = sign_in(browser, server, people["bo"])
    bo.goto(post_url)
    bo.get_by_role("link", name="Nominate for this post").click()
    bo.get_by_label("Whom you nominate").fill(people["cy"])
    bo.get_by_role("button", name="Nominate").click()
    expect(bo.locator(".messages")).to_contain_text("Nominated Cy Cole; they are asked to accept.")
    cy = sign_in(browser, server, people["cy"])
    cy.goto(post_url)
    expect(nomination_card(cy, "Cy Cole")).to_contain_text("Not accepted yet.")
    nomination_card(cy, "Cy Cole").get_by_role("link", name="The nomination's page").click()
    cy.get_by_label("Your statement").fill("A fresh start.")
    cy.get_by_role("button", name="Accept the nomination").click()
    expect(cy.locator(".messages")).to_contain_text("You have accepted the nomination.")
    tess = sign_in(browser, server, people["trustees"][2])
    tess.goto(post_url)
    tess.get_by_role("button", name="Support Ann Able").click()
    expect(tess.locator(".messages")).to_contain_text("You support Ann Able's nomination.")
    expect(nomination_card(tess, "Ann Able")).to_contain_text("Supported by 1 member.")

    print(f"\nnominated at {time.monotonic() - started:.1f} s")
    # The organiser rules, closes nominations and drafts the ballot.
    organiser = sign_in(browser, server, people["organiser"])
    organiser.goto(post_url)
    rule_valid(organiser, "Ann Able")
    rule_valid(organiser, "Cy Cole")
    organiser.goto(f"{server.url}/elections/{ELECTION}/")
    close = organiser.get_by_role("button", name="Close nominations")
    deadline = time.monotonic() + NOMINATION_SECONDS + 10
    while not close.count():
        assert time.monotonic() < deadline, "nominations did not become closable"
        organiser.wait_for_timeout(1000)
        organiser.reload()
    close.click()
    expect(organiser.locator(".messages")).to_contain_text("Nominations are closed")
    organiser.get_by_role("link", name="Draft the ballot").click()
    expect(organiser.locator("main")).to_contain_text("3 candidates for 1 seat.")
    now = datetime.datetime.now(datetime.UTC)
    opens = now + datetime.timedelta(seconds=12)
    organiser.get_by_label("Opens at").fill(_local(opens))
    organiser.get_by_label("Closes at").fill(_local(opens + datetime.timedelta(
        seconds=VOTING_SECONDS)))
    organiser.get_by_role("textbox", name="Trustees:").fill("\n".join(
        f"Region {n}, {email}" for n, email in enumerate(people["trustees"], start=1)))
    organiser.get_by_label("Trustees needed to decrypt (k)").fill("2")
    organiser.get_by_label("Credential authority's name").fill("Scrutineer")
    organiser.get_by_label(
        "Credential authority's email or membership number on the roll").fill(people["authority"])
    organiser.get_by_role("button", name="Draft the ballot and invite trustees").click()
    expect(organiser.locator(".messages")).to_contain_text("The ballot is drafted")
    assert organiser.url.rstrip("/").endswith(SLUG)

    # The ceremony and the codes, outside the browser; the schedule opens the ballot.
    play(server, "ceremony")
    codes = json.loads((server.work / "codes.json").read_text())
    wait_for_entry(server, SLUG, '"kind":"open"', seconds=30)
    vote(ann, server, codes[people["ann"]], {"Cy Cole": "2"}, keyboard="Ann Able")
    vote(bo, server, codes[people["bo"]], {"Cy Cole": "1"})
    vote(cy, server, codes[people["cy"]], {"Cy Cole": "1", "Ann Able": "2"})
    play(server, "vote")  # Di ranks Di then Ann; Tara ranks Ann

    print(f"voted at {time.monotonic() - started:.1f} s")
    # After the close: shuffles by trustees 1 and 2 in the browser, 3 on the command line.
    wait_for_entry(server, SLUG, '"kind":"tally"', seconds=VOTING_SECONDS + 30)
    tara, tom = (sign_in(browser, server, email) for email in people["trustees"][:2])
    shuffle_in_browser(tara, server)
    shuffle_in_browser(tom, server)
    record = save_record(server, tess, tmp_path / f"{SLUG}.omov.jsonl")
    mix_input = tmp_path / "input.json"
    mix_input.write_bytes(tess.context.request.get(
        f"{server.url}/ballots/{SLUG}/mix/q1/input.json").body())
    omov(server, "trustee", "shuffle", "--record", str(record), "--trustee", "3",
         "--question", "q1", "--input", str(mix_input), "--out", str(tmp_path / "shuffle-3.json"))
    upload(tess, server, "Shuffle of a ranked question", tmp_path / "shuffle-3.json",
           "Your shuffle is verified and on the board")
    expect(tess.locator("#step-mix")).to_contain_text("decrypt the shuffled rankings")

    print(f"shuffled at {time.monotonic() - started:.1f} s")
    # Decryptions: the tally (trustee 1 on the page, 2 on the command line), the rankings.
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n")
    backups = [server.work / f"trustee-{i}-backup.json" for i in (1, 2)]
    record = save_record(server, tess, record)
    tara.goto(f"{server.url}/ballots/{SLUG}/trustee/")
    tara.get_by_label("Backup file").set_input_files(str(backups[0]))
    tara.get_by_label("Your backup's passphrase").fill(PASSPHRASE)
    tara.get_by_role("button", name="Check the record and count the ballots").click()
    expect(tara.locator("#count-counted")).to_have_text("5", timeout=120_000)
    tara.get_by_label("I compared the count code").check()
    tara.get_by_role("button", name="Decrypt my part of the tally").click()
    expect(tara.locator("#trustee-status")).to_contain_text("partial decryption is on the board",
                                                            timeout=60_000)
    omov(server, "trustee", "decrypt", "--record", str(record), "--backup", str(backups[1]),
         "--out", str(tmp_path / "partial-2.json"), "--passphrase-file", str(passphrase))
    upload(tom, server, "Partial decryption", tmp_path / "partial-2.json",
           "Your partial decryption is on the board.")
    for index, (page, backup) in enumerate(zip((tara, tom), backups, strict=True), start=1):
        out = tmp_path / f"rankings-{index}.json"
        omov(server, "trustee", "decrypt-rankings", "--record", str(record), "--question", "q1",
             "--backup", str(backup), "--out", str(out), "--passphrase-file", str(passphrase))
        upload(page, server, "Decryption of the shuffled rankings", out,
               "Your decryption of the shuffled rankings is on the board.")

    # The organiser publishes; the count shows round by round and verifies.
    organiser.goto(f"{server.url}/ballots/{SLUG}/")
    organiser.get_by_role("button", name="Publish the result").click()
    results = f"{server.url}/ballots/{SLUG}/results/"
    organiser.goto(results)
    deadline = time.monotonic() + 60
    while not organiser.locator(".message.success").count():
        assert time.monotonic() < deadline, "the server did not verify the record"
        assert not organiser.locator(".message.error").count(), organiser.locator(
            ".message.error").inner_text()
        organiser.wait_for_timeout(1000)
        organiser.reload()
    card = organiser.locator("section.result")
    expect(card).to_contain_text("decrypted by trustees 1, 2")
    rounds = card.locator("tbody tr")
    expect(rounds).to_have_count(2)
    # Ann Able, Cy Cole, Di Dunn: 2, 2, 1 first preferences; Di is excluded, Di's
    # ballot goes to Ann, who has 3 of the 5.
    expect(rounds.nth(0)).to_have_text(re.compile(r"^\s*1\s*First preferences\s*2\s*2\s*1\s*$"))
    expect(rounds.nth(1)).to_contain_text("Di Dunn")
    expect(rounds.nth(1).locator("td").nth(4)).to_have_text("Ann Able")
    with organiser.expect_download() as started_download:
        organiser.get_by_role("link", name="election record").click()
    downloaded = tmp_path / "downloaded.omov.jsonl"
    started_download.value.save_as(downloaded)
    verified = omov(server, "verify", str(downloaded))
    lines = verified.stdout.splitlines()
    assert lines[-1] == "VALID", verified.stdout
    assert ("✓ shuffles: question 'q1': 3 shuffle(s) of 5 rows (trustees 1, 2, 3): each proof "
            "valid, each taking the previous output") in lines, verified.stdout
    assert ("✓ ranked count: question 'q1': 5 ranking(s) decrypted by trustees 1, 2, recounted "
            "(irv): elected Ann Able, as published") in lines, verified.stdout
    print(f"\nelection end to end: {time.monotonic() - started:.1f} s\n{verified.stdout}")
