"""Runs a real `omov serve` in a subprocess, on a fresh SQLite database, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path,
                  limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


@dataclass
class LiveServer:
    port: int
    database: Path
    log: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log.read_text()


@contextmanager
def omov_serve(work: Path, *arguments: str, **environment: str) -> Iterator[LiveServer]:
    """`omov serve` on a free port with production settings and `environment` added."""
    port = free_port()
    database = work / "omov.sqlite3"
    env = {key: value for key, value in os.environ.items()
           if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"OMOV_VAR_DIR": str(work), "DATABASE_URL": f"sqlite:///{database}",
                "OMOV_DEBUG": "0", "PYTHONUNBUFFERED": "1", **environment})
    log = work / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "omov.cli", "serve", "--port", str(port), *arguments],
            env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, process, log)
        yield LiveServer(port, database, log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
