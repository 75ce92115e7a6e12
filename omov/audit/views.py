from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import on_roll_required
from omov.audit.models import AuditEvent


@on_roll_required
def public_log(request: HttpRequest) -> HttpResponse:
    """Organiser actions, newest first, for anyone on the roll to read."""
    events = AuditEvent.objects.filter(public=True).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/public_log.html", {"page": page})
