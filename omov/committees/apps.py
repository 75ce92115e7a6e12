from __future__ import annotations

from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "omov.committees"
    verbose_name = "Committee registers"

    def ready(self) -> None:
        from omov.ballots.actions.schedule import register_round_step
        from omov.committees.actions import call_in_round

        register_round_step(call_in_round)
