from __future__ import annotations

from django.apps import AppConfig


class ConstitutionConfig(AppConfig):
    name = "omov.constitution"
    verbose_name = "Constitution"

    def ready(self) -> None:
        from omov.web.navigation import NavItem, register

        register(NavItem("Rules", "constitution:rules", None, order=30))
