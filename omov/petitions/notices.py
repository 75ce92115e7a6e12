"""Who is told what when a petition sets off a duty: one place for every notice."""

from __future__ import annotations

from omov.organisation.models import CommitteeMembership
from omov.petitions.models import Petition
from omov.web.mail import send_email


def answer_due(petition: Petition) -> None:
    """Tell the committee's current members that they owe an answer, and by when."""
    emails = list(CommitteeMembership.objects.current()
                  .filter(committee=petition.committee)
                  .values_list("member__email", flat=True))
    if not emails or petition.answer_due is None:
        return
    due = petition.answer_due.strftime("%d %B %Y")
    subject = f"{petition.committee.name} must answer “{petition.title}” by {due}"
    body = (f"The petition “{petition.title}” reached its answer threshold. "
            f"{petition.committee.name} must record its answer by {due}.")
    for email in emails:  # through the outbox, in the caller's transaction
        send_email(email, subject, body)
