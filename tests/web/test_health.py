"""`/health/` tells a proxy or monitoring whether the database answers and the schedule runs."""

from __future__ import annotations

import datetime

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
    assert body["outbox_backlog"] is None
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


def test_only_get_is_answered() -> None:
    assert Client().post("/health/").status_code == 405
