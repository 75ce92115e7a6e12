"""`/health/` tells a proxy or monitoring whether the database answers and the schedule runs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.utils import timezone

from omov.ballots.actions import schedule
from omov.web import health


def get() -> tuple[int, dict[str, object]]:
    response = Client().get("/health/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_healthy_after_a_schedule_round() -> None:
    schedule.run_round(timezone.now())
    status, body = get()
    assert status == 200
    assert body["healthy"] is True
    assert body["database"] == "ok"
    assert body["outbox_backlog"] == {"pending": 0, "oldest_pending": None, "failed": 0,
                                      "status": "ok"}
    assert isinstance(body["schedule"], dict) and body["schedule"]["status"] == "ok"
    last = datetime.datetime.fromisoformat(str(body["schedule"]["last_run"]))
    assert timezone.now() - last < datetime.timedelta(minutes=1)


def test_unhealthy_when_the_schedule_has_never_run() -> None:
    status, body = get()
    assert status == 503
    assert body["schedule"] == {"last_run": None, "status": "never run"}


def test_unhealthy_when_the_schedule_has_not_run_for_over_ten_minutes() -> None:
    schedule.record_round(timezone.now() - datetime.timedelta(minutes=11))
    status, body = get()
    assert status == 503
    assert isinstance(body["schedule"], dict) and body["schedule"]["status"] == "stale"
    schedule.record_round(timezone.now() - datetime.timedelta(minutes=9))
    assert get()[0] == 200


def test_unhealthy_when_the_database_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    schedule.record_round(timezone.now())

    class Unreachable:
        def cursor(self) -> object:
            raise DatabaseError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    status, body = get()
    assert status == 503
    assert body["healthy"] is False
    assert body["database"] == "unreachable: DatabaseError"


@pytest.mark.usefixtures("durable_outbox")
def test_unhealthy_when_mail_has_waited_in_the_outbox_too_long(settings: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from omov.web.mail import send_email

    settings.OMOV_MAIL_BACKLOG_LIMIT_MINUTES = 15
    schedule.record_round(timezone.now())
    send_email("sam@example.org", "Waiting", "…")
    status, body = get()
    assert status == 200
    backlog = body["outbox_backlog"]
    assert isinstance(backlog, dict) and backlog["pending"] == 1 and backlog["status"] == "ok"
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=16))
    status, body = get()
    assert status == 503 and body["healthy"] is False
    backlog = body["outbox_backlog"]
    assert isinstance(backlog, dict) and backlog["status"] == "stale"
    assert backlog["oldest_pending"] is not None
    settings.OMOV_MAIL_BACKLOG_LIMIT_MINUTES = 20
    assert get()[0] == 200


def test_only_get_is_answered() -> None:
    assert Client().post("/health/").status_code == 405
