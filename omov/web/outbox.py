"""The durable outbox: every email waits here until a worker has handed it to SMTP.

`omov.web.mail.send_email` enqueues a `deliver_email` task with Django's task
framework (the `django_tasks_db` database backend), as a row written in the
caller's transaction: an action that rolls back sends nothing, and one that
commits cannot lose its mail to an SMTP server that is down.

`run_delivery_round` is the worker: it claims each message that is due (one at
a time, so several workers never send the same one), sends it, and on a failure
puts it back with an exponentially growing delay, up to
`OMOV_MAIL_MAX_ATTEMPTS` attempts; then it is marked failed, for organisers to
see on the outbox page. The package's own `db_worker` has no retries, which is
why omov runs this round instead (`omov mailworker`, or the thread that
`omov serve` starts).

Delivery is at least once: a worker that dies after SMTP accepted a message but
before it recorded that leaves the message running; after
`OMOV_MAIL_RECLAIM_MINUTES` it is sent again.
"""

from __future__ import annotations

import datetime
import os
import smtplib
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult as AnyTaskResult
    from django_tasks_db.models import DBTaskResultQuerySet

    DBTaskResult = AnyTaskResult[Any, Any]

QUEUE = "mail"
TASK_PATH = "omov.web.outbox.deliver_email"

# Set when a transaction that enqueued mail commits, so a worker in this
# process sends at once instead of at its next poll.
_wake = threading.Event()


@task(queue_name=QUEUE)
def deliver_email(to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """Hands one message to the configured email backend; raises if it is refused."""
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers).send()


