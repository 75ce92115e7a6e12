"""Django start-up shared by the web commands (`omov serve`, `omov schedule`, `omov demo`,
`omov mailworker`).

Settings read the environment once, at import, so anything a command wants to
change (debug, database) must be put in the environment before Django loads.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

Report = Callable[[str], object]


def setup_django(
    *, debug: bool | None = None, database_url: str | None = None, var_dir: Path | None = None
) -> None:
    """Configures the environment, then initialises Django's app registry."""
    if debug is not None:
        os.environ["OMOV_DEBUG"] = "1" if debug else "0"
    if database_url is not None:
        os.environ["DATABASE_URL"] = database_url
    if var_dir is not None:
        os.environ["OMOV_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omov.web.settings")
    import django

    django.setup()


def wait_for_database(limit: float, *, report: Report, every: float = 1.0) -> bool:
    """Tries to connect until the database answers or `limit` seconds have passed.

    A database started alongside omov (a container, a service at boot) may not
    be up yet; `omov serve` waits for it instead of exiting at once. Returns
    whether it answered.
    """
    from django.db import OperationalError, connection

    deadline = time.monotonic() + limit
    while True:
        try:
            connection.ensure_connection()
            return True
        except OperationalError as error:
            left = deadline - time.monotonic()
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
            if left <= 0:
                return False
            report(f"Waiting for the database ({reason}); giving up in {left:.0f} s")
            connection.close()
            time.sleep(min(every, left))


def migrate(*, verbose: bool = False) -> None:
    """Brings the database schema up to date."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def run_schedule_round(*, report: Report) -> None:
    """One round of the ballot schedule at the current time; `report` gets each step in words."""
    from django.utils import timezone

    from omov.ballots.actions.schedule import run_round

    for step in run_round(timezone.now()):
        report(f"schedule: {step}")


def _schedule_loop(every: float, stop: threading.Event) -> None:
    """Runs a round every `every` seconds until `stop`; a failed round is reported, not fatal."""
    from django.db import close_old_connections

    while not stop.is_set():
        try:
            run_schedule_round(report=lambda line: print(line, flush=True))
        except Exception:  # the next round retries; the server must keep serving
            print("schedule: the round failed:", file=sys.stderr, flush=True)
            traceback.print_exc()
        finally:
            close_old_connections()
        stop.wait(every)


def start_schedule(every: float) -> threading.Event:
    """Starts the schedule in a daemon thread (it never keeps the process alive); set the
    returned event to stop it after its current round."""
    stop = threading.Event()
    threading.Thread(target=_schedule_loop, args=(every, stop), name="omov-schedule",
                     daemon=True).start()
    return stop


def start_mail_worker(every: float) -> threading.Event:
    """Starts the outbox's mail worker in a daemon thread: a round every `every` seconds,
    and at once when this process commits mail. Set the returned event to stop it."""
    from django.db import connection

    from omov.web import outbox

    def work() -> None:
        try:
            outbox.deliver_until(stop, every, report=lambda line: print(line, flush=True))
        finally:
            connection.close()  # this thread's own connection

    stop = threading.Event()
    threading.Thread(target=work, name="omov-mail", daemon=True).start()
    return stop


def serve(host: str, port: int) -> None:
    """Serves the WSGI application with waitress until interrupted."""
    import waitress

    from omov.web.wsgi import application

    print(f"Serving omov on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    # Forwarded headers reach omov.web.proxy, which believes trusted proxies only.
    waitress.serve(application, host=host, port=port, threads=8,
                   clear_untrusted_proxy_headers=False)
