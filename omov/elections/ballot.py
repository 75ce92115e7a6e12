"""From nominations to the ballot: close, order the candidates, draft a ranked question
per contested post through the ballots app's own drafting actions."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from omov.audit.log import record
from omov.ballots.actions import drafting
from omov.ballots.actions.drafting import TrusteeInvite
from omov.ballots.models import Ballot
from omov.elections import permissions
from omov.elections.actions.slates import SLATE_MARK
from omov.elections.errors import ElectionError
from omov.elections.models import (
    CandidateOrder,
    CountMethod,
    Election,
    Nomination,
    Post,
    Ruling,
    Stage,
)
from omov.members.models import Member
from omov.web.times import human_time

TIES = "earlier-rounds-then-lot"
MAX_RANKED_CELLS = 400
"""Protocol 5.2: a ranked question holds at most candidates times ranks, at most 400 cells."""


def lot_key(seed: str, nomination: Nomination) -> str:
    """A candidate's place in the draw: SHA-256 of the published seed, a colon and the
    membership number. Anyone can repeat it once the seed is published."""
    return hashlib.sha256(f"{seed}:{nomination.nominee.membership_number}".encode()).hexdigest()


def candidates(post: Post) -> list[Nomination]:
    """The post's standing candidates in ballot order: accepted, valid, not withdrawn,
    ordered by the election's rule."""
    standing = [n for n in post.nominations.select_related("nominee", "slate")
                .filter(ruling=Ruling.VALID, accepted_at__isnull=False, withdrawn_at__isnull=True)]
    election = post.election
    if election.candidate_order == CandidateOrder.ALPHABETICAL:
        return sorted(standing, key=lambda n: (n.nominee.name.casefold(),
                                               n.nominee.membership_number))
    return sorted(standing, key=lambda n: lot_key(election.lot_seed, n))


def ballot_label(nomination: Nomination, namesakes: set[str]) -> str:
    """The candidate as the ballot names them, with their slate; a name two candidates
    share gets the membership number so that every option differs."""
    name = nomination.nominee.name
    if SLATE_MARK.strip() in name:  # a name that reads as a slate would mislead the booth
        name = name.replace("(", "[").replace(")", "]")
    if nomination.nominee.name in namesakes:
        name = f"{name} [{nomination.nominee.membership_number}]"
    return f"{name}{SLATE_MARK}{nomination.slate.name})" if nomination.slate else name


def labels(standing: Sequence[Nomination]) -> list[str]:
    names = [n.nominee.name for n in standing]
    namesakes = {name for name in names if names.count(name) > 1}
    return [ballot_label(n, namesakes) for n in standing]


@dataclass(frozen=True)
class PostOutcome:
    """What nominations gave a post: contested (a ranked question) or filled unopposed."""

    post: Post
    standing: list[Nomination]

    @property
    def contested(self) -> bool:
        return len(self.standing) > self.post.seats

    @property
    def words(self) -> str:
        n = len(self.standing)
        if n == 0:
            return "No valid nominations: the post stays vacant."
        if not self.contested:
            return (f"{n} valid nomination{'s' if n != 1 else ''} for {self.post.seats} "
                    f"seat{'s' if self.post.seats != 1 else ''}: elected unopposed.")
        return f"{n} candidates for {self.post.seats} seat{'s' if self.post.seats != 1 else ''}."


def outcomes(election: Election) -> list[PostOutcome]:
    return [PostOutcome(post, candidates(post)) for post in election.posts.all()]


def count_rules(post: Post, standing: Sequence[Nomination]) -> dict[str, Any]:
    """The question's count member (protocol 5.2). A balance rule reserves at least
    `balance_at_least` seats to the candidates who declared the group, or as many as
    declared if fewer did; if none did, the rule has nothing to apply to."""
    count: dict[str, Any] = {"method": post.method, "seats": post.seats, "ties": TIES}
    declared = [i for i, n in enumerate(standing) if n.declares_balance]
    if post.method == CountMethod.STV and post.balance_at_least and declared:
        count["balance"] = [{"label": post.balance_label, "candidates": declared,
                             "at_least": min(post.balance_at_least, len(declared))}]
    return count


