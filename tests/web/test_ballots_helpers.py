"""Scenario helpers for the ballot tests: an election at each point of its timeline.

The people outside the server (credential authority, trustees, voters'
browsers) are played by `omov.ballots.simulation` with the deterministic
test generator.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.test import Client
from django.utils import timezone

from omov.ballots import simulation
from omov.ballots.actions import credentials, drafting
from omov.ballots.models import Ballot
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.transcript import TestRng
from omov.members.models import Member

from .helpers import client_for, member, organiser


@dataclass
class Election:
    ballot: Ballot
    organiser: Member
    authority: Member
    trustees: list[Member]
    voters: list[Member]
    rng: TestRng
    authority_machine: simulation.SimulatedAuthority | None = None
    states: dict[int, TrusteeState] = field(default_factory=dict)

    def refresh(self) -> Ballot:
        self.ballot.refresh_from_db()
        return self.ballot

    def code(self, voter: Member) -> str:
        assert self.authority_machine is not None
        return self.authority_machine.codes[voter.pk]

    def client(self, person: Member) -> Client:
        return client_for(person)


_serial = iter(range(1, 10_000))


def drafted(
    *,
    voters: int = 3,
    trustees: int = 3,
    threshold: int = 2,
    kinds: Sequence[str] = ("yes_no",),
    slug: str | None = None,
) -> Election:
    """A draft ballot with its questions and the authority's key, not yet published."""
    boss = organiser(f"Organiser {next(_serial)}")
    people = [member(f"Voter {n} {next(_serial)}") for n in range(voters)]
    keepers = [member(f"Trustee {n} {next(_serial)}") for n in range(trustees)]
    scrutineer = member(f"Scrutineer {next(_serial)}")
    now = timezone.now()
    ballot = drafting.create_ballot(
        slug=slug or f"vote-{next(_serial)}", title="Reverse the withdrawal of endorsement?",
        description="A vote of all members.", cut_off=now.date(), local_group=None,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(hours=1),
        threshold=threshold,
        trustees=[drafting.TrusteeInvite(f"Region {i + 1}", p.email)
                  for i, p in enumerate(keepers)],
        authority_email=scrutineer.email, authority_name="Independent scrutineer", by=boss,
    )
    for kind in kinds:
        options = ["Ann", "Bo", "Cy", "Di"] if kind not in ("yes_no", "yes_no_abstain") else []
        drafting.add_question(ballot, kind=kind, text=f"A {kind} question?", case_for="Because.",
                              case_against="Because not.", options=options, minimum=1,
                              maximum=2, by=boss)
    election = Election(ballot, boss, scrutineer, keepers, people, TestRng(b"ballot tests"))
    election.authority_machine = simulation.authority_key(ballot, election.rng)
    election.refresh()
    return election


def published(**kwargs: object) -> Election:
    election = drafted(**kwargs)  # type: ignore[arg-type]
    drafting.publish_manifest(election.ballot, by=election.organiser)
    election.refresh()
    return election


def opened(**kwargs: object) -> Election:
    """An open ballot: key ceremony done, roll on the board, codes held by the simulation."""
    election = published(**kwargs)
    election.states = simulation.key_ceremony(election.ballot, election.rng, by=election.organiser)
    election.refresh()
    assert election.authority_machine is not None
    simulation.issue_credentials(election.ballot, election.authority_machine, election.rng,
                                 mail=False)
    credentials.open_ballot(election.refresh(), by=election.organiser, now=timezone.now())
    election.refresh()
    return election


def closed(election: Election) -> Election:
    simulation.close_after(election.ballot, by=election.organiser)
    election.refresh()
    return election
