"""The session store: Django's database sessions, read in one plain statement.

Every signed-in request reads its session; through the ORM that lookup costs
more CPU to compile than to run. Sessions are written, cycled and deleted by
Django's own code, unchanged.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connection
from django.utils import timezone

from omov.web import rawsql

ENGINE = "omov.accounts.sessions"


class SessionStore(DatabaseStore):
    """Django's database store with the session's lookup (`load`) as plain SQL."""

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        key = self.session_key
        found = rawsql.select(
            self.model, "session_key = %s AND expire_date > %s",
            [key, connection.ops.adapt_datetimefield_value(timezone.now())],
        ) if key and len(key) >= 8 else []  # as Django's _validate_session_key
        if not found:
            self._session_key = None
            return None
        return found[0]
