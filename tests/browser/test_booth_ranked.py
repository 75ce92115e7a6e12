"""The booth with a ranked question (protocol 5.2), at phone width: the member
ranks candidates with rank selects (keyboard and touch, no dragging), a live
status says how many are ranked, a gap is refused with a message, the review
and the audit show the ranking, and the ballot the browser sends verifies in
Python with its ranked proofs.

The served ballot has no ranked question (the organiser's form does not offer
one until the mix and count land), so a Playwright route serves election data
whose manifest adds one, with the fingerprint that matches it; the cast and
the audit are captured by the test and never reach the server.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Route

from omov.crypto.ballot import ElectionContext, check_audit, verify_ballot
from omov.crypto.group import Point
from omov.crypto.ranked import ranking_from_cells
from omov.record.manifest import parse_manifest

from .conftest import Browser, LiveServer, expect
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

RANKED = {"id": "chair", "kind": "ranked", "text": "Elect the chair",
          "options": ["Ana", "Bo", "Cy", "Di"], "min": 1, "max": 3,
          "count": {"method": "irv", "seats": 1, "ties": "lot"}}


def test_a_ranked_question_is_ranked_reviewed_encrypted_and_audited_at_390_px(
    browser: Browser, open_server: LiveServer
) -> None:
    data = with_question(election_data(open_server), RANKED)
    manifest = parse_manifest(data["manifest"])
    ctx = ElectionContext(bytes.fromhex(data["fingerprint"]), Point.from_hex(data["public_key"]),
                          manifest.rules)
    page = voter_page(browser, open_server)
    page.set_viewport_size({"width": 390, "height": 844})
    base = f"{open_server.url}/ballots/{SLUG}"
    page.route(f"{base}/election.json", lambda route: route.fulfill(json=data))
    sent: dict[str, str] = {}

    def capture(name: str) -> Any:
        def handle(route: Route) -> None:
            sent[name] = route.request.post_data or ""
            route.fulfill(status=400, json={"error": "held back by the test"})
        return handle

    page.route(f"{base}/vote/cast/", capture("cast"))
    page.route(f"{base}/audit/", capture("audit"))
    page.goto(f"{base}/vote/")

    question = page.get_by_role("group", name=re.compile("Elect the chair"))
    status = question.get_by_role("status")
    expect(status).to_have_text("Ranked 0 of 4.")
    expect(question).to_contain_text("Rank up to 3 candidates")
    ana, bo, cy, di = (question.get_by_label(name, exact=True) for name in RANKED["options"])
    cy.focus()
    page.keyboard.press("ArrowDown")  # keyboard: Not ranked -> 1st
    expect(cy).to_have_value("1")
    expect(status).to_have_text("Ranked 1 of 4: 1st Cy.")
    ana.select_option("1")  # Ana takes 1st: Cy had no rank before it, so Cy is unranked
    expect(cy).to_have_value("")
    expect(question).to_contain_text("Cy was 1st and is now not ranked.")
    cy.select_option("2")
    di.select_option("3")
    bo.select_option("3")  # Bo takes 3rd; Di had it and takes Bo's (none)
    expect(di).to_have_value("")
    expect(status).to_have_text("Ranked 3 of 4: 1st Ana, 2nd Cy, 3rd Bo.")
    bo.select_option("")
    di.select_option("3")
    cy.select_option("")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 390, f"the booth is {scroll} px wide at 390 px"

    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(credential_code(open_server))
    page.get_by_role("button", name="Encrypt my ballot").click()
    expect(question.locator(".question-error")).to_have_text(re.compile("Rank 2nd is empty"))
    cy.select_option("2")
    page.get_by_role("button", name="Encrypt my ballot").click()
    page.locator("#prepared-tracker").inner_text(timeout=60_000)
    expect(page.locator("#prepared-selections")).to_contain_text(
        "Elect the chair — 1st Ana, 2nd Cy, 3rd Di")
    expect(di).to_be_disabled()

    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#cast-error")).to_contain_text("held back by the test")
    verified = verify_ballot(ctx, json.loads(sent["cast"]))
    assert len(verified.choices[1]) == 12

    page.get_by_role("button", name="Audit instead").click()
    expect(page.locator("#audited-selections")).to_contain_text("1st Ana, 2nd Cy, 3rd Di")
    expect(page.locator("#audit-published")).to_contain_text("could not be published")
    opened = check_audit(ctx, json.loads(sent["audit"]))
    assert ranking_from_cells(manifest.rules[1], opened[1]) == [0, 2, 3]
    expect(status).to_have_text("Ranked 0 of 4.")
    page.context.close()
