"""Results in words from the published record: outcome, percentages, turnout against
any quorum, ties and their rule, a CSV of the totals, and safe turnout by local group."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from omov.ballots import hooks, simulation
from omov.ballots.actions import counting
from omov.ballots.group_turnout import OTHERS
from omov.ballots.hooks import ResultRules
from omov.ballots.models import VoteReceipt

from .helpers import client_for, member
from .test_ballots_helpers import Election, closed, opened

YES, NO = [[1, 0]], [[0, 1]]


def _finish(election: Election, votes: list[list[list[int]]]) -> str:
    for voter, selections in zip(election.voters, votes, strict=False):
        simulation.vote(election.ballot, voter, election.code(voter), selections, election.rng)
    closed(election)
    simulation.decrypt(election.ballot, election.states, election.rng, trustees=[1, 2])
    counting.publish_result(election.refresh(), by=election.organiser)
    return client_for(election.voters[0]).get(
        reverse("ballots:results", args=[election.ballot.slug])).content.decode()


def test_a_yes_no_result_says_the_outcome_percentages_and_turnout() -> None:
    election = opened(voters=3)
    page = _finish(election, [YES, YES, NO])
    assert "Yes: 67% of the yes and no votes (2 of 3): passed." in page
    assert "Turnout 38%: 3 of 8 eligible members voted (no quorum applies)." in page
    assert "66.7%" in page and "33.3%" in page


def test_the_figures_come_from_the_record_not_the_database() -> None:
    election = opened(voters=3)
    _finish(election, [YES, NO, NO])
    ballot = election.refresh()
    ballot.totals, ballot.counted = [[3, 0]], 99
    ballot.save()
    page = client_for(election.voters[0]).get(
        reverse("ballots:results", args=[ballot.slug])).content.decode()
    assert "Yes: 33% of the yes and no votes (1 of 3): not passed." in page
    assert "3 of 8 eligible" in page


def test_a_tie_does_not_pass_and_says_so() -> None:
    election = opened(voters=2)
    page = _finish(election, [YES, NO])
    assert "a tie does not pass" in page and "not passed" in page


def test_a_tie_for_the_last_seat_is_shown_with_the_rule_that_breaks_it() -> None:
    election = opened(voters=3, kinds=("block",))  # Ann, Bo, Cy, Di; two seats
    page = _finish(election, [[[1, 1, 0, 0]], [[1, 0, 1, 0]], [[0, 0, 0, 1]]])
    assert "Elected: Ann. Not decided by the count: a tie." in page
    assert "Bo, Cy, Di are tied with 1 votes each for the last place." in page
    assert "decided by lot" in page


def test_a_block_vote_names_who_is_elected() -> None:
    election = opened(voters=3, kinds=("block",))
    page = _finish(election, [[[1, 1, 0, 0]], [[1, 1, 0, 0]], [[0, 1, 1, 0]]])
    assert "Elected: Bo, Ann." in page


def test_turnout_is_read_against_a_quorum_when_one_applies(monkeypatch: Any) -> None:
    monkeypatch.setattr(hooks, "_result_rules", [
        lambda ballot: ResultRules(quorum_percent=60.0, majority_percent=66.0,
                                   source="the rules for a test")])
    election = opened(voters=3)
    page = _finish(election, [YES, YES, NO])
    assert "the quorum is 60%, NOT reached" in page
    assert "Yes: 67% of the yes and no votes (2 of 3), but turnout is below the quorum: " \
        "not passed." in page
    assert "more than 66% of the yes and no votes" in page


def test_the_totals_download_as_csv() -> None:
    election = opened(voters=3)
    _finish(election, [YES, YES, NO])
    response = client_for(election.voters[0]).get(
        reverse("ballots:results_csv", args=[election.ballot.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["option"], r["votes"], r["percent_of_counted"]) for r in rows] == [
        ("Yes", "2", "66.7"), ("No", "1", "33.3")]
    assert rows[0]["eligible"] == "8"


def test_the_csv_waits_for_the_result() -> None:
    election = opened(voters=1)
    response = client_for(election.voters[0]).get(
        reverse("ballots:results_csv", args=[election.ballot.slug]))
    assert response.status_code == 404


@pytest.mark.slow
def test_turnout_by_group_is_shown_only_where_it_tells_nobodys_vote() -> None:
    hackney = [member(f"Hackney {n}", group="Hackney") for n in range(22)]
    [member(f"Bristol {n}", group="Bristol") for n in range(3)]
    election = opened(voters=22)
    for person in [*election.voters[:6], *hackney[:6]]:
        simulation.vote(election.ballot, person, election.code(person), YES, election.rng)
    closed(election)
    assert not VoteReceipt.objects.filter(ballot=election.ballot).exists()
    rows = election.refresh().group_turnout
    assert rows == [["Camden", 6, 27], [OTHERS, 6, 25]], (
        "Bristol (3) is too small, and alone it would be the total less the rest: Hackney, "
        "the smallest shown, joins it")
    page = client_for(election.organiser).get(
        reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert "Turnout by local group" in page and "at least 20 eligible members" in page
    assert "Hackney" not in page.split("Turnout by local group")[1]
    voter_page = client_for(election.voters[0]).get(
        reverse("ballots:detail", args=[election.ballot.slug])).content.decode()
    assert "Turnout by local group" not in voter_page


def test_check_it_yourself_gives_the_source_address_and_the_exact_command(
        settings: Any) -> None:
    election = opened(voters=1)
    page = _finish(election, [YES])
    slug = election.ballot.slug
    assert f".venv/bin/omov verify {slug}.omov.jsonl" in page
    assert "ask an organiser for the address" in page
    settings.OMOV_SOURCE_URL = "https://git.example.org/omov.git"
    page = client_for(election.voters[0]).get(
        reverse("ballots:results", args=[slug])).content.decode()
    assert "git clone https://git.example.org/omov.git omov &amp;&amp; cd omov &amp;&amp; " \
        "scripts/setup" in page
