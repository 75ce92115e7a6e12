"""The demo holds an open nominations period, built through the elections actions."""

from __future__ import annotations

import random
import time

import pytest
from django.test import Client
from django.urls import reverse

from omov.demo import seed
from omov.demo.seed import SEED_STEPS, DemoContext, DemoOptions
from omov.elections.demo import seed_nominations
from omov.elections.models import Election, Endorsement, Nomination, Ruling, Stage
from omov.members.models import today

pytestmark = pytest.mark.django_db


def test_demo_seeds_an_open_nominations_period_quickly() -> None:
    context = DemoContext(options=DemoOptions(members=120), rng=random.Random(1), today=today())
    for step in SEED_STEPS:
        if step is seed_nominations:
            started = time.perf_counter()
        step(context)
    elapsed = time.perf_counter() - started
    election = Election.objects.get(slug="national-committee-2027")
    assert election.stage == Stage.NOMINATIONS
    assert [(p.title, p.seats, p.method, p.balance_at_least) for p in election.posts.all()] == [
        ("North region seats", 3, "stv", 2), ("South region seats", 3, "stv", 2),
        ("Chair", 1, "irv", 0)]
    assert Nomination.objects.filter(post__election=election, ruling=Ruling.VALID).count() == 6
    assert Nomination.objects.filter(slate__name="Members First").count() == 2
    assert Endorsement.objects.get().decision.kind == "endorsement"
    assert context.sample_member is not None
    waiting = Nomination.objects.filter(nominee=context.sample_member, accepted_at=None)
    assert waiting.count() == 1
    page = Client().get(reverse("elections:detail", args=[election.slug])).content.decode()
    assert "Members First" in page and "They are open now" in page
    print(f"demo elections step: {elapsed:.2f} s")
    assert seed_nominations in seed.SEED_STEPS
