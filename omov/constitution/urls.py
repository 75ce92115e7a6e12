from __future__ import annotations

from django.urls import path

from omov.constitution import views

app_name = "constitution"

urlpatterns = [
    path("rules/", views.rules, name="rules"),
    path("rules/history/", views.history, name="history"),
    path("organise/rules/", views.edit, name="edit"),
]
