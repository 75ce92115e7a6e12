"""The cast path's plain statements give what the ORM gives: the same instances from a
select, the same rows from an insert, the same session and account with its member."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from omov.accounts.backends import MemberBackend
from omov.accounts.sessions import SessionStore
from omov.ballots.models import Ballot, BoardEntry
from omov.web import outbox, rawsql
from omov.web.mail import send_email, send_emails

from .helpers import client_for, member
from .test_ballots_helpers import opened


def _fields(instance: Any) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields}


def test_a_select_builds_the_instances_the_orm_builds() -> None:
    election = opened(voters=2)
    (found,) = rawsql.select(Ballot, "id = %s", [election.ballot.pk])
    assert _fields(found) == _fields(Ballot.objects.get(pk=election.ballot.pk))
    assert isinstance(found.opens_at, datetime.datetime) and found.opens_at.tzinfo is not None
    entries = rawsql.select(BoardEntry, "ballot_id = %s", [election.ballot.pk])
    assert sorted(map(_fields, entries), key=lambda row: row["index"]) == [
        _fields(entry) for entry in BoardEntry.objects.filter(ballot=election.ballot)]
    assert rawsql.select(Ballot, "slug = %s", ["no-such-ballot"]) == []


def test_the_session_store_reads_a_live_session_and_not_an_expired_one() -> None:
    store = SessionStore()
    store["note"] = "kept"
    store.create()
    assert SessionStore(store.session_key)["note"] == "kept"
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.get("note") is None
    assert expired.session_key is None
    assert SessionStore("short").get("note") is None


def test_the_backend_loads_the_account_with_its_member_and_group() -> None:
    person = member()
    client_for(person)
    person.refresh_from_db()
    user = MemberBackend().get_user(person.user_id)
    assert isinstance(user, User)
    assert _fields(user) == _fields(User.objects.get(pk=person.user_id))
    assert _fields(user.member) == _fields(person)
    assert user.member.user is user
    assert user.member.local_group == person.local_group
    assert MemberBackend().get_user(10**9) is None
    assert MemberBackend().get_user("not a number") is None


def test_an_account_without_a_member_has_none() -> None:
    staff = User.objects.create_user(username="staff-only")
    user = MemberBackend().get_user(staff.pk)
    assert user is not None and not hasattr(user, "member")


def test_many_messages_go_into_the_outbox_as_the_task_framework_writes_one(
    durable_outbox: None,
) -> None:
    with transaction.atomic():
        send_email("one@example.org", "Alone", "Through the framework.")
        send_emails([("two@example.org", "Together", "Plain SQL.", {"X-Note": "a"}),
                     ("three@example.org", "Together", "Plain SQL.", {})])
    alone, *together = DBTaskResult.objects.order_by("enqueued_at", "args_kwargs")
    assert len(together) == 2
    same = ("status", "priority", "task_path", "worker_ids", "queue_name", "backend_name",
            "run_after", "return_value", "exception_class_path", "traceback", "started_at",
            "finished_at")
    for row in together:
        assert {name: getattr(row, name) for name in same} == {
            name: getattr(alone, name) for name in same}
    assert sorted(row.args_kwargs["kwargs"]["to"] for row in together) == [
        "three@example.org", "two@example.org"]
    assert {message.to for message in outbox.pending_messages()} == {
        "one@example.org", "two@example.org", "three@example.org"}
