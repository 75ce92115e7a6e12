"""A request while the database is down answers 503 with a message, never a bare 500;
a cast says that it could not be confirmed and that sending it again is safe."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from omov.ballots import simulation
from omov.ballots.models import BoardEntry
from omov.crypto.canonical import canonical_json
from omov.web.views import CAST_NOT_CONFIRMED, DATABASE_DOWN

from .helpers import sign_in
from .test_ballots_helpers import opened


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _database_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """PostgreSQL: this test's connection points at a port nobody listens on (the shared
    server keeps running). SQLite's test database lives in memory and cannot be taken
    away, so there the connection refuses as a dead server's would."""
    if connection.vendor == "postgresql":
        saved = dict(connection.settings_dict)
        connection.close()
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": str(_closed_port())})
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    else:
        def refuse(*args: object, **kwargs: object) -> None:
            raise OperationalError("connection refused")

        monkeypatch.setattr(type(connections["default"]), "_cursor", refuse)
        yield
        monkeypatch.undo()


@pytest.mark.django_db(transaction=True)
def test_a_cast_while_the_database_is_down_is_a_503_that_says_to_send_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    client = sign_in(Client(raise_request_exception=False), voter)
    raw = canonical_json(simulation.prepare(election.ballot, election.code(voter), [[1, 0]],
                                            election.rng).ballot)
    url = reverse("ballots:cast", args=[election.ballot.slug])
    with _database_down(monkeypatch):
        response = client.post(url, raw, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"] == CAST_NOT_CONFIRMED
    assert response["Retry-After"] == "30"
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="ballot").exists()
    again = client.post(url, raw, content_type="application/json")  # the database is back
    assert again.status_code == 200 and again.json()["new"] is True


@pytest.mark.django_db(transaction=True)
def test_a_page_while_the_database_is_down_is_a_503_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = Client(raise_request_exception=False)
    with _database_down(monkeypatch):
        response = client.get(reverse("ballots:list"))
    assert response.status_code == 503
    assert response.content.decode() == DATABASE_DOWN
