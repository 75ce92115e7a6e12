"""The statements a signed-in request makes in the session, sign-in and middleware
layers: the session once, the account and its member together once, the granted roles
only for a page that needs them, and no write to the session on an ordinary request."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omov.ballots import simulation
from omov.crypto.canonical import canonical_json

from .helpers import client_for, organiser
from .test_ballots_helpers import opened


def _statements(send: Any) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code == 200, response.content[:300]
    return [query["sql"] for query in queries.captured_queries]


def _touching(statements: list[str], table: str) -> list[str]:
    return [sql for sql in statements if f'"{table}"' in sql or f" {table} " in sql]


def _member_by_account(statements: list[str]) -> list[str]:
    """Lookups of a member by their account apart from the account's own query."""
    return [sql for sql in statements
            if 'FROM "members_member"' in sql and '"members_member"."user_id" =' in sql]


def test_a_cast_over_http_reads_the_session_and_the_member_once_and_no_roles() -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    client = client_for(voter)
    raw = canonical_json(simulation.prepare(election.ballot, election.code(voter), [[1, 0]],
                                            election.rng).ballot)
    url = reverse("ballots:cast", args=[election.ballot.slug])
    statements = _statements(lambda: client.post(url, raw, content_type="application/json"))
    assert len(_touching(statements, "django_session")) == 1
    accounts = _touching(statements, "auth_user")
    assert len(accounts) == 1 and "members_member" in accounts[0]
    assert not _member_by_account(statements)  # joined to the account instead
    assert not _touching(statements, "accounts_rolegrant")
    assert not _touching(statements, "organisation_committeemembership")
    assert not _touching(statements, "ballots_castattempt") or all(
        sql.lstrip().upper().startswith("SELECT") for sql in
        _touching(statements, "ballots_castattempt"))
    # Session, account, ballot, the cast's standing, then the batch's transaction.
    before_the_batch = statements[:next(i for i, sql in enumerate(statements)
                                        if "FOR UPDATE" in sql or "SAVEPOINT" in sql)]
    assert len(before_the_batch) == 4, before_the_batch


def test_a_signed_in_page_reads_the_member_once_and_writes_no_session() -> None:
    person = organiser()
    client = client_for(person)
    client.get(reverse("members:me"))
    statements = _statements(lambda: client.get(reverse("members:me")))
    assert len(_touching(statements, "django_session")) == 1
    assert all(sql.lstrip().upper().startswith("SELECT")
               for sql in _touching(statements, "django_session"))
    accounts = _touching(statements, "auth_user")
    assert len(accounts) == 1 and "members_member" in accounts[0]
    assert not _member_by_account(statements)
    # An organiser's navigation needs the granted roles: read once for the request.
    assert len(_touching(statements, "accounts_rolegrant")) == 1
