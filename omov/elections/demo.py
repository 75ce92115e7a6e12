"""The demo's election: the national committee's elections with nominations open.

Two regional posts of three seats each (STV, at least two seats to women) and a chair
(instant-runoff). Members have nominated, supported and accepted; one nomination is
waiting for the demo member to accept it; two candidates stand on a slate; the
national committee endorsed one candidate by a decision in its register. Built
through the elections actions, like everything in the demo.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from omov.committees import actions as committee_actions
from omov.committees.models import Meeting, Secretary
from omov.demo.seed import NATIONAL_COMMITTEE, DemoContext
from omov.elections import rules
from omov.elections.actions import nominations, setup, slates
from omov.elections.models import CandidateOrder, Election, Nomination, Post
from omov.members.models import Member, Status

_STATEMENT = ("I have organised in {group} for years: tenants' meetings, the food bank rota "
              "and last spring's campaign. On the committee I will publish every vote I "
              "cast and report back to the groups each month.")


def _posts(election: Election, organiser: Member, before: datetime.datetime) -> list[Post]:
    def post(title: str, seats: int, balance: int) -> Post:
        return setup.add_post(
            election, title=title, seats=seats, eligibility_months=6, supporters_needed=3,
            groups_needed=1, word_limit=150, balance_label="women" if balance else "",
            balance_at_least=balance, by=organiser, now=before)

    return [post("North region seats", 3, 2), post("South region seats", 3, 2),
            post("Chair", 1, 0)]


def _eligible(context: DemoContext, post: Post) -> list[Member]:
    close_day = timezone.localdate(post.election.nominations_close_at)
    people = [m for m in context.members if m.status == Status.ACTIVE
              and m not in (context.organiser, context.sample_member)]
    return [m for m in people if rules.eligibility_problem(
        m, post.eligibility_months, close_day, context.today) is None]


def _endorse(context: DemoContext, nomination: Nomination) -> None:
    """The national committee's decision endorsing the candidate, from its full meeting."""
    national = context.committees.get(NATIONAL_COMMITTEE)
    meeting = Meeting.objects.filter(committee=national, kind="full", quorate=True).first()
    secretary = Secretary.objects.filter(committee=national, ended_at__isnull=True).first()
    if meeting is None or secretary is None or context.organiser is None:
        return
    name = nomination.nominee.name
    decision = committee_actions.record_decision(
        meeting, text=f"The national committee endorses {name} for Chair in the national "
                      "committee elections.", kind="endorsement", effective_on=context.today,
        actor=secretary.member)
    slates.endorse(nomination, decision=decision, by=context.organiser)


def seed_nominations(context: DemoContext) -> None:
    organiser = context.organiser
    if organiser is None:
        return
    now = timezone.now()
    opened = now - datetime.timedelta(days=5)
    election = setup.create_election(
        slug="national-committee-2027", title="National committee elections 2027",
        description="Members elect the national committee's regional seats and its chair. "
                    "Nominations are open; the ballot is ranked (STV for the regional seats, "
                    "instant-runoff for the chair).",
        local_group=None, nominations_open_at=opened,
        nominations_close_at=now + datetime.timedelta(days=9),
        candidate_order=CandidateOrder.LOT, by=organiser)
    north, south, chair = _posts(election, organiser, opened - datetime.timedelta(hours=1))
    people = _eligible(context, north)
    if len(people) < 12:
        return
    candidates, supporters = people[:9], people[9:]
    made = []
    for index, (post, person) in enumerate(zip([north] * 4 + [south] * 3 + [chair] * 2,
                                               candidates, strict=True)):
        group = person.local_group.name if person.local_group else "my area"
        nomination = nominations.nominate(post, person, by=person,
                                          statement=_STATEMENT.format(group=group))
        if index % 2 == 0 and post.balance_label:
            nomination = nominations.edit_statement(
                nomination, by=person, statement=nomination.statement, declares_balance=True)
        made.append(nomination)
    supported = min(6, len(supporters) // 3)
    for index, nomination in enumerate(made[:supported]):
        for supporter in supporters[index * 3:index * 3 + 3]:
            nominations.support_nomination(nomination, by=supporter)
        nominations.rule_on_nomination(nomination, valid=True, by=organiser,
                                       reason="Accepted, eligible and supported by three "
                                              "members.")
    slate = slates.declare_slate(made[0], name="Members First", by=made[0].nominee)
    slates.join_slate(made[4], slate, by=made[4].nominee)
    _endorse(context, made[7])
    sample = context.sample_member
    if sample is not None and nominations.eligibility_problem(sample, south, now) is None:
        waiting = nominations.nominate(south, sample, by=made[8].nominee)
        context.tell(sample, f"You are nominated for {south.title}: accept it on "
                             f"/nominations/{waiting.pk}/ (nominations close in 9 days).")
    context.notes.append(
        f"Elections: “{election.title}” with nominations open (/elections/{election.slug}/): "
        f"{len(made)} nominations for 3 posts, {supported} ruled valid, a slate, an "
        "endorsement; the demo member is nominated and may accept.")
