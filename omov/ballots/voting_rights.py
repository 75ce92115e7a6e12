"""Why a member may not vote in a ballot, in words that say what they can do."""

from __future__ import annotations

from omov.ballots.models import Ballot
from omov.members.models import Member, Status
from omov.web.times import human_date


def why_not(ballot: Ballot, member: Member, *, is_elector: bool | None = None) -> str | None:
    """None if the member may vote now; else the reason and what they can do."""
    if is_elector is None:
        is_elector = ballot.electors.filter(member=member).exists()
    if not is_elector:
        where = f" in {ballot.local_group.name}" if ballot.local_group else ""
        return (f"You cannot vote in this ballot: only members active{where} on the cut-off "
                f"date, {human_date(ballot.cut_off)}, may vote, and you were not. If you think "
                "the roll is wrong, ask an organiser.")
    if member.status != Status.ACTIVE:
        return (f"You cannot vote now: your membership is {Status(member.status).label.lower()}, "
                "and only members in good standing may vote. You can ask to rejoin on your "
                "membership page; once an organiser approves it, you can vote while the ballot "
                "is open.")
    return None
