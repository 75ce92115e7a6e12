"""The demo holds a finished election: two regional posts counted by STV with a gender
balance rule, shuffled, decrypted and published, with a record `omov verify` passes."""

from __future__ import annotations

import html
import random
import re
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from omov.ballots import board
from omov.ballots.models import Phase
from omov.cli import main
from omov.demo.seed import SEED_STEPS, DemoContext, DemoOptions
from omov.elections.demo_finished import SLUG, seed_finished_election
from omov.elections.models import Election, Nomination, Ruling, Stage
from omov.members.models import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Election:
    context = DemoContext(options=DemoOptions(members=200), rng=random.Random(1), today=today())
    elapsed = 0.0
    for step in SEED_STEPS:
        started = time.perf_counter()
        step(context)
        if step is seed_finished_election:
            elapsed = time.perf_counter() - started
    print(f"demo finished-election step: {elapsed:.1f} s")
    return Election.objects.get(slug=SLUG)


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_demo_election_is_counted_round_by_round_and_its_record_verifies(
        seeded: Election, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    election = seeded
    assert election.stage == Stage.BALLOT
    assert [(p.title, p.seats, p.method, p.balance_at_least) for p in election.posts.all()] == [
        ("North region seats", 3, "stv", 2), ("South region seats", 3, "stv", 2)]
    assert Nomination.objects.filter(post__election=election, ruling=Ruling.VALID).count() == 8
    ballot = election.ballot
    assert ballot is not None and ballot.phase == Phase.PUBLISHED and ballot.verified is True
    (result,) = board.bodies(ballot, "result")
    assert [c["question"] for c in result["counts"]] == ["q1", "q2"]
    north, south = (c["count"] for c in result["counts"])
    assert north["ballots"] == south["ballots"] == 50 and north["quota"] == 13

    page = _text(Client().get(reverse("ballots:results", args=[ballot.slug])).content.decode())
    assert page.count("quota 13") == 2
    assert "Round 1: first preferences" in page
    assert page.count("The count round by round") == 2
    assert 'Balance rule "women": at least 2' in page
    # North: the second man has more votes than the second woman when the rule excludes him.
    women = [n.nominee.name for n in Nomination.objects.filter(
        post__election=election, post__position=0, declares_balance=True)]
    men = [n.nominee.name for n in Nomination.objects.filter(
        post__election=election, post__position=0, declares_balance=False)]
    excluded = re.search(r"every seat left is owed to a balance group: ([^;]+?) excluded", page)
    assert excluded is not None and excluded.group(1) in men
    elected = re.search(r"Elected: ([^.]+)\.", page[page.index("1. North"):])
    assert elected is not None and all(name in elected.group(1) for name in women)
    assert excluded.group(1) not in elected.group(1)
    first = re.search(r"Round 1: first preferences: ([^.]+)\.", page)
    assert first is not None
    votes = dict(part.rsplit(" ", 1) for part in first.group(1).split(", "))
    assert int(votes[excluded.group(1)]) > min(int(votes[name]) for name in women)
    assert "Excluded by the balance rule" in page
    assert (f"{excluded.group(1)} excluded with {votes[excluded.group(1)]} votes, more than "
            in page and "elected by the balance rule;" in page)

    detail = Client().get(reverse("elections:detail", args=[election.slug]))
    assert detail.status_code == 200 and "National committee elections 2026" in _text(
        detail.content.decode())

    record = tmp_path / "record.omov.jsonl"
    record.write_bytes(b"".join(board.lines(ballot)))
    assert main(["verify", "--jobs", "1", str(record)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("VALID")
