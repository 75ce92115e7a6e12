"""Fault run: casts over HTTP while the server is killed and the database stopped (figures).

Builds an open yes/no ballot with N electors (bench/cast.py's setup), starts
`omov serve` (gunicorn) on 127.0.0.1, signs every elector in, then casts one
ballot per elector from C client threads. A client whose request fails (a
refused connection, a reset, a 5xx) reconnects and sends the same ballot again
until it gets an answer, as the booth lets a voter do. Meanwhile:

  - once a third of the casts are acknowledged, the whole server (gunicorn's
    master and workers) is killed with SIGKILL and started again;
  - with --stop-database (PostgreSQL on this machine only), once two thirds
    are acknowledged, the cluster is stopped for about a second and started
    again (`pg_ctlcluster ... main stop -m fast` / `start`).

Then prints the casts acknowledged, the ballots on the board, the lost ones
(acknowledged but not on the board), the duplicated ones (a tracker on the
board twice), closes and counts the ballot in process, and runs
`omov verify` on the downloaded record.

Run `python bench/fault_run.py [--electors N] [--clients C] [--database-url URL]
[--stop-database]`. With --database-url the database must exist and be empty;
SQLite in a temporary directory otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import cast as bench

ROOT = bench.ROOT
# How long one ballot is retried before the client gives up on it.
RETRY_FOR = 120.0


class Server:
    """`omov serve` in a session of its own, so that one SIGKILL takes all its processes."""

    def __init__(self, port: int, workers: int, log: Path) -> None:
        self.port, self.workers, self.log = port, workers, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "omov.cli", "serve", "--port", str(self.port),
             "--no-schedule", "--workers", str(self.workers)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log.open("ab"),
            start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                probe.request("GET", "/health/")
                probe.getresponse().read()
                return
            except (OSError, http.client.HTTPException):
                assert self.process.poll() is None, "omov serve exited"
                assert time.monotonic() < deadline, "omov serve did not start"
                time.sleep(0.1)
            finally:
                probe.close()

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


class Casting:
    """The clients' shared state: what was acknowledged, and what went wrong."""

    def __init__(self, sessions: list[bench.Session], ballots: list[bytes], port: int) -> None:
        self.sessions, self.ballots, self.port = sessions, ballots, port
        self.acknowledged: dict[int, str] = {}
        self.failures: Counter[str] = Counter()
        self.given_up: list[int] = []
        self.lock = threading.Lock()
        self.cursor = iter(range(len(ballots)))

    def _next(self) -> int | None:
        with self.lock:
            return next(self.cursor, None)

    def _once(self, conn: http.client.HTTPConnection, index: int) -> tuple[int, bytes]:
        session = self.sessions[index]
        conn.request("POST", f"/ballots/{bench.SLUG}/vote/cast/", body=self.ballots[index],
                     headers={"Content-Type": "application/json",
                              "X-CSRFToken": session.token, "Cookie": session.cookie})
        response = conn.getresponse()
        return response.status, response.read()

    def client(self) -> None:
        import json

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while (index := self._next()) is not None:
            deadline = time.monotonic() + RETRY_FOR
            while True:
                try:
                    status, body = self._once(conn, index)
                except (OSError, http.client.HTTPException) as error:
                    problem = type(error).__name__
                else:
                    if status == 200:
                        with self.lock:
                            self.acknowledged[index] = json.loads(body)["tracker"]
                        break
                    problem = f"HTTP {status}"
                with self.lock:
                    self.failures[problem] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if time.monotonic() > deadline:
                    with self.lock:
                        self.given_up.append(index)
                    break
                time.sleep(0.2)
        conn.close()

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def _stop_database() -> float:
    """Stops the local PostgreSQL cluster for about a second; returns how long it was down."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    started = time.monotonic()
    subprocess.run([*command, "stop", "-m", "fast"], check=True, timeout=10)
    time.sleep(1.0)
    subprocess.run([*command, "start"], check=True, timeout=10)
    return time.monotonic() - started


def _faults(casting: Casting, server: Server, total: int, stop_database: bool,
            events: list[str]) -> None:
    while casting.count() < total // 3:
        time.sleep(0.05)
    started = time.monotonic()
    server.kill()
    events.append(f"server killed (SIGKILL) at {casting.count()} acknowledged")
    server.start()
    events.append(f"server back after {time.monotonic() - started:.1f} s")
    if not stop_database:
        return
    while casting.count() < 2 * total // 3:
        time.sleep(0.05)
    at = casting.count()
    down = _stop_database()
    events.append(f"PostgreSQL stopped at {at} acknowledged, back after {down:.1f} s")


def _count_and_verify(election: bench.Election, work: Path) -> tuple[int, str]:
    from omov.ballots import board, simulation
    from omov.ballots.actions import counting
    from omov.crypto.transcript import SystemRng

    ballot = simulation.close_after(election.ballot, by=election.organiser)
    simulation.decrypt(ballot, election.trustee_states, SystemRng(), trustees=[1, 2])
    ballot.refresh_from_db()
    counting.publish_result(ballot, by=election.organiser)
    ballot.refresh_from_db()
    record = work / "record.omov.jsonl"
    with record.open("wb") as out:
        out.writelines(board.lines(ballot))
    done = subprocess.run([sys.executable, "-m", "omov.cli", "verify", str(record)],
                          cwd=ROOT, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    return done.returncode, lines[-1] if lines else done.stderr.strip()[-300:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=300, help="N electors (default 300)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent HTTP clients")
    parser.add_argument("--server-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", help="an empty database (default: fresh SQLite)")
    parser.add_argument("--stop-database", action="store_true",
                        help="also stop the local PostgreSQL cluster for a second mid-run")
    args = parser.parse_args(argv)
    if args.stop_database and not (args.database_url or "").startswith("postgres"):
        parser.error("--stop-database needs a PostgreSQL --database-url")
    args.server_threads = 4
    with tempfile.TemporaryDirectory(prefix="omov-fault-") as temporary:
        work = Path(temporary)
        port, _ = bench._configure(args, work)
        from omov.web.bootstrap import migrate, setup_django

        setup_django()
        migrate()
        from django.db import connections

        from omov.accounts.actions import create_login_link
        from omov.ballots.models import BoardEntry

        database = os.environ["DATABASE_URL"].split(":", 1)[0]
        print(f"Fault run: {args.electors} electors, {database}, {args.clients} clients, "
              f"{args.server_workers} server workers")
        election = bench._build(args.electors)
        (ballots,) = bench._pre_encrypt(election, 1, os.cpu_count() or 1)
        tokens = [create_login_link(member, by=None) for member in election.members]
        connections.close_all()
        server = Server(port, args.server_workers, work / "serve.log")
        events: list[str] = []
        try:
            server.start()
            sessions = bench._in_threads(port, args.clients, len(tokens), bench._Signer(tokens))
            casting = Casting(sessions, ballots, port)
            started = time.monotonic()
            faults = threading.Thread(target=_faults, args=(
                casting, server, len(ballots), args.stop_database, events))
            clients = [threading.Thread(target=casting.client) for _ in range(args.clients)]
            for thread in [faults, *clients]:
                thread.start()
            for thread in clients:
                thread.join()
            faults.join(timeout=60)
            wall = time.monotonic() - started
        finally:
            server.stop()
        entries = list(BoardEntry.objects.filter(ballot=election.ballot, kind="ballot")
                       .values_list("tracker", flat=True))
        on_board = Counter(entries)
        acknowledged = set(casting.acknowledged.values())
        lost = acknowledged - set(on_board)
        duplicated = sum(1 for count in on_board.values() if count > 1)
        unacknowledged = set(on_board) - acknowledged
        for event in events:
            print(f"  {event}")
        print(f"  {len(ballots)} casts sent in {wall:.1f} s; failed attempts, retried: "
              + (", ".join(f"{kind} {n}" for kind, n in casting.failures.most_common())
                 or "none"))
        print(f"  acknowledged: {len(casting.acknowledged)}; given up: {len(casting.given_up)}")
        print(f"  on the board: {len(entries)} ballots ({len(on_board)} trackers)")
        print(f"  lost (acknowledged, not on the board): {len(lost)}")
        print(f"  duplicated (a tracker on the board twice): {duplicated}")
        print(f"  on the board but never acknowledged: {len(unacknowledged)}")
        status, last = _count_and_verify(election, work)
        print(f"  omov verify: exit {status} ({'accepted' if status == 0 else 'REFUSED'}): {last}")
        ok = not lost and not duplicated and not casting.given_up and status == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
