from __future__ import annotations

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "omov.petitions"
    verbose_name = "Petitions"

    def ready(self) -> None:
        from omov.ballots.signals import result_published
        from omov.demo.petitions_story import seed_petitions
        from omov.demo.seed import register_step
        from omov.petitions.consequences import apply_result
        from omov.web.navigation import NavItem, register

        register(NavItem("Petitions", "petitions:list", None, order=30))
        register_step(seed_petitions)
        result_published.connect(apply_result, dispatch_uid="petitions.apply_result")
