from django.urls import path

from omov.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.public_log, name="public_log"),
]
