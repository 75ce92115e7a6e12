from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from omov.demo.seed import DemoContext


def seed_ballots(context: DemoContext) -> None:
    """The demo's ballots; imported only when the demo runs (it plays the trustees)."""
    from omov.ballots.demo import seed_ballots as seed

    seed(context)


class BallotsConfig(AppConfig):
    name = "omov.ballots"
    verbose_name = "Ballots"

    def ready(self) -> None:
        from omov.demo.seed import register_step
        from omov.web.navigation import NavItem, register

        register(NavItem("Ballots", "ballots:list", None, order=20))
        register_step(seed_ballots)

        from omov.ballots.group_moves import ballot_refuses_move
        from omov.members.hooks import register_group_change_check

        register_group_change_check(ballot_refuses_move)
