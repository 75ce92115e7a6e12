"""The server stamps every board entry with its own time (docs/protocol.md 10.1)."""

from __future__ import annotations

import datetime
from unittest import mock

from django.utils import timezone

from omov.ballots import board, simulation
from omov.ballots.models import BoardEntry
from omov.crypto.canonical import parse_json
from omov.record.board import is_entry_time

from .test_ballots_helpers import opened


def stamps(ballot: object) -> list[str]:
    lines = BoardEntry.objects.filter(ballot=ballot).order_by("index").values_list("line",
                                                                                   flat=True)
    return [parse_json(line)["time"] for line in lines]


def test_every_entry_carries_the_servers_time_in_board_order() -> None:
    election = opened(voters=2)
    before = timezone.now()
    voter = election.voters[0]
    cast = simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    after = timezone.now()
    times = stamps(election.ballot)
    assert all(is_entry_time(time) for time in times)
    assert times == sorted(times)
    entry = BoardEntry.objects.get(ballot=election.ballot, index=cast.index)
    assert before <= board.time_of(entry) <= after


def test_a_clock_that_steps_back_never_makes_times_go_backwards() -> None:
    election = opened(voters=2)
    last = board.time_of(BoardEntry.objects.filter(ballot=election.ballot).order_by("-index")[0])
    voter = election.voters[0]
    earlier = last - datetime.timedelta(hours=1)
    with mock.patch("omov.ballots.board.timezone.now", return_value=earlier):
        cast = simulation.vote(election.ballot, voter, election.code(voter), [[0, 1]],
                               election.rng)
    entry = BoardEntry.objects.get(ballot=election.ballot, index=cast.index)
    assert board.time_of(entry) == last
    assert stamps(election.ballot) == sorted(stamps(election.ballot))
