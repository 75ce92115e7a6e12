"""The organiser's pages for changing a ballot before it opens: edit a draft and its
questions, withdraw a ballot, re-issue it with new times. Thin: the actions decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, organiser_required
from omov.ballots.actions import drafting, revising
from omov.ballots.errors import BallotError
from omov.ballots.forms import (
    KIND_MEANINGS,
    USES_MAXIMUM,
    USES_MINIMUM,
    USES_OPTIONS,
    BallotForm,
    QuestionForm,
    ReissueForm,
    WithdrawForm,
)
from omov.ballots.models import Ballot, Question, QuestionKind
from omov.ballots.ranked_draft import balance_text
from omov.ballots.views.common import ballot_or_404, member_finder
from omov.ballots.views.organiser import _show


def _draft_initial(ballot: Ballot) -> dict[str, object]:
    trustees = ballot.trustees.select_related("member").order_by("index")
    return {
        "title": ballot.title, "slug": ballot.slug, "description": ballot.description,
        "cut_off": ballot.cut_off, "local_group": ballot.local_group,
        "opens_at": ballot.opens_at, "closes_at": ballot.closes_at,
        "trustees": "\n".join(f"{t.name}, {t.member.email}" for t in trustees),
        "threshold": ballot.threshold, "authority_name": ballot.authority_name,
        "authority_email": ballot.authority.email,
    }


@organiser_required
def edit_draft(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    form = BallotForm(request.POST or None, initial=_draft_initial(ballot))
    form.fields["slug"].disabled = True
    form.fields["slug"].help_text = "The ballot id cannot change."
    if request.method == "POST":
        valid = form.is_valid()
        now = timezone.now()
        problems = drafting.draft_problems(form.draft_fields(), now=now, ballot=ballot)
        _show(form, problems)
        if valid and not problems:
            data = form.cleaned_data
            changes = revising.DraftChanges(**{
                name: data[name] for name in (
                    "title", "description", "cut_off", "local_group", "opens_at",
                    "closes_at", "threshold", "trustees", "authority_email", "authority_name")
            })
            try:
                revising.update_draft(ballot, changes, by=current_member(request), now=now)
            except BallotError as error:
                _show(form, [error])
            else:
                messages.success(request, "The draft is saved.")
                return redirect("ballots:detail", slug=ballot.slug)
    return render(request, "ballots/edit.html",
                  {"ballot": ballot, "form": form, **member_finder(request)})


def _question(ballot: Ballot, question_id: int) -> Question:
    question = ballot.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("That question is not part of this ballot.")
    return question


@organiser_required
def edit_question(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    ballot = ballot_or_404(slug)
    question = _question(ballot, question_id)
    initial: dict[str, object] = {
        "kind": question.kind, "text": question.text, "case_for": question.case_for,
        "case_against": question.case_against,
    }
    if question.kind in USES_OPTIONS:
        initial["options"] = "\n".join(question.options)
    if question.kind in USES_MINIMUM:
        initial["minimum"] = question.min_choices
    if question.kind in USES_MAXIMUM:
        initial["maximum"] = question.max_choices
    if question.kind == QuestionKind.RANKED and question.count:
        initial.update(method=question.count["method"], seats=question.count["seats"],
                       ties=question.count["ties"],
                       balance=balance_text(question.options, question.count))
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revising.edit_question(
                question, kind=data["kind"], text=data["text"], case_for=data["case_for"],
                case_against=data["case_against"], options=form.option_lines(),
                by=current_member(request), count=form.count_draft(), **form.bounds(),
            )
        except BallotError as error:
            _show(form, [error])
        else:
            messages.success(request, f"Question {question.position + 1} is saved.")
            return redirect("ballots:detail", slug=ballot.slug)
    kinds = [(QuestionKind(kind).label, meaning) for kind, meaning in KIND_MEANINGS.items()]
    return render(request, "ballots/add_question.html", {
        "ballot": ballot, "form": form, "kinds": kinds, "editing": question,
    })


@require_POST
@organiser_required
def move_question(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    number = request.POST.get("question", "")
    question = _question(ballot, int(number)) if number.isdigit() else None
    try:
        if question is None:
            raise BallotError("That question is not part of this ballot.")
        revising.move_question(question, up=request.POST.get("direction") == "up",
                               by=current_member(request))
    except BallotError as error:
        messages.error(request, str(error))
    return redirect("ballots:detail", slug=ballot.slug)


@require_POST
@organiser_required
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise BallotError("Say why the ballot is withdrawn: members read it.")
        revising.withdraw_ballot(ballot, reason=form.cleaned_data["reason"],
                                 by=current_member(request))
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The ballot is withdrawn; the reason is on the audit log.")
    return redirect("ballots:detail", slug=ballot.slug)


@require_POST
@organiser_required
def reissue(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    form = ReissueForm(request.POST)
    try:
        if not form.is_valid():
            raise BallotError("Give the new opening and closing times, both as a date and "
                              "a time.")
        data = form.cleaned_data
        fresh = revising.reissue_ballot(
            ballot, opens_at=data["opens_at"], closes_at=data["closes_at"],
            reason=data["reason"], by=current_member(request), now=timezone.now(),
        )
    except BallotError as error:
        messages.error(request, str(error))
        return redirect("ballots:detail", slug=ballot.slug)
    messages.success(request, "Re-issued with new times: a new manifest is published and the "
                     "trustees are invited to a new key ceremony.")
    return redirect("ballots:detail", slug=fresh.slug)
