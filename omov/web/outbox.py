"""The durable outbox: every email waits here until a worker has handed it to SMTP.

`omov.web.mail.send_email` enqueues a `deliver_email` task with Django's task
framework (the `django_tasks_db` database backend), as a row written in the
caller's transaction: an action that rolls back sends nothing, and one that
commits cannot lose its mail to an SMTP server that is down.

`run_delivery_round` is the worker: it claims the messages that are due (a
batch at a time, so several workers never send the same one), sends them, and on a failure
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

import contextlib
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
from django.core.mail.backends.base import BaseEmailBackend
from django.db import close_old_connections, transaction
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


# A delivery round claims up to this many messages at once and sends them on one
# SMTP connection, which `deliver_email` finds here.
BATCH = 25
_batch = threading.local()


@task(queue_name=QUEUE)
def deliver_email(to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """Hands one message to the configured email backend; raises if it is refused."""
    connection = getattr(_batch, "connection", None)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers,
                 connection=connection).send()


def enqueue(to: str, subject: str, body: str, headers: dict[str, str]) -> None:
    """Puts a message in the outbox inside the current transaction."""
    deliver_email.enqueue(to=to, subject=subject, body=body, headers=headers)
    transaction.on_commit(_wake.set)


def enqueue_many(messages: list[tuple[str, str, str, dict[str, str]]]) -> None:
    """Puts many messages (to, subject, body, headers) in the outbox in the current
    transaction, in one INSERT.

    Each row is the one the task framework's `enqueue` writes, written as plain SQL
    (omov.web.rawsql): a cast batch enqueues a tracker email per ballot, and the
    framework's ORM insert costs more than the cast's other statements. With a
    backend that keeps no rows (the tests' immediate one), each is enqueued on its own.
    """
    import uuid

    from django_tasks.utils import normalize_json
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from omov.web import rawsql

    if not messages:
        return
    backend = deliver_email.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for to, subject, body, headers in messages:
            deliver_email.enqueue(to=to, subject=subject, body=body, headers=headers)
    else:
        backend.validate_task(deliver_email)
        now = timezone.now()
        run_after = deliver_email.run_after or get_date_max()
        rawsql.insert(DBTaskResult, _ROW_FIELDS, [
            (uuid.uuid4(), TaskResultStatus.READY, now,
             normalize_json({"args": [], "kwargs": {
                 "to": to, "subject": subject, "body": body, "headers": headers}}),
             deliver_email.priority, deliver_email.module_path, [], deliver_email.queue_name,
             backend.alias, run_after, None, "", "")
            for to, subject, body, headers in messages])
    transaction.on_commit(_wake.set)


_ROW_FIELDS = ("id", "status", "enqueued_at", "args_kwargs", "priority", "task_path",
               "worker_ids", "queue_name", "backend_name", "run_after", "return_value",
               "exception_class_path", "traceback")


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


def _claim(started: datetime.datetime) -> list[DBTaskResult]:
    """Up to BATCH due messages, marked running under this worker's name in one
    transaction (locked rows are skipped, so two workers never claim the same one)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.utils import exclusive_transaction

    due = _due(started)
    if not due.exists():  # a plain read: an idle worker never takes the write lock
        return []
    with exclusive_transaction(due.db):
        messages = list(due.select_for_update(skip_locked=True)[:BATCH])
        now, worker = timezone.now(), _worker_id()
        for message in messages:  # one small UPDATE each: much cheaper than bulk_update's CASE
            message.status = TaskResultStatus.RUNNING
            message.started_at = now
            message.worker_ids = [*message.worker_ids, worker]
            message.save(update_fields=["status", "started_at", "worker_ids"])
    return messages


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


def _after_failure(message: DBTaskResult, error: BaseException) -> None:
    if len(message.worker_ids) >= settings.OMOV_MAIL_MAX_ATTEMPTS or _is_permanent(error):
        message.set_failed(error)
    else:
        _retry_later(message, error)


def _record_sent(messages: list[DBTaskResult]) -> None:
    """Marks messages sent. Each keeps its recipient and subject; its body (sign-in
    links, codes) and headers (unsubscribe tokens) do not outlive their delivery."""
    from django_tasks_db.compat import TaskResultStatus

    now = timezone.now()
    with transaction.atomic():
        for message in messages:
            kwargs = dict(message.args_kwargs.get("kwargs", {}))
            kwargs.update(body="", headers={})
            message.args_kwargs = {"args": [], "kwargs": kwargs}
            message.status = TaskResultStatus.SUCCESSFUL
            message.finished_at = now
            message.return_value = None
            message.exception_class_path = message.traceback = ""
            message.save(update_fields=["args_kwargs", "status", "finished_at", "return_value",
                                        "exception_class_path", "traceback"])


def _close(connection: BaseEmailBackend) -> None:
    with contextlib.suppress(Exception):  # a connection that broke is dropped all the same
        connection.close()


# Refusals of one message; any other OSError (SMTP errors are OSErrors) is about the
# server or the way to it.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused,
                    smtplib.SMTPDataError)


def _send(connection: BaseEmailBackend, message: DBTaskResult) -> BaseException | None:
    """Sends one message on the batch's connection; returns the error, if any. A
    connection that was already open may have been dropped by the server (idle time,
    a per-connection limit): then the message is tried once more on a new one."""
    for fresh_try in (False, True):
        reused = False
        try:
            reused = connection.open() is False  # SMTP: False = was already open
            task_result = message.task_result
            message.task.call(*task_result.args, **task_result.kwargs)
            return None
        except Exception as error:  # returned, recorded on the message by the caller
            _close(connection)
            dropped = isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError)
            if fresh_try or not (reused and dropped):
                return error
    raise AssertionError("unreachable")


def _deliver(messages: list[DBTaskResult]) -> int:
    """Sends a claimed batch on one SMTP connection; returns how many were sent.

    After an error that is not about one recipient (the server is down or
    broke off), the rest of the batch waits for its next attempt too, so an
    unreachable server costs one connection attempt per batch, not per message.
    """
    from django.core.mail import get_connection

    connection = get_connection()
    _batch.connection = connection
    sent: list[DBTaskResult] = []
    server_error: BaseException | None = None
    try:
        for message in messages:
            error = server_error or _send(connection, message)
            if error is None:
                sent.append(message)
                continue
            _after_failure(message, error)
            if isinstance(error, OSError) and not isinstance(error, _MESSAGE_REFUSED):
                server_error = error
    finally:
        _batch.connection = None
        _close(connection)
        _record_sent(sent)
    return len(sent)


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
    while messages := _claim(started):
        delivered += _deliver(messages)
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