def enqueue(to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """Puts a message in the outbox inside the current transaction."""
    from django.db import transaction

    deliver_email.enqueue(to=to, subject=subject, body=body, headers=headers)
    transaction.on_commit(_wake.set)


def _mail() -> DBTaskResultQuerySet:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(queue_name=QUEUE, task_path=TASK_PATH)


def _due(started: datetime.datetime) -> DBTaskResultQuerySet:
    """Messages waiting to be sent: new ones, and retries whose delay ran out before
    the round began (a message that fails in a round is not tried again in it)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import get_date_max

    waiting = _mail().filter(status=TaskResultStatus.READY)
    return waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=started))


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long a message waits after its `attempts`-th failed attempt: doubling, capped."""
    first = float(settings.OMOV_MAIL_RETRY_SECONDS)
    seconds = min(first * 2 ** (attempts - 1), float(settings.OMOV_MAIL_RETRY_MAX_SECONDS))
    return datetime.timedelta(seconds=seconds)


def _is_permanent(error: BaseException) -> bool:
    """A 5xx refusal of the recipient will not change by trying again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def _worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 10**6}"


def _claim(started: datetime.datetime) -> DBTaskResult | None:
    from django_tasks_db.utils import exclusive_transaction

    due = _due(started)
    if not due.exists():  # a plain read: an idle worker never takes the write lock
        return None
    with exclusive_transaction(due.db):
        message = due.get_locked()
        if message is not None:
            message.claim(_worker_id())
    return message


def _error_text(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(error)).strip()


def _retry_later(message: DBTaskResult, error: BaseException) -> None:
    from django_tasks_db.compat import TaskResultStatus

    attempts = len(message.worker_ids)
    message.status = TaskResultStatus.READY
    message.run_after = timezone.now() + retry_delay(attempts)
    message.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    message.traceback = _error_text(error)
    message.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])


def _forget_body(message: DBTaskResult) -> None:
    """A sent message keeps its recipient and subject; its body (sign-in links, codes)
    and headers (unsubscribe tokens) do not outlive their delivery in the database."""
    kwargs = dict(message.args_kwargs.get("kwargs", {}))
    kwargs.update(body="", headers={})
    message.args_kwargs = {"args": [], "kwargs": kwargs}
    message.save(update_fields=["args_kwargs"])


def _deliver(message: DBTaskResult) -> bool:
    try:
        task_result = message.task_result
        message.task.call(*task_result.args, **task_result.kwargs)
    except Exception as error:  # every failure is recorded on the message, none is raised
        if len(message.worker_ids) >= settings.OMOV_MAIL_MAX_ATTEMPTS or _is_permanent(error):
            message.set_failed(error)
        else:
            _retry_later(message, error)
        return False
    message.set_successful(None)
    _forget_body(message)
    return True


def reclaim_abandoned(now: datetime.datetime) -> int:
    """Puts back messages a worker claimed but never finished (it died mid-send)."""
    from django_tasks_db.compat import TaskResultStatus

    limit = now - datetime.timedelta(minutes=settings.OMOV_MAIL_RECLAIM_MINUTES)
    abandoned = _mail().filter(status=TaskResultStatus.RUNNING, started_at__lt=limit)
    return abandoned.update(status=TaskResultStatus.READY, run_after=now)


def run_delivery_round() -> int:
    """Sends every message that is due now; returns how many were delivered."""
    started = timezone.now()
    reclaim_abandoned(started)
    delivered = 0
    while (message := _claim(started)) is not None:
        delivered += _deliver(message)
    return delivered


def deliver_until(stop: threading.Event, every: float, *, report: Callable[[str], Any]) -> None:
    """Runs a round, then waits `every` seconds (or until mail is committed in this
    process), until `stop` is set. A failed round is reported, not fatal."""
    while not stop.is_set():
        try:
            delivered = run_delivery_round()
            if delivered:
                report(f"mail: delivered {delivered} message(s)")
        except Exception:  # the next round retries; the worker must keep going
            print("mail: the delivery round failed:", file=sys.stderr, flush=True)
            traceback.print_exc()
        finally:
            close_old_connections()
        _wake.wait(every)
        _wake.clear()


def wake() -> None:
    """Ends this process's worker's wait at once (used when stopping it)."""
    _wake.set()


@dataclass(frozen=True)
class Backlog:
    """What is waiting in the outbox, and what failed for good."""

    pending: int
    oldest_pending: datetime.datetime | None
    failed: int


def backlog() -> Backlog:
    from django.db.models import Count, Min
    from django_tasks_db.compat import TaskResultStatus

    waiting = _mail().filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    figures = waiting.aggregate(pending=Count("id"), oldest=Min("enqueued_at"))
    failed = _mail().filter(status=TaskResultStatus.FAILED).count()
    return Backlog(figures["pending"], figures["oldest"], failed)


@dataclass(frozen=True)
class OutboxEntry:
    """A message as the outbox page shows it: never its body."""

    to: str
    subject: str
    enqueued_at: datetime.datetime
    attempts: int
    next_attempt: datetime.datetime | None
    last_error: str
    finished_at: datetime.datetime | None


def _entry(message: DBTaskResult) -> OutboxEntry:
    from django_tasks_db.models import get_date_max

    kwargs = message.args_kwargs.get("kwargs", {})
    last_error = message.traceback.strip().splitlines()[-1] if message.traceback.strip() else ""
    return OutboxEntry(
        to=str(kwargs.get("to", "")),
        subject=str(kwargs.get("subject", "")),
        enqueued_at=message.enqueued_at,
        attempts=len(message.worker_ids),
        next_attempt=None if message.run_after == get_date_max() else message.run_after,
        last_error=last_error,
        finished_at=message.finished_at,
    )


def pending_messages(limit: int = 100) -> list[OutboxEntry]:
    from django_tasks_db.compat import TaskResultStatus

    waiting = _mail().filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    return [_entry(message) for message in waiting.order_by("enqueued_at")[:limit]]


def failed_messages(limit: int = 100) -> list[OutboxEntry]:
    from django_tasks_db.compat import TaskResultStatus

    failed = _mail().filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
    return [_entry(message) for message in failed[:limit]]
