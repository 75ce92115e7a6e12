"""Petition pages: read by anyone, signed and withdrawn by active members."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, member_for_request, member_required, public
from omov.ballots.models import QuestionKind
from omov.petitions import actions, permissions, signature_log
from omov.petitions.errors import PetitionError
from omov.petitions.models import Petition, Signature, Visibility


@public
def listing(request: HttpRequest) -> HttpResponse:
    """Every petition with its progress; hidden ones show only their published reason."""
    petitions = [(petition, actions.progress(petition))
                 for petition in Petition.objects.select_related("committee")]
    return render(request, "petitions/list.html", {"petitions": petitions})


@public
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The petition, its progress, duties, and the names each signer allowed this viewer."""
    petition = get_object_or_404(Petition, slug=slug)
    viewer = member_for_request(request)
    live = Signature.objects.filter(petition=petition, version=petition.version,
                                    withdrawn_at__isnull=True).select_related("member")
    names = [s.member.name for s in live.order_by("signed_at")
             if permissions.may_see_name(viewer, s.visibility)]
    own = live.filter(member=viewer).first() if viewer is not None else None
    now = timezone.now()
    return render(request, "petitions/detail.html", {
        "petition": petition, "progress": actions.progress(petition), "names": names,
        "own": own, "visibilities": Visibility.choices, "now": now,
        "days_left": max((petition.closes_at - now).days, 0),
        "answer_overdue": petition.answer_overdue(now),
        "ballot_overdue": petition.ballot_overdue(now),
        "speaks_for": permissions.speaks_for(viewer, petition.committee),
        "may_draft": permissions.may_draft_ballot(viewer, petition),
        "question_kind": QuestionKind(petition.question_kind).label.lower(),
        "receipt": request.GET.get("receipt", "").strip(),
        "receipt_found": _receipt_found(petition, request.GET.get("receipt", "")),
    })


def _receipt_found(petition: Petition, receipt: str) -> bool | None:
    if not receipt.strip():
        return None
    return signature_log.load(petition).state.find_receipt(receipt.strip()) is not None


@member_required
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_object_or_404(Petition, slug=slug)
    choice = request.POST.get("visibility", "")
    if choice not in Visibility.values:
        messages.error(request, "Choose how your signature is shown.")
        return redirect("petitions:detail", slug=slug)
    try:
        signature = actions.sign_petition(petition, by=current_member(request),
                                          visibility=Visibility(choice))
    except PetitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Signed. Your receipt code is {signature.receipt}: "
                                  "with it you can find your entry in the signature log.")
    return redirect("petitions:detail", slug=slug)


@member_required
@require_POST
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    petition = get_object_or_404(Petition, slug=slug)
    try:
        actions.withdraw_signature(petition, by=current_member(request))
    except PetitionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your signature is withdrawn.")
    return redirect("petitions:detail", slug=slug)


@public
def record(request: HttpRequest, slug: str) -> HttpResponse:
    """The signature log as JSON Lines, for `omov verify`."""
    petition = get_object_or_404(Petition, slug=slug)
    response = HttpResponse(signature_log.download(petition), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{slug}.petition.jsonl"'
    return response
