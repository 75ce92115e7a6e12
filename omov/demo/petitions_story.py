"""The demo's petitions: Camden's open letter with about 40 signatures, many of them
not named; a petition for a member ballot past its ballot threshold; and the call-in of
the officer group's emergency decision, past its threshold, whose forced member ballot
is open for voting.

Built through the petitions actions, like everything in the demo.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from omov.ballots import simulation
from omov.ballots.actions import credentials, drafting
from omov.ballots.models import Ballot
from omov.committees.models import Decision
from omov.crypto.transcript import SystemRng
from omov.demo.seed import NATIONAL_COMMITTEE, OFFICER_GROUP, DemoContext
from omov.members.models import Member, Status
from omov.petitions import actions, call_in, forced_ballot
from omov.petitions.models import Kind, Petition, Visibility

_VISIBILITY_MIX = (Visibility.PUBLIC, Visibility.MEMBERS, Visibility.COUNTED, Visibility.COUNTED)


def seed_petitions(context: DemoContext) -> None:
    """Camden's open letter and a ballot petition, each signed by active members."""
    committee = context.committees.get(NATIONAL_COMMITTEE)
    active = [m for m in context.members if m.status == Status.ACTIVE]
    camden = [m for m in active if m.local_group_id == context.groups["Camden"].pk]
    if committee is None or not camden:
        return
    letter = actions.open_petition(
        by=camden[0], kind=Kind.OPEN_LETTER,
        title="Open letter from Camden: restore the endorsement",
        text="The officer group withdrew the endorsement between meetings, with three of its "
             "four members present. We ask the national committee to reverse that decision "
             "at a full meeting and to publish how each member voted.",
        committee=committee)
    signers = (camden + [m for m in active if m not in camden])[:40]
    for index, person in enumerate(signers):
        actions.sign_petition(letter, by=person,
                              visibility=_VISIBILITY_MIX[index % len(_VISIBILITY_MIX)])
    ballot = actions.open_petition(
        by=signers[1], kind=Kind.BALLOT_PETITION,
        title="Should the endorsement be restored?",
        text="The members, not four officers, should decide whom the movement endorses.",
        committee=committee)
    needed = max(ballot.thresholds.values())
    for index, person in enumerate(active[:needed]):
        actions.sign_petition(ballot, by=person,
                              visibility=_VISIBILITY_MIX[index % len(_VISIBILITY_MIX)])
    context.notes.append(f"Petitions: Camden's open letter ({len(signers)} signatures) and a "
                         f"ballot petition past its threshold ({needed} signatures, a forced "
                         "ballot owed).")


def seed_call_in(context: DemoContext) -> None:
    """Members call in the officer group's emergency decision; the ballot it forced is open."""
    officers = context.committees.get(OFFICER_GROUP)
    decision = Decision.objects.filter(committee=officers, status="in_call_in").first()
    organiser = context.organiser
    if officers is None or decision is None or organiser is None:
        return
    active = [m for m in context.members if m.status == Status.ACTIVE
              and m not in (context.organiser, context.sample_member)]
    petition = call_in.open_call_in(
        by=active[-1], decision=decision,
        text="Three of the four officers withdrew an endorsement the full committee made by "
             "roll call. A decision this large belongs to the members: we call it in.")
    needed = petition.thresholds["call_in"]
    for index, person in enumerate(active[-needed - 5:]):
        actions.sign_petition(petition, by=person,
                              visibility=_VISIBILITY_MIX[index % len(_VISIBILITY_MIX)])
    petition.refresh_from_db()
    ballot = _forced_ballot(petition, organiser, active)
    decision.refresh_from_db()
    context.notes.append(
        f"Call-in: “{petition.title}” has {needed + 5} signatures (threshold {needed}); the "
        f"decision is {decision.get_status_display().lower()}, and the forced ballot "
        f"/ballots/{ballot.slug}/ is open for voting (codes in the mailbox).")


def _forced_ballot(petition: Petition, organiser: Member, active: list[Member]) -> Ballot:
    """The organiser drafts the forced ballot; the authority and trustees are simulated."""
    now = timezone.now()
    trustees, authority = active[:3], active[3]
    ballot = forced_ballot.draft_forced_ballot(
        petition, by=organiser, threshold=2,
        trustees=[drafting.TrusteeInvite(name, person.email) for name, person in
                  zip(("North region", "South region", "Scotland"), trustees, strict=True)],
        authority_email=authority.email, authority_name="Independent scrutineer",
        opens_at=now - datetime.timedelta(minutes=5), closes_at=now + datetime.timedelta(days=14))
    rng = SystemRng()
    key = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=organiser)
    ballot.refresh_from_db()
    simulation.key_ceremony(ballot, rng, by=organiser)
    ballot.refresh_from_db()
    simulation.issue_credentials(ballot, key, rng, mail=True)
    return credentials.open_ballot(ballot, by=organiser, now=now)
