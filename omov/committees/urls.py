from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "committees"

urlpatterns: list[URLPattern | URLResolver] = []
