from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import public, roles_for_request


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Says why, and what this person can do about it."""
    from omov.members.models import Status

    roles_for_request(request)
    member = getattr(request, "member", None)
    context = {
        "reason": str(exception or ""),
        "signed_in": request.user.is_authenticated,
        "member": member,
        "not_active": member is not None and member.status != Status.ACTIVE,
        "status": Status(member.status).label.lower() if member is not None else "",
    }
    return render(request, "403.html", context, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
