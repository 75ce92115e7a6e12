"""Members call a committee decision in, force a ballot, vote it, and the decision changes.

A committee's secretary has published a decision (set up below through the
committees' actions). Two members start and sign a call-in petition in the
browser; at its threshold the decision is called in and a member ballot is
owed; an organiser drafts it on the petition's page; the ceremony is played
outside the browser as in election_setup.py (authority key, trustees' key
ceremony, codes); the server's schedule opens it; both members vote in the
booth; the schedule closes it; two trustees' decryptions are played; the
organiser publishes; the decision's page says it was overturned, and why.

It adds members to the shared live server, so its file sorts after the tests
that count the server's electors (test_ceremony) or race its first ballot's
closing time (test_end_to_end).
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import zoneinfo

import pytest

from .conftest import ROOT, Browser, LiveServer, Page, expect, sign_in, wait_for_entry

pytestmark = pytest.mark.browser

VOTING_SECONDS = 100

SETUP = """
import datetime, json, sys
from omov.web.bootstrap import setup_django
setup_django(debug=True)
from django.utils import timezone
from omov.committees import actions as committee_actions
from omov.constitution.actions import amend_rules
from omov.constitution.queries import rules_in_force
from omov.members import actions as member_actions
from omov.organisation import actions as organisation_actions

rules = rules_in_force().to_data()
rules.update(call_in_threshold={"members": 2, "percent": 50, "combine": "lower"},
             ballot_turnout_quorum_percent=1, call_in_goes_to="member_ballot")
amend_rules(rules, reason="A small call-in threshold for the test", actor=None)
joined = timezone.localdate() - datetime.timedelta(days=100)
def person(number, name):
    return member_actions.add_member(
        membership_number=f"A{number:03d}", name=name,
        email=name.split()[0].lower() + "@example.org", local_group=None, joined_on=joined,
        by=None)
committee = organisation_actions.create_committee("Accountable Committee", by=None)
seats = [person(1, "Sue Secretary"), person(2, "Ray Seat"), person(3, "Nia Seat")]
for seat in seats:
    organisation_actions.add_committee_member(committee, seat, joined_on=joined, by=None)
committee_actions.appoint_secretary(committee, seats[0], actor=None)
meeting = committee_actions.record_meeting(
    committee, kind="full", held_on=timezone.localdate(), notice_sent_on=None,
    attendance={seat: "present" for seat in seats}, actor=seats[0])
decision = committee_actions.record_decision(
    meeting, text="Withdraw the endorsement of the candidate", kind="endorsement",
    effective_on=timezone.localdate(), actor=seats[0])
callers = [person(4, "Cal Caller"), person(5, "Pia Petitioner")]
json.dump({"decision": decision.pk, "callers": [p.email for p in callers]},
          open(sys.argv[1], "w"))
"""

CEREMONY = """
import json, sys
from omov.web.bootstrap import setup_django
setup_django(debug=True)
from omov.ballots import simulation
from omov.ballots.actions import drafting
from omov.ballots.models import Ballot
from omov.crypto.transcript import SystemRng
ballot = Ballot.objects.get(slug=sys.argv[1])
rng = SystemRng()
authority = simulation.authority_key(ballot, rng)
drafting.publish_manifest(ballot, by=ballot.created_by)
ballot.refresh_from_db()
states = simulation.key_ceremony(ballot, rng, by=ballot.created_by)
ballot.refresh_from_db()
simulation.issue_credentials(ballot, authority, rng, mail=False)
codes = {e.member.email: authority.codes[e.member_id] for e in ballot.electors.all()}
json.dump({"codes": codes, "states": {i: s.to_json() for i, s in states.items()}},
          open(sys.argv[2], "w"))
"""

DECRYPT = """
import json, sys
from omov.web.bootstrap import setup_django
setup_django(debug=True)
from omov.ballots import simulation
from omov.ballots.models import Ballot
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.transcript import SystemRng
ballot = Ballot.objects.get(slug=sys.argv[1])
saved = json.load(open(sys.argv[2]))["states"]
states = {int(i): TrusteeState.from_json(s) for i, s in saved.items()}
simulation.decrypt(ballot, states, SystemRng(), trustees=[1, 2])
"""


def _script(server: LiveServer, code: str, *args: str) -> None:
    subprocess.run([sys.executable, "-c", code, *args], env=server.env, cwd=ROOT, check=True)


def _local(moment: datetime.datetime) -> str:
    """A datetime-local value in the server's time zone, to the second."""
    return moment.astimezone(zoneinfo.ZoneInfo("Europe/London")).strftime("%Y-%m-%dT%H:%M:%S")


