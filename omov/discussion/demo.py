"""The demo's discussion on its ballots: replies, an edit, a hiding, reactions."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from omov.accounts.actions import grant_role
from omov.accounts.models import GrantedRole
from omov.ballots.models import Ballot, Phase
from omov.discussion import actions
from omov.discussion.errors import DiscussionError
from omov.discussion.models import Comment, ReactionKind
from omov.members.models import Member, Status

if TYPE_CHECKING:
    from omov.demo.seed import DemoContext

OPENING = [
    "I was at the meeting. It was not a full meeting: four of the nine were absent.",
    "Whatever we think of the decision, a vote of all members is the right way to settle it.",
    "Can someone post the minutes? The register should show who was present.",
    "I signed the open letter. My worry is the timing, not the candidate.",
    "Our group discussed this on Tuesday; most people wanted the question put to members.",
    "Please keep it civil. People on both sides have given years to this movement.",
]
REPLIES = [
    "Agreed. The register will show it either way.",
    "That is not how I remember it.",
    "Fair point, thank you for explaining.",
    "Then let the ballot decide it.",
    "Source? I would like to read that myself.",
    "Apologies for my tone yesterday.",
    "We raised this at the regional meeting too.",
    "> a vote of all members\n\nYes, *exactly*.",
    "I changed my mind after reading the case for.",
    "The case against is on the ballot page.",
]


def seed_discussion(context: DemoContext) -> None:
    ballots = list(Ballot.objects.exclude(phase=Phase.DRAFT)[:2])
    people = [m for m in context.members if m.status == Status.ACTIVE][:30]
    if not ballots or len(people) < 8 or context.organiser is None:
        return
    moderator = people[-1]
    grant_role(moderator, GrantedRole.MODERATOR, by=context.organiser)
    context.sign_in_as.append(("a discussion moderator", moderator))
    rng = context.rng
    for ballot in ballots:
        _thread(context, ballot, people[:-1], rng)
    _moderate(ballots[0], moderator, people)


def _thread(context: DemoContext, ballot: Ballot, people: list[Member], rng: random.Random) -> None:
    comments: list[Comment] = []
    for i, text in enumerate(OPENING):
        comments.append(actions.post_comment(ballot, author=people[i % len(people)], body=text))
    for i in range(18):
        parent = rng.choice(comments)
        author = people[(i * 7 + 3) % len(people)]
        if author.pk == parent.author_id:
            author = people[(i * 7 + 4) % len(people)]
        try:
            comments.append(
                actions.post_comment(
                    ballot, author=author, parent=parent, body=REPLIES[i % len(REPLIES)]
                )
            )
        except DiscussionError:
            continue
    for comment in comments:
        for person in rng.sample(people, 4):
            kind = rng.choice(ReactionKind.values)
            if person.pk != comment.author_id:
                actions.toggle_reaction(comment, member=person, kind=kind)
    first = comments[0]
    actions.edit_comment(
        first,
        by=first.author,
        body=first.body + "\n\n(Edited: I meant four of the nine *voting* members.)",
    )


def _moderate(ballot: Ballot, moderator: Member, people: list[Member]) -> None:
    heated = actions.post_comment(
        ballot,
        author=people[5],
        body="Anyone who signed that letter is a traitor and should be thrown out.",
    )
    actions.report_comment(heated, by=people[6], reason="A personal attack on the signatories.")
    actions.hide_comment(
        heated,
        by=moderator,
        reason="Personal attack on other members (rule 2: argue with ideas, not people).",
    )
