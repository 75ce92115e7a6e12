"""`omov serve` migrates first, then serves on the address asked for."""

from __future__ import annotations

import argparse

import pytest

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
    monkeypatch.setattr(bootstrap, "serve", lambda host, port: calls.append(f"{host}:{port}"))
    assert serve.run(parse("--host", "0.0.0.0", "--port", "8080")) == 0
    assert calls == ["migrate", "0.0.0.0:8080"]


def test_serve_defaults_to_localhost_port_8000() -> None:
    args = parse()
    assert (args.host, args.port) == ("127.0.0.1", 8000)
