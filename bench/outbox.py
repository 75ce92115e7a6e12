"""Mail delivery rate of the outbox (figures, not a test).

Enqueues N messages on a fresh database, then times the mail worker's rounds
delivering them to a real SMTP server on loopback (aiosmtpd, which accepts and
discards): messages per second, and the time to mail a tracker to each of
500,000 voters at that rate.

Run `python bench/outbox.py [--messages N] [--database-url URL]`. With
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


if __name__ == "__main__":
    main()
