"""The demo's discussion on its ballots, Camden's open letter and the officer group's
decision: replies, an edit, a hiding, reactions."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

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


LETTER_OPENING = [
    "Signed. I asked for my name not to be shown, and I am glad the option exists.",
    "Camden is right that a full meeting should decide this, whatever it decides.",
    "Forty signatures is a start. The call-in is the route that forces a ballot.",
    "I disagree with the letter, but I would defend anyone's right to sign it.",
]
DECISION_OPENING = [
    "Three of four officers, at a day's notice. The register shows it plainly.",
    "The full meeting voted 7 to 1 by roll call to endorse. How can three undo that?",
    "It is marked for ratification: the next full meeting has to confirm it.",
    "The officers had to act fast after the press reports. I understand why.",
    "The call-in has passed its threshold, so the members will decide. Good.",
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
    _story_threads(context, people[:-1], rng)


def _story_threads(context: DemoContext, people: list[Member], rng: random.Random) -> None:
    """Threads on Camden's open letter and on the officer group's emergency decision."""
    from omov.committees.models import Decision
    from omov.petitions.models import Kind, Petition

    letter = Petition.objects.filter(kind=Kind.OPEN_LETTER).first()
    decision = Decision.objects.filter(meeting__kind="emergency").first()
    subjects: list[tuple[Any, list[str]]] = [(letter, LETTER_OPENING),
                                             (decision, DECISION_OPENING)]
    for subject, opening in subjects:
        if subject is not None:
            _thread(context, subject, people, rng, opening=opening, replies=10)


def _thread(context: DemoContext, subject: Any, people: list[Member], rng: random.Random,
            *, opening: list[str] = OPENING, replies: int = 18) -> None:
    comments: list[Comment] = []
    for i, text in enumerate(opening):
        comments.append(actions.post_comment(subject, author=people[i % len(people)], body=text))
    for i in range(replies):
        parent = rng.choice(comments)
        author = people[(i * 7 + 3) % len(people)]
        if author.pk == parent.author_id:
            author = people[(i * 7 + 4) % len(people)]
        try:
            comments.append(
                actions.post_comment(
                    subject, author=author, parent=parent, body=REPLIES[i % len(REPLIES)]
                )
            )
        except DiscussionError:
            continue
    for comment in comments:
        for person in rng.sample(people, 4):
            kind = rng.choice(ReactionKind.values)
            if person.pk != comment.author_id:
                actions.toggle_reaction(comment, member=person, kind=kind)
    if opening is OPENING:
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
