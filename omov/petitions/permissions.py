"""Who may do what with petitions: every rule of the domain in one place."""

from __future__ import annotations

from omov.accounts.roles import Role, roles_of
from omov.committees.permissions import is_secretary
from omov.members.models import Member, Status
from omov.organisation.models import Committee, CommitteeMembership
from omov.petitions.errors import NotAllowed
from omov.petitions.models import Petition


def require_active(member: Member, doing: str) -> None:
    """Only active members start, sign or withdraw."""
    if member.status != Status.ACTIVE:
        raise NotAllowed(f"Only active members may {doing}; your membership is "
                         f"{Status(member.status).label.lower()}.")


def require_organiser(member: Member | None, doing: str) -> None:
    """Hiding an abusive petition is for organisers only (and needs a published reason)."""
    if member is None or Role.ORGANISER not in roles_of(member):
        raise NotAllowed(f"Only organisers may {doing}.")


def may_draft_ballot(member: Member | None, petition: Petition) -> bool:
    """An organiser, while the petition's forced ballot is owed and not yet drafted."""
    return (member is not None and Role.ORGANISER in roles_of(member)
            and petition.ballot_due is not None and petition.forced_ballot_id is None)


def may_see_name(viewer: Member | None, visibility: str) -> bool:
    """Public names: anyone. Members-only names: signed-in members. Counted: nobody, ever."""
    if visibility == "public":
        return True
    if visibility == "members":
        return viewer is not None and viewer.status == Status.ACTIVE
    return False


def speaks_for(member: Member | None, committee: Committee) -> bool:
    """A current member or the secretary of the committee: may record its answer."""
    return member is not None and (is_secretary(member, committee) or CommitteeMembership.objects
                                   .current().filter(committee=committee, member=member).exists())


def require_committee_member(
    member: Member, committee: Committee, doing: str = "record its answer"
) -> None:
    """Only a current member, or the secretary, of the addressed committee speaks for it."""
    if not speaks_for(member, committee):
        raise NotAllowed(f"Only members of {committee.name} or its secretary may {doing}.")
