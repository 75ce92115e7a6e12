"""The demo organisation, built by calling the same actions the site uses.

`seed_demo` runs each step in `SEED_STEPS` in order on a shared `DemoContext`,
then creates sign-in links for everyone in `context.sign_in_as`. Other apps
extend the demo with `register_step` (e.g. the ballots work adds trustees and
a ballot, and appends ("a trustee", member) to `context.sign_in_as`).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from omov.accounts.actions import create_login_link, grant_role, sign_in_url
from omov.accounts.models import GrantedRole
from omov.demo.names import FIRST_NAMES, SURNAMES
from omov.members import actions as member_actions
from omov.members.models import Member, Status, StatusChange, today
from omov.organisation import actions as organisation_actions
from omov.organisation.models import Committee, LocalGroup
from omov.web.mail import absolute_url

LOCAL_GROUPS = ("Camden", "Hackney", "Bristol", "Manchester", "Glasgow")
NATIONAL_COMMITTEE = "National Coordinating Committee"
OFFICER_GROUP = "Officer Group"
NATIONAL_SEATS = 12
OFFICERS = ("Chair", "Vice-chair", "Secretary", "Treasurer")


@dataclass(frozen=True)
class DemoOptions:
    members: int = 300
    random_seed: int = 1


@dataclass
class DemoContext:
    """What the steps build, for later steps to use."""

    options: DemoOptions
    rng: random.Random
    today: datetime.date
    groups: dict[str, LocalGroup] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    organiser: Member | None = None
    sample_member: Member | None = None
    sign_in_as: list[tuple[str, Member]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    about: dict[int, list[str]] = field(default_factory=dict)
    """Lines printed under a person's sign-in link (by member id), e.g. their voting code."""

    def tell(self, member: Member, line: str) -> None:
        self.about.setdefault(member.pk, []).append(line)

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)


@dataclass
class DemoReport:
    lines: list[str]


SeedStep = Callable[[DemoContext], None]


def seed_local_groups(context: DemoContext) -> None:
    for name in LOCAL_GROUPS:
        context.groups[name] = organisation_actions.create_local_group(name, by=None)


def seed_organiser(context: DemoContext) -> None:
    organiser = member_actions.add_member(
        membership_number="M100001", name="Priya Shah", email="priya.shah@example.org",
        local_group=context.groups["Camden"], joined_on=context.days_ago(6 * 365), by=None,
    )
    grant_role(organiser, GrantedRole.ORGANISER, by=None)
    context.organiser = organiser
    context.members.append(organiser)
    context.sign_in_as.append(("an organiser", organiser))


def _unique_people(context: DemoContext, count: int) -> list[tuple[str, str]]:
    people: dict[str, str] = {}
    while len(people) < count:
        first, last = context.rng.choice(FIRST_NAMES), context.rng.choice(SURNAMES)
        name = f"{first} {last}"
        local_part = f"{first}.{last}".lower().replace("'", "")
        email = f"{local_part}@example.org"
        suffix = 2
        while email in people.values():
            email, suffix = f"{local_part}{suffix}@example.net", suffix + 1
        people[f"{name}#{len(people)}"] = email
    return [(key.split("#")[0], email) for key, email in people.items()]


def seed_roll(context: DemoContext) -> None:
    """Ordinary members, joined over the last six years, spread over the groups."""
    group_weights = (0.3, 0.2, 0.2, 0.15, 0.15)
    people = _unique_people(context, max(0, context.options.members - 1))
    for index, (name, email) in enumerate(people, start=2):
        group = context.rng.choices(list(context.groups.values()), weights=group_weights)[0]
        member = member_actions.add_member(
            membership_number=f"M{100000 + index}", name=name, email=email, local_group=group,
            joined_on=context.days_ago(context.rng.randint(60, 6 * 365)), by=None,
            tell_member=False,
        )
        context.members.append(member)
    camden = [m for m in context.members[1:] if m.local_group == context.groups["Camden"]]
    context.sample_member = camden[0] if camden else context.members[-1]
    context.sign_in_as.insert(0, ("a member", context.sample_member))


def _ordinary(context: DemoContext) -> list[Member]:
    """Members the later steps may change: not the organiser, not the sample member."""
    keep = {context.organiser, context.sample_member}
    return [member for member in context.members if member not in keep]


