"""The sign-in backend: Django's, loading the account's member with the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

PATH = "omov.accounts.backends.MemberBackend"


class MemberBackend(ModelBackend):
    """Every signed-in request needs the member behind the account (roles, time zone,
    eligibility): one query loads both, instead of one for each."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("member__local_group")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
