"""`omov serve`'s web server: gunicorn, one worker process per core.

The protocol's checks are pure-Python CPU work (ballot proofs), and one
Python process uses one core, so `omov serve` runs several: gunicorn's
master forks `workers` processes that each serve `threads` requests at once.
gunicorn is long established, pure Python (no compiler) and runs
Django's WSGI application as it is. The master forks after the application is
imported and every database connection closed, so no worker shares one.

Forwarded headers are left for omov.web.proxy, which believes
OMOV_TRUSTED_PROXIES only: gunicorn itself trusts no proxy.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms worker=%(p)s'


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from omov.web.wsgi import application

        return application


def options(host: str, port: int, *, workers: int, threads: int,
            access_log: bool) -> dict[str, Any]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "forwarded_allow_ips": "",
        "proc_name": "omov",
        "timeout": 120,
        "graceful_timeout": 30,
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
    }


def serve(host: str, port: int, *, workers: int, threads: int, access_log: bool) -> None:
    """Serves until interrupted (SIGINT or SIGTERM stop the workers gracefully)."""
    from django.db import connections

    connections.close_all()
    print(f"Serving omov on http://{host}:{port}/ with {workers} worker processes of "
          f"{threads} threads (Ctrl-C to stop)", flush=True)
    _Gunicorn(options(host, port, workers=workers, threads=threads,
                      access_log=access_log)).run()
