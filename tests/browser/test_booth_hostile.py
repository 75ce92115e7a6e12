"""The booth against a hostile server: Playwright routes rewrite what the server
sends, and the booth must still show and encrypt what the manifest says, show
a fingerprint code that differs from the authority's when the key is swapped,
and refuse a key that changed since the member's last visit.
"""

from __future__ import annotations

import copy
import json
import re
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, Route

from omov.crypto.ballot import fingerprint, tracker
from omov.crypto.canonical import digest
from omov.crypto.credentials import credential_secret, normalise_code, public_credential
from omov.crypto.group import Point, Scalar, base_mult

from .conftest import (
    Browser,
    LiveServer,
    expect,
    live_server,
    mailbox_text,
    sign_in,
    wait_for_entry,
)

pytestmark = pytest.mark.browser
SLUG = "e2e-vote"


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of its own whose ballot stays open for an hour."""
    with live_server(tmp_path_factory, 3600) as live:
        wait_for_entry(live, SLUG, '"kind":"open"', seconds=30)
        yield live


def election_data(server: LiveServer) -> dict[str, object]:
    with urllib.request.urlopen(f"{server.url}/ballots/{SLUG}/election.json") as response:
        return dict(json.loads(response.read()))


def with_question(real: dict[str, Any], question: dict[str, Any]) -> dict[str, Any]:
    """The server's election data with `question` added to its manifest and the
    fingerprint recomputed, as a server that serves another manifest would."""
    data = copy.deepcopy(real)
    data["manifest"]["questions"].append(question)
    key = Point.from_hex(data["public_key"])
    data["fingerprint"] = fingerprint(digest(data["manifest"]), key,
                                      bytes.fromhex(data["roll_digest"])).hex()
    return data


def voter_page(browser: Browser, server: LiveServer) -> Page:
    people = json.loads((server.work / "people.json").read_text())
    return sign_in(browser, server, people["voter"])


def credential_code(server: LiveServer) -> str:
    codes = re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b", mailbox_text(server))
    return str(codes[0])


def swapped_key(real: dict[str, object]) -> dict[str, object]:
    """The election data with the server's own key and a fingerprint that matches it."""
    key = base_mult(Scalar.from_int(7))
    forged = fingerprint(digest(real["manifest"]), key, bytes.fromhex(str(real["roll_digest"])))
    return {**real, "public_key": key.hex(), "fingerprint": forged.hex()}


def authority_code(real: dict[str, object]) -> str:
    """The fingerprint code (7.1) as the credential authority's message carries it."""
    return tracker(bytes.fromhex(str(real["fingerprint"])))


def test_rewritten_labels_and_order_do_not_change_what_is_shown_or_encrypted(
    browser: Browser, open_server: LiveServer
) -> None:
    page = voter_page(browser, open_server)
    booth_url = f"{open_server.url}/ballots/{SLUG}/vote/"

    def hostile_booth(route: Route) -> None:
        html = route.fetch().text()
        fake = ('<fieldset data-question="0" data-min="1" data-max="1"><legend>Fake</legend>'
                '<input type="radio" id="q0o0" name="q0" value="1"><label for="q0o0">No</label>'
                '<input type="radio" id="q0o1" name="q0" value="0"><label for="q0o1">Yes</label>'
                '</fieldset>')
        route.fulfill(body=html.replace('<div id="questions">', '<div id="questions">' + fake),
                      content_type="text/html")

    page.route(booth_url, hostile_booth)
    sent: list[str] = []

    def capture_audit(route: Route) -> None:
        sent.append(route.request.post_data or "")
        route.fulfill(status=503, json={"error": "held back by the test"})

    page.route(f"{open_server.url}/ballots/{SLUG}/audit/", capture_audit)
    page.goto(booth_url)
    expect(page.locator("#questions legend")).to_have_text(
        [re.compile(r"^1\. Restore the endorsement\?")])
    expect(page.locator("#questions label")).to_have_text(["Yes", "No"])
    page.get_by_label("Yes").check()
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(credential_code(open_server))
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.locator("#prepared-tracker").inner_text(timeout=30_000)
    page.get_by_role("button", name="Audit instead").click()
    expect(page.locator("#audit-published")).to_contain_text("could not be published")
    expect(page.locator("#audited-selections")).to_contain_text("Yes")
    assert json.loads(sent[0])["selections"] == [[1, 0]], "Yes is the manifest's first option"
    page.context.close()


