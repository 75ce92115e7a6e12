"""Organisers' pages for the roll: search, a member's record, import, export, rejoins."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from omov.accounts.roles import current_member, organiser_required
from omov.members import actions
from omov.members.errors import MemberActionError
from omov.members.forms import (
    AddMemberForm,
    DeclineForm,
    ImportUploadForm,
    LocalGroupChoiceForm,
    SearchForm,
    StatusChangeForm,
)
from omov.members.import_preview import preview as import_preview_summary
from omov.members.models import Member, MemberImport, RejoinRequest, Status
from omov.members.roll_csv import decode_upload
from omov.members.search import search_roll

PREVIEW_PAGE_ROWS = 200


@organiser_required
def roster(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.data.get("q", "").strip()
    members = search_roll(query)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "members/roster.html", {"form": form, "page": page, "query": query})


@organiser_required
def add(request: HttpRequest) -> HttpResponse:
    """Puts one member on the roll, without a CSV file."""
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.add_member(**form.cleaned_data, by=current_member(request))
        except MemberActionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{member.name} is on the roll as "
                             f"{member.membership_number}.")
            return redirect("members:member_detail", number=member.membership_number)
    return render(request, "members/add.html", {"form": form})


def _member_page(
    request: HttpRequest, member: Member, form: StatusChangeForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "member": member,
        "history": member.status_history.select_related("recorded_by").order_by(
            "-effective_on", "-id"
        ),
        "group_history": member.group_history.select_related(
            "from_group", "to_group", "recorded_by"
        ).order_by("-effective_on", "-id"),
        "status_form": form or StatusChangeForm(),
        "group_form": LocalGroupChoiceForm(initial={"local_group": member.local_group}),
    }
    return render(request, "members/member_detail.html", context, status=status)


@organiser_required
def member_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _member_page(request, get_object_or_404(Member, membership_number=number))


@organiser_required
@require_POST
def change_status(request: HttpRequest, number: str) -> HttpResponse:
    member = get_object_or_404(Member, membership_number=number)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, form, status=400)
    try:
        actions.change_member_status(
            member,
            Status(form.cleaned_data["status"]),
            effective_on=form.cleaned_data["effective_on"],
            reason=form.cleaned_data["reason"],
            by=current_member(request),
        )
    except MemberActionError as refused:
        form.add_error(None, str(refused))
        return _member_page(request, member, form, status=400)
    messages.success(request, "The status was changed and recorded in the history.")
    return redirect("members:member_detail", number=member.membership_number)


@organiser_required
def export(request: HttpRequest) -> StreamingHttpResponse:
    rows = actions.export_roll(by=current_member(request))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="omov-roll-{stamp}.csv"'
    return response


@organiser_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["roll_file"]
        try:
            content = decode_upload(upload.read())
        except UnicodeDecodeError:
            form.add_error("roll_file", "The file is not UTF-8 text; save it as CSV (UTF-8).")
        else:
            staged = actions.stage_member_import(
                file_name=upload.name, content=content, by=current_member(request)
            )
            return redirect("members:import_preview", import_id=staged.pk)
    return render(request, "members/import_upload.html", {"form": form})


@organiser_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, import_id: int) -> HttpResponse:
    upload = get_object_or_404(MemberImport, pk=import_id)
    if request.method == "POST" and upload.committed_at is None:
        try:
            plan = actions.import_members(upload, by=current_member(request))
        except MemberActionError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                f"Imported: {plan.count('new')} new, {plan.count('update')} updated, "
                f"{plan.count('unchanged')} unchanged.",
            )
            return redirect("members:roster")
    summary = import_preview_summary(upload)
    context = {
        "upload": upload,
        "plan": summary,
        "problems": Paginator(summary.problems, PREVIEW_PAGE_ROWS).get_page(
            request.GET.get("problems_page")),
        "changed_rows": Paginator(summary.changed, PREVIEW_PAGE_ROWS).get_page(
            request.GET.get("page")),
        "counts": summary.counts,
    }
    return render(request, "members/import_preview.html", context)


@organiser_required
def rejoin_requests(request: HttpRequest) -> HttpResponse:
    pending = RejoinRequest.objects.filter(outcome=RejoinRequest.Outcome.PENDING)
    decided = RejoinRequest.objects.exclude(outcome=RejoinRequest.Outcome.PENDING)
    context = {
        "pending": pending.select_related("member", "member__local_group"),
        "decided": decided.select_related("member", "decided_by")[:50],
        "decline_form": DeclineForm(),
    }
    return render(request, "members/rejoin_requests.html", context)


@organiser_required
@require_POST
def decide_rejoin(request: HttpRequest, request_id: int, decision: str) -> HttpResponse:
    if decision not in ("approve", "decline"):
        raise Http404("Unknown decision.")
    rejoin_request = get_object_or_404(RejoinRequest, pk=request_id)
    organiser = current_member(request)
    try:
        if decision == "approve":
            actions.approve_rejoin(rejoin_request, by=organiser)
            messages.success(request, f"{rejoin_request.member.name} is active again.")
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Give a reason for declining.")
                return redirect("members:rejoin_requests")
            actions.decline_rejoin(rejoin_request, by=organiser, reason=form.cleaned_data["reason"])
            messages.info(request, "The request was declined.")
    except MemberActionError as refused:
        messages.error(request, str(refused))
    return redirect("members:rejoin_requests")
