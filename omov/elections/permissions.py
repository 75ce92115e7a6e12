"""Who may do what in an election: every rule of the domain in one place."""

from __future__ import annotations

import datetime

from omov.accounts.roles import Role, roles_of
from omov.elections.errors import ElectionError, NotAllowed
from omov.elections.models import Election, Nomination, Stage
from omov.members.models import Member, Status


def is_organiser(member: Member | None) -> bool:
    return member is not None and Role.ORGANISER in roles_of(member)


def require_organiser(member: Member | None, doing: str) -> None:
    if not is_organiser(member):
        raise NotAllowed(f"Only organisers may {doing}.")


def require_active(member: Member, doing: str) -> None:
    if member.status != Status.ACTIVE:
        raise NotAllowed(f"Only active members may {doing}; your membership is "
                         f"{Status(member.status).label.lower()}.")


def in_electorate(member: Member, election: Election) -> bool:
    """Every active member, or only the election's local group's."""
    return election.local_group_id is None or member.local_group_id == election.local_group_id


def require_electorate(member: Member, election: Election, doing: str) -> None:
    require_active(member, doing)
    if not in_electorate(member, election):
        assert election.local_group is not None
        raise NotAllowed(f"Only members of {election.local_group.name} may {doing} in this "
                         "election.")


def require_nominations_open(election: Election, now: datetime.datetime) -> None:
    """Nominating, supporting, accepting and statements: only while nominations are open."""
    if election.stage != Stage.NOMINATIONS or now >= election.nominations_close_at:
        raise ElectionError("Nominations for this election have closed.")
    if now < election.nominations_open_at:
        raise ElectionError("Nominations for this election have not opened yet.")


def require_nominee(member: Member, nomination: Nomination, doing: str) -> None:
    if member.pk != nomination.nominee_id:
        raise NotAllowed(f"Only {nomination.nominee.name}, the nominee, may {doing}.")


def nominations_open(election: Election, now: datetime.datetime) -> bool:
    try:
        require_nominations_open(election, now)
    except ElectionError:
        return False
    return True


def before_ballot_opens(election: Election) -> bool:
    """No ballot yet, or one that has not opened (the ballots app opens it at its opening
    time): a candidate may still withdraw."""
    from omov.ballots.models import UNOPENED

    ballot = election.ballot
    return ballot is None or ballot.phase in UNOPENED
