from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from omov.accounts.roles import organiser_required, public
from omov.web.mailbox.models import StoredEmail


@public
def mailbox(request: HttpRequest) -> HttpResponse:
    """Lists the latest stored messages. Routed only in debug; checked again here."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only in debug mode.")
    messages = StoredEmail.objects.all()[:50]
    return render(request, "mailbox/mailbox.html", {"stored_emails": messages})


@organiser_required
def outbox(request: HttpRequest) -> HttpResponse:
    """What waits in the outbox and what failed for good: recipients, subjects and errors
    only, never a body (sign-in links and codes are for their recipient)."""
    from omov.web import outbox as mail_outbox

    return render(request, "mailbox/outbox.html", {
        "backlog": mail_outbox.backlog(),
        "pending": mail_outbox.pending_messages(),
        "failed": mail_outbox.failed_messages(),
        "max_attempts": settings.OMOV_MAIL_MAX_ATTEMPTS,
    })
