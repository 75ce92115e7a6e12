"""Local groups and committees: members see who sits where; organisers manage them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from omov.accounts.roles import current_member, on_roll_required, organiser_required
from omov.members.forms import LocalGroupChoiceForm
from omov.members.models import Member
from omov.organisation import actions
from omov.organisation.errors import OrganisationError
from omov.organisation.forms import CommitteeForm, NameForm, SeatForm
from omov.organisation.models import Committee, CommitteeMembership, LocalGroup


def _current_seats(committee: Committee) -> list[CommitteeMembership]:
    seats = CommitteeMembership.objects.current().filter(committee=committee)
    return list(seats.select_related("member").order_by("member__name"))


@on_roll_required
def committees(request: HttpRequest) -> HttpResponse:
    """Who sits on each committee: members are entitled to know."""
    listing = [
        (committee, _current_seats(committee))
        for committee in Committee.objects.select_related("parent")
    ]
    return render(request, "organisation/committees.html", {"listing": listing})


@organiser_required
@require_http_methods(["GET", "POST"])
def manage_groups(request: HttpRequest) -> HttpResponse:
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            name = form.cleaned_data["name"]
            group = actions.create_local_group(name, by=current_member(request))
        except OrganisationError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"Created {group.name}.")
            return redirect("organisation:manage_groups")
    groups = LocalGroup.objects.annotate(member_count=Count("members"))
    return render(request, "organisation/groups.html", {"groups": groups, "form": form})


@organiser_required
@require_http_methods(["GET", "POST"])
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(LocalGroup, slug=slug)
    form = NameForm(request.POST or None, initial={"name": group.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_local_group(group, form.cleaned_data["name"], by=current_member(request))
        except OrganisationError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, "Renamed.")
            return redirect("organisation:group_detail", slug=group.slug)
    members = group.members.order_by("name")
    return render(
        request, "organisation/group_detail.html",
        {"group": group, "form": form, "members": members},
    )


@organiser_required
@require_POST
def assign_group(request: HttpRequest, number: str) -> HttpResponse:
    member = get_object_or_404(Member, membership_number=number)
    form = LocalGroupChoiceForm(request.POST)
    if form.is_valid():
        actions.assign_local_group(
            member, form.cleaned_data["local_group"], by=current_member(request)
        )
        messages.success(request, "The local group was changed.")
    else:
        messages.error(request, "Choose a local group from the list.")
    return redirect("members:member_detail", number=member.membership_number)


@organiser_required
@require_http_methods(["GET", "POST"])
def manage_committees(request: HttpRequest) -> HttpResponse:
    form = CommitteeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = actions.create_committee(
                form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                parent=form.cleaned_data["parent"],
                by=current_member(request),
            )
        except OrganisationError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"Created {committee.name}.")
            return redirect("organisation:committee_detail", slug=committee.slug)
    listing = Committee.objects.select_related("parent")
    return render(request, "organisation/manage_committees.html",
                  {"committees": listing, "form": form})


def _committee_page(request: HttpRequest, committee: Committee, **forms: object) -> HttpResponse:
    context = {
        "committee": committee,
        "seats": _current_seats(committee),
        "rename_form": forms.get("rename_form") or NameForm(initial={"name": committee.name}),
        "seat_form": forms.get("seat_form") or SeatForm(),
    }
    return render(request, "organisation/committee_detail.html", context)


@organiser_required
def committee_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _committee_page(request, get_object_or_404(Committee, slug=slug))


@organiser_required
@require_POST
def rename_committee(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            actions.rename_committee(committee, form.cleaned_data["name"],
                                     by=current_member(request))
        except OrganisationError as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, "Renamed.")
            return redirect("organisation:committee_detail", slug=committee.slug)
    return _committee_page(request, committee, rename_form=form)


@organiser_required
@require_POST
def add_seat(request: HttpRequest, slug: str) -> HttpResponse:
    committee = get_object_or_404(Committee, slug=slug)
    form = SeatForm(request.POST)
    if form.is_valid():
        member = Member.objects.filter(
            membership_number=form.cleaned_data["membership_number"].strip()
        ).first()
        if member is None:
            form.add_error("membership_number", "No member has this number.")
        else:
            try:
                actions.add_committee_member(committee, member,
                                             position=form.cleaned_data["position"],
                                             by=current_member(request))
            except OrganisationError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"Added {member.name}.")
                return redirect("organisation:committee_detail", slug=committee.slug)
    return _committee_page(request, committee, seat_form=form)


@organiser_required
@require_POST
def remove_seat(request: HttpRequest, slug: str, seat_id: int) -> HttpResponse:
    seat = get_object_or_404(CommitteeMembership, pk=seat_id, committee__slug=slug)
    try:
        actions.remove_committee_member(seat, by=current_member(request))
    except OrganisationError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{seat.member.name} has left {seat.committee.name}.")
    return redirect("organisation:committee_detail", slug=slug)
