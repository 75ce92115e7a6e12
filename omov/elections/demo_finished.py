"""The demo's finished election: last year's national committee elections, counted.

Two regional posts of three seats each, counted by STV with at least two seats to
women. Built through the elections actions (posts, self-nominations, support,
rulings, the close, the ballot) and then the ballots lifecycle, with the voters, the
credential authority and the trustees simulated (`omov.ballots.simulation`): the
trustees shuffle the encrypted rankings, decrypt them, and the result carries the
count round by round. In the North the balance rule bites: the second man has more
votes than the second woman, but the rule elects her.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from omov.ballots import board, simulation, state
from omov.ballots.actions import counting, drafting, mixing, schedule
from omov.ballots.demo import _people, _prepare
from omov.crypto.ranked import cells_from_ranking
from omov.crypto.transcript import SystemRng
from omov.demo.seed import DemoContext
from omov.elections import ballot as election_ballot
from omov.elections import rules
from omov.elections.actions import nominations, setup
from omov.elections.models import CandidateOrder, Election, Nomination, Post
from omov.members.models import Member, Status

SLUG = "national-committee-2026"
MONTHS = 6
"""A candidate has been an active member for six months when nominations close."""
WOMEN = frozenset((
    "Aisha", "Amy", "Ana", "Bethan", "Chloe", "Deepa", "Eilidh", "Elif", "Ellie", "Emma",
    "Fatima", "Grace", "Hannah", "Harriet", "Imogen", "Isla", "Jasmine", "Kamala", "Kate",
    "Laila", "Leah", "Lucy", "Maya", "Nadia", "Naomi", "Niamh", "Rachel", "Rosa", "Ruth",
    "Sadia", "Sara", "Seren", "Siobhan", "Sophie", "Una", "Zainab", "Zoe", "Agnieszka",
    "Precious", "Shona"))
MEN = frozenset((
    "Amir", "Ben", "Bilal", "Callum", "Chidi", "Dan", "Emeka", "Finn", "Gareth", "Hamza",
    "Ibrahim", "Jack", "Jamal", "James", "Joe", "Kwame", "Liam", "Mohammed", "Noah", "Oscar",
    "Paul", "Rhys", "Ryan", "Simon", "Tariq", "Tom", "Tomasz", "Yusuf", "Declan", "Marcus",
    "Ravi"))

# Each region's four candidates are named by role: M1, M2 men, W1, W2 women. A profile
# is (ranking by role, how many voters rank so); 50 voters in all.
NORTH = [  # first preferences M1 19, M2 12, W1 11, W2 8: without the rule M2 wins a seat
    (("M1", "M2", "W1"), 11), (("M1", "W1", "W2"), 5), (("M1",), 3), (("M2", "M1", "W2"), 8),
    (("M2", "W2"), 4), (("W1", "W2", "M1"), 8), (("W1", "M2"), 3),
    (("W2", "W1", "M2", "M1"), 6), (("W2",), 2)]
SOUTH = [  # the women lead: the rule is met without applying
    (("W1", "W2", "M1"), 15), (("W1", "M2"), 3), (("W2", "W1"), 11), (("W2", "M1", "M2"), 2),
    (("M1", "M2", "W2"), 8), (("M1", "W1"), 3), (("M2", "M1"), 6), (("M2", "W1", "W2"), 2)]

_STATEMENT = ("Two years on the {group} branch committee: I chaired the housing campaign "
              "and rebuilt our phone tree. I will report every committee vote to the groups.")


def _first(member: Member) -> str:
    return member.name.split()[0]


def _candidates(context: DemoContext, closes: datetime.datetime,
                when: datetime.datetime) -> list[Member]:
    """Two men and two women per region, eligible when nominating, from the end of the
    roll (the open election's candidates come from its start); none if too few stand."""
    close_day, day = timezone.localdate(closes), timezone.localdate(when)
    people = [m for m in reversed(context.members) if m.status == Status.ACTIVE
              and m not in (context.organiser, context.sample_member)
              and rules.eligibility_problem(m, MONTHS, close_day, day) is None]
    men = [m for m in people if _first(m) in MEN]
    women = [m for m in people if _first(m) in WOMEN]
    if len(men) < 4 or len(women) < 4:
        return []
    return [men[0], men[1], women[0], women[1], men[2], men[3], women[2], women[3]]


def _nominate(post: Post, roles: dict[str, Member], supporters: list[Member],
              organiser: Member, when: datetime.datetime) -> dict[str, Nomination]:
    made = {}
    for number, (role, person) in enumerate(roles.items()):
        group = person.local_group.name if person.local_group else "local"
        nomination = nominations.nominate(post, person, by=person, now=when,
                                          statement=_STATEMENT.format(group=group))
        if role.startswith("W"):
            nomination = nominations.edit_statement(
                nomination, by=person, statement=nomination.statement, declares_balance=True,
                now=when)
        for supporter in supporters[number * 3:number * 3 + 3]:
            nominations.support_nomination(nomination, by=supporter, now=when)
        made[role] = nominations.rule_on_nomination(
            nomination, valid=True, by=organiser, now=when + datetime.timedelta(days=1),
            reason="Accepted, eligible and supported by three members.")
    return made


def _rankings(post: Post, made: dict[str, Nomination],
              profiles: list[tuple[tuple[str, ...], int]]) -> list[list[int]]:
    place = {n.pk: i for i, n in enumerate(election_ballot.candidates(post))}
    return [[place[made[role].pk] for role in roles]
            for roles, count in profiles for _ in range(count)]


def seed_finished_election(context: DemoContext) -> None:
    organiser = context.organiser
    active = [m for m in context.members if m.status == Status.ACTIVE]
    now = timezone.now()
    opened, closed = now - datetime.timedelta(days=60), now - datetime.timedelta(days=46)
    when = opened + datetime.timedelta(days=2)
    people = _candidates(context, closed, when)
    if organiser is None or not people or len(active) < 2 * sum(n for _, n in NORTH):
        return
    election = setup.create_election(
        slug=SLUG, title="National committee elections 2026",
        description="Members elected the national committee's regional seats: STV, with at "
                    "least two of each region's three seats to women.",
        local_group=None, nominations_open_at=opened, nominations_close_at=closed,
        candidate_order=CandidateOrder.LOT, by=organiser)
    posts = [setup.add_post(
        election, title=title, seats=3, eligibility_months=MONTHS, supporters_needed=3,
        groups_needed=1, word_limit=150, balance_label="women", balance_at_least=2,
        by=organiser, now=opened - datetime.timedelta(hours=1))
        for title in ("North region seats", "South region seats")]
    standing = set(people)
    supporters = [m for m in context.members if m.status == Status.ACTIVE
                  and m not in standing and m != context.sample_member][5:17]
    made = [_nominate(post, dict(zip(("M1", "M2", "W1", "W2"), people[i * 4:i * 4 + 4],
                                     strict=True)), supporters, organiser, when)
            for i, post in enumerate(posts)]
    election_ballot.close_nominations(election, by=organiser,
                                      now=closed + datetime.timedelta(minutes=5))
    opens_at, closes_at = closed + datetime.timedelta(days=4), closed + datetime.timedelta(days=11)
    trustees, authority_person = _people(context)
    ballot = election_ballot.make_ballot(
        Election.objects.get(pk=election.pk), by=organiser, opens_at=opens_at,
        closes_at=closes_at, threshold=2,
        trustees=[drafting.TrusteeInvite(name, person.email) for name, person in
                  zip(("North region", "South region", "Scotland"), trustees, strict=True)],
        authority_email=authority_person.email, authority_name="Independent scrutineer",
        now=closed + datetime.timedelta(hours=1))
    papers = list(zip(_rankings(posts[0], made[0], NORTH),
                      _rankings(posts[1], made[1], SOUTH), strict=True))
    chooser = random.Random(context.options.random_seed)
    chooser.shuffle(papers)
    rng = SystemRng()
    with board.simulated_clock(opens_at):
        authority, states = _prepare(context, ballot, rng, mail=False,
                                     opened_at=opens_at + datetime.timedelta(minutes=1))
        rules = state.manifest(ballot).rules
        voters = list(ballot.electors.select_related("member"))
        chooser.shuffle(voters)
        for number, (elector, paper) in enumerate(zip(voters, papers, strict=False)):
            simulation.vote(ballot, elector.member, authority.codes[elector.member_id],
                            [list(cells_from_ranking(rule, ranking))
                             for rule, ranking in zip(rules, paper, strict=True)], rng,
                            now=opens_at + datetime.timedelta(hours=1, minutes=90 * number))
        ballot.refresh_from_db()
        counting.close_ballot(ballot, by=organiser, now=closes_at + datetime.timedelta(minutes=1))
        for index in (1, 2):
            simulation.shuffle(ballot, index, rng)
        mixing.end_mix(ballot, by=organiser)
        simulation.decrypt(ballot, states, rng, trustees=[1, 2])
        simulation.decrypt_rankings(ballot, states, rng, trustees=[1, 2])
        ballot.refresh_from_db()
        counting.publish_result(ballot, by=organiser)
    schedule.run_pending_verifications()
    context.notes.append(
        f"Finished election: “{election.title}” (/elections/{election.slug}/), {len(papers)} "
        f"simulated ranked ballots, shuffled and decrypted by the trustees; the count round "
        f"by round is on /ballots/{ballot.slug}/results/ (in the North the balance rule "
        "elects a woman over a man with more votes).")
