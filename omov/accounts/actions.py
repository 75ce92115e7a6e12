"""Signing in with emailed single-use links, and granting roles."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from omov.accounts.errors import LoginLinkInvalid
from omov.accounts.models import GrantedRole, LoginLink, RoleGrant
from omov.accounts.ratelimit import (
    check_sign_in_limit,
    count_sign_in_attempt,
    forget_sign_in_attempts,
)
from omov.audit.log import record
from omov.members.models import Member
from omov.web.mail import absolute_url, send_email


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_url(token: str) -> str:
    return absolute_url(reverse("accounts:redeem", args=[token]))


def _create_link(member: Member) -> str:
    token = secrets.token_urlsafe(32)
    LoginLink.objects.create(
        member=member,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(minutes=settings.OMOV_LOGIN_LINK_MINUTES),
    )
    return token


def _link_email(member: Member, url: str) -> str:
    minutes = settings.OMOV_LOGIN_LINK_MINUTES
    return (
        f"Hello {member.name},\n\n"
        f"Use this link to sign in. It works once, within {minutes} minutes:\n\n"
        f"{url}\n\n"
        "If you did not ask to sign in, you can ignore this message.\n"
    )


@transaction.atomic
def count_login_request(email: str, *, ip_address: str | None) -> None:
    """Checks and counts a sign-in request, the same work whether or not `email` is a member's.

    Raises SignInLimited when this requester or this email address asked too
    often. Nothing here looks at the roll: the page answers once this is done,
    in the same time for a member and a stranger, and `send_login_link` runs
    after the answer has gone (omov.accounts.views).
    """
    email = email.strip()
    check_sign_in_limit(email, ip_address)
    count_sign_in_attempt(email, ip_address)


@transaction.atomic
def send_login_link(email: str, *, ip_address: str | None) -> str | None:
    """Emails a sign-in link if `email` is on the roll; returns the token, else None."""
    email = email.strip()
    member = Member.objects.filter(email__iexact=email).first()
    if member is None:
        return None
    token = _create_link(member)
    send_email(member.email, "Your sign-in link", _link_email(member, sign_in_url(token)))
    record("issue_login_link", actor=member, subject=member,
           summary=f"Sent a sign-in link to member {member.membership_number}",
           details={"ip_address": ip_address})
    return token


def issue_login_link(email: str, *, ip_address: str | None) -> str | None:
    """Counts the request and emails a link if `email` is on the roll (both steps at once)."""
    count_login_request(email, ip_address=ip_address)
    return send_login_link(email, ip_address=ip_address)


@transaction.atomic
def create_login_link(member: Member, *, by: Member | None, purpose: str = "") -> str:
    """Makes a sign-in link without email or rate limit, for the demo and operators.

    `purpose` (e.g. "to invite them as trustee 1 of “Budget”") goes into the audit log.
    """
    token = _create_link(member)
    record("create_login_link", actor=by, subject=member,
           summary=f"Created a sign-in link for member {member.membership_number}"
           + (f" {purpose}" if purpose else ""))
    return token


def _user_for(member: Member) -> User:
    if member.user is not None:
        return member.user
    user = User.objects.create_user(username=f"member-{member.pk}")
    user.set_unusable_password()
    user.save()
    member.user = user
    member.save(update_fields=["user"])
    return user


@transaction.atomic
def redeem_login_link(token: str) -> User:
    """Uses up a sign-in link and returns the account to sign in as.

    Raises LoginLinkInvalid if the link is unknown, used or expired. The row
    is locked so that two simultaneous uses cannot both succeed.
    """
    link = (
        LoginLink.objects.select_for_update()
        .select_related("member")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise LoginLinkInvalid("This sign-in link is not valid.")
    if link.used_at is not None:
        raise LoginLinkInvalid("This sign-in link has already been used.")
    if link.expires_at <= timezone.now():
        raise LoginLinkInvalid("This sign-in link has expired.")
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    user = _user_for(link.member)
    forget_sign_in_attempts(link.member.email)
    record("redeem_login_link", actor=link.member, subject=link.member,
           summary=f"Member {link.member.membership_number} signed in")
    return user


def _sync_staff(member: Member) -> None:
    """Organisers may open the (read-only) admin; others may not."""
    is_organiser = member.role_grants.filter(
        role=GrantedRole.ORGANISER, revoked_at__isnull=True
    ).exists()
    user = _user_for(member)
    if user.is_staff != is_organiser:
        user.is_staff = is_organiser
        user.save()


@transaction.atomic
def grant_role(
    member: Member, role: GrantedRole, *, by: Member | None, purpose: str = ""
) -> RoleGrant:
    """Grants `role` (once); `purpose` (e.g. "for the ballot “Budget”") goes into the audit log."""
    current = member.role_grants.filter(role=role, revoked_at__isnull=True).first()
    if current is not None:
        return current
    grant = RoleGrant.objects.create(member=member, role=role, granted_by=by)
    _sync_staff(member)
    record("grant_role", actor=by, subject=member,
           summary=f"Made {member.name} {role.label.lower()}"
           + (f" {purpose}" if purpose else ""),
           details={"role": role.value}, public=True)
    return grant


@transaction.atomic
def revoke_role(member: Member, role: GrantedRole, *, by: Member | None) -> None:
    updated = member.role_grants.filter(role=role, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        return
    _sync_staff(member)
    record("revoke_role", actor=by, subject=member,
           summary=f"{member.name} is no longer {role.label.lower()}",
           details={"role": role.value}, public=True)


@transaction.atomic
def appoint_organiser(
    *, email: str, name: str | None, membership_number: str | None, joined_on: datetime.date
) -> tuple[Member, str]:
    """Makes someone an organiser from the operator's shell and returns a sign-in link.

    This is how a new installation gets its first organiser: nobody can yet do
    it from a page. A person not on the roll is added first, which needs a
    name and a membership number.
    """
    from omov.members.actions import add_member

    member = Member.objects.filter(email__iexact=email.strip()).first()
    if member is None:
        if not name or not membership_number:
            raise ValueError(
                f"{email} is not on the roll: give --name and --number to add them"
            )
        member = add_member(membership_number=membership_number, name=name, email=email,
                            local_group=None, joined_on=joined_on, by=None)
    grant_role(member, GrantedRole.ORGANISER, by=None)
    return member, sign_in_url(create_login_link(member, by=None))
