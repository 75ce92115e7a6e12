"""Cast throughput of the web platform (figures, not a test).

Builds an open yes/no ballot with N electors on a fresh database through the
simulation helpers (authority, trustees and browsers are played in this
process), pre-encrypts two ballots per elector in worker processes (outside
the timing), then:

  1. starts the real server (`omov serve --no-schedule` on 127.0.0.1, a free
     port, gunicorn with --server-workers processes, SMTP to a local sink so
     every cast mails its tracker),
     signs every elector in through a single-use link, and casts the first
     ballots over HTTP from C concurrent client threads, each POST carrying
     the member's session and the CSRF token as the booth sends it; prints
     casts/s, p50/p95/p99 latency, the server's CPU time per cast and the
     extrapolated time for 500,000 ballots;
  2. casts the second ballots (a re-vote each) through the `cast_ballot`
     action in this process, and times `verify_ballot` alone on the same
     ballots, to separate the protocol's cost from the database and the web;
  3. prints, from this one run, the server's CPU per cast over HTTP (and with
     PostgreSQL the CPU of its backends) as a multiple of parse + verify_ballot,
     and the casts/s over HTTP as a fraction of what parse + verify_ballot alone
     reach in --workers processes on the same cores;
  4. with --profile TOP, casts a third ballot per elector through the WSGI
     application in this process under cProfile (CPU time) and prints the TOP
     functions by cumulative and by own time.

Every figure is printed with the machine's load average: on a shared machine the
CPU-time figures mean more than the wall-clock ones.

Run `python bench/cast.py [--electors N] [--clients C] [--server-workers W]
[--database-url URL] [--profile TOP]`.
With --database-url the database must exist and be empty (PostgreSQL:
`createdb -h 127.0.0.1 -U postgres omov_bench`); SQLite in a temporary
directory otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import multiprocessing
import os
import re
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SLUG = "bench-cast"
MEMBERS_TARGET = 500_000
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class _SmtpSink(socketserver.StreamRequestHandler):
    """Accepts and discards mail, as a local MTA would take it off the server's hands."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _configure(args: argparse.Namespace, work: Path) -> tuple[int, int]:
    """Puts the server's settings in the environment (shared with the subprocess)."""
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    smtp.daemon_threads = True
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    port = _free_port()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "omov.web.settings",
        "OMOV_DEBUG": "0",
        "OMOV_VAR_DIR": str(work / "var"),
        "DATABASE_URL": args.database_url or f"sqlite:///{work / 'bench.sqlite3'}",
        "OMOV_BASE_URL": f"http://127.0.0.1:{port}",
        "OMOV_EMAIL_HOST": "127.0.0.1",
        "OMOV_EMAIL_PORT": str(smtp.server_address[1]),
    })
    (work / "var").mkdir()
    return port, int(smtp.server_address[1])


@dataclass
class Election:
    ballot: Any
    members: list[Any]
    codes: dict[int, str]
    organiser: Any = None
    trustee_states: Any = None


def _build(electors: int) -> Election:
    """An open yes/no ballot with `electors` electors, made by the simulation helpers."""
    from django.db import transaction
    from django.utils import timezone

    from omov.accounts.actions import grant_role
    from omov.accounts.models import GrantedRole
    from omov.ballots import simulation
    from omov.ballots.actions import credentials, drafting
    from omov.crypto.transcript import SystemRng
    from omov.members.actions import add_member

    joined = timezone.localdate() - datetime.timedelta(days=100)
    with transaction.atomic():
        members = [add_member(membership_number=f"B{number:07d}", name=f"Member {number}",
                              email=f"member{number}@example.org", local_group=None,
                              joined_on=joined, by=None) for number in range(electors + 4)]
    organiser, authority, *keepers = members[-4:]
    grant_role(organiser, GrantedRole.ORGANISER, by=None)
    now = timezone.now()
    ballot = drafting.create_ballot(
        slug=SLUG, title="Cast benchmark", description="", cut_off=timezone.localdate(),
        local_group=None, opens_at=now - datetime.timedelta(minutes=1),
        closes_at=now + datetime.timedelta(days=1), threshold=2,
        trustees=[drafting.TrusteeInvite(p.name, p.email) for p in keepers],
        authority_email=authority.email, authority_name="Scrutineer", by=organiser)
    drafting.add_question(ballot, kind="yes_no", text="Adopt the motion?", case_for="",
                          case_against="", options=[], minimum=1, maximum=1, by=organiser)
    rng = SystemRng()
    machine = simulation.authority_key(ballot, rng)
    drafting.publish_manifest(ballot, by=organiser)
    ballot.refresh_from_db()
    states = simulation.key_ceremony(ballot, rng, by=organiser)
    ballot.refresh_from_db()
    codes = simulation.issue_credentials(ballot, machine, rng, mail=False)
    credentials.open_ballot(ballot, by=organiser, now=timezone.now())
    ballot.refresh_from_db()
    voters = [m for m in members[:electors] if m.pk in codes]
    return Election(ballot, voters, codes, organiser, states)


