from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import public


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
