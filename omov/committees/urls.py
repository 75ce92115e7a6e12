from __future__ import annotations

from django.urls import path

from omov.committees import views

app_name = "committees"

urlpatterns = [
    path("committees/<slug:slug>/register/", views.committee, name="committee"),
    path("committees/<slug:slug>/register.jsonl", views.register_download,
         name="register_download"),
    path("committees/<slug:slug>/meetings/new/", views.record_meeting, name="record_meeting"),
    path("organise/committees/<slug:slug>/secretary/", views.appoint_secretary,
         name="appoint_secretary"),
    path("meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/motions/new/", views.record_motion, name="record_motion"),
    path("meetings/<int:meeting_id>/decisions/new/", views.record_decision, name="record_decision"),
    path("meetings/<int:meeting_id>/minutes/", views.record_minutes, name="record_minutes"),
    path("committees/<slug:slug>/corrections/new/", views.record_correction,
         name="record_correction"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
]
