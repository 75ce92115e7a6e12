"""`omov serve` migrates first, then serves on the address asked for."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django import db

from omov.commands import serve
from omov.web import bootstrap


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(argv)


def test_serve_migrates_then_serves_on_the_given_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(bootstrap, "migrate", lambda verbose=False: calls.append("migrate"))
    monkeypatch.setattr(bootstrap, "start_schedule", lambda every: calls.append(f"every {every}"))
    monkeypatch.setattr(bootstrap, "start_mail_worker",
                        lambda every: calls.append(f"mail every {every}"))
    monkeypatch.setattr(bootstrap, "serve", lambda host, port: calls.append(f"{host}:{port}"))
    assert serve.run(parse("--host", "0.0.0.0", "--port", "8080")) == 0
    assert calls == ["migrate", "every 30.0", "mail every 2.0", "0.0.0.0:8080"]
    calls.clear()
    assert serve.run(parse("--no-schedule", "--port", "8080")) == 0
    assert calls == ["migrate", "127.0.0.1:8080"]
    calls.clear()
    assert serve.run(parse("--schedule-every", "2")) == 0
    assert calls == ["migrate", "every 2.0", "mail every 2.0", "127.0.0.1:8000"]


def test_serve_defaults_to_localhost_port_8000() -> None:
    args = parse()
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_the_schedule_thread_is_a_daemon_that_survives_a_failed_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rounds: list[int] = []
    closed: list[int] = []
    finished = threading.Event()

    def one_round(report: object) -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise RuntimeError("the database went away")
        finished.set()

    monkeypatch.setattr(bootstrap, "run_schedule_round", one_round)
    monkeypatch.setattr(db, "close_old_connections", lambda: closed.append(1))
    stop = bootstrap.start_schedule(0.01)
    assert finished.wait(10)
    stop.set()
    thread = next(t for t in threading.enumerate() if t.name == "omov-schedule")
    assert thread.daemon
    thread.join(10)
    assert not thread.is_alive()
    assert len(rounds) >= 2 and len(closed) >= 2


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_waits_for_an_absent_database_then_exits_with_a_clear_message(
    tmp_path: Path,
) -> None:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    environment["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{closed_port()}/omov"
    environment["OMOV_VAR_DIR"] = str(tmp_path)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "omov.cli", "serve", "--wait-for-db", "2.5"],
        env=environment, capture_output=True, text=True, timeout=60, check=False,
    )
    assert time.monotonic() - started >= 2.5
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.count("Waiting for the database") >= 2
    assert "the database did not answer within 2.5 s" in result.stdout
    assert "Serving omov" not in result.stdout


def test_serve_waits_for_the_database_before_migrating(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(bootstrap, "wait_for_database",
                        lambda limit, report: calls.append(f"wait {limit}") or True)
    monkeypatch.setattr(bootstrap, "migrate", lambda verbose=False: calls.append("migrate"))
    monkeypatch.setattr(bootstrap, "serve", lambda host, port: calls.append("serve"))
    assert serve.run(parse("--no-schedule", "--wait-for-db", "5")) == 0
    assert calls == ["wait 5.0", "migrate", "serve"]
    assert serve.run(parse("--wait-for-db", "-1")) == 2
