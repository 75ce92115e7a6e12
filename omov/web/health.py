"""`/health/`: what a proxy or monitoring asks to know whether this process can serve.

Healthy means the database answers a trivial query and the schedule finished a
round in the last ten minutes (`omov serve` runs one every 30 seconds by
default; a cron `omov schedule` should too). There is no mail outbox yet, so
its backlog is reported as null.
"""

from __future__ import annotations

import datetime

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from omov.accounts.roles import public

SCHEDULE_STALE_AFTER = datetime.timedelta(minutes=10)


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return False, f"unreachable: {error.__class__.__name__}"
    return True, "ok"


def _schedule(now: datetime.datetime) -> tuple[bool, dict[str, object]]:
    from omov.ballots.actions.schedule import last_round

    last = last_round()
    if last is None:
        return False, {"last_run": None, "status": "never run"}
    stale = now - last > SCHEDULE_STALE_AFTER
    return not stale, {"last_run": last.isoformat(), "status": "stale" if stale else "ok"}


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 with the checks when healthy, 503 with the same JSON when not."""
    database_ok, database = _database()
    schedule_ok, schedule = _schedule(timezone.now()) if database_ok else (
        False, {"last_run": None, "status": "unknown: the database is unreachable"})
    healthy = database_ok and schedule_ok
    body = {"healthy": healthy, "database": database, "schedule": schedule,
            "outbox_backlog": None}
    return JsonResponse(body, status=200 if healthy else 503)
