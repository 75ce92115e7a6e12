"""axe-core's WCAG 2.0 and 2.1 A and AA rules on every page a member, an organiser,
a trustee and the credential authority see, at desktop width and at 390 px, and reflow
(1.4.10, which axe does not check): no page scrolls sideways.

The server is seeded with the demo organisation (tests/browser/demo_setup.py).
axe-core comes from the frontend's npm packages (frontend/node_modules/axe-core);
each page gets it injected after it has loaded, and each failure names the rule,
its impact, the elements (as CSS selectors) and the page that explains the fix.
Pages with steps (the booth, the forms with errors) are checked at each step.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Browser, LiveServer, Page, expect, served
from .demo_setup import CEREMONY_BALLOT, DRAFT_BALLOT, FINISHED_BALLOT, OPEN_BALLOT
from .election_setup import PASSPHRASE

pytestmark = pytest.mark.browser

AXE = ROOT / "frontend/node_modules/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ROLES = ("anonymous", "member", "organiser", "trustee", "authority")

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""

WIDER_THAN_THE_PAGE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (el) => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
  return [...document.querySelectorAll('body *')].filter((el) => {
    if (el.getBoundingClientRect().right <= width + 1) return false;
    for (let up = el.parentElement; up; up = up.parentElement) if (scrolls(up)) return false;
    return true;
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                              + (el.classList.length ? '.' + [...el.classList].join('.') : ''));
}"""
"""What makes the page wider than its window (it would scroll sideways), outside any box
that scrolls on its own; empty when nothing does."""

Facts = dict[str, Any]
Checker = Callable[[str], None]
"""Runs axe on the page as it is now; the argument names the step for the report."""


@dataclass(frozen=True)
class Visit:
    role: str
    name: str
    path: str
    """Formatted with the seeded facts (tests/browser/demo_setup.py)."""
    steps: Callable[[Page, Facts, Checker], None] | None = None
    """Brings the page through its states, checking each; the loaded page is checked first."""


def _submit_empty(selector: str) -> Callable[[Page, Facts, Checker], None]:
    """Submits the form as it is, past the browser's own checks, to show the server's errors."""
    def steps(page: Page, facts: Facts, check: Checker) -> None:
        with page.expect_navigation():
            page.locator(selector).first.evaluate(
                "form => { form.noValidate = true; form.requestSubmit(); }")
        expect(page.locator(".errors, .errorlist, .message.error").first).to_be_visible()
        check("with its errors shown")
    return steps


def _choose_first_options(page: Page) -> None:
    questions = page.locator("#questions fieldset")
    for index in range(questions.count()):
        questions.nth(index).locator("input").first.check()


def _booth(page: Page, facts: Facts, check: Checker) -> None:
    expect(page.locator("#questions fieldset").first).to_be_visible(timeout=30_000)
    encrypt = page.get_by_role("button", name="Encrypt my ballot")
    encrypt.click()
    expect(page.locator("#questions .errors:not(:empty)").first).to_be_visible()
    check("with a question unanswered")
    _choose_first_options(page)
    encrypt.click()
    expect(page.locator("#fingerprint-error")).not_to_be_empty()
    check("with the election code not yet compared")
    page.locator("#fingerprint-compared").check()
    page.locator("#credential-code").fill("ABCDE")
    encrypt.click()
    expect(page.locator("#credential-error")).not_to_be_empty()
    check("with a mistyped credential code")
    page.locator("#credential-code").fill(facts["code"])
    encrypt.click()
    expect(page.locator("#prepared")).to_be_visible(timeout=30_000)
    check("after encrypting")
    page.get_by_role("button", name="Audit instead").click()
    expect(page.locator("#audited-selections li").first).to_be_visible(timeout=30_000)
    check("after an audit")
    page.get_by_role("button", name="Prepare a new ballot").click()
    _choose_first_options(page)
    encrypt.click()
    expect(page.locator("#prepared")).to_be_visible(timeout=30_000)
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#tracker")).to_be_visible()
    check("the receipt")


