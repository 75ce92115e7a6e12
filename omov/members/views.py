"""A member's own pages: their record, status history, cancelling and rejoining."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, on_roll_required, public
from omov.members import actions
from omov.members.errors import MemberActionError
from omov.members.forms import CancelForm, EmailChangeForm, RejoinForm, TimeZoneForm
from omov.members.models import Member, RejoinRequest, Status


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
