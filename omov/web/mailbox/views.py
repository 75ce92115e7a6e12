from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import public
from omov.web.mailbox.models import StoredEmail


@public
def mailbox(request: HttpRequest) -> HttpResponse:
    """Lists the latest stored messages. Routed only in debug; checked again here."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only in debug mode.")
    messages = StoredEmail.objects.all()[:50]
    return render(request, "mailbox/mailbox.html", {"stored_emails": messages})
