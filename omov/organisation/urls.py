from django.urls import path

from omov.organisation import views

app_name = "organisation"

urlpatterns = [
    path("committees/", views.committees, name="committees"),
    path("organise/groups/", views.manage_groups, name="manage_groups"),
    path("organise/groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("organise/members/<str:number>/group/", views.assign_group, name="assign_group"),
    path("organise/committees/", views.manage_committees, name="manage_committees"),
    path("organise/committees/<slug:slug>/", views.committee_detail, name="committee_detail"),
    path(
        "organise/committees/<slug:slug>/rename/",
        views.rename_committee,
        name="rename_committee",
    ),
    path("organise/committees/<slug:slug>/seats/", views.add_seat, name="add_seat"),
    path(
        "organise/committees/<slug:slug>/seats/<int:seat_id>/leave/",
        views.remove_seat,
        name="remove_seat",
    ),
]
