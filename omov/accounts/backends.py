"""The sign-in backend: Django's, loading the account's member with the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from omov.web import rawsql

PATH = "omov.accounts.backends.MemberBackend"


class MemberBackend(ModelBackend):
    """Every signed-in request needs the member behind the account (roles, time zone,
    eligibility): one statement loads the account, its member and the member's local
    group, as `select_related("member__local_group")` would, in plain SQL because it
    runs on every request (omov.web.rawsql)."""

    def get_user(self, user_id: Any) -> Any:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _account_with_member(key)
        return user if user is not None and self.user_can_authenticate(user) else None


def _account_with_member(user_id: int) -> User | None:
    from omov.members.models import Member
    from omov.organisation.models import LocalGroup

    account = rawsql.columns(User, "u")
    member = rawsql.columns(Member, "m")
    group = rawsql.columns(LocalGroup, "g")
    found = rawsql.rows(
        f"SELECT {account.sql}, {member.sql}, {group.sql} FROM {User._meta.db_table} u "
        f"LEFT JOIN {Member._meta.db_table} m ON m.user_id = u.id "
        f"LEFT JOIN {LocalGroup._meta.db_table} g ON g.id = m.local_group_id WHERE u.id = %s",
        [user_id])
    if not found:
        return None
    row = found[0]
    user = account.instance(row[:len(account)])
    assert isinstance(user, User)
    member_values = row[len(account):len(account) + len(member)]
    group_values = row[len(account) + len(member):]
    the_member = None if member_values[0] is None else member.instance(member_values)
    Member.user.field.remote_field.set_cached_value(user, the_member)
    if the_member is not None:
        Member.user.field.set_cached_value(the_member, user)
        the_group = None if group_values[0] is None else group.instance(group_values)
        Member.local_group.field.set_cached_value(the_member, the_group)
    return user
