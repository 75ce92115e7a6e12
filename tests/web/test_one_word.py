"""One word for one thing: members read "voting code" everywhere, never "credential code"
(docs/protocol.md keeps the protocol's name and says once what members call it)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omov.ballots import simulation
from omov.ballots.actions import credentials

from .helpers import client_for
from .test_ballots_helpers import published

ROOT = Path(__file__).resolve().parents[2]
MEMBER_FACING = [
    *sorted((ROOT / "omov").glob("**/templates/**/*.html")),
    *sorted((ROOT / "frontend" / "src" / "pages").glob("*.js")),
    ROOT / "docs" / "trustees.md",
    ROOT / "README.md",
]


def test_no_member_facing_text_says_credential_code() -> None:
    assert len(MEMBER_FACING) > 50
    offenders = [str(path.relative_to(ROOT)) for path in MEMBER_FACING
                 if re.search(r"credential\s+codes?", path.read_text(encoding="utf-8"), re.I)]
    assert offenders == []


def test_the_protocol_says_once_what_members_call_the_code() -> None:
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    assert "Members see the credential code as their **voting code**" in text


def test_the_booth_asks_for_the_voting_code() -> None:
    election = published(voters=1)
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    assert election.authority_machine is not None
    mail.outbox.clear()
    simulation.issue_credentials(election.refresh(), election.authority_machine, election.rng,
                                 mail=True)
    credentials.open_ballot(election.refresh(), by=election.organiser, now=timezone.now())
    voter = election.voters[0]
    page = client_for(voter).get(reverse("ballots:booth", args=[election.ballot.slug]))
    assert "Your voting code" in page.content.decode()
    [letter] = [m for m in mail.outbox if m.to == [voter.email]
                and str(m.subject).startswith("Your voting code")]
    assert f"/ballots/{election.ballot.slug}/vote/" in letter.body
    assert "Voting closes" in letter.body and "credential code" not in letter.body.lower()