def _sign_petition(page: Page, facts: Facts, check: Checker) -> None:
    sign = page.get_by_role("button", name="Sign", exact=True)
    if sign.count():
        page.locator("form[action$='/sign/'] input[type=radio]").first.check()
        with page.expect_navigation():
            sign.click()
        check("after signing")


def _trustee_ceremony(page: Page, facts: Facts, check: Checker) -> None:
    """Step 1 in the browser (the first viewport does it; the second sees it done)."""
    if not page.locator("#commit").is_visible():
        return
    page.locator("#new-passphrase").fill(PASSPHRASE)
    page.locator("#new-passphrase-again").fill(PASSPHRASE + " but different")
    page.locator("#commit").click()
    expect(page.locator("#trustee-status")).to_contain_text("differ")
    check("with the passphrases differing")
    page.locator("#new-passphrase-again").fill(PASSPHRASE)
    with page.expect_download(timeout=60_000) as saved:
        page.locator("#commit").click()
    expect(page.locator("#step-committed")).to_be_visible(timeout=30_000)
    check("after making the keys")
    page.locator("#backup-file").set_input_files(saved.value.path())
    page.locator("#backup-passphrase").fill(PASSPHRASE)
    page.locator("#check-backup").click()
    expect(page.locator("#trustee-status")).to_contain_text("This backup opens", timeout=30_000)
    check("after checking the backup")


def _authority_key(page: Page, facts: Facts, check: Checker) -> None:
    with page.expect_download():
        page.get_by_role("button", name="Make a key pair in this browser").click()
    expect(page.locator("#authority-status")).to_contain_text("saved as a file")
    check("after making a key pair")
    page.locator("#id_public_key").fill("not a key")
    with page.expect_navigation():
        page.locator("form[action$='/authority/key/']").evaluate(
            "form => { form.noValidate = true; form.requestSubmit(); }")
    check("with a refused key")


def _save_time_zone(page: Page, facts: Facts, check: Checker) -> None:
    with page.expect_navigation():
        page.locator("form[action$='/me/time-zone/'] button").click()
    expect(page.locator(".messages li").first).to_be_visible()
    check("with the message that it was saved")


def _import_preview(page: Page, facts: Facts, check: Checker) -> None:
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "roll.csv", "mimeType": "text/csv",
        "buffer": b"membership_number,name,email,status,joined_on\n"
                  b"N9001,New Person,new.person@example.org,active,2026-01-05\n"
                  b"N9002,,broken,active,not a date\n"}])
    with page.expect_navigation():
        page.get_by_role("button", name="Preview").click()
    check("the preview")


SHOW_ERRORS = _submit_empty("main form[method=post]")


def _open_details(page: Page, facts: Facts, check: Checker) -> None:
    page.locator("details summary").first.click()
    check("with the organisers' forms open")

