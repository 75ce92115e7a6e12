"""`/health/`: what a proxy or monitoring asks to know whether this process can serve.

Healthy means the database answers a trivial query, the schedule finished a
round in the last ten minutes (`omov serve` runs one every 30 seconds by
default; a cron `omov schedule` should too), and no message has waited in the
mail outbox for longer than `OMOV_MAIL_BACKLOG_LIMIT_MINUTES` (SMTP down, or no
mail worker running).
"""

from __future__ import annotations

import datetime

from django.conf import settings
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


def _outbox(now: datetime.datetime) -> tuple[bool, dict[str, object]]:
    from omov.web.outbox import backlog

    waiting = backlog()
    limit = datetime.timedelta(minutes=settings.OMOV_MAIL_BACKLOG_LIMIT_MINUTES)
    stale = waiting.oldest_pending is not None and now - waiting.oldest_pending > limit
    return not stale, {
        "pending": waiting.pending,
        "oldest_pending": waiting.oldest_pending.isoformat() if waiting.oldest_pending else None,
        "failed": waiting.failed,
        "status": "stale" if stale else "ok",
    }


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 with the checks when healthy, 503 with the same JSON when not."""
    database_ok, database = _database()
    now = timezone.now()
    unknown = {"status": "unknown: the database is unreachable"}
    schedule_ok, schedule = _schedule(now) if database_ok else (
        False, {"last_run": None, **unknown})
    outbox_ok, outbox = _outbox(now) if database_ok else (False, unknown)
    healthy = database_ok and schedule_ok and outbox_ok
    body = {"healthy": healthy, "database": database, "schedule": schedule,
            "outbox_backlog": outbox}
    return JsonResponse(body, status=200 if healthy else 503)
