"""The rules of nominations that change nothing: words, months, eligibility, thresholds."""

from __future__ import annotations

import calendar
import datetime
import re

from omov.members.models import Member, Status

_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces."""
    return len(_WORD.findall(text))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day where it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def active_since(member: Member, day: datetime.date) -> datetime.date | None:
    """The start of the member's unbroken spell as an active member that includes `day`,
    read from the status history; None if they were not active on `day`."""
    changes = list(member.status_history.filter(effective_on__lte=day)
                   .order_by("effective_on", "id").values_list("to_status", "effective_on"))
    if not changes or changes[-1][0] != Status.ACTIVE:
        return None
    start = changes[-1][1]
    for status, effective_on in reversed(changes):
        if status != Status.ACTIVE:
            break
        start = effective_on
    return start


def eligibility_problem(member: Member, months: int, closes_on: datetime.date,
                        today: datetime.date) -> str | None:
    """Why `member` may not stand, or None: they must be active today, and have been
    active without a break since at least `months` months before nominations close."""
    since = active_since(member, today)
    if since is None:
        return f"{member.name} is not an active member, so cannot stand."
    needed = months_before(closes_on, months)
    if since > needed:
        return (f"{member.name} has been an active member since {since:%-d %B %Y}; a candidate "
                f"must have been one for at least {months} months when nominations close, "
                f"that is since {needed:%-d %B %Y} or earlier.")
    return None


def support_met(members: int, groups: int, members_needed: int, groups_needed: int) -> bool:
    """N supporting members, or M supporting local groups; a route whose number is 0 is
    not open; with both 0 no support is needed."""
    if members_needed == 0 and groups_needed == 0:
        return True
    return ((members_needed > 0 and members >= members_needed)
            or (groups_needed > 0 and groups >= groups_needed))
