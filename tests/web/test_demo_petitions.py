"""The demo tells the petitions story: Camden's letter, and a ballot petition past its threshold."""

from __future__ import annotations

import random

import pytest

from omov.demo.seed import SEED_STEPS, DemoContext, DemoOptions
from omov.members.models import today
from omov.petitions import signature_log
from omov.petitions.models import Kind, Petition, Signature, Visibility
from omov.record.petition import verify_petition_lines

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_open_letter_and_the_ballot_petition() -> None:
    context = DemoContext(options=DemoOptions(members=120), rng=random.Random(1), today=today())
    for step in SEED_STEPS:
        step(context)
    letter = Petition.objects.get(kind=Kind.OPEN_LETTER)
    assert signature_log.load(letter).state.count == 40
    unnamed = Signature.objects.filter(petition=letter).exclude(visibility=Visibility.PUBLIC)
    assert unnamed.count() >= 20
    assert verify_petition_lines(signature_log.download(letter).splitlines()).ok
    ballot_petition = Petition.objects.get(kind=Kind.BALLOT_PETITION)
    assert ballot_petition.ballot_due is not None
    assert any("Camden's open letter" in line for line in context.notes)
