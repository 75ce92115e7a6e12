"""One human format for every time the site shows: "Wed 2 Dec 2026, 14:00 GMT".

Times are shown in the zone Django has active for the request: the member's own
choice if they made one, else the organisation's (``OMOV_TIME_ZONE``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from omov.record.board import instant


def human_time(moment: datetime.datetime) -> str:
    """The moment in the active time zone, with the zone's name."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    zone = local.tzname() or ""
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} {zone}".rstrip()


def human_date(day: datetime.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def human_record_time(stamp: str) -> str:
    """A time as the public record writes it (ISO 8601 in UTC, "2026-12-02T14:00:00Z")."""
    return human_time(instant(stamp))


def human_time_in(moment: datetime.datetime, zone: str) -> str:
    """The moment in `zone` (a member's own choice, for their email), or, when `zone` is
    empty, in the organisation's."""
    with timezone.override(zone or settings.TIME_ZONE):
        return human_time(moment)


def human_date_in(moment: datetime.datetime, zone: str) -> str:
    with timezone.override(zone or settings.TIME_ZONE):
        return human_date(timezone.localdate(moment))
