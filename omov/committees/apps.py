from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from omov.committees.models import Decision
    from omov.members.models import Member


def _on_roll(subject: Any, member: Member | None) -> bool:
    """Registers, meetings and decisions are read by anyone on the roll who has signed in."""
    return member is not None


def _call_in_ballot(decision: Decision) -> Any:
    """The member ballot a call-in forced on this decision, if there is one."""
    call_in = decision.call_ins.exclude(forced_ballot=None).select_related("forced_ballot").first()
    return call_in.forced_ballot if call_in is not None else None


def _register_subjects() -> None:
    from django.urls import reverse

    from omov.committees.models import Decision, Meeting
    from omov.discussion import subjects
    from omov.web.times import human_date

    subjects.register(
        Decision,
        title=lambda d: f"Decision of {d.committee.name}: {d}",
        url=lambda d: reverse("committees:decision", args=[d.pk]),
        visible_to=_on_roll,
        related_ballot=_call_in_ballot,
    )
    subjects.register(
        Meeting,
        title=lambda m: f"{m.committee.name}: {m.get_kind_display()} meeting, "
                        f"{human_date(m.held_on)}",
        url=lambda m: reverse("committees:meeting", args=[m.pk]),
        visible_to=_on_roll,
    )


class CommitteesConfig(AppConfig):
    name = "omov.committees"
    verbose_name = "Committee registers"

    def ready(self) -> None:
        from omov.ballots.actions.schedule import register_round_step
        from omov.committees.actions import call_in_round
        from omov.demo.register_story import seed_register
        from omov.demo.seed import register_step

        register_round_step(call_in_round)
        register_step(seed_register)
        _register_subjects()
