"""`omov serve` migrates first, then serves on the address asked for."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from omov.commands import serve
from omov.web import background, bootstrap, server


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(argv)


def fake_serving(monkeypatch: pytest.MonkeyPatch, calls: list[str]) -> None:
    monkeypatch.setattr(bootstrap, "migrate", lambda verbose=False: calls.append("migrate"))

    def start(rounds: list[background.Round]) -> str:
        calls.extend(f"{r.name} every {r.every}" for r in rounds)
        return "process"

    monkeypatch.setattr(background, "start_background", start)
    monkeypatch.setattr(background, "stop_background", lambda process: calls.append("stop"))
    monkeypatch.setattr(server, "serve", lambda host, port, workers, threads, access_log:
                        calls.append(f"{host}:{port} {workers}x{threads}"))


def test_serve_migrates_then_serves_on_the_given_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    fake_serving(monkeypatch, calls)
    assert serve.run(parse("--host", "0.0.0.0", "--port", "8080", "--workers", "3")) == 0
    assert calls == ["migrate", "schedule every 30.0", "mail every 2.0", "0.0.0.0:8080 3x4", "stop"]
    calls.clear()
    assert serve.run(parse("--no-schedule", "--port", "8080", "--workers", "1")) == 0
    assert calls == ["migrate", "127.0.0.1:8080 1x4"]
    calls.clear()
    assert serve.run(parse("--schedule-every", "2", "--workers", "2", "--threads", "1")) == 0
    assert calls == ["migrate", "schedule every 2.0", "mail every 2.0", "127.0.0.1:8000 2x1",
                     "stop"]
    assert serve.run(parse("--workers", "0")) == 2


def test_workers_default_to_the_core_count() -> None:
    assert parse().workers == len(os.sched_getaffinity(0))


def test_serve_defaults_to_localhost_port_8000() -> None:
    args = parse()
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_the_background_rounds_each_run_when_due_and_survive_a_failure() -> None:
    now = [0.0]
    ran: list[str] = []

    def failing() -> None:
        ran.append("mail")
        raise RuntimeError("the SMTP server went away")

    rounds = [background.Round("schedule", 30, lambda: ran.append("schedule")),
              background.Round("mail", 10, failing)]

    def sleep(seconds: float) -> None:
        assert 0 <= seconds <= 1
        now[0] += 1

    background.run_rounds(rounds, keep_going=lambda: now[0] < 61, clock=lambda: now[0],
                          sleep=sleep)
    assert ran.count("schedule") == 3  # at 0, 30 and 60 s
    assert ran.count("mail") == 7  # every 10 s, although each one fails


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
    monkeypatch.setattr(server, "serve", lambda host, port, **options: calls.append("serve"))
    assert serve.run(parse("--no-schedule", "--wait-for-db", "5")) == 0
    assert calls == ["wait 5.0", "migrate", "serve"]
    assert serve.run(parse("--wait-for-db", "-1")) == 2
