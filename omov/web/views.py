from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
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


SITE_PAGE = "omov_site_page"
"""Set on the site's own 404 response, which the debug-mode middleware leaves as it is."""


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    response = render(request, "404.html", status=404)
    setattr(response, SITE_PAGE, True)
    return response


DATABASE_DOWN = (
    "The server cannot reach its database just now, so it could not do what you asked. "
    "Try again in a minute."
)
CAST_NOT_CONFIRMED = (
    "The server cannot reach its database just now, so it cannot confirm that your ballot "
    "was recorded. Send it again in a minute: a ballot sent twice counts once."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """A database that does not answer is a 503 with a message, not a bare 500.

    Django calls this while it handles the exception, so `sys.exc_info()` holds it.
    A JSON request (the booth's cast and audit) gets JSON the booth shows as it is.
    """
    from django.views.defaults import server_error as default_server_error

    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return default_server_error(request)
    wants_json = request.content_type == "application/json"
    message = CAST_NOT_CONFIRMED if request.path.endswith("/vote/cast/") else DATABASE_DOWN
    if wants_json:
        response: HttpResponse = JsonResponse({"error": message, "field": None}, status=503)
    else:
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = "30"
    return response
