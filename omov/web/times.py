"""One human format for every time the site shows: "Wed 2 Dec 2026, 14:00 GMT".

Times are shown in the zone Django has active for the request: the member's own
choice if they made one, else the organisation's (``OMOV_TIME_ZONE``).
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def human_time(moment: datetime.datetime) -> str:
    """The moment in the active time zone, with the zone's name."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    zone = local.tzname() or ""
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} {zone}".rstrip()


def human_date(day: datetime.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