def balance_words(post: Post, standing: Sequence[Nomination]) -> str:
    """How the post's balance rule applies, in words, for the post's page."""
    if not post.balance_at_least:
        return ""
    declared = sum(1 for n in standing if n.declares_balance)
    wanted = post.balance_at_least
    if declared >= wanted:
        return (f"At least {wanted} of the {post.seats} seats go to candidates who declare "
                f"themselves {post.balance_label}: the count elects them before others if it "
                "must.")
    if declared:
        stand = "candidate stands" if declared == 1 else "candidates stand"
        return (f"The rule reserves {wanted} seats to {post.balance_label}, but only {declared} "
                f"such {stand}: the count reserves {declared}.")
    return (f"The rule reserves {wanted} seats to {post.balance_label}, but no such candidate "
            "stands: the seats are counted without it.")


def ranks(m: int) -> int:
    """How many candidates a voter may rank: all of them, within protocol 5.2's cells."""
    return max(1, min(m, MAX_RANKED_CELLS // m))


@transaction.atomic
def close_nominations(election: Election, *, by: Member | None,
                      now: datetime.datetime | None = None) -> Election:
    """Once the closing time has passed: statements freeze and the lot's seed is
    published, so that anyone can repeat the candidates' order."""
    now = now or timezone.now()
    if by is not None:
        permissions.require_organiser(by, "close nominations")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.stage != Stage.NOMINATIONS:
        raise ElectionError("Nominations are already closed.")
    if now < election.nominations_close_at:
        raise ElectionError(f"Nominations close at {human_time(election.nominations_close_at)}.")
    election.stage, election.closed_at = Stage.CLOSED, now
    election.save(update_fields=["stage", "closed_at"])
    record("close_nominations", actor=by, subject=election, public=True,
           summary=f"Nominations closed for “{election.title}”; statements are frozen and the "
                   "lot's seed is published",
           details={"lot_seed": election.lot_seed, "lot_commitment": election.lot_commitment})
    return election


def _add_questions(election: Election, ballot: Ballot, by: Member) -> int:
    added = 0
    for outcome in outcomes(election):
        if not outcome.contested:
            continue
        post, standing = outcome.post, outcome.standing
        drafting.add_ranked_question(
            ballot, text=f"{post.title}: rank the candidates ({post.seats} "
                         f"seat{'s' if post.seats != 1 else ''})",
            candidates=labels(standing), minimum=0, maximum=ranks(len(standing)),
            count=count_rules(post, standing), by=by)
        added += 1
    return added


@transaction.atomic
def make_ballot(
    election: Election, *, by: Member, opens_at: datetime.datetime,
    closes_at: datetime.datetime, threshold: int, trustees: Sequence[TrusteeInvite],
    authority_email: str, authority_name: str, now: datetime.datetime | None = None,
) -> Ballot:
    """Drafts the election's ballot from the valid candidates: one ranked question per
    contested post, counted by the post's method. Then it follows the ballots app's
    lifecycle (manifest, key ceremony, credentials, voting, count). Members active on
    the day nominations closed vote (or on the opening day, if that is earlier)."""
    permissions.require_organiser(by, "draft an election's ballot")
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.stage != Stage.CLOSED:
        raise ElectionError("Close nominations first." if election.stage == Stage.NOMINATIONS
                            else "The ballot is already drafted.")
    if not any(outcome.contested for outcome in outcomes(election)):
        raise ElectionError("No post is contested: every post is filled unopposed or vacant, "
                            "so there is nothing to vote on.")
    ballot = drafting.create_ballot(
        slug=f"{election.slug}-ballot", title=election.title,
        description=election.description or f"The ballot of the election “{election.title}”.",
        cut_off=min(timezone.localdate(election.closed_at or election.nominations_close_at),
                    timezone.localdate(opens_at)),
        local_group=election.local_group, opens_at=opens_at, closes_at=closes_at,
        threshold=threshold, trustees=trustees, authority_email=authority_email,
        authority_name=authority_name, by=by, now=now)
    added = _add_questions(election, ballot, by)
    election.ballot, election.stage = ballot, Stage.BALLOT
    election.save(update_fields=["ballot", "stage"])
    record("make_election_ballot", actor=by, subject=election, public=True,
           summary=f"Drafted the ballot of “{election.title}”: {added} contested "
                   f"post{'s' if added != 1 else ''}, candidates "
                   f"{CandidateOrder(election.candidate_order).label.lower()}")
    return ballot


def rebuild_draft_questions(election: Election, *, by: Member) -> None:
    """After a withdrawal while the ballot is a draft: its questions again, from the
    candidates who still stand."""
    ballot = election.ballot
    assert ballot is not None
    for question in ballot.questions.order_by("-position"):
        drafting.remove_question(question, by=by)
    _add_questions(election, ballot, by)