def test_an_audit_is_sent_without_the_session_or_the_credential(
    browser: Browser, open_server: LiveServer
) -> None:
    """A hostile server that wants to learn whose ballot an audit opened looks at
    the audit request: it carries no session cookie, no CSRF token, no referrer
    and nothing of the credential; the cast that follows does carry the session
    (so the check could fail). The booth forgets the audited ballot and asks the
    member to choose again."""
    page = voter_page(browser, open_server)
    booth_url = f"{open_server.url}/ballots/{SLUG}/vote/"
    audits: list[tuple[dict[str, str], str]] = []
    casts: list[dict[str, str]] = []

    def watch_audit(route: Route) -> None:
        audits.append((route.request.all_headers(), route.request.post_data or ""))
        route.continue_()

    def watch_cast(route: Route) -> None:
        casts.append(route.request.all_headers())
        route.continue_()

    page.route(f"{open_server.url}/ballots/{SLUG}/audit/", watch_audit)
    page.route(f"{open_server.url}/ballots/{SLUG}/vote/cast/", watch_cast)
    page.goto(booth_url)
    code = credential_code(open_server)
    page.get_by_label("No", exact=True).check()
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(code)
    page.get_by_role("button", name="Encrypt my ballot").click()
    prepared_tracker = page.locator("#prepared-tracker").inner_text(timeout=30_000)
    page.get_by_role("button", name="Audit instead").click()
    expect(page.locator("#audit-published")).to_contain_text("Published anonymously",
                                                             timeout=30_000)
    expect(page.locator("#audited-selections")).to_contain_text("No")
    expect(page.get_by_label("No", exact=True)).not_to_be_checked()
    expect(page.locator("#prepared")).to_be_hidden()

    headers, body = audits[0]
    assert "cookie" not in headers and "x-csrftoken" not in headers
    assert "referer" not in headers
    reveal = json.loads(body)
    assert set(reveal) == {"election", "choices", "randomness", "selections"}
    manifest = election_data(open_server)["manifest"]
    secret = credential_secret(digest(manifest), normalise_code(code))
    assert public_credential(secret).hex() not in body
    assert reveal["selections"] == [[0, 1]]
    wait_for_entry(open_server, SLUG, '"kind":"audited_ballot"', seconds=30)
    with urllib.request.urlopen(f"{open_server.url}/ballots/{SLUG}/record.omov.jsonl") as got:
        audited = [line for line in got.read().decode().splitlines() if "audited_ballot" in line]
    assert audited and public_credential(secret).hex() not in audited[-1]

    page.get_by_role("button", name="Prepare a new ballot").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Encrypt my ballot").click()
    assert page.locator("#prepared-tracker").inner_text(timeout=30_000) != prepared_tracker
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_url(re.compile(r"/vote/receipt/$"), timeout=30_000)
    assert "sessionid=" in casts[0].get("cookie", ""), "the cast is the member's own request"
    page.context.close()


def test_a_swapped_key_shows_a_different_code_and_a_changed_key_is_refused(
    browser: Browser, open_server: LiveServer
) -> None:
    real = election_data(open_server)
    data_url = f"{open_server.url}/ballots/{SLUG}/election.json"
    booth_url = f"{open_server.url}/ballots/{SLUG}/vote/"

    targeted = voter_page(browser, open_server)
    targeted.route(data_url, lambda route: route.fulfill(json=swapped_key(real)))
    targeted.goto(booth_url)
    shown = targeted.locator("#fingerprint-code")
    expect(shown).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$"))
    assert shown.inner_text() != authority_code(real), "the member sees the codes differ"
    targeted.context.close()

    returning = voter_page(browser, open_server)
    returning.goto(booth_url)
    expect(returning.locator("#fingerprint-code")).to_have_text(authority_code(real))
    returning.route(data_url, lambda route: route.fulfill(json=swapped_key(real)))
    returning.reload()
    expect(returning.locator("#booth .message.error")).to_contain_text(
        "election key, fingerprint differ from what this browser saw")
    expect(returning.locator("#fingerprint-check")).to_be_hidden()
    expect(returning.get_by_role("button", name="Encrypt my ballot")).to_be_disabled()
    returning.context.close()
