"""The booth offers to start a ranked question from a slate: with the keyboard alone the
member picks a slate, fills in its candidates (in ballot order), then changes a rank;
the encrypted ballot holds what the member finally chose. The slate is read from the
manifest's option labels, which the fingerprint covers, never from the page's HTML.

As in test_booth_ranked.py, a Playwright route serves election data whose manifest adds
the ranked question, with the fingerprint that matches it. axe-core checks the booth
with the slate control filled in.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Route

from omov.crypto.ballot import ElectionContext, verify_ballot
from omov.crypto.group import Point
from omov.record.manifest import parse_manifest

from .conftest import Browser, LiveServer, expect
from .test_accessibility import AXE, RUN_AXE, WCAG_TAGS
from .test_booth_hostile import (
    SLUG,
    credential_code,
    election_data,
    open_server,
    voter_page,
    with_question,
)

pytestmark = pytest.mark.browser
__all__ = ["open_server"]

RANKED = {"id": "north", "kind": "ranked", "text": "North region seats",
          "options": ["Zoe Adams (slate: Members First)", "Ali Brown",
                      "Mia Cole (slate: Members First)", "Ben Dale (slate: Renewal)"],
          "min": 0, "max": 4, "count": {"method": "stv", "seats": 2, "ties": "lot"}}


def test_a_member_starts_from_a_slate_with_the_keyboard_and_changes_a_rank(
    browser: Browser, open_server: LiveServer
) -> None:
    data = with_question(election_data(open_server), RANKED)
    manifest = parse_manifest(data["manifest"])
    ctx = ElectionContext(bytes.fromhex(data["fingerprint"]), Point.from_hex(data["public_key"]),
                          manifest.rules)
    page = voter_page(browser, open_server)
    base = f"{open_server.url}/ballots/{SLUG}"
    page.route(f"{base}/election.json", lambda route: route.fulfill(json=data))
    sent: dict[str, str] = {}

    def capture(route: Route) -> None:
        sent["cast"] = route.request.post_data or ""
        route.fulfill(status=400, json={"error": "held back by the test"})

    page.route(f"{base}/vote/cast/", capture)
    page.goto(f"{base}/vote/")
    question = page.get_by_role("group", name=re.compile("North region seats"))
    status = question.get_by_role("status")
    slate = question.get_by_label("Start from a slate")
    expect(slate).to_be_visible()
    fill = question.get_by_role("button", name="Fill in its candidates")
    fill.focus()
    page.keyboard.press("Enter")
    expect(status).to_have_text("Choose a slate first.")
    slate.focus()
    page.keyboard.press("ArrowDown")  # Choose a slate -> Members First
    expect(slate).to_have_value("0")
    page.keyboard.press("Tab")
    expect(fill).to_be_focused()
    page.keyboard.press("Enter")
    zoe, ali, mia, ben = (question.get_by_label(name, exact=True) for name in RANKED["options"])
    expect(zoe).to_have_value("1")
    expect(mia).to_have_value("2")
    expect(ali).to_have_value("")
    expect(status).to_contain_text("Filled in from Members First. Ranked 2 of 4: "
                                   "1st Zoe Adams (slate: Members First), 2nd Mia Cole "
                                   "(slate: Members First).")
    page.evaluate(AXE.read_text())  # the page's CSP refuses an inline script tag
    assert page.evaluate(RUN_AXE, WCAG_TAGS) == []
    ben.select_option("2")  # the member changes the slate's choice: Ben 2nd, Mia loses it
    expect(mia).to_have_value("")
    ali.select_option("3")

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(credential_code(open_server))
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.locator("#prepared-tracker").inner_text(timeout=60_000)
    expect(page.locator("#prepared-selections")).to_contain_text(
        "North region seats — 1st Zoe Adams (slate: Members First), 2nd Ben Dale "
        "(slate: Renewal), 3rd Ali Brown")
    fill.click()  # once prepared, the fill changes nothing
    expect(zoe).to_have_value("1")
    expect(ben).to_have_value("2")
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#cast-error")).to_contain_text("held back by the test")
    verified = verify_ballot(ctx, json.loads(sent["cast"]))
    assert len(verified.choices[1]) == 16
    page.context.close()