_worker_setup: tuple[Any, bytes] | None = None


def _encrypt(job: tuple[str, int]) -> bytes:
    """In a worker: the browser's work for one ballot (yes on even, no on odd jobs)."""
    from omov.crypto.ballot import encrypt_ballot
    from omov.crypto.canonical import canonical_json
    from omov.crypto.credentials import credential_secret
    from omov.crypto.transcript import SystemRng

    assert _worker_setup is not None
    context, manifest_digest = _worker_setup
    code, choice = job
    secret = credential_secret(manifest_digest, code)
    selections = [[1, 0]] if choice % 2 == 0 else [[0, 1]]
    return canonical_json(encrypt_ballot(context, secret, selections, SystemRng()).ballot)


def _pre_encrypt(election: Election, rounds: int, workers: int) -> list[list[bytes]]:
    """`rounds` ballots per elector, in order of `election.members`."""
    global _worker_setup
    from django.db import connections

    from omov.ballots import state

    _worker_setup = (state.election_context(election.ballot),
                     state.manifest_digest(election.ballot))
    connections.close_all()
    jobs = [(election.codes[m.pk], n + r) for r in range(rounds)
            for n, m in enumerate(election.members)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        made = pool.map(_encrypt, jobs, chunksize=64)
    size = len(election.members)
    return [made[r * size:(r + 1) * size] for r in range(rounds)]


@dataclass
class Session:
    cookie: str
    token: str


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed: SimpleCookie = SimpleCookie()
        parsed.load(header)
        jar.update({name: morsel.value for name, morsel in parsed.items()})


def _request(conn: http.client.HTTPConnection, method: str, path: str, jar: dict[str, str],
             body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    sent = dict(headers or {})
    if jar:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    data = response.read()
    _cookies(response, jar)
    return response.status, data


def _sign_in(conn: http.client.HTTPConnection, token: str) -> Session:
    """Follows a single-use link as a browser does, then opens the booth for its CSRF token."""
    jar: dict[str, str] = {}
    link = f"/sign-in/link/{token}/"
    _, page = _request(conn, "GET", link, jar)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": TOKEN.search(page).group(1).decode()})  # type: ignore[union-attr]
    status, _ = _request(conn, "POST", link, jar, form.encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302 and "sessionid" in jar, f"sign-in failed ({status})"
    status, page = _request(conn, "GET", f"/ballots/{SLUG}/vote/", jar)
    found = TOKEN.search(page)
    assert status == 200 and found, f"booth page failed ({status})"
    return Session("; ".join(f"{k}={v}" for k, v in jar.items()), found.group(1).decode())


def _in_threads(port: int, clients: int, count: int, work: Any) -> list[Any]:
    """Runs work(i, conn) for i in 0..count-1 on `clients` threads, each with its own
    keep-alive connection to the server; returns the results in order."""
    results: list[Any] = [None] * count
    failures: list[BaseException] = []
    cursor = iter(range(count))
    lock = threading.Lock()

    def loop() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                index = None if failures else next(cursor, None)
            if index is None:
                conn.close()
                return
            try:
                results[index] = work(index, conn)
            except BaseException as error:
                with lock:
                    failures.append(error)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


@dataclass
class _Cast:
    sessions: list[Session]
    ballots: list[bytes]

    def __call__(self, index: int, conn: http.client.HTTPConnection) -> float:
        session = self.sessions[index]
        started = time.perf_counter()
        conn.request("POST", f"/ballots/{SLUG}/vote/cast/", body=self.ballots[index], headers={
            "Content-Type": "application/json", "X-CSRFToken": session.token,
            "Cookie": session.cookie})
        response = conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        assert response.status == 200 and b'"new": true' in data, (response.status, data[:300])
        return elapsed


def _cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and its children (gunicorn's workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _database_cpu_seconds() -> dict[int, float] | None:
    """CPU time of each PostgreSQL backend serving this benchmark's database, by process
    id (None on SQLite, where the database works inside the server's processes)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def _database_cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """The backends' CPU between two readings: of those alive at the second, what they
    spent since the first (or since they started). A backend that exited meanwhile is
    not counted, so this is a lower bound, never a negative figure."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in after.items())


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _percentile(sorted_values: Sequence[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def _report(title: str, count: int, wall: float, latencies: list[float] | None,
            cpu: float | None) -> float:
    rate = count / wall
    print(f"\n{title}")
    print(f"  {count:,} casts in {wall:.1f} s: {rate:,.1f} casts/s")
    if latencies:
        ordered = sorted(latencies)
        print("  latency p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms".format(
            *(1000 * _percentile(ordered, f) for f in (0.50, 0.95, 0.99))))
    if cpu is not None:
        print(f"  server CPU {1000 * cpu / count:.1f} ms per cast")
    print(f"  {MEMBERS_TARGET:,} ballots at this rate: {MEMBERS_TARGET / rate / 3600:.2f} h")
    return rate


@dataclass
class HttpFigures:
    rate: float
    server_cpu: float
    database_cpu: float | None
    count: int
    sessions: list[Session]


def _serve_and_cast(args: argparse.Namespace, port: int, election: Election,
                    ballots: list[bytes], log: Path) -> HttpFigures:
    from django.db import connections

    from omov.accounts.actions import create_login_link

    tokens = [create_login_link(m, by=None) for m in election.members]
    connections.close_all()
    server = subprocess.Popen(
        [sys.executable, "-m", "omov.cli", "serve", "--port", str(port), "--no-schedule",
         "--workers", str(args.server_workers), "--threads", str(args.server_threads)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "serve failed"
                time.sleep(0.2)
        started = time.perf_counter()
        sessions = _in_threads(port, args.clients, len(tokens), _Signer(tokens))
        print(f"  signed in {len(sessions):,} members over HTTP in "
              f"{time.perf_counter() - started:.1f} s (not timed below)")
        cpu_before, database_before = _cpu_seconds(server.pid), _database_cpu_seconds()
        started = time.perf_counter()
        latencies = _in_threads(port, args.clients, len(ballots), _Cast(sessions, ballots))
        wall = time.perf_counter() - started
        cpu = _cpu_seconds(server.pid) - cpu_before
        database_after = _database_cpu_seconds()
        rate = _report(f"1. Over HTTP: omov serve (gunicorn, {args.server_workers} workers x "
                       f"{args.server_threads} threads), {args.clients} clients ({_load()})",
                       len(ballots), wall, latencies, cpu)
        database = None
        if database_before is not None and database_after is not None:
            database = _database_cpu_spent(database_before, database_after)
            print(f"  database CPU {1000 * database / len(ballots):.1f} ms per cast "
                  "(the PostgreSQL backends of this database alive at the end; a lower bound)")
        return HttpFigures(rate, cpu, database, len(ballots), sessions)
    except BaseException:
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class _Signer:
    tokens: list[str]

    def __call__(self, index: int, conn: http.client.HTTPConnection) -> Session:
        return _sign_in(conn, self.tokens[index])


def _verify_chunk(raws: list[bytes]) -> int:
    """In a worker: verify_ballot on each ballot (the context was set before the fork)."""
    from omov.crypto.ballot import verify_ballot
    from omov.crypto.canonical import parse_json

    assert _worker_setup is not None
    for raw in raws:
        verify_ballot(_worker_setup[0], parse_json(raw))
    return len(raws)


def _verify_rate(election: Election, ballots: list[bytes], workers: int) -> float:
    """Ballots per second that parse + verify_ballot alone reach on `workers` processes."""
    global _worker_setup
    from django.db import connections

    from omov.ballots import state

    _worker_setup = (state.election_context(election.ballot), b"")
    connections.close_all()
    chunks = [ballots[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_verify_chunk, chunks))
        wall = time.perf_counter() - started
    return done / wall


def _in_process(election: Election, ballots: list[bytes], http: HttpFigures,
                workers: int) -> None:
    from omov.ballots import state
    from omov.ballots.actions.voting import cast_ballot
    from omov.crypto.ballot import verify_ballot
    from omov.crypto.canonical import parse_json

    ballot = election.ballot
    context = state.election_context(ballot)
    started = time.process_time()
    for raw in ballots:
        verify_ballot(context, parse_json(raw))
    protocol = (time.process_time() - started) / len(ballots)
    verify_rate = _verify_rate(election, ballots, workers)
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    for member, raw in zip(election.members, ballots, strict=True):
        assert cast_ballot(ballot, member, raw).new
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    _report(f"2. In process: the cast_ballot action (one thread, no HTTP; {_load()})",
            len(ballots), wall, None, None)
    count = len(ballots)
    print(f"  CPU {1000 * cpu / count:.1f} ms per cast, of which parse + verify_ballot "
          f"{1000 * protocol:.2f} ms; the rest (roll, rate limit, board append, "
          f"receipt, email) {1000 * (cpu / count - protocol):.1f} ms")
    server = http.server_cpu / http.count
    print("\n3. Ratios (this run)")
    print(f"  server CPU per cast over HTTP / parse + verify_ballot: {server / protocol:.1f}x "
          f"({1000 * server:.2f} ms / {1000 * protocol:.2f} ms; target at most 4x)")
    if http.database_cpu is not None:
        whole = server + http.database_cpu / http.count
        print(f"  with the database's CPU too: {whole / protocol:.1f}x")
    print(f"  parse + verify_ballot alone on {workers} processes: {verify_rate:,.0f} ballots/s; "
          f"casts over HTTP reached {http.rate:,.1f}/s, {100 * http.rate / verify_rate:.1f}% "
          "of it")


def _wsgi_cast(application: Any, session: Session, raw: bytes) -> None:
    """One cast through the WSGI application in this process, as gunicorn hands it over."""
    import io

    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": f"/ballots/{SLUG}/vote/cast/",
        "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(raw)),
        "HTTP_COOKIE": session.cookie, "HTTP_X_CSRFTOKEN": session.token,
        "wsgi.input": io.BytesIO(raw), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[str] = []
    body = b"".join(application(environ, lambda code, headers, info=None: status.append(code)))
    assert status[0].startswith("200") and b'"new": true' in body, (status, body[:300])


def _profile(election: Election, ballots: list[bytes], http: HttpFigures, top: int) -> None:
    """Profiles casts through the WSGI application in this process (one at a time, so
    each is its own batch), counting CPU time: where the server's time goes."""
    import cProfile
    import pstats

    from omov.web.wsgi import application

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for session, raw in zip(http.sessions, ballots, strict=True):
        _wsgi_cast(application, session, raw)
    profiler.disable()
    print(f"\n4. Profile: {len(ballots):,} casts through the WSGI application in this process "
          f"(CPU time under cProfile, which slows Python code most; {_load()})")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--electors", type=int, default=2000, help="N electors (default 2000)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes pre-encrypting the ballots")
    parser.add_argument("--server-workers", type=int, default=os.cpu_count() or 1,
                        help="omov serve --workers: web processes (default: the core count)")
    parser.add_argument("--server-threads", type=int, default=4,
                        help="omov serve --threads: requests each web process serves at once")
    parser.add_argument("--database-url", help="an empty database (default: fresh SQLite)")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP",
                        help="then profile a third ballot per elector cast through the WSGI "
                             "application in process, printing the TOP functions")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="omov-bench-") as temporary:
        port, _ = _configure(args, Path(temporary))
        from omov.web.bootstrap import migrate, setup_django

        setup_django()
        migrate()
        database = os.environ["DATABASE_URL"].split(":", 1)[0]
        print(f"Cast benchmark: {args.electors:,} electors, {database}, "
              f"{os.cpu_count()} cores, {_load()}")
        started = time.perf_counter()
        election = _build(args.electors)
        print(f"  open ballot built in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        first, second, *third = _pre_encrypt(election, 3 if args.profile else 2, args.workers)
        print(f"  {2 * len(first):,} ballots pre-encrypted in {time.perf_counter() - started:.1f} s"
              f" ({args.workers} processes)")
        http = _serve_and_cast(args, port, election, first, Path(temporary) / "serve.log")
        _in_process(election, second, http, args.workers)
        if args.profile:
            _profile(election, third[0], http, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
