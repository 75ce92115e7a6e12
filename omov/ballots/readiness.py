"""Warnings for the organiser when a ballot's opening time is near and it is not ready."""

from __future__ import annotations

import datetime

from omov.ballots.models import Ballot, Phase
from omov.web.times import human_time

WARN_BEFORE = datetime.timedelta(hours=48)
"""How long before the opening time the pages start to warn."""

_NOT_DONE = {
    Phase.DRAFT: "the manifest is not published, so neither the key ceremony nor the "
    "credentials have started",
    Phase.KEY_CEREMONY: "the trustees have not finished the key ceremony",
    Phase.CREDENTIALS: "the credential authority has not issued the credentials",
}


def _how_long(left: datetime.timedelta) -> str:
    hours = int(left.total_seconds() // 3600)
    if hours >= 1:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, int(left.total_seconds() // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def opening_warnings(ballot: Ballot, now: datetime.datetime) -> list[str]:
    """What the organiser must hear: the ballot opens soon (or should have) and a step
    that must come first is not done, with what they can do about it."""
    missing = _NOT_DONE.get(Phase(ballot.phase))
    if missing is None:
        return []
    left = ballot.opens_at - now
    if left > WARN_BEFORE:
        return []
    remedy = ("change its times below" if ballot.phase == Phase.DRAFT
              else "re-issue it with new times, or withdraw it")
    if left <= datetime.timedelta(0):
        return [f"The opening time ({human_time(ballot.opens_at)}) has passed but {missing}: "
                f"the ballot cannot open until that is done. You can {remedy}."]
    return [f"The ballot opens in {_how_long(left)} ({human_time(ballot.opens_at)}) but "
            f"{missing}. If that cannot be done in time, {remedy}."]
