"""The demo's decision register: the secretary, an earlier full meeting with a roll call,
and the officer group's emergency meeting (3 of 4 present) that withdrew the endorsement.

Built through the committees' actions, like everything in the demo.
"""

from __future__ import annotations

from omov.committees import actions
from omov.committees.actions.meetings import seat_holders
from omov.demo.seed import NATIONAL_COMMITTEE, OFFICER_GROUP, DemoContext
from omov.members.models import Member

ENDORSEMENT = "Amira Khan"


def _votes(people: list[Member], pattern: str) -> dict[Member, str]:
    """One vote per person, from a string of f(or), a(gainst), s (abstain)."""
    words = {"f": "for", "a": "against", "s": "abstain"}
    return {person: words[letter] for person, letter in zip(people, pattern, strict=True)}


def seed_register(context: DemoContext) -> None:
    """The secretary records both meetings; the emergency decision is in its call-in window."""
    national = context.committees.get(NATIONAL_COMMITTEE)
    officers = context.committees.get(OFFICER_GROUP)
    if national is None or officers is None:
        return
    seats = seat_holders(national, context.today)
    group = seat_holders(officers, context.today)
    if len(seats) < 9 or len(group) < 4:
        return
    secretary = next((seat.member for seat in officers.seats.select_related("member")
                      if seat.position == "Secretary"), group[0])
    actions.appoint_secretary(national, secretary, actor=context.organiser)
    context.sign_in_as.append(("the committee secretary", secretary))

    absent = [person for person in seats if person not in group][:3]
    present = [person for person in seats if person not in absent]
    full = actions.record_meeting(
        national, kind="full", held_on=context.days_ago(45), notice_sent_on=context.days_ago(59),
        attendance={**{p: "present" for p in present}, absent[0]: "apologies"}, actor=secretary)
    motion = actions.record_motion(
        full, mover=present[0], seconder=present[1],
        text=f"That the organisation endorses {ENDORSEMENT} as its candidate, as the members' "
             "hustings recommended.",
        votes=_votes(present, ("ffffsfaff" + "f" * len(present))[: len(present)]),
        actor=secretary)
    actions.record_minutes(
        full, "Present: " + ", ".join(p.name for p in present) + f". Apologies: {absent[0].name}."
        f"\n\n1. The endorsement. The chair reported the hustings. The motion to endorse "
        f"{ENDORSEMENT} was carried by roll call ({motion.votes_for} for, "
        f"{motion.votes_against} against, {motion.abstentions} abstaining).\n\n2. Any other "
        "business: none.", actor=secretary)

    attending, away = group[:3], group[3]
    emergency = actions.record_meeting(
        officers, kind="emergency", held_on=context.days_ago(1), notice_sent_on=context.days_ago(1),
        attendance={**{p: "present" for p in attending}, away: "apologies"}, actor=secretary)
    withdrawal = actions.record_motion(
        emergency, mover=attending[0], seconder=attending[1],
        text=f"That the endorsement of {ENDORSEMENT} is withdrawn with immediate effect.",
        votes=_votes(attending, "ffa"), actor=secretary)
    decision = actions.record_decision(
        emergency, text=f"The organisation withdraws its endorsement of {ENDORSEMENT}.",
        kind="endorsement", effective_on=context.today, motion=withdrawal, actor=secretary)
    actions.record_minutes(
        emergency, f"Present: {', '.join(p.name for p in attending)}. Apologies: {away.name}."
        "\n\nCalled at a day's notice after press reports. The motion to withdraw the "
        "endorsement carried 2 to 1. As an emergency decision it goes to the next full "
        "meeting for ratification.", actor=secretary)
    context.notes.append(
        f"Decision register: a full meeting of {national.name} ({full.quorum_words()}) with a "
        f"roll call, and the officer group's emergency meeting ({emergency.quorum_words()}) "
        f"that withdrew the endorsement (/decisions/{decision.pk}/, to be ratified).")