VISITS = [
    Visit("anonymous", "home", "/"),
    Visit("anonymous", "sign-in", "/sign-in/"),
    Visit("anonymous", "sign-in with an error", "/sign-in/", SHOW_ERRORS),
    Visit("anonymous", "ballot list", "/ballots/"),
    Visit("anonymous", "results", f"/ballots/{FINISHED_BALLOT}/results/"),
    Visit("anonymous", "board", f"/ballots/{FINISHED_BALLOT}/board/"),
    Visit("anonymous", "404", "/no-such-page/"),
    Visit("anonymous", "election post", "/elections/{election}/posts/{election_post}/"),
    Visit("member", "home", "/"),
    Visit("member", "settings", "/me/", _save_time_zone),
    Visit("member", "email preferences", "/discussion/emails/"),
    Visit("member", "ballot list", "/ballots/"),
    Visit("member", "open ballot", f"/ballots/{OPEN_BALLOT}/"),
    Visit("member", "finished ballot", f"/ballots/{FINISHED_BALLOT}/"),
    Visit("member", "booth", f"/ballots/{OPEN_BALLOT}/vote/", _booth),
    Visit("member", "board", f"/ballots/{OPEN_BALLOT}/board/"),
    Visit("member", "board search", f"/ballots/{FINISHED_BALLOT}/board/?tracker=ABCD"),
    Visit("member", "results and checking", f"/ballots/{FINISHED_BALLOT}/results/"),
    Visit("member", "petitions", "/petitions/"),
    Visit("member", "open letter", "/petitions/{petitions[0]}/", _sign_petition),
    Visit("member", "call-in petition", "/petitions/{petitions[2]}/"),
    Visit("member", "start a petition", "/petitions/start/", SHOW_ERRORS),
    Visit("member", "elections", "/elections/"),
    Visit("member", "election", "/elections/{election}/"),
    Visit("member", "election post", "/elections/{election}/posts/{election_post}/"),
    Visit("member", "nominate, with the error", "/elections/{election}/posts/{election_post}/"
          "nominate/", SHOW_ERRORS),
    Visit("member", "own nomination", "/nominations/{nomination}/"),
    Visit("member", "committees", "/committees/"),
    Visit("member", "committee register", "/committees/{committee}/register/"),
    Visit("member", "meeting", "/meetings/{meeting}/"),
    Visit("member", "decision", "/decisions/{decision}/"),
    Visit("member", "constitution", "/rules/"),
    Visit("member", "constitution history", "/rules/history/"),
    Visit("member", "discussion thread", "/discussion/comment/{comment}/"),
    Visit("member", "discussion search", "/discussion/search/?q=meeting"),
    Visit("member", "comment edit history", "/discussion/comment/{comment}/history/"),
    Visit("member", "moderation log", "/discussion/moderation/"),
    Visit("member", "audit log", "/audit/"),
    Visit("member", "403", "/organise/members/"),
    Visit("organiser", "home", "/"),
    Visit("organiser", "members", "/organise/members/"),
    Visit("organiser", "member", "/organise/members/{member_number}/"),
    Visit("organiser", "add a member", "/organise/members/add/", SHOW_ERRORS),
    Visit("organiser", "import", "/organise/members/import/", _import_preview),
    Visit("organiser", "rejoin requests", "/organise/rejoin-requests/"),
    Visit("organiser", "local groups", "/organise/groups/"),
    Visit("organiser", "committees", "/organise/committees/"),
    Visit("organiser", "committee seats", "/organise/committees/{committee}/"),
    Visit("organiser", "new ballot", "/ballots/new/", SHOW_ERRORS),
    Visit("organiser", "new ballot, finding a member", "/ballots/new/?find=a"),
    Visit("organiser", "draft ballot", f"/ballots/{DRAFT_BALLOT}/"),
    Visit("organiser", "edit draft", f"/ballots/{DRAFT_BALLOT}/edit/"),
    Visit("organiser", "add a question", f"/ballots/{DRAFT_BALLOT}/questions/add/",
          SHOW_ERRORS),
    Visit("organiser", "ballot in its ceremony", f"/ballots/{CEREMONY_BALLOT}/"),
    Visit("organiser", "open ballot", f"/ballots/{OPEN_BALLOT}/"),
    Visit("organiser", "finished ballot", f"/ballots/{FINISHED_BALLOT}/"),
    Visit("organiser", "rules", "/organise/rules/"),
    Visit("organiser", "outbox", "/organise/outbox/"),
    Visit("organiser", "audit log", "/audit/"),
    Visit("organiser", "403: recording a meeting is the secretary's",
          "/committees/{committee}/meetings/new/"),
    Visit("organiser", "petition owing a ballot", "/petitions/{petitions[1]}/"),
    Visit("organiser", "draft the forced ballot", "/petitions/{petitions[1]}/draft-ballot/",
          SHOW_ERRORS),
    Visit("organiser", "local group", "/organise/groups/camden/"),
    Visit("organiser", "set up an election", "/organise/elections/new/", SHOW_ERRORS),
    Visit("organiser", "add a post", "/organise/elections/{election}/posts/new/", SHOW_ERRORS),
    Visit("organiser", "election post, with the rulings", "/elections/{election}/posts/"
          "{election_post}/", _open_details),
    Visit("trustee", "ceremony step 1", f"/ballots/{CEREMONY_BALLOT}/trustee/",
          _trustee_ceremony),
    Visit("trustee", "while voting is open", f"/ballots/{OPEN_BALLOT}/trustee/"),
    Visit("trustee", "after the count", f"/ballots/{FINISHED_BALLOT}/trustee/"),
    Visit("trustee", "ballot", f"/ballots/{CEREMONY_BALLOT}/"),
    Visit("authority", "key step", f"/ballots/{DRAFT_BALLOT}/authority/", _authority_key),
    Visit("authority", "roll step", f"/ballots/{CEREMONY_BALLOT}/authority/"),
    Visit("authority", "while voting is open", f"/ballots/{OPEN_BALLOT}/authority/"),
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Facts]]:
    def seed(env: dict[str, str], work: Path) -> None:
        subprocess.run([sys.executable, str(ROOT / "tests/browser/demo_setup.py"),
                        str(work / "facts.json"), "40"], env=env, check=True, cwd=ROOT)
    with served(tmp_path_factory, seed) as server:
        yield server, json.loads((server.work / "facts.json").read_text())


