"""Organisers' steps in an election: rulings, group support, endorsements, the ballot."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, organiser_required
from omov.ballots.errors import BallotError
from omov.elections import ballot as election_ballot
from omov.elections.actions import nominations, setup, slates
from omov.elections.errors import ElectionError
from omov.elections.forms import (
    DecisionForm,
    ElectionBallotForm,
    ElectionForm,
    GroupSupportForm,
    PostForm,
    RulingForm,
)
from omov.elections.models import Election, Endorsement, Nomination


def _to_post(nomination: Nomination) -> HttpResponse:
    return redirect("elections:post", slug=nomination.post.election.slug,
                    post_id=nomination.post_id)


def _nomination(nomination_id: int) -> Nomination:
    return get_object_or_404(Nomination.objects.select_related("post__election", "nominee"),
                             pk=nomination_id)


def _form_errors(request: HttpRequest, form: object) -> None:
    for errors in form.errors.values():  # type: ignore[attr-defined]
        for error in errors:
            messages.error(request, str(error))


@organiser_required
@require_POST
def rule(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """Rules a nomination valid or invalid, with the reason published on the post's page."""
    nomination = _nomination(nomination_id)
    form = RulingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _to_post(nomination)
    try:
        nominations.rule_on_nomination(nomination, valid=form.cleaned_data["valid"] == "valid",
                                       reason=form.cleaned_data["reason"],
                                       by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The ruling on {nomination.nominee.name} is published.")
    return _to_post(nomination)


@organiser_required
@require_POST
def group_support(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    form = GroupSupportForm(request.POST, prefix="group")
    if not form.is_valid():
        _form_errors(request, form)
        return _to_post(nomination)
    try:
        nominations.record_group_support(nomination, form.cleaned_data["local_group"],
                                         note=form.cleaned_data["note"],
                                         by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The group's support is recorded.")
    return _to_post(nomination)


@organiser_required
@require_POST
def endorse(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _to_post(nomination)
    try:
        slates.endorse(nomination, decision=form.cleaned_data["decision"],
                       by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"The endorsement of {nomination.nominee.name} is recorded.")
    return _to_post(nomination)


@organiser_required
@require_POST
def withdraw_endorsement(request: HttpRequest, endorsement_id: int) -> HttpResponse:
    endorsement = get_object_or_404(Endorsement.objects.select_related(
        "nomination__post__election", "nomination__nominee"), pk=endorsement_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _to_post(endorsement.nomination)
    try:
        slates.withdraw_endorsement(endorsement, decision=form.cleaned_data["decision"],
                                    by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The withdrawal of the endorsement is recorded.")
    return _to_post(endorsement.nomination)


@organiser_required
@require_POST
def close(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election, slug=slug)
    try:
        election_ballot.close_nominations(election, by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Nominations are closed; statements are frozen.")
    return redirect("elections:detail", slug=slug)


@organiser_required
def make_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """Drafts the ballot from the valid candidates; organisers add trustees and times."""
    election = get_object_or_404(Election, slug=slug)
    form = ElectionBallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = election_ballot.make_ballot(
                election, by=current_member(request), opens_at=data["opens_at"],
                closes_at=data["closes_at"], threshold=data["threshold"],
                trustees=data["trustees"], authority_email=data["authority_email"],
                authority_name=data["authority_name"], now=timezone.now())
        except (ElectionError, BallotError) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The ballot is drafted; the trustees and the credential "
                                      "authority are invited.")
            return redirect("ballots:detail", slug=ballot.slug)
    return render(request, "elections/make_ballot.html", {
        "form": form, "election": election, "outcomes": election_ballot.outcomes(election)})


def _add_error(form: Any, refused: ElectionError) -> None:
    form.add_error(refused.field if refused.field in form.fields else None, str(refused))


@organiser_required
def new_election(request: HttpRequest) -> HttpResponse:
    """An organiser sets up an election; its posts come next, before nominations open."""
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = setup.create_election(
                slug=data["slug"], title=data["title"], description=data["description"],
                local_group=data["local_group"], nominations_open_at=data["nominations_open_at"],
                nominations_close_at=data["nominations_close_at"],
                candidate_order=data["candidate_order"], by=current_member(request),
                now=timezone.now())
        except ElectionError as refused:
            _add_error(form, refused)
        else:
            messages.success(request, "The election is set up: add its posts before "
                                      "nominations open.")
            return redirect("elections:add_post", slug=election.slug)
    return render(request, "elections/new_election.html", {"form": form})


@organiser_required
def add_post(request: HttpRequest, slug: str) -> HttpResponse:
    election = get_object_or_404(Election, slug=slug)
    form = PostForm(request.POST or None, initial={"balance_at_least": 0})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = setup.add_post(
                election, title=data["title"], seats=data["seats"], method=data["method"] or None,
                eligibility_months=data["eligibility_months"],
                supporters_needed=data["supporters_needed"], groups_needed=data["groups_needed"],
                word_limit=data["word_limit"], balance_label=data["balance_label"] or "",
                balance_at_least=data["balance_at_least"] or 0, by=current_member(request))
        except ElectionError as refused:
            _add_error(form, refused)
        else:
            messages.success(request, f"Added the post {post.title}.")
            return redirect("elections:add_post", slug=election.slug)
    return render(request, "elections/add_post.html", {"form": form, "election": election})
