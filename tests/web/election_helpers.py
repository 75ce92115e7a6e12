"""An election with nominations open now, and its posts, for the elections tests."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from omov.elections.actions import setup
from omov.elections.models import Election, Post
from omov.members.models import Member

from .helpers import organiser

_serial = itertools.count(1)


def election(*, order: str = "lot", by: Member | None = None, days_left: int = 3,
             local_group: object = None) -> Election:
    now = timezone.now()
    return setup.create_election(
        slug=f"election-{next(_serial)}", title="National committee elections",
        description="", local_group=local_group,  # type: ignore[arg-type]
        nominations_open_at=now - datetime.timedelta(days=1),
        nominations_close_at=now + datetime.timedelta(days=days_left),
        candidate_order=order, by=by or organiser(f"Org {next(_serial)}"))


def post(of: Election, *, title: str = "North region seats", seats: int = 3,
         months: int = 6, supporters: int = 2, groups: int = 1, words: int = 20,
         balance: int = 0, method: str | None = None) -> Post:
    return setup.add_post(
        of, title=title, seats=seats, method=method, eligibility_months=months,
        supporters_needed=supporters, groups_needed=groups, word_limit=words,
        balance_label="women" if balance else "", balance_at_least=balance, by=None,
        now=of.nominations_open_at - datetime.timedelta(hours=1))


def after_close(of: Election) -> datetime.datetime:
    return of.nominations_close_at + datetime.timedelta(minutes=1)