def _vote_yes(page: Page, server: LiveServer, slug: str, code: str) -> None:
    page.goto(f"{server.url}/ballots/{slug}/vote/")
    page.get_by_label("Yes").check()
    page.get_by_label("The election code matches").check()
    page.get_by_label("Your voting code").fill(code)
    page.get_by_role("button", name="Encrypt my ballot").click()
    tracker = page.locator("#prepared-tracker").inner_text(timeout=30_000)
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator("#tracker")).to_have_text(tracker, timeout=30_000)


def test_a_call_in_forces_a_ballot_that_overturns_the_decision(
    browser: Browser, omov_server: LiveServer
) -> None:
    server = omov_server
    facts_file = server.work / "accountability.json"
    _script(server, SETUP, str(facts_file))
    facts = json.loads(facts_file.read_text())
    decision_url = f"{server.url}/decisions/{facts['decision']}/"

    cal = sign_in(browser, server, facts["callers"][0])
    cal.goto(decision_url)
    expect(cal.locator("main")).to_contain_text("Status: In call in")
    cal.goto(f"{server.url}/petitions/start/")
    cal.get_by_label("Call-in of a published decision").check()
    cal.get_by_label("Decision called in").select_option(
        label="Withdraw the endorsement of the candidate")
    cal.get_by_label("Text").fill("Members, not the committee, should decide endorsements.")
    cal.get_by_role("button", name="Start it").click()
    expect(cal.locator("h1")).to_contain_text("Reverse the decision")
    petition_url = cal.url
    cal.get_by_label("Named publicly").check()
    cal.get_by_role("button", name="Sign", exact=True).click()
    expect(cal.locator("[data-threshold=call_in]")).to_contain_text("1 of 2 signatures")

    pia = sign_in(browser, server, facts["callers"][1])
    pia.goto(petition_url)
    pia.get_by_label("Counted without my name shown to anyone").check()
    pia.get_by_role("button", name="Sign", exact=True).click()
    expect(pia.locator("[data-threshold=call_in]")).to_contain_text("2 of 2 signatures (reached)")
    pia.goto(decision_url)
    expect(pia.locator("main")).to_contain_text("Status: Called in")
    expect(pia.locator("main")).to_contain_text("called in by the members' petition")

    people = json.loads((server.work / "people.json").read_text())
    organiser = sign_in(browser, server, people["organiser"])
    organiser.goto(petition_url)
    organiser.get_by_role("link", name="Draft the forced ballot").click()
    now = datetime.datetime.now(datetime.UTC)
    # Opening times in the past are refused: it opens once the ceremony is done.
    organiser.get_by_label("Opens at").fill(_local(now + datetime.timedelta(seconds=15)))
    organiser.get_by_label("Closes at").fill(_local(now + datetime.timedelta(
        seconds=15 + VOTING_SECONDS)))
    organiser.get_by_role("textbox", name="Trustees:").fill("\n".join(
        f"Region {n}, {email}" for n, email in enumerate(people["trustees"], start=1)))
    organiser.get_by_label("Trustees needed to decrypt (k)").fill("2")
    organiser.get_by_label("Credential authority's name").fill("Scrutineer")
    organiser.get_by_label(
        "Credential authority's email or membership number on the roll").fill(people["authority"])
    organiser.get_by_role("button", name="Draft the ballot and invite trustees").click()
    expect(organiser.locator("h1")).to_contain_text("Reverse the decision")
    slug = organiser.url.rstrip("/").rsplit("/", 1)[-1]

    secrets_file = server.work / "forced-ceremony.json"
    _script(server, CEREMONY, slug, str(secrets_file))
    codes = json.loads(secrets_file.read_text())["codes"]
    wait_for_entry(server, slug, '"kind":"open"', seconds=30)
    _vote_yes(cal, server, slug, codes[facts["callers"][0]])
    _vote_yes(pia, server, slug, codes[facts["callers"][1]])

    wait_for_entry(server, slug, '"kind":"tally"', seconds=VOTING_SECONDS + 60)
    _script(server, DECRYPT, slug, str(secrets_file))
    organiser.goto(f"{server.url}/ballots/{slug}/")
    organiser.get_by_role("button", name="Publish the result").click()

    cal.goto(decision_url)
    expect(cal.locator("main")).to_contain_text("Status: Overturned")
    expect(cal.locator("main")).to_contain_text("overturned by the members' ballot: carried")
    expect(cal.locator("main")).to_contain_text("100% for")
    cal.goto(petition_url)
    expect(cal.locator(".outcome")).to_contain_text("carried by the members' ballot")
    register = cal.context.request.get(
        f"{server.url}/committees/accountable-committee/register.jsonl").text()
    assert '"status":"overturned"' in register.replace(" ", "")
