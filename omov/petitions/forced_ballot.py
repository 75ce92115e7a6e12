"""The forced member ballot: owed once a ballot threshold is reached, built by the ballots app.

The petition supplies the question, its case for, the committee's case
against and the eligibility cut-off; organisers add the trustees and the
credential authority and must open it by `ballot_due`. The ballots app has no
way to cancel a ballot, so once drafted it can only go ahead.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.actions import drafting
from omov.ballots.actions.drafting import TrusteeInvite
from omov.ballots.models import Ballot
from omov.constitution.queries import rules_in_force
from omov.members.models import Member
from omov.petitions import permissions
from omov.petitions.errors import PetitionError
from omov.petitions.models import Petition
from omov.web.times import human_time


def owe_ballot(petition: Petition, now: datetime.datetime) -> None:
    """Set the deadline by which the forced ballot must open (rules in force at the start)."""
    rules = rules_in_force(petition.created_at)
    petition.ballot_due = now + datetime.timedelta(days=rules.forced_ballot_open_days)
    petition.save(update_fields=["ballot_due"])


@transaction.atomic
def draft_forced_ballot(
    petition: Petition, *, by: Member, trustees: Sequence[TrusteeInvite], threshold: int,
    authority_email: str, authority_name: str, opens_at: datetime.datetime,
    closes_at: datetime.datetime,
) -> Ballot:
    """Draft the ballot the petition forced, through the ballots app's own actions."""
    permissions.require_organiser(by, "draft a forced ballot")
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.ballot_due is None:
        raise PetitionError("This petition has not forced a ballot.")
    if petition.forced_ballot_id is not None:
        raise PetitionError("The forced ballot is already drafted.")
    if opens_at > petition.ballot_due:
        raise PetitionError(f"The forced ballot must open by "
                            f"{human_time(petition.ballot_due)}.")
    ballot = drafting.create_ballot(
        slug=f"{petition.slug}-ballot", title=petition.title,
        description=f"Forced by the members' petition “{petition.title}”.",
        cut_off=timezone.now().date(), local_group=None, opens_at=opens_at,
        closes_at=closes_at, threshold=threshold, trustees=trustees,
        authority_email=authority_email, authority_name=authority_name, by=by,
    )
    drafting.add_question(
        ballot, kind=petition.question_kind, text=petition.title, case_for=petition.text,
        case_against=petition.case_against, options=petition.question_options,
        minimum=petition.question_minimum, maximum=petition.question_maximum, by=by,
    )
    petition.forced_ballot = ballot
    petition.save(update_fields=["forced_ballot"])
    record("draft_forced_ballot", actor=by, subject=petition, public=True,
           summary=f"{by.name} drafted the ballot forced by “{petition.title}”, "
                   f"to open by {human_time(petition.ballot_due)}")
    return ballot
