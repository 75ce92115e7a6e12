from __future__ import annotations

from email.parser import BytesParser
from email.policy import default as default_policy

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omov.accounts.roles import organiser_required, public
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


@csrf_exempt
@require_POST
@public
def deliver(request: HttpRequest) -> HttpResponse:
    """Takes one message (``message/rfc822``) into the mailbox: how `omov credentials mail
    --via-omov` delivers the codes of a demo ballot, which has no mail server. Debug only,
    like the mailbox: outside debug mode it does not exist."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only in debug mode.")
    if request.content_type != "message/rfc822":
        return JsonResponse({"error": "Send one message as message/rfc822."}, status=415)
    message = BytesParser(policy=default_policy).parsebytes(request.body)
    recipients = [address.addr_spec for header in message.get_all("To", [])
                  for address in header.addresses]
    body = message.get_body(("plain",))
    if not recipients or body is None:
        return JsonResponse({"error": "The message needs a To address and a plain-text body."},
                            status=400)
    stored = StoredEmail.objects.create(
        from_email=str(message.get("From", "")), to="\n".join(recipients),
        subject=str(message.get("Subject", "")), body=body.get_content(),
    )
    return JsonResponse({"stored": stored.pk}, status=201)


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
