"""Reading the register: a decision's call-in window, and a committee's register."""

from __future__ import annotations

import datetime

from django.utils import timezone

from omov.committees.models import Decision


def call_in_ends(decision: Decision) -> datetime.date:
    """The last day members may call the decision in, per the rules in force when
    it was published (stored with the decision and in its register entry)."""
    return decision.call_in_ends


def call_in_open(decision: Decision, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return decision.status == "in_call_in" and today <= decision.call_in_ends
