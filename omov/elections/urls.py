from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from omov.elections import organiser_views, views

app_name = "elections"

urlpatterns: list[URLPattern | URLResolver] = [
    path("elections/", views.listing, name="list"),
    path("elections/<slug:slug>/", views.detail, name="detail"),
    path("elections/<slug:slug>/posts/<int:post_id>/", views.post_page, name="post"),
    path("elections/<slug:slug>/posts/<int:post_id>/nominate/", views.nominate,
         name="nominate"),
    path("nominations/<int:nomination_id>/", views.nomination_page, name="nomination"),
    path("nominations/<int:nomination_id>/accept/", views.accept, name="accept"),
    path("nominations/<int:nomination_id>/statement/", views.statement, name="statement"),
    path("nominations/<int:nomination_id>/slate/", views.slate, name="slate"),
    path("nominations/<int:nomination_id>/withdraw/", views.withdraw, name="withdraw"),
    path("nominations/<int:nomination_id>/support/", views.support, name="support"),
    path("organise/nominations/<int:nomination_id>/rule/", organiser_views.rule, name="rule"),
    path("organise/nominations/<int:nomination_id>/group-support/",
         organiser_views.group_support, name="group_support"),
    path("organise/nominations/<int:nomination_id>/endorse/", organiser_views.endorse,
         name="endorse"),
    path("organise/endorsements/<int:endorsement_id>/withdraw/",
         organiser_views.withdraw_endorsement, name="withdraw_endorsement"),
    path("organise/elections/new/", organiser_views.new_election, name="new"),
    path("organise/elections/<slug:slug>/posts/new/", organiser_views.add_post,
         name="add_post"),
    path("organise/elections/<slug:slug>/close/", organiser_views.close, name="close"),
    path("organise/elections/<slug:slug>/ballot/", organiser_views.make_ballot,
         name="make_ballot"),
]
