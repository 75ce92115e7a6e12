"""Demo seed step: one finished ballot with a published, verified result, and
one open ballot that the demo's members can vote in.

Seeding is not the production path: the credential authority, the trustees
and the finished ballot's voters are simulated here, server-side, by
`omov.ballots.simulation` (an explicit stand-in for the authority's own
machine and the trustees' browsers).
"""

from __future__ import annotations

import datetime
import random

from django.urls import reverse
from django.utils import timezone

from omov.ballots import board, simulation
from omov.ballots.actions import counting, credentials, drafting, schedule
from omov.ballots.models import Ballot
from omov.crypto.dkg_messages import TrusteeState
from omov.crypto.transcript import SystemRng
from omov.demo.seed import DemoContext
from omov.members.models import Member, Status
from omov.web.mail import absolute_url

FINISHED_VOTERS = 60


def _organiser(context: DemoContext) -> Member:
    assert context.organiser is not None, "the organiser step runs first"
    return context.organiser


def _people(context: DemoContext) -> tuple[list[Member], Member]:
    active = [m for m in context.members
              if m.status == Status.ACTIVE and m not in (context.organiser, context.sample_member)]
    return active[:3], active[3]


def _draft(context: DemoContext, *, slug: str, title: str, description: str,
           opens_at: datetime.datetime, closes_at: datetime.datetime,
           cut_off: datetime.date) -> Ballot:
    trustees, authority = _people(context)
    return drafting.create_ballot(
        slug=slug, title=title, description=description, cut_off=cut_off, local_group=None,
        opens_at=opens_at, closes_at=closes_at, threshold=2,
        trustees=[drafting.TrusteeInvite(name, person.email) for name, person in
                  zip(("North region", "South region", "Scotland"), trustees, strict=True)],
        authority_email=authority.email, authority_name="Independent scrutineer",
        by=_organiser(context),
    )


def _prepare(
    context: DemoContext, ballot: Ballot, rng: SystemRng, *, mail: bool,
    opened_at: datetime.datetime,
) -> tuple[simulation.SimulatedAuthority, dict[int, TrusteeState]]:
    """Publishes, runs the simulated key ceremony and credential step, and opens."""
    authority = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=_organiser(context))
    ballot.refresh_from_db()
    states = simulation.key_ceremony(ballot, rng, by=_organiser(context))
    ballot.refresh_from_db()
    simulation.issue_credentials(ballot, authority, rng, mail=mail)
    credentials.open_ballot(ballot, by=_organiser(context), now=opened_at)
    ballot.refresh_from_db()
    return authority, states


def seed_finished_ballot(context: DemoContext) -> None:
    now = timezone.now()
    opens_at, closes_at = now - datetime.timedelta(days=10), now - datetime.timedelta(days=3)
    ballot = _draft(
        context, slug="2026-endorsement-vote", title="Reverse the withdrawal of endorsement?",
        description="The committee withdrew its endorsement of a candidate. Members decide.",
        opens_at=opens_at, closes_at=closes_at, cut_off=context.days_ago(20),
    )
    drafting.add_question(
        ballot, kind="yes_no", text="Should the endorsement be restored?",
        case_for="The candidate was chosen by the members; a committee should not overrule them.",
        case_against="New information came to light that the members had not seen.",
        options=[], minimum=1, maximum=1, by=_organiser(context),
    )
    rng = SystemRng()
    # An election in the past: its board is stamped with the times it would have had.
    with board.simulated_clock(opens_at):
        authority, states = _prepare(context, ballot, rng, mail=False,
                                     opened_at=opens_at + datetime.timedelta(minutes=1))
        chooser = random.Random(context.options.random_seed)
        voters = list(ballot.electors.select_related("member"))[:FINISHED_VOTERS]
        for number, elector in enumerate(voters):
            yes = chooser.random() < 0.62
            simulation.vote(ballot, elector.member, authority.codes[elector.member_id],
                            [[1, 0] if yes else [0, 1]], rng,
                            now=opens_at + datetime.timedelta(hours=1 + number))
        ballot.refresh_from_db()
        counting.close_ballot(ballot, by=_organiser(context),
                              now=closes_at + datetime.timedelta(minutes=1))
        simulation.decrypt(ballot, states, rng, trustees=[1, 2])
        ballot.refresh_from_db()
        counting.publish_result(ballot, by=_organiser(context))
    schedule.run_pending_verifications()
    context.notes.append(
        f"Finished ballot with a verified result: {len(voters)} simulated votes "
        f"(/ballots/{ballot.slug}/results/)."
    )


def seed_open_ballot(context: DemoContext) -> None:
    now = timezone.now()
    ballot = _draft(
        context, slug="2026-conference-delegates", title="Conference delegates and the motion",
        description="Elect two delegates to the national conference, and decide the motion.",
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        cut_off=context.days_ago(1),
    )
    drafting.add_question(
        ballot, kind="block", text="Elect two delegates to the national conference",
        case_for="", case_against="", options=["Amira Khan", "Ben Taylor", "Chloe Evans",
                                               "Dev Patel"],
        minimum=0, maximum=2, by=_organiser(context),
    )
    drafting.add_question(
        ballot, kind="yes_no_abstain", text="Should the organisation hold an online vote of "
        "all members on every endorsement decision?",
        case_for="Members, not a committee, should decide who we endorse.",
        case_against="Votes on every decision are slow and costly.",
        options=[], minimum=1, maximum=1, by=_organiser(context),
    )
    authority, _ = _prepare(context, ballot, SystemRng(), mail=True, opened_at=now)
    trustee = ballot.trustees.select_related("member").first()
    assert trustee is not None
    context.sign_in_as.append(("a trustee", trustee.member))
    context.sign_in_as.append(("the credential authority", ballot.authority))
    page = absolute_url(reverse("ballots:authority", args=[ballot.slug]))
    context.tell(ballot.authority, f"Credential authority of “{ballot.title}” (the demo made its "
                 f"codes; on a ballot you draft, they make them): {page}")
    for _, person in context.sign_in_as:
        code = authority.codes.get(person.pk)
        if code is not None:
            context.tell(person, f"Voting code for “{ballot.title}”: {code}")
    context.notes.append(
        f"Open ballot: /ballots/{ballot.slug}/ — each member's voting code was emailed "
        "(see the mailbox); the credential authority and trustees are simulated."
    )


def seed_ballots(context: DemoContext) -> None:
    """The seed step registered with the demo: both ballots."""
    seed_finished_ballot(context)
    seed_open_ballot(context)
