"""A member posts, replies, reacts and reports; a moderator hides the comment with a reason."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, Browser, LiveServer, expect, sign_in

pytestmark = pytest.mark.browser

ADD_PEOPLE = """
from omov.web.bootstrap import setup_django
setup_django(debug=True)
import datetime
from django.utils import timezone
from omov.accounts.actions import grant_role
from omov.accounts.models import GrantedRole
from omov.members import actions
joined = timezone.localdate() - datetime.timedelta(days=100)
for number, name in ((90, "Dana Discusser"), (91, "Milo Moderator"), (92, "Rae Reader")):
    person = actions.add_member(membership_number=f"D{number}", name=name,
        email=name.split()[0].lower() + "@example.org", local_group=None,
        joined_on=joined, by=None)
    if name == "Milo Moderator":
        grant_role(person, GrantedRole.MODERATOR, by=None)
"""


def test_post_reply_react_report_and_a_moderator_hides(
    browser: Browser, omov_server: LiveServer
) -> None:
    subprocess.run([sys.executable, "-c", ADD_PEOPLE], env=omov_server.env, cwd=ROOT, check=True)
    thread = f"{omov_server.url}/ballots/e2e-vote/"

    dana = sign_in(browser, omov_server, "dana@example.org")
    dana.goto(thread)
    expect(dana.get_by_text("Reactions are not votes.")).to_be_visible()
    dana.get_by_label("Your comment").fill("Was it a *full* meeting? <script>alert(1)</script>")
    dana.get_by_role("button", name="Post").click()
    expect(dana.locator(".comment-body em", has_text="full")).to_be_visible()
    expect(dana.get_by_text("<script>alert(1)</script>")).to_be_visible()

    rae = sign_in(browser, omov_server, "rae@example.org")
    rae.goto(thread)
    rae.get_by_label("Reply to Dana Discusser").fill("No: four of nine were absent.")
    rae.get_by_role("button", name="Reply").first.click()
    expect(rae.locator(".replies .comment-body", has_text="four of nine")).to_be_visible()
    top = rae.locator(".comment").first
    top.get_by_role("button", name="Agree 0").first.click()
    agreed = rae.locator(".comment").first.get_by_role("button", name="Agree 1").first
    expect(agreed).to_be_visible()
    rae.locator(".comment").first.get_by_role("link", name="Report").first.click()
    rae.get_by_label("Why should a moderator look at this?").fill("Misleading about the meeting")
    rae.get_by_role("button", name="Report").click()
    expect(rae.get_by_text("a moderator will look at your report")).to_be_visible()

    milo = sign_in(browser, omov_server, "milo@example.org")
    milo.goto(f"{omov_server.url}/discussion/reports/")
    expect(milo.get_by_text("Misleading about the meeting")).to_be_visible()
    milo.get_by_role("link", name="Hide").first.click()
    milo.get_by_label("Reason").fill("Off topic: see the committee register")
    milo.get_by_role("button", name="Hide").click()
    expect(milo.get_by_text("Hidden by a moderator: Off topic: see the committee register")
           ).to_be_visible()

    rae.goto(thread)
    expect(rae.get_by_text("Hidden by a moderator: Off topic")).to_be_visible()
    expect(rae.locator(".replies .comment-body", has_text="four of nine")).to_be_visible()
    expect(rae.get_by_text("Was it a")).to_have_count(0)
    rae.goto(f"{omov_server.url}/discussion/moderation/")
    expect(rae.get_by_role("cell", name="Off topic: see the committee register")).to_be_visible()
