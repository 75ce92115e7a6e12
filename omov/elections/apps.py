from __future__ import annotations

from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "omov.elections"
    verbose_name = "Elections"

    def ready(self) -> None:
        from omov.demo.seed import register_step
        from omov.elections.demo import seed_nominations
        from omov.elections.demo_finished import seed_finished_election
        from omov.web.navigation import NavItem, register

        register(NavItem("Elections", "elections:list", None, order=25))
        register_step(seed_finished_election)
        register_step(seed_nominations)
