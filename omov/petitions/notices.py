"""Who is told what when a petition sets off a duty: one place for every notice."""

from __future__ import annotations

from omov.organisation.models import CommitteeMembership
from omov.petitions.models import Petition
from omov.web.mail import send_email
from omov.web.times import human_time_in


def answer_due(petition: Petition) -> None:
    """Tell the committee's current members that they owe an answer, and by when (in each
    member's own time zone)."""
    recipients = list(CommitteeMembership.objects.current()
                      .filter(committee=petition.committee)
                      .values_list("member__email", "member__time_zone"))
    if not recipients or petition.answer_due is None:
        return
    for email, zone in recipients:  # through the outbox, in the caller's transaction
        due = human_time_in(petition.answer_due, zone)
        send_email(email, f"{petition.committee.name} must answer “{petition.title}” by {due}",
                   f"The petition “{petition.title}” reached its answer threshold. "
                   f"{petition.committee.name} must record its answer by {due}.")
