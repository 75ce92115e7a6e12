from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from omov.petitions import member_views, views

app_name = "petitions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("petitions/", views.listing, name="list"),
    path("petitions/start/", member_views.start, name="start"),
    path("petitions/<slug:slug>/", views.detail, name="detail"),
    path("petitions/<slug:slug>/sign/", views.sign, name="sign"),
    path("petitions/<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("petitions/<slug:slug>/answer/", member_views.answer, name="answer"),
    path("petitions/<slug:slug>/case-against/", member_views.case_against, name="case_against"),
    path("petitions/<slug:slug>/draft-ballot/", member_views.draft_ballot, name="draft_ballot"),
    path("petitions/<slug:slug>/record.jsonl", views.record, name="record"),
]
