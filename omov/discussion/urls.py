from __future__ import annotations

from django.urls import path

from omov.discussion import views

app_name = "discussion"

urlpatterns = [
    path("discussion/search/", views.search_page, name="search"),
    path("discussion/moderation/", views.moderation_log, name="moderation_log"),
    path("discussion/reports/", views.reports, name="reports"),
    path("discussion/moderators/", views.moderators, name="moderators"),
    path("discussion/emails/", views.preferences, name="preferences"),
    path("discussion/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("discussion/comment/<int:comment_id>/", views.comment_permalink, name="comment"),
    path("discussion/comment/<int:comment_id>/edit/", views.edit, name="edit"),
    path("discussion/comment/<int:comment_id>/history/", views.history, name="history"),
    path("discussion/comment/<int:comment_id>/delete/", views.delete, name="delete"),
    path("discussion/comment/<int:comment_id>/react/", views.react, name="react"),
    path("discussion/comment/<int:comment_id>/report/", views.report, name="report"),
    path("discussion/comment/<int:comment_id>/hide/", views.hide, name="hide"),
    path("discussion/comment/<int:comment_id>/appeal/", views.appeal, name="appeal"),
    path("discussion/comment/<int:comment_id>/mute/", views.mute, name="mute"),
    path("discussion/appeal/<int:appeal_id>/decide/", views.decide, name="decide"),
    path("discussion/<str:label>/<str:pk>/", views.thread, name="thread"),
    path("discussion/<str:label>/<str:pk>/post/", views.post, name="post"),
]
