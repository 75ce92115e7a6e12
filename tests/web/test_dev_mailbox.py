"""The development mailbox and the demo's pointers into it: a newcomer finds their code."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client, override_settings

from omov.members.models import Member, Status
from omov.organisation.models import CommitteeMembership
from omov.web.mailbox.backend import DatabaseEmailBackend
from omov.web.mailbox.views import MESSAGES_PER_PAGE

DEBUG_SITE = override_settings(DEBUG=True, ROOT_URLCONF="tests.web.debug_urls")


def _store(to: str, subject: str) -> None:
    DatabaseEmailBackend().send_messages(
        [mail.EmailMessage(subject, "Hello", "omov@example.org", [to])]
    )


@DEBUG_SITE
def test_the_mailbox_finds_one_members_message_among_hundreds() -> None:
    _store("tariq.walsh@example.org", "Your voting code: the motion")
    for number in range(MESSAGES_PER_PAGE + 20):
        _store(f"member{number}@example.org", f"Code for member {number}")
    page = Client().get("/dev/mailbox/").content.decode()
    assert "Your voting code: the motion" not in page, "it is older than the first page"
    assert "Page 1 of 2" in page
    found = Client().get("/dev/mailbox/", {"q": "TARIQ.walsh"}).content.decode()
    assert "Your voting code: the motion" in found
    assert "1 message to an address containing" in found
    assert "Code for member" not in found


@DEBUG_SITE
def test_the_mailbox_pages_keep_the_search() -> None:
    for number in range(MESSAGES_PER_PAGE + 1):
        _store("same@example.org", f"Message {number}")
    first = Client().get("/dev/mailbox/", {"q": "same@"}).content.decode()
    assert "?q=same%40&amp;page=2" in first
    second = Client().get("/dev/mailbox/", {"q": "same@", "page": "2"}).content.decode()
    assert "Message 0<" in second and "Page 2 of 2" in second


@DEBUG_SITE
def test_the_demo_prints_each_persons_code_and_mail_and_seats_an_active_committee_member(
) -> None:
    from omov.demo.seed import DemoOptions, seed_demo

    lines = seed_demo(DemoOptions(members=80, random_seed=3)).lines
    text = "\n".join(lines)
    member_line = next(i for i, line in enumerate(lines) if line.startswith("Sign in as a member"))
    code = re.search(r"Voting code for .*: ([0-9A-Z-]{23})", lines[member_line + 1])
    assert code, text
    name = re.search(r"\((.+)\)", lines[member_line])
    assert name
    sample = Member.objects.get(name=name.group(1))
    assert lines[member_line + 2].endswith(f"/dev/mailbox/?q={sample.email.replace('@', '%40')}")
    mailed = [message.body for message in mail.outbox if sample.email in message.to]
    assert any(code.group(1) in body for body in mailed), "the printed code is the one mailed"

    committee_line = next(line for line in lines if line.startswith("Sign in as a committee"))
    seated_name = re.search(r"\((.+)\)", committee_line)
    assert seated_name
    seated = Member.objects.get(name=seated_name.group(1))
    assert seated.status == Status.ACTIVE
    assert CommitteeMembership.objects.current().filter(member=seated).exists()
    assert not seated.status_history.exclude(from_status="").exists(), "never lapsed"
    voting_line = lines[lines.index(committee_line) + 2]
    assert voting_line.strip().startswith("Voting code for"), "they may vote in the open ballot"