@pytest.fixture(scope="module")
def pages(browser: Browser, demo_server: tuple[LiveServer, Facts]) -> Iterator[
        Callable[[str, str], Page]]:
    """One signed-in browser context per role and viewport, made when first asked for."""
    facts = demo_server[1]
    made: dict[tuple[str, str], Page] = {}

    def page_for(viewport: str, role: str) -> Page:
        if (viewport, role) not in made:
            context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
            page = context.new_page()
            if role != "anonymous":
                page.goto(facts["links"][role][list(VIEWPORTS).index(viewport)])
                page.get_by_role("button", name="Sign in to omov").click()
                page.wait_for_load_state()
            made[viewport, role] = page
        return made[viewport, role]

    yield page_for
    for page in made.values():
        page.context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_TAGS)
    return found


def describe(violations: list[dict[str, Any]], where: str) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
                     f" <{violation['helpUrl']}>")
        lines.extend(f"    {node['target']}: {node['summary']}".replace("\n", " ")
                     for node in violation["nodes"])
    return "\n".join(lines)


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core (scripts/setup installs it)")
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("visit", VISITS, ids=[f"{v.role}-{v.name}" for v in VISITS])
def test_no_wcag_violations(visit: Visit, viewport: str, pages: Callable[[str, str], Page],
                            demo_server: tuple[LiveServer, Facts]) -> None:
    server, facts = demo_server
    page = pages(viewport, visit.role)
    page.goto(server.url + visit.path.format(**facts))
    if page.locator("script[type=module]").count():
        page.wait_for_load_state("networkidle")  # the page's script has drawn what it fetched
    reports: list[str] = []

    def check(step: str) -> None:
        where = f"{visit.role}'s {visit.name} ({page.url}), {step}, at {viewport}"
        violations = axe_violations(page)
        if violations:
            reports.append(describe(violations, where))
        wider = page.evaluate(WIDER_THAN_THE_PAGE)
        if wider:
            reports.append(f"{where}: reflow (WCAG 1.4.10): the page scrolls sideways; "
                           f"wider than the window: {', '.join(wider)}")

    check("as loaded")
    if visit.steps is not None:
        visit.steps(page, facts, check)
    assert not reports, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(reports)



