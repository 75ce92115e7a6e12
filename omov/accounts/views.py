from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from omov.accounts import backends
from omov.accounts.actions import count_login_request, redeem_login_link, send_login_link
from omov.accounts.errors import LoginLinkInvalid
from omov.accounts.forms import SignInForm
from omov.accounts.ratelimit import SignInLimited
from omov.accounts.roles import public

_NEXT_KEY = "omov_next"
logger = logging.getLogger(__name__)


def _client_ip(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, configure the proxy to set REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def _remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        request.session[_NEXT_KEY] = target


@public
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "GET":
        _remember_next(request)
    elif form.is_valid():
        email, ip_address = form.cleaned_data["email"], _client_ip(request)
        try:
            count_login_request(email, ip_address=ip_address)
        except SignInLimited as limited:
            minutes = max(1, int((limited.retry_after - timezone.now()).total_seconds() // 60))
            context = {"form": form, "limited": limited, "minutes": minutes}
            return render(request, "accounts/sign_in.html", context, status=429)
        return _RedirectThen(reverse("accounts:sign_in_sent"),
                             lambda: send_login_link(email, ip_address=ip_address))
    return render(request, "accounts/sign_in.html", {"form": form})


class _RedirectThen(HttpResponseRedirect):
    """A redirect that does `then` once it has been sent.

    The WSGI server calls `close()` after writing the response, so the work
    that only a member's address causes (the link, the email, the log) never
    delays the answer: a member and a stranger see the same timing. A failure
    is logged; the answer has gone already.
    """

    def __init__(self, url: str, then: Callable[[], object]) -> None:
        super().__init__(url)
        self._then: Callable[[], object] | None = then

    def close(self) -> None:
        then, self._then = self._then, None
        try:
            if then is not None:
                then()
        except Exception:
            logger.exception("Sending a sign-in link failed")
        finally:
            super().close()


@public
def sign_in_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_in_sent.html")


@public
@require_http_methods(["GET", "POST"])
def redeem(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only the POST uses the link.

    Mail scanners and link previews fetch links with GET; if that signed in,
    they would use up the member's single-use link.
    """
    if request.method == "GET":
        return render(request, "accounts/redeem.html")
    try:
        user = redeem_login_link(token)
    except LoginLinkInvalid as invalid:
        return render(request, "accounts/redeem_failed.html", {"reason": str(invalid)}, status=400)
    next_url = request.session.pop(_NEXT_KEY, None)
    login(request, user, backend=backends.PATH)
    messages.success(request, "You are signed in.")
    return redirect(next_url or "members:me")


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("home")
