from __future__ import annotations

from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "omov.committees"
    verbose_name = "Committee registers"
