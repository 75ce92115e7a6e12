from django.urls import path

from omov.members import organiser_views, views

app_name = "members"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/cancel/", views.cancel, name="cancel"),
    path("me/rejoin/", views.rejoin, name="rejoin"),
    path("me/time-zone/", views.time_zone, name="time_zone"),
    path("me/email/", views.change_email, name="change_email"),
    path("me/email/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("me/local-group/", views.local_group, name="local_group"),
    path("me/emails/", views.notice_kinds, name="notice_kinds"),
    path("emails/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("organise/members/", organiser_views.roster, name="roster"),
    path("organise/members/add/", organiser_views.add, name="add"),
    path("organise/members/export.csv", organiser_views.export, name="export"),
    path("organise/members/import/", organiser_views.import_upload, name="import_upload"),
    path(
        "organise/members/import/<int:import_id>/",
        organiser_views.import_preview,
        name="import_preview",
    ),
    path("organise/rejoin-requests/", organiser_views.rejoin_requests, name="rejoin_requests"),
    path(
        "organise/rejoin-requests/<int:request_id>/<str:decision>/",
        organiser_views.decide_rejoin,
        name="decide_rejoin",
    ),
    path("organise/members/<str:number>/", organiser_views.member_detail, name="member_detail"),
    path(
        "organise/members/<str:number>/status/",
        organiser_views.change_status,
        name="change_status",
    ),
]
