"""An organiser sets an election up: its nominations period and its posts."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.elections import permissions
from omov.elections.errors import ElectionError
from omov.elections.models import CandidateOrder, CountMethod, Election, Post, Stage
from omov.members.models import Member
from omov.organisation.models import LocalGroup
from omov.web.times import human_time


def lot_commitment(seed: str) -> str:
    """The published SHA-256 of the lot's seed: fixed before anyone is nominated."""
    return hashlib.sha256(seed.encode()).hexdigest()


@transaction.atomic
def create_election(
    *, slug: str, title: str, description: str, local_group: LocalGroup | None,
    nominations_open_at: datetime.datetime, nominations_close_at: datetime.datetime,
    candidate_order: str, by: Member | None, now: datetime.datetime | None = None,
) -> Election:
    """Sets up an election and its nominations period. The seed of the lot that orders
    the ballot is drawn now and only its hash is published until nominations close.
    `now` is the moment an organiser asks: an opening before it is refused, since the
    posts are added before nominations open (the demo passes None)."""
    if by is not None:
        permissions.require_organiser(by, "set up an election")
    if not title.strip():
        raise ElectionError("Give the election a title.", field="title")
    if Election.objects.filter(slug=slug).exists():
        raise ElectionError(f"An election with the id {slug} already exists.", field="slug")
    if now is not None and nominations_open_at < now:
        raise ElectionError(f"The opening time {human_time(nominations_open_at)} has passed: "
                            "posts are added before nominations open, so choose a later time.",
                            field="nominations_open_at")
    if nominations_close_at <= nominations_open_at:
        raise ElectionError(f"Nominations must close after they open "
                            f"({human_time(nominations_open_at)}).",
                            field="nominations_close_at")
    if candidate_order not in CandidateOrder.values:
        raise ElectionError("Order the candidates by lot or alphabetically.",
                            field="candidate_order")
    seed = secrets.token_hex(32)
    election = Election.objects.create(
        slug=slug, title=title.strip(), description=description.strip(),
        local_group=local_group, nominations_open_at=nominations_open_at,
        nominations_close_at=nominations_close_at, candidate_order=candidate_order,
        lot_seed=seed, lot_commitment=lot_commitment(seed), created_by=by,
    )
    record("create_election", actor=by, subject=election, public=True,
           summary=f"Set up the election “{election.title}”: nominations from "
                   f"{human_time(nominations_open_at)} to {human_time(nominations_close_at)}",
           details={"lot_commitment": election.lot_commitment,
                    "candidate_order": candidate_order})
    return election


@transaction.atomic
def add_post(
    election: Election, *, title: str, seats: int, method: str | None = None,
    eligibility_months: int, supporters_needed: int, groups_needed: int, word_limit: int,
    balance_label: str = "", balance_at_least: int = 0, by: Member | None,
    now: datetime.datetime | None = None,
) -> Post:
    """Adds a post, before anyone can be nominated for it. `method` defaults to irv for
    a single seat and stv for more; a balance rule (at least so many seats to the
    candidates who declare `balance_label`) needs an stv count."""
    if by is not None:
        permissions.require_organiser(by, "add a post")
    election = Election.objects.select_for_update().get(pk=election.pk)
    now = now or timezone.now()
    if election.stage != Stage.NOMINATIONS or now >= election.nominations_open_at:
        raise ElectionError("Posts are fixed once nominations open.")
    method = method or (CountMethod.IRV if seats == 1 else CountMethod.STV)
    _check_post(title, seats, method, word_limit, balance_label, balance_at_least)
    post = Post.objects.create(
        election=election, position=election.posts.count(), title=title.strip(), seats=seats,
        method=method, eligibility_months=eligibility_months,
        supporters_needed=supporters_needed, groups_needed=groups_needed,
        word_limit=word_limit, balance_label=balance_label.strip(),
        balance_at_least=balance_at_least,
    )
    balance = (f"; at least {balance_at_least} seats to {post.balance_label}"
               if balance_at_least else "")
    record("add_post", actor=by, subject=post, public=True,
           summary=f"Added the post “{post.title}” ({seats} seats, {method}{balance}) to "
                   f"“{election.title}”")
    return post


def _check_post(title: str, seats: int, method: str, word_limit: int, balance_label: str,
                balance_at_least: int) -> None:
    if not title.strip():
        raise ElectionError("Give the post a title.", field="title")
    if seats < 1:
        raise ElectionError("A post has at least one seat.", field="seats")
    if method not in CountMethod.values:
        raise ElectionError("Count by stv, irv or schulze.", field="method")
    if method == CountMethod.IRV and seats != 1:
        raise ElectionError("Instant-runoff fills one seat; use stv for more.", field="method")
    if word_limit < 1:
        raise ElectionError("Allow statements at least one word.", field="word_limit")
    if balance_at_least:
        if method != CountMethod.STV:
            raise ElectionError("A balance rule needs an stv count.", field="balance_at_least")
        if not balance_label.strip():
            raise ElectionError("Name the group the balance rule reserves seats for.",
                                field="balance_label")
        if balance_at_least > seats:
            raise ElectionError(f"A balance rule reserves at most the post's {seats} seats.",
                                field="balance_at_least")
