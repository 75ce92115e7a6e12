from django.urls import path

from omov.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/link/<str:token>/", views.redeem, name="redeem"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
