from __future__ import annotations

from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "omov.petitions"
    verbose_name = "Petitions"
