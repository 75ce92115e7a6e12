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
_MEMBER_ATTRIBUTE = "_omov_member"

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
    """The signed-in member, or None for anonymous visitors and non-member staff.

    Looked up once per request (the sign-in backend loads it with the account),
    and again only if the request signs in or out meanwhile.
    """
    user = getattr(request, "user", None)
    cached = getattr(request, _MEMBER_ATTRIBUTE, None)
    if cached is not None and cached[0] is user:
        found: Member | None = cached[1]
        return found
    member = None
    if user is not None and user.is_authenticated:
        from omov.members.models import Member

        try:
            member = user.member
        except Member.DoesNotExist:
            member = None
    setattr(request, _MEMBER_ATTRIBUTE, (user, member))
    request.member = member  # type: ignore[attr-defined]
    return member


def _own_roles(member: Member | None) -> frozenset[Role]:
    """The roles that follow from the member's row alone (no query)."""
    from omov.members.models import Status

    if member is None:
        return frozenset()
    if member.status == Status.ACTIVE:
        return frozenset({Role.ON_ROLL, Role.MEMBER})
    return frozenset({Role.ON_ROLL})


def roles_of(member: Member | None) -> frozenset[Role]:
    """Every role a member holds now."""
    if member is None:
        return frozenset()
    from omov.accounts.models import RoleGrant
    from omov.organisation.models import CommitteeMembership

    roles = set(_own_roles(member))
    granted = RoleGrant.objects.filter(member=member, revoked_at__isnull=True)
    roles.update(Role(value) for value in granted.values_list("role", flat=True))
    if CommitteeMembership.objects.current().filter(member=member).exists():
        roles.add(Role.COMMITTEE_MEMBER)
    for source in _role_sources:
        roles.update(source(member))
    return frozenset(roles)


def roles_for_request(request: HttpRequest) -> frozenset[Role]:
    """The requester's roles, computed once per request (again if it signs in or out)."""
    user = getattr(request, "user", None)
    cached = getattr(request, _ROLES_ATTRIBUTE, None)
    if cached is None or cached[0] is not user:
        cached = (user, roles_of(member_for_request(request)))
        setattr(request, _ROLES_ATTRIBUTE, cached)
    return cast(frozenset[Role], cached[1])


def has_role(request: HttpRequest, role: Role) -> bool:
    return role in roles_for_request(request)


def current_member(request: HttpRequest) -> Member:
    """The signed-in member; only call inside a view guarded by a decorator here."""
    member = member_for_request(request)
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
            # Member and on-roll pages need only the member's own row; the granted
            # roles (two more queries) only when those do not already let them in.
            own = _own_roles(member_for_request(request))
            if not own.intersection(allowed) and not roles_for_request(request).intersection(
                    allowed):
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