BOXES = """() => [...document.querySelectorAll('#questions fieldset')].map((fieldset) => {
  const legend = fieldset.querySelector('legend').getBoundingClientRect();
  const next = fieldset.querySelector('legend + *').getBoundingClientRect();
  const box = fieldset.getBoundingClientRect();
  const border = parseFloat(getComputedStyle(fieldset).borderTopWidth);
  return {lines: Math.round(legend.height / parseFloat(getComputedStyle(
            fieldset.querySelector('legend')).lineHeight)),
          legendTop: legend.top, legendBottom: legend.bottom, legendLeft: legend.left,
          legendRight: legend.right, contentTop: next.top, borderBottom: box.top + border,
          left: box.left, right: box.right};
})"""


def test_booth_legends_that_wrap_stay_inside_their_fieldset(
        pages: Callable[[str, str], Page], demo_server: tuple[LiveServer, Facts]) -> None:
    """At 390 px the open ballot's second question wraps to several lines: its legend
    lies wholly below the fieldset's top border and above the question's content."""
    server, _ = demo_server
    page = pages("phone", "member")
    page.goto(f"{server.url}/ballots/{OPEN_BALLOT}/vote/")
    expect(page.locator("#questions fieldset").first).to_be_visible(timeout=30_000)
    boxes = page.evaluate(BOXES)
    assert max(box["lines"] for box in boxes) >= 3, boxes
    for box in boxes:
        assert box["legendTop"] >= box["borderBottom"], box
        assert box["legendBottom"] <= box["contentTop"], box
        assert box["left"] <= box["legendLeft"] and box["legendRight"] <= box["right"], box


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = style.outlineColor.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel);
  const againstWhite = 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
  return {id: el.id, tag: el.tagName.toLowerCase(),
          text: (el.textContent || '').trim().slice(0, 40),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                   && againstWhite >= 3};
}"""
"""Where the focus is, and whether its ring is drawn, 2 px or more, at 3:1 or more against
the page's white (WCAG 1.4.11)."""


