from __future__ import annotations

from django.apps import AppConfig


def _register_subject() -> None:
    """Each petition or open letter carries a discussion; hidden ones show none."""
    from django.urls import reverse

    from omov.discussion import subjects
    from omov.petitions.models import Petition

    subjects.register(
        Petition,
        title=lambda p: str(p.title),
        url=lambda p: reverse("petitions:detail", args=[p.slug]),
        visible_to=lambda p, member: not p.hidden_reason,
        related_ballot=lambda p: p.forced_ballot,
    )


class PetitionsConfig(AppConfig):
    name = "omov.petitions"
    verbose_name = "Petitions"

    def ready(self) -> None:
        from omov.ballots.actions.schedule import register_round_step
        from omov.ballots.signals import result_published
        from omov.demo.petitions_story import seed_call_in, seed_petitions
        from omov.demo.seed import register_step
        from omov.petitions.actions import close_round
        from omov.petitions.consequences import apply_result
        from omov.web.navigation import NavItem, register

        register(NavItem("Petitions", "petitions:list", None, order=30))
        register_step(seed_petitions)
        register_step(seed_call_in, after=seed_petitions)
        register_round_step(close_round)
        _register_subject()
        result_published.connect(apply_result, dispatch_uid="petitions.apply_result")
        from omov.ballots.hooks import register_result_rules
        from omov.petitions.ballot_rules import forced_ballot_rules

        register_result_rules(forced_ballot_rules)
