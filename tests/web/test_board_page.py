"""The board marks a replaced ballot, and finds a tracker however it is typed."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from omov.ballots import simulation
from omov.ballots.trackers import tracker_prefix

from .test_ballots_helpers import opened

YES, NO = [[1, 0]], [[0, 1]]


def test_a_tracker_is_found_without_hyphens_in_any_case_and_with_confusable_letters() -> None:
    assert tracker_prefix("maz2y2msb6vphw94") == "MAZ2-Y2MS-B6VP-HW94"
    assert tracker_prefix(" maz2 y2ms-b6 ") == "MAZ2-Y2MS-B6"
    assert tracker_prefix("1O0L") == "1001"
    election = opened(voters=2)
    first = simulation.vote(election.ballot, election.voters[0],
                            election.code(election.voters[0]), YES, election.rng)
    simulation.vote(election.ballot, election.voters[1], election.code(election.voters[1]),
                    NO, election.rng)
    typed = first.tracker.replace("-", "").lower()
    page = Client().get(reverse("ballots:board", args=[election.ballot.slug]),
                        {"tracker": typed}).content.decode()
    found = re.findall(r'<code class="tracker">([0-9A-Z-]+)</code>', page)
    assert found == [first.tracker]
    assert f'value="{typed}"' in page


def test_a_ballot_replaced_by_a_later_one_from_the_same_voter_is_marked() -> None:
    election = opened(voters=2)
    voter, other = election.voters
    earlier = simulation.vote(election.ballot, voter, election.code(voter), YES, election.rng)
    simulation.vote(election.ballot, other, election.code(other), YES, election.rng)
    later = simulation.vote(election.ballot, voter, election.code(voter), NO, election.rng)
    page = Client().get(reverse("ballots:board", args=[election.ballot.slug])).content.decode()
    rows = dict(re.findall(r'<code class="tracker">([0-9A-Z-]+)</code></td><td>(.*?)</td>', page))
    assert "replaced" in rows[earlier.tracker]
    assert rows[later.tracker] == "cast"
    assert sum("replaced" in value for value in rows.values()) == 1
