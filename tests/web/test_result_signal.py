"""Ballots announce a published result through a signal that higher apps subscribe to."""

from __future__ import annotations

from typing import Any

import pytest

from omov.ballots import simulation
from omov.ballots.actions import counting
from omov.ballots.models import Ballot, Phase
from omov.ballots.signals import result_published

from .test_ballots_helpers import closed, opened

pytestmark = pytest.mark.django_db(transaction=False)


def _published_election() -> Any:
    election = opened(voters=1)
    voter = election.voters[0]
    simulation.vote(election.ballot, voter, election.code(voter), [[1, 0]], election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    return election


def test_publishing_a_result_sends_the_signal_with_the_totals() -> None:
    heard: list[dict[str, Any]] = []

    def listen(sender: type[Ballot], **kwargs: Any) -> None:
        heard.append({"sender": sender, **kwargs})

    result_published.connect(listen)
    try:
        election = _published_election()
        counting.publish_result(election.refresh(), by=election.organiser)
    finally:
        result_published.disconnect(listen)
    assert len(heard) == 1
    assert heard[0]["ballot"].phase == Phase.PUBLISHED
    assert heard[0]["ballot"].totals is not None
    assert heard[0]["by"] == election.organiser


def test_a_failing_receiver_rolls_the_publication_back() -> None:
    def refuse(sender: type[Ballot], **kwargs: Any) -> None:
        raise RuntimeError("consequence could not be applied")

    result_published.connect(refuse)
    try:
        election = _published_election()
        with pytest.raises(RuntimeError):
            counting.publish_result(election.refresh(), by=election.organiser)
    finally:
        result_published.disconnect(refuse)
    assert election.refresh().phase == Phase.TALLIED
