"""Whether a member's move to another local group could change who may vote in a ballot.

A local group's ballot reads each member's group as it stood on its cut-off
date (the group history). Until that date has passed, a move into or out of
the group would change its electors, so a member's own move is refused then:
nobody joins a group just to vote in its ballot.
"""

from __future__ import annotations

import datetime

from omov.ballots.models import Ballot, Phase
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.web.times import human_date

_SETTLED = (Phase.WITHDRAWN, Phase.CLOSED, Phase.TALLIED, Phase.PUBLISHED)


def ballot_refuses_move(member: Member, new_group: LocalGroup | None,
                        day: datetime.date) -> str | None:
    groups = [pk for pk in (member.local_group_id, new_group.pk if new_group else None) if pk]
    pending = (Ballot.objects.filter(local_group_id__in=groups, cut_off__gte=day)
               .exclude(phase__in=_SETTLED).select_related("local_group")
               .order_by("cut_off").first())
    if pending is None or pending.local_group is None:
        return None
    return (f"The ballot “{pending.title}” of {pending.local_group.name} takes its roll on "
            f"{human_date(pending.cut_off)}; until that date has passed, members cannot move "
            f"into or out of {pending.local_group.name}.")
