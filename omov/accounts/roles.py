"""Who may do what: the roles of the person making a request, and view decorators.

Every view declares the role it needs with one of the decorators here. An
anonymous visitor is sent to the sign-in page; a signed-in person without the
role gets 403 Forbidden.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    from omov.members.models import Member


class Role(enum.Enum):
    """What a signed-in person may do.

    ON_ROLL is anyone on the roll who has signed in, whatever their status (a
    cancelled member still reaches their own page to ask to rejoin). MEMBER is
    a member in good standing (status active): petitions, discussion, votes.
    """

    ON_ROLL = "on_roll"
    MEMBER = "member"
    ORGANISER = "organiser"
    COMMITTEE_MEMBER = "committee_member"
    TRUSTEE = "trustee"
    CREDENTIAL_AUTHORITY = "credential_authority"
    MODERATOR = "moderator"


ROLE_WORDS: dict[Role, str] = {
    Role.ON_ROLL: "people on the membership roll",
    Role.MEMBER: "members in good standing (active)",
    Role.ORGANISER: "organisers",
    Role.COMMITTEE_MEMBER: "committee members",
    Role.TRUSTEE: "the ballot's trustees",
    Role.CREDENTIAL_AUTHORITY: "the ballot's credential authority",
    Role.MODERATOR: "discussion moderators",
}
"""How a 403 page names the people a page is for."""

_ROLES_ATTRIBUTE = "_omov_roles"

RoleSource = Callable[["Member"], Iterable[Role]]
_role_sources: list[RoleSource] = []


def register_role_source(source: RoleSource) -> None:
    """Lets another app grant roles from its own data.

    E.g. the ballots app can say a member is a TRUSTEE while they hold a key
    share of an open ballot. Call from `AppConfig.ready`; `roles_of` asks every
    source on each request.
    """
    if source not in _role_sources:
        _role_sources.append(source)


def member_for_request(request: HttpRequest) -> Member | None:
    """The signed-in member, or None for anonymous visitors and non-member staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from omov.members.models import Member

    try:
        return Member.objects.select_related("local_group").get(user=user)
    except Member.DoesNotExist:
        return None


def roles_of(member: Member | None) -> frozenset[Role]:
    """Every role a member holds now."""
    if member is None:
        return frozenset()
    from omov.accounts.models import RoleGrant
    from omov.members.models import Status
    from omov.organisation.models import CommitteeMembership

    roles = {Role.ON_ROLL}
    if member.status == Status.ACTIVE:
        roles.add(Role.MEMBER)
    granted = RoleGrant.objects.filter(member=member, revoked_at__isnull=True)
    roles.update(Role(value) for value in granted.values_list("role", flat=True))
    if CommitteeMembership.objects.current().filter(member=member).exists():
        roles.add(Role.COMMITTEE_MEMBER)
    for source in _role_sources:
        roles.update(source(member))
    return frozenset(roles)


def roles_for_request(request: HttpRequest) -> frozenset[Role]:
    """The requester's roles, computed once per request."""
    cached = getattr(request, _ROLES_ATTRIBUTE, None)
    if cached is None:
        member = member_for_request(request)
        cached = roles_of(member)
        setattr(request, _ROLES_ATTRIBUTE, cached)
        request.member = member  # type: ignore[attr-defined]
    return cast(frozenset[Role], cached)


def has_role(request: HttpRequest, role: Role) -> bool:
    return role in roles_for_request(request)


def current_member(request: HttpRequest) -> Member:
    """The signed-in member; only call inside a view guarded by a decorator here."""
    roles_for_request(request)
    member: Member | None = getattr(request, "member", None)
    if member is None:
        raise PermissionDenied("Sign in as a member first.")
    return member


ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponseBase])


def role_required(*allowed: Role) -> Callable[[ViewFunction], ViewFunction]:
    """Lets the request through if the requester holds any of `allowed`."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            roles = roles_for_request(request)
            if not roles.intersection(allowed):
                raise PermissionDenied(
                    "This page is for " + " or ".join(ROLE_WORDS[role] for role in allowed)
                    + ", and you are not one."
                )
            return view(request, *args, **kwargs)

        guarded.omov_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return cast(ViewFunction, guarded)

    return decorator


on_roll_required = role_required(Role.ON_ROLL)
member_required = role_required(Role.MEMBER)
organiser_required = role_required(Role.ORGANISER)
committee_member_required = role_required(Role.COMMITTEE_MEMBER)
trustee_required = role_required(Role.TRUSTEE)
credential_authority_required = role_required(Role.CREDENTIAL_AUTHORITY)
moderator_required = role_required(Role.MODERATOR)


def public(view: ViewFunction) -> ViewFunction:
    """Marks a view as open to anyone, including anonymous visitors.

    It changes nothing at request time; it records the decision, so a test can
    check that every routed view either is public or requires a role.
    """
    view.omov_public = True  # type: ignore[attr-defined]
    return view


def declared_access(view: Callable[..., Any]) -> frozenset[Role] | None:
    """The roles a view requires; an empty set for public views; None if undeclared."""
    if getattr(view, "omov_public", False):
        return frozenset()
    roles: frozenset[Role] | None = getattr(view, "omov_roles", None)
    return roles
