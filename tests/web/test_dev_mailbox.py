"""The development mailbox and the demo's pointers into it: a newcomer finds their code."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from omov.ballots import simulation
from omov.ballots.models import Phase
from omov.commands.credentials_mail import grouped
from omov.crypto.credentials import normalise_code
from omov.members.models import Member, Status
from omov.organisation.models import CommitteeMembership
from omov.web.mailbox.backend import DatabaseEmailBackend
from omov.web.mailbox.models import StoredEmail
from omov.web.mailbox.views import MESSAGES_PER_PAGE

from .test_ballots_helpers import Election, published

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


@DEBUG_SITE
def test_the_mailbox_takes_a_posted_message_and_refuses_anything_else() -> None:
    message = mail.EmailMessage("Your voting code: T", "Your code is X", "s@example.org",
                                ["ada@example.org"]).message().as_bytes()
    response = Client().post("/dev/mailbox/deliver/", message, content_type="message/rfc822")
    assert response.status_code == 201
    assert StoredEmail.objects.get().to == "ada@example.org"
    assert "Your code is X" in StoredEmail.objects.get().body
    assert Client().post("/dev/mailbox/deliver/", {"to": "a@example.org"}).status_code == 415
    assert Client().post("/dev/mailbox/deliver/", b"Subject: none\n\nhi",
                         content_type="message/rfc822").status_code == 400


def test_outside_debug_mode_nothing_takes_messages() -> None:
    message = b"To: a@example.org\nSubject: x\n\nhi"
    assert Client().post("/dev/mailbox/deliver/", message,
                         content_type="message/rfc822").status_code == 404
    assert not StoredEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_credentials_mail_via_omov_delivers_every_code_to_the_demo_mailbox(
    live_server: Any, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from omov.cli import main
    from tests.cli.test_credentials_commands import ROLL, Authority

    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.web.debug_urls"
    authority = Authority(tmp_path)
    assert authority.generate(ROLL) == 0
    arguments = [
        "credentials", "mail", str(authority.private), "--record", str(authority.record),
        "--public-roll", str(authority.public), "--from", "scrutineer@example.org",
        "--election-title", "Demo codes",
    ]
    assert main([*arguments, "--via-omov", live_server.url]) == 0
    assert "Sent 2 of 2" in capsys.readouterr().out
    stored = {row.to: row for row in StoredEmail.objects.all()}
    assert set(stored) == {"ada@example.org", "grace@example.org"}
    code = next(r["code"] for r in authority.private_rows() if r["email"] == "ada@example.org")
    assert grouped(normalise_code(code)) in stored["ada@example.org"].body
    assert stored["ada@example.org"].subject == "Your voting code: Demo codes"

    assert main(arguments) == 2, "a mail server or the demo must be named"
    settings.DEBUG = False
    settings.ROOT_URLCONF = "omov.web.urls"
    assert main([*arguments, "--via-omov", live_server.url]) == 2
    assert "needs an omov demo" in capsys.readouterr().err


def _at_credentials_step() -> Election:
    election = published()
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    election.refresh()
    return election


@DEBUG_SITE
def test_in_the_demo_the_authority_page_says_how_to_deliver_codes_to_the_mailbox() -> None:
    election = _at_credentials_step()
    page = election.client(election.authority).get(
        reverse("ballots:authority", args=[election.ballot.slug])).content.decode()
    assert "This is a demo without a mail server" in page
    assert f"omov credentials mail --via-omov {settings.OMOV_BASE_URL} --record" in page


def test_outside_the_demo_the_authority_page_names_only_a_mail_server() -> None:
    election = _at_credentials_step()
    page = election.client(election.authority).get(
        reverse("ballots:authority", args=[election.ballot.slug])).content.decode()
    assert "--smtp-host" in page
    assert "--via-omov" not in page


@DEBUG_SITE
def test_once_the_roll_is_on_the_board_the_authority_page_still_says_how_to_send_the_codes(
) -> None:
    """The codes are mailed after the roll is uploaded (the mail command checks them against
    the record), so the step stays on the page, with the demo's mailbox line, until voting."""
    election = _at_credentials_step()
    assert election.authority_machine is not None
    simulation.issue_credentials(election.ballot, election.authority_machine, election.rng,
                                 mail=False)
    assert election.refresh().phase == Phase.READY
    page = election.client(election.authority).get(
        reverse("ballots:authority", args=[election.ballot.slug])).content.decode()
    assert "Send the members their codes" in page
    assert f"--time-zone {settings.TIME_ZONE} {election.ballot.slug}-credentials" in page
    assert f"omov credentials mail --via-omov {settings.OMOV_BASE_URL} --record" in page
    assert "Replace a lost code" not in page, "revocations belong to an open ballot"
