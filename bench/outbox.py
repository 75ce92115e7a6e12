"""Mail delivery rate of the outbox (figures, not a test).

Enqueues N messages on a fresh database, then times the mail worker's rounds
delivering them to a real SMTP server on loopback (aiosmtpd, which accepts and
discards): messages per second, and the time to mail a tracker to each of
500,000 voters at that rate.

Then it times a ballot's "voting is open" notice to M eligible members
(--members), which the schedule's rounds put in the outbox a batch at a time
(`omov.ballots.actions.notices`): messages per second, database queries per
batch, and the background time 500,000 members take at that rate.

Run `python bench/outbox.py [--messages N] [--members M] [--database-url URL]`. With
--database-url the database must exist and be empty; SQLite in a temporary
directory otherwise.
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import time
from pathlib import Path
from typing import Any


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="omov-outbox-bench-"))
    port = free_port()
    os.environ.update({"OMOV_EMAIL_HOST": "127.0.0.1", "OMOV_EMAIL_PORT": str(port)})
    from omov.web.bootstrap import migrate, setup_django

    setup_django(debug=False, var_dir=work,
                 database_url=args.database_url or f"sqlite:///{work / 'bench.sqlite3'}")
    migrate()
    from aiosmtpd.controller import Controller
    from django.db import connection

    from omov.web import outbox
    from omov.web.mail import send_email

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    started = time.perf_counter()
    for number in range(args.messages):
        send_email(f"voter{number}@example.org", "Your vote", f"Your tracker: T-{number:06d}")
    enqueued = time.perf_counter() - started
    started = time.perf_counter()
    delivered = 0
    while delivered < args.messages:
        delivered += outbox.run_delivery_round()
    elapsed = time.perf_counter() - started
    controller.stop()
    assert sink.count == args.messages, (sink.count, args.messages)
    rate = args.messages / elapsed
    print(f"database: {connection.vendor}, {args.messages} messages")
    print(f"enqueue: {args.messages / enqueued:.0f} messages/s (each in its own transaction)")
    print(f"delivery by one worker: {rate:.0f} messages/s")
    print(f"500,000 tracker emails: {500_000 / rate / 3600:.1f} h at that rate")
    ballot_notices(args.members)


def _open_ballot_with(members: int) -> Any:
    """A ballot row that is open, with `members` electors (no cryptography: the mailing
    reads only the electors, the members and their choices)."""
    import datetime

    from django.utils import timezone

    from omov.ballots.models import Ballot, Elector, Phase
    from omov.members.models import Member, Status

    Member.objects.bulk_create(
        [Member(membership_number=f"B{n:07d}", name=f"Member {n}", email=f"m{n}@example.org",
                status=Status.ACTIVE) for n in range(members + 1)], batch_size=5000)
    people = list(Member.objects.filter(membership_number__startswith="B").order_by("pk"))
    now = timezone.now()
    ballot = Ballot.objects.create(
        slug="bench", title="Bench ballot", cut_off=now.date(), opens_at=now,
        closes_at=now + datetime.timedelta(days=2), threshold=1, authority=people[0],
        authority_name="Scrutineer", phase=Phase.OPEN)
    Elector.objects.bulk_create([Elector(ballot=ballot, member=m) for m in people[1:]],
                                batch_size=5000)
    return ballot


def _time_mailing(ballot: Any, kind: Any) -> tuple[float, int, int]:
    """Seconds, batches and queries to send one mailing of `ballot` through."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from omov.ballots.actions import notices

    mailing = notices.start_mailing(ballot, kind)
    batches = 1
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        while notices.send_batch(mailing.pk):
            batches += 1
    elapsed = time.perf_counter() - started
    mailing.refresh_from_db()
    assert mailing.finished_at is not None
    return elapsed, batches, len(captured)


def ballot_notices(members: int) -> None:
    from omov.ballots.actions import notices
    from omov.ballots.models import MailingKind
    from omov.web.mail import send_email

    ballot = _open_ballot_with(members)
    elapsed, batches, queries = _time_mailing(ballot, MailingKind.OPENED)
    rate = members / elapsed

    def one_by_one(messages: list[tuple[str, str, str, dict[str, str]]]) -> None:
        for to, subject, body, headers in messages:
            send_email(to, subject, body, headers=headers)

    batched = notices.send_emails
    notices.send_emails = one_by_one  # type: ignore[assignment]
    try:  # the reminder goes to the same members (nobody has voted)
        single_elapsed, _, single_queries = _time_mailing(ballot, MailingKind.REMINDER)
    finally:
        notices.send_emails = batched  # type: ignore[assignment]
    single_rate = members / single_elapsed
    print(f"ballot notice to {members} members: {batches} batches of {notices.BATCH}, "
          f"{queries / batches:.0f} queries per batch ({queries / members:.2f} per member), "
          f"{rate:.0f} messages/s into the outbox")
    print(f"the same batches with one INSERT per message: {single_queries / batches:.0f} "
          f"queries per batch, {single_rate:.0f} messages/s (batched writes: "
          f"{rate / single_rate:.1f} times as fast, same run)")
    print(f"500,000 members: {500_000 / notices.BATCH:.0f} batches, "
          f"{500_000 / rate / 60:.1f} min of background rounds "
          f"({notices.BATCHES_PER_ROUND} batches per round)")


if __name__ == "__main__":
    main()