def seed_status_history(context: DemoContext) -> None:
    """Some members lapse, a few cancel in protest, some of those rejoin."""
    organiser = context.organiser
    candidates = _ordinary(context)
    context.rng.shuffle(candidates)
    tenth = max(1, len(candidates) // 10)
    lapsed, protest = candidates[:tenth], candidates[tenth : tenth + tenth // 2 + 1]
    for member in lapsed:
        member_actions.change_member_status(
            member, Status.LAPSED, effective_on=context.days_ago(context.rng.randint(20, 50)),
            reason="Subscription not renewed", by=organiser,
        )
    for member in protest:
        member_actions.cancel_membership(
            member, reason="Cancelled in protest at the committee's endorsement decision."
        )
    for member in protest[: len(protest) // 3]:
        rejoin = member_actions.request_rejoin(member, message="I want to vote on this.")
        if organiser is not None:
            member_actions.approve_rejoin(rejoin, by=organiser)
    suspended = candidates[tenth + tenth // 2 + 1 : tenth + tenth // 2 + 3]
    for member in suspended:
        member_actions.change_member_status(
            member, Status.SUSPENDED, effective_on=context.days_ago(10),
            reason="Suspended pending a disciplinary hearing", by=organiser,
        )
    if protest[len(protest) // 3 :]:
        member_actions.request_rejoin(
            protest[-1], message="I was angry about the endorsement; I'd like to come back."
        )
    _reload_members(context)


def _reload_members(context: DemoContext) -> None:
    """The actions change fresh copies of each member: reload them, so that later steps
    choose by the status each member has now (not the one they were created with)."""
    fresh = Member.objects.in_bulk([member.pk for member in context.members])
    context.members = [fresh[member.pk] for member in context.members]
    for name in ("organiser", "sample_member"):
        person = getattr(context, name)
        if person is not None:
            setattr(context, name, fresh[person.pk])


def seed_committees(context: DemoContext) -> None:
    """The national coordinating committee of 12 and its officer group of 4 (a sub-committee)."""
    organiser = context.organiser
    national = organisation_actions.create_committee(
        NATIONAL_COMMITTEE, description="Elected by the members; meets monthly.", by=organiser
    )
    officers = organisation_actions.create_committee(
        OFFICER_GROUP, description="Chair, vice-chair, secretary and treasurer.",
        parent=national, by=organiser,
    )
    context.committees.update({NATIONAL_COMMITTEE: national, OFFICER_GROUP: officers})
    # Seated 400 days ago: members in good standing with no break since two years ago.
    steady = set(
        StatusChange.objects.filter(from_status="", effective_on__lte=context.days_ago(730))
        .exclude(member__status_history__from_status__gt="")
        .values_list("member_id", flat=True)
    )
    active = [m for m in _ordinary(context) if m.status == Status.ACTIVE and m.pk in steady]
    seated = context.rng.sample(active, min(NATIONAL_SEATS, len(active)))
    for member in seated:
        organisation_actions.add_committee_member(
            national, member, joined_on=context.days_ago(400), by=organiser
        )
    for member, position in zip(seated, OFFICERS, strict=False):
        organisation_actions.add_committee_member(
            officers, member, position=position, joined_on=context.days_ago(400), by=organiser
        )
    if seated:
        context.sign_in_as.append(("a committee member", seated[0]))
        context.tell(seated[0], f"Active member; on the {NATIONAL_COMMITTEE} and Chair of "
                     f"the {OFFICER_GROUP}.")


SEED_STEPS: list[SeedStep] = [
    seed_local_groups,
    seed_organiser,
    seed_roll,
    seed_status_history,
    seed_committees,
]


def register_step(step: SeedStep, *, after: SeedStep | None = None) -> None:
    """Adds a step to the demo, at the end or right after `after`."""
    if step in SEED_STEPS:
        return
    position = SEED_STEPS.index(after) + 1 if after is not None else len(SEED_STEPS)
    SEED_STEPS.insert(position, step)


def mailbox_for(member: Member) -> str:
    """The development mailbox showing only this member's messages."""
    return absolute_url(f"{reverse('dev_mailbox')}?{urlencode({'q': member.email})}")


def seed_demo(options: DemoOptions) -> DemoReport:
    """Runs every seed step, then makes a sign-in link for each demo person."""
    context = DemoContext(options=options, rng=random.Random(options.random_seed), today=today())
    for step in SEED_STEPS:
        step(context)
    lines = [f"Seeded {len(context.members)} members in {len(context.groups)} local groups."]
    lines.extend(context.notes)
    for label, member in context.sign_in_as:
        token = create_login_link(member, by=None)
        lines.append(f"Sign in as {label} ({member.name}): {sign_in_url(token)}")
        lines.extend(f"    {line}" for line in context.about.get(member.pk, ()))
        lines.append(f"    Their mail: {mailbox_for(member)}")
    lines.append(f"Outgoing mail: {absolute_url(reverse('dev_mailbox'))}")
    return DemoReport(lines=lines)
