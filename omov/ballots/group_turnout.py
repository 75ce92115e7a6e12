"""Turnout by local group, kept at the close only where it reveals nobody's vote.

Who voted is known only while voting is open (the receipts, deleted at the
close), so the close keeps these counts first. A member counts in the group they were
in on the ballot's cut-off date, as eligibility does. A group is shown only if it has
at least `MIN_ELECTORS` eligible members of whom at least `MIN_EACH_WAY` voted
and at least `MIN_EACH_WAY` did not: then nobody can tell from it whether one
person voted. The groups that fail are added together as "other members", and
if that remainder fails too, the smallest shown groups join it until it passes
(else the total turnout, which is public, would give the remainder away).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from omov.ballots.models import Ballot, Elector, VoteReceipt
from omov.members.eligibility import group_on
from omov.organisation.models import LocalGroup

MIN_ELECTORS = 20
MIN_EACH_WAY = 5

RULE = (f"A local group is shown only if it has at least {MIN_ELECTORS} eligible members, of "
        f"whom at least {MIN_EACH_WAY} voted and at least {MIN_EACH_WAY} did not; smaller "
        "groups are added together, so that no figure tells whether any one member voted.")

OTHERS = "Other members (groups too small to show alone, and members in no group)"


@dataclass(frozen=True)
class GroupTurnout:
    group: str
    voted: int
    electors: int

    @property
    def percent(self) -> float:
        return 100 * self.voted / self.electors if self.electors else 0.0


def _safe(voted: int, electors: int) -> bool:
    return (electors >= MIN_ELECTORS and voted >= MIN_EACH_WAY
            and electors - voted >= MIN_EACH_WAY)


def safe_group_turnout(ballot: Ballot) -> list[list[object]]:
    """[group, voted, electors] rows that may be shown; call before the receipts go."""
    names = dict(LocalGroup.objects.values_list("pk", "name"))
    by_group = Elector.objects.filter(ballot=ballot).annotate(
        group=group_on(ballot.cut_off, member="member_id"))
    electors: Counter[str | None] = Counter()
    for group, n in by_group.values_list("group").annotate(n=Count("id")).values_list(
            "group", "n"):
        electors[names.get(group)] += n
    voters = VoteReceipt.objects.filter(ballot=ballot).values("member_id")
    voted: Counter[str | None] = Counter(
        names.get(group) for group in
        by_group.filter(member_id__in=voters).values_list("group", flat=True))
    shown = sorted((name for name in electors if name is not None
                    and _safe(voted[name], electors[name])), key=lambda n: electors[n])
    rest_voted = sum(voted.values()) - sum(voted[name] for name in shown)
    rest_electors = sum(electors.values()) - sum(electors[name] for name in shown)
    while rest_electors and not _safe(rest_voted, rest_electors) and shown:
        smallest = shown.pop(0)
        rest_voted += voted[smallest]
        rest_electors += electors[smallest]
    if rest_electors and not _safe(rest_voted, rest_electors):
        return []
    rows: list[list[object]] = [[name, voted[name], electors[name]] for name in sorted(shown)]
    if rest_electors:
        rows.append([OTHERS, rest_voted, rest_electors])
    return rows


def stored(ballot: Ballot) -> list[GroupTurnout]:
    return [GroupTurnout(str(g), int(str(v)), int(str(e)))
            for g, v, e in (ballot.group_turnout or [])]
