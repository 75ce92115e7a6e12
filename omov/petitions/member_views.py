"""Members' forms on petitions: start one; the addressed committee answers or argues against."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from omov.accounts.roles import current_member, member_required, organiser_required
from omov.ballots.errors import BallotError
from omov.members.models import Member
from omov.petitions import actions, call_in, forced_ballot
from omov.petitions.errors import PetitionError
from omov.petitions.forms import CommitteeTextForm, ForcedBallotForm, StartForm
from omov.petitions.models import Kind, Petition


@member_required
def start(request: HttpRequest) -> HttpResponse:
    """Any active member starts an open letter, a ballot petition or a call-in."""
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = _start(form.cleaned_data, current_member(request))
        except PetitionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your petition is open for signatures.")
            return redirect("petitions:detail", slug=petition.slug)
    return render(request, "petitions/start.html", {"form": form})


def _start(data: dict[str, object], by: Member) -> Petition:
    kind = Kind(str(data["kind"]))
    text = str(data["text"])
    if kind == Kind.CALL_IN:
        return call_in.open_call_in(by=by, decision=data["decision"],  # type: ignore[arg-type]
                                    text=text)
    return actions.open_petition(by=by, kind=kind, title=str(data["title"]), text=text,
                                 committee=data["committee"],  # type: ignore[arg-type]
                                 question=data.get("question"))  # type: ignore[arg-type]


@member_required
def answer(request: HttpRequest, slug: str) -> HttpResponse:
    """A member (or the secretary) of the addressed committee records its answer."""
    return _committee_text(request, slug, "answer")


@member_required
def case_against(request: HttpRequest, slug: str) -> HttpResponse:
    """The addressed committee's case against a ballot petition, shown beside the case for."""
    return _committee_text(request, slug, "case_against")


def _committee_text(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    petition = get_object_or_404(Petition, slug=slug)
    form = CommitteeTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by, text = current_member(request), form.cleaned_data["text"]
        try:
            if what == "answer":
                actions.record_answer(petition, by=by, text=text)
            else:
                actions.record_case_against(petition, by=by, text=text)
        except PetitionError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Recorded and published on the petition.")
            return redirect("petitions:detail", slug=slug)
    return render(request, "petitions/committee_text.html",
                  {"form": form, "petition": petition, "what": what})


@organiser_required
def draft_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """An organiser drafts the ballot the petition forced; it must open by `ballot_due`."""
    petition = get_object_or_404(Petition, slug=slug)
    form = ForcedBallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = forced_ballot.draft_forced_ballot(
                petition, by=current_member(request), trustees=data["trustees"],
                threshold=data["threshold"], authority_email=data["authority_email"],
                authority_name=data["authority_name"], opens_at=data["opens_at"],
                closes_at=data["closes_at"])
        except (PetitionError, BallotError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The forced ballot is drafted; the trustees and the "
                                      "authority are invited.")
            return redirect("ballots:detail", slug=ballot.slug)
    return render(request, "petitions/draft_ballot.html", {"form": form, "petition": petition})
