"""The demo's petitions: Camden's open letter with about 40 signatures, many of them
not named, and a petition for a member ballot past its ballot threshold.

Built through the petitions actions, like everything in the demo.
"""

from __future__ import annotations

from omov.demo.seed import NATIONAL_COMMITTEE, DemoContext
from omov.members.models import Status
from omov.petitions import actions
from omov.petitions.models import Kind, Visibility

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