def _tab_until(page: Page, wanted: str, *, limit: int = 40) -> list[dict[str, Any]]:
    """Presses Tab until the element with id `wanted` has the focus; returns each stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1]["id"] == wanted:
            return stops
    raise AssertionError(f"Tab never reached #{wanted}; it stopped at {stops}")


def test_the_booth_by_keyboard(pages: Callable[[str, str], Page],
                               demo_server: tuple[LiveServer, Facts]) -> None:
    """Tab reaches every choice (one stop per radio group, as browsers do), the code check,
    the code and the buttons, in the page's order, each with a visible focus ring; Space
    and the arrow keys choose, Enter encrypts, and the prepared ballot takes the focus."""
    server, facts = demo_server
    page = pages("desktop", "member")
    page.goto(f"{server.url}/ballots/{OPEN_BALLOT}/vote/")
    expect(page.locator("#questions fieldset").first).to_be_visible(timeout=30_000)
    page.locator("h1").click()
    stops = _tab_until(page, "prepare")
    in_booth = [stop for stop in stops if stop["id"].startswith(("q", "fingerprint-",
                                                                 "credential-", "prepare"))]
    checkboxes = page.locator("#questions input[type=checkbox]").evaluate_all(
        "inputs => inputs.map(input => input.id)")
    radio_groups = page.locator("#questions input[type=radio]").evaluate_all(
        "inputs => [...new Set(inputs.map(input => input.name))]")
    assert [stop["id"] for stop in in_booth] == [
        *checkboxes, *[f"{group}o0" for group in radio_groups], "fingerprint-compared",
        "credential-code", "prepare"]
    assert all(stop["outline"] for stop in stops), [s for s in stops if not s["outline"]]

    page.locator("h1").click()
    _tab_until(page, checkboxes[0])
    page.keyboard.press("Space")
    expect(page.locator(f"#{checkboxes[0]}")).to_be_checked()
    _tab_until(page, f"{radio_groups[0]}o0")
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{radio_groups[0]}o1")).to_be_checked()
    _tab_until(page, "fingerprint-compared")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type(facts["code"])
    page.keyboard.press("Enter")
    expect(page.locator("#prepared")).to_be_focused(timeout=30_000)
    stops = _tab_until(page, "change")
    assert [stop["id"] for stop in stops] == ["cast", "audit", "change"]
    assert all(stop["outline"] for stop in stops), stops


def test_the_member_finder_fills_the_ballot_form_without_losing_what_was_typed(
        pages: Callable[[str, str], Page], demo_server: tuple[LiveServer, Facts]) -> None:
    """Finding a member does not reload the form; the buttons beside each person found
    add them as a trustee (once) or make them the credential authority."""
    server, _ = demo_server
    page = pages("phone", "organiser")
    page.goto(f"{server.url}/ballots/new/")
    page.get_by_label("Title").fill("A ballot being drafted")
    page.get_by_label("Name, number or email").fill("a")
    page.get_by_role("button", name="Find", exact=True).click()
    trustee_buttons = page.get_by_role("button", name=re.compile(r"^Add .+ as a trustee$"))
    expect(trustee_buttons.first).to_be_visible()
    names = [page.locator("table.found tbody tr").nth(n).get_attribute("data-name")
             for n in range(2)]
    emails = [page.locator("table.found tbody tr").nth(n).get_attribute("data-email")
              for n in range(2)]
    for name in (names[0], names[1], names[0]):
        page.get_by_role("button", name=f"Add {name} as a trustee").click()
    expect(page.locator("#find-member-status")).to_have_text(f"{names[0]} is already a trustee.")
    page.get_by_role("button", name=f"Make {names[1]} the credential authority").click()
    expect(page.get_by_label("Title")).to_have_value("A ballot being drafted")
    expect(page.get_by_label("Trustees:")).to_have_value(
        f"{names[0]}, {emails[0]}\n{names[1]}, {emails[1]}")
    expect(page.get_by_label("Credential authority's name")).to_have_value(str(names[1]))
    expect(page.get_by_label(
        "Credential authority's email or membership number on the roll")).to_have_value(
        str(emails[1]))
    assert page.evaluate(WIDER_THAN_THE_PAGE) == [], "the table of people found scrolls alone"
    first = page.get_by_role("button", name=f"Add {names[0]} as a trustee").bounding_box()
    assert first is not None and first["x"] + first["width"] <= 390, (
        "on a phone the buttons show beside the name, without scrolling the table")


def test_each_checkbox_sits_on_the_line_of_its_label(
        pages: Callable[[str, str], Page], demo_server: tuple[LiveServer, Facts]) -> None:
    """The email choices on a member's page: box first, then its words, on one line."""
    server, _ = demo_server
    page = pages("phone", "member")
    page.goto(f"{server.url}/me/")
    rows = page.locator(".option").evaluate_all("""rows => rows.map((row) => {
      const box = row.querySelector('input').getBoundingClientRect();
      const words = row.querySelector('label').getBoundingClientRect();
      return {middle: box.top + box.height / 2, top: words.top, bottom: words.bottom,
              boxRight: box.right, wordsLeft: words.left};
    })""")
    assert rows, "the member's page has its email choices"
    for row in rows:
        assert row["top"] <= row["middle"] <= row["bottom"], row
        assert row["boxRight"] <= row["wordsLeft"], row


def test_the_step_status_lines_are_plain_text_not_an_empty_badge(
        pages: Callable[[str, str], Page], demo_server: tuple[LiveServer, Facts]) -> None:
    """The trustee's and the authority's status line is a line of text: before it says
    anything it draws nothing (the membership-status badge style once drew a dash)."""
    server, _ = demo_server
    for role, path, status in (("trustee", f"/ballots/{OPEN_BALLOT}/trustee/", "#trustee-status"),
                               ("authority", f"/ballots/{OPEN_BALLOT}/authority/",
                                "#authority-status")):
        page = pages("phone", role)
        page.goto(server.url + path)
        border = page.locator(status).evaluate("el => getComputedStyle(el).borderTopWidth")
        assert border == "0px", (role, border)
