"""A member's own pages: their record, status history, cancelling and rejoining."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omov.accounts.roles import Role, current_member, has_role, on_roll_required, public
from omov.members import actions, hooks, notices
from omov.members.errors import MemberActionError
from omov.members.forms import (
    CancelForm,
    EmailChangeForm,
    NoticeKindsForm,
    OwnGroupForm,
    RejoinForm,
    TimeZoneForm,
)
from omov.members.models import Member, NoticeKind, RejoinRequest, Status


def _own_page(
    request: HttpRequest,
    member: Member,
    *,
    cancel_form: CancelForm | None = None,
    rejoin_form: RejoinForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "member": member,
        "history": member.status_history.select_related("recorded_by").order_by(
            "-effective_on", "-id"
        ),
        "seats": member.committee_seats.select_related("committee").order_by("-joined_on"),
        "pending_rejoin": member.rejoin_requests.filter(
            outcome=RejoinRequest.Outcome.PENDING
        ).first(),
        "can_cancel": member.status != Status.CANCELLED,
        "can_rejoin": member.status in (Status.CANCELLED, Status.LAPSED),
        "cancel_form": cancel_form or CancelForm(),
        "rejoin_form": rejoin_form or RejoinForm(),
        "organisation_zone": settings.TIME_ZONE,
        "email_form": EmailChangeForm(),
        "zone_form": TimeZoneForm(initial={"time_zone": member.time_zone}),
        "notice_form": _notice_form(request, member),
        "group_rule": hooks.group_change_rule(),
        "group_form": OwnGroupForm(initial={"local_group": member.local_group}),
    }
    return render(request, "members/me.html", context, status=status)


@on_roll_required
def me(request: HttpRequest) -> HttpResponse:
    return _own_page(request, current_member(request))


@on_roll_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _own_page(request, member, cancel_form=form, status=400)
    try:
        actions.cancel_membership(member, reason=form.cleaned_data["reason"])
    except MemberActionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your membership is cancelled. You can ask to rejoin here.")
    return redirect("members:me")


@on_roll_required
@require_POST
def rejoin(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = RejoinForm(request.POST)
    if not form.is_valid():
        return _own_page(request, member, rejoin_form=form, status=400)
    try:
        actions.request_rejoin(member, message=form.cleaned_data["message"])
    except MemberActionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your request to rejoin was sent to the organisers.")
    return redirect("members:me")


@on_roll_required
@require_POST
def time_zone(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a time zone from the list.")
        return redirect("members:me")
    try:
        actions.set_time_zone(member, form.cleaned_data["time_zone"])
    except MemberActionError as refused:
        messages.error(request, str(refused))
    else:
        chosen = form.cleaned_data["time_zone"] or "the organisation's zone"
        messages.success(request, f"Times are now shown in {chosen}.")
    return redirect("members:me")


@on_roll_required
@require_POST
def change_email(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = EmailChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a valid email address.")
        return redirect("members:me")
    try:
        actions.request_email_change(member, form.cleaned_data["new_email"])
    except MemberActionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "We sent a confirmation link to "
                         f"{form.cleaned_data['new_email']}. Your address changes when you use it.")
    return redirect("members:me")


@public
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation message: a button (a GET changes nothing, so that
    a mail scanner following links cannot confirm), then the change."""
    try:
        change = actions.pending_email_change(token)
        if request.method == "POST":
            member = actions.confirm_email_change(token)
            messages.success(request, f"Your email address is now {member.email}.")
            return redirect("home")
    except MemberActionError as refused:
        return render(request, "members/confirm_email.html", {"problem": str(refused)},
                      status=400)
    return render(request, "members/confirm_email.html", {"change": change})


def _shown_kinds(request: HttpRequest, member: Member) -> list[NoticeKind]:
    return notices.kinds_for(member, organiser=has_role(request, Role.ORGANISER))


def _notice_form(request: HttpRequest, member: Member, data: object = None) -> NoticeKindsForm:
    off = set(member.notice_opt_outs.values_list("kind", flat=True))
    return NoticeKindsForm(data, kinds=_shown_kinds(request, member), off=off)


@on_roll_required
@require_POST
def notice_kinds(request: HttpRequest) -> HttpResponse:
    """The member's choice of which emails they get (a box per kind)."""
    member = current_member(request)
    form = _notice_form(request, member, request.POST)
    form.is_valid()  # every field is an optional box: always valid
    off = notices.set_notice_kinds(member, on=form.kinds_on(), shown=form.kinds)
    messages.success(request, "Saved. " + (
        "You get every kind of email listed." if not off else
        "You no longer get: " + "; ".join(kind.label for kind in off) + "."))
    return redirect("members:me")


@on_roll_required
@require_POST
def local_group(request: HttpRequest) -> HttpResponse:
    member = current_member(request)
    form = OwnGroupForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a local group from the list.")
        return redirect("members:me")
    group = form.cleaned_data["local_group"]
    try:
        actions.change_own_local_group(member, group)
    except MemberActionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"You are now in {group.name}." if group
                         else "You are now in no local group.")
    return redirect("members:me")


@public
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every notice. A GET only asks, with a button (mail scanners and
    previews fetch links); a POST stops that kind of email. The POST needs no session
    or CSRF token, as RFC 8058's one-click POST from a mail client carries neither:
    the signed link, which only the member's own emails carry, is the authority."""
    try:
        member, kind = notices.read_unsubscribe_token(token)
        if request.method == "POST":
            notices.unsubscribe(token)
            return render(request, "members/unsubscribe.html", {"done": True, "kind": kind})
    except notices.BadUnsubscribeLink as refused:
        return render(request, "members/unsubscribe.html", {"problem": str(refused)},
                      status=400)
    return render(request, "members/unsubscribe.html",
                  {"kind": kind, "email": member.email, "token": token})
