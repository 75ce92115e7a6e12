"""The site's URLs. The development mailbox is routed only in debug mode."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from omov.web import health, views
from omov.web.mailbox.views import deliver, mailbox, outbox

handler403 = "omov.web.views.forbidden"
handler404 = "omov.web.views.not_found"
handler500 = "omov.web.views.server_error"


def build_urlpatterns(*, debug: bool) -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = [
        path("", views.home, name="home"),
        path("health/", health.health, name="health"),
        path("organise/outbox/", outbox, name="outbox"),
        # First of the apps: every cast resolves here, and no other app's address
        # begins with "ballots/", so the order changes nothing else.
        path("", include("omov.ballots.urls")),
        path("", include("omov.accounts.urls")),
        path("", include("omov.members.urls")),
        path("", include("omov.organisation.urls")),
        path("audit/", include("omov.audit.urls")),
        path("", include("omov.constitution.urls")),
        path("", include("omov.committees.urls")),
        path("", include("omov.petitions.urls")),
        path("", include("omov.discussion.urls")),
        path("", include("omov.elections.urls")),
        path("admin/", admin.site.urls),
    ]
    if debug:
        patterns.append(path("dev/mailbox/", mailbox, name="dev_mailbox"))
        patterns.append(path("dev/mailbox/deliver/", deliver, name="dev_mailbox_deliver"))
    return patterns


urlpatterns = build_urlpatterns(debug=settings.DEBUG)
