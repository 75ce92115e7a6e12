"""Template filters for times, built into every template: ``{{ ballot.opens_at|when }}``,
``{{ ballot.cut_off|day }}`` and, for a time the public record holds as text,
``{{ revocation.requested_at|record_when }}`` (see omov.web.times)."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from omov.web.times import human_date, human_record_time, human_time

register = template.Library()


@register.filter
def when(moment: datetime.datetime | None) -> str:
    return "" if moment is None else human_time(moment)


@register.filter
def record_when(stamp: str | None) -> str:
    """A time the public record holds, as `when` shows a moment."""
    return "" if not stamp else human_record_time(stamp)


@register.filter
def day(value: datetime.date | datetime.datetime | None) -> str:
    """A date; a moment's date in the active zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return human_date(value)


@register.simple_tag
def now_when() -> str:
    """The present moment, as `when` shows it."""
    return human_time(timezone.now())
