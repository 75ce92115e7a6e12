from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import public
from omov.web.mailbox.models import StoredEmail

MESSAGES_PER_PAGE = 50


@public
def mailbox(request: HttpRequest) -> HttpResponse:
    """The stored messages, newest first, a page at a time; `?q=` keeps those whose
    recipient contains it. Routed only in debug; checked again here."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only in debug mode.")
    query = request.GET.get("q", "").strip()
    messages = StoredEmail.objects.all()
    if query:
        messages = messages.filter(to__icontains=query)
    page = Paginator(messages, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mailbox/mailbox.html",
                  {"page": page, "query": query, "total": page.paginator.count})
