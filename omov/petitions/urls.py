from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from omov.petitions import views

app_name = "petitions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petitions/", views.listing, name="list"),
    path("petitions/<slug:slug>/", views.detail, name="detail"),
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("petitions/<slug:slug>/record.jsonl", views.record, name="record"),
]
