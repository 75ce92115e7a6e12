from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from omov.accounts.actions import issue_login_link, redeem_login_link
from omov.accounts.errors import LoginLinkInvalid
from omov.accounts.forms import SignInForm
from omov.accounts.ratelimit import SignInLimited
from omov.accounts.roles import public

_NEXT_KEY = "omov_next"


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
        try:
            issue_login_link(form.cleaned_data["email"], ip_address=_client_ip(request))
        except SignInLimited as limited:
            minutes = max(1, int((limited.retry_after - timezone.now()).total_seconds() // 60))
            context = {"form": form, "limited": limited, "minutes": minutes}
            return render(request, "accounts/sign_in.html", context, status=429)
        return redirect("accounts:sign_in_sent")
    return render(request, "accounts/sign_in.html", {"form": form})


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
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, "You are signed in.")
    return redirect(next_url or "members:me")


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("home")
