"""`omov serve` migrates first, then serves on the address asked for."""

from __future__ import annotations

import argparse
import threading

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
    monkeypatch.setattr(bootstrap, "serve", lambda host, port: calls.append(f"{host}:{port}"))
    assert serve.run(parse("--host", "0.0.0.0", "--port", "8080")) == 0
    assert calls == ["migrate", "every 30.0", "0.0.0.0:8080"]
    calls.clear()
    assert serve.run(parse("--no-schedule", "--port", "8080")) == 0
    assert calls == ["migrate", "127.0.0.1:8080"]
    calls.clear()
    assert serve.run(parse("--schedule-every", "2")) == 0
    assert calls == ["migrate", "every 2.0", "127.0.0.1:8000"]


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
