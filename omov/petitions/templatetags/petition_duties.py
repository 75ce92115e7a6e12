"""`{% overdue_duties %}`: the petitions whose answer or forced ballot is overdue.

A template tag, so the committee and home pages show the petitions' duties
without the committees app importing petitions (petitions builds on committees).
"""

from __future__ import annotations

from typing import Any

from django import template

from omov.organisation.models import Committee
from omov.petitions import actions

register = template.Library()


@register.inclusion_tag("petitions/_overdue.html")
def overdue_duties(committee: Committee | None = None) -> dict[str, Any]:
    """Overdue answers and forced ballots: of one committee, or of every committee."""
    answers, ballots = actions.overdue_answers(), actions.overdue_ballots()
    if committee is not None:
        answers = [p for p in answers if p.committee_id == committee.pk]
        ballots = [p for p in ballots if p.committee_id == committee.pk]
    return {"answers": answers, "ballots": ballots, "committee": committee}
