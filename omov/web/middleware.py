"""Response headers that Django's SecurityMiddleware does not set itself, and the
member's own time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

# No inline script anywhere: the pages and the voting booth load scripts from
# our own origin only, so an injected <script> cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


class RejectNulBytesMiddleware:
    """Answers 400 to a request whose path or query string holds a NUL byte.

    PostgreSQL cannot store or compare text containing NUL, so a search such as
    `?q=%00` would otherwise reach the database and fail with a 500; no page
    has any use for the character.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            return HttpResponseBadRequest(
                "The address holds a NUL byte (%00), which no page accepts.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists())


class SiteNotFoundPageMiddleware:
    """In debug mode (the demo) too, an address with no page answers with the site's own
    "Page not found", as in production, not Django's technical page listing every URL
    pattern: a newcomer trying the demo sees what members see."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from omov.web.views import SITE_PAGE, not_found

        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404
                and response.get("Content-Type", "").startswith("text/html")
                and not getattr(response, SITE_PAGE, False)):
            return not_found(request)
        return response


class MemberTimeZoneMiddleware:
    """Shows times in the zone the signed-in member chose, else the organisation's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _member_zone(request)
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)


def _member_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    from omov.accounts.roles import member_for_request

    member = member_for_request(request)
    if member is None or not member.time_zone:
        return None
    try:
        return zoneinfo.ZoneInfo(member.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
