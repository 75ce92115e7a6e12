"""The organiser's pages: draft a ballot, add questions, move it along its timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, organiser_required
from omov.ballots.actions import counting, credentials, drafting, mixing
from omov.ballots.errors import BallotError, InvalidDraft
from omov.ballots.forms import KIND_MEANINGS, BallotForm, QuestionForm
from omov.ballots.models import Ballot, QuestionKind
from omov.ballots.views.common import ballot_or_404, member_finder
from omov.members.models import Member


def _show(form: forms.Form, problems: Sequence[BallotError],
          unparsed: set[str] | None = None) -> None:
    """Puts each problem beside its field (or above the form), all at once."""
    if unparsed is None:
        unparsed = set(form.errors)
    for problem in problems:
        if isinstance(problem, InvalidDraft):
            _show(form, problem.problems, unparsed)
            continue
        field = problem.field if problem.field in form.fields else None
        if field is not None and field in unparsed:
            continue  # the field did not parse; its own error says why
        form.add_error(field, str(problem))


@organiser_required
def create(request: HttpRequest) -> HttpResponse:
    form = BallotForm(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid()
        now = timezone.now()
        problems = drafting.draft_problems(form.draft_fields(), now=now)
        _show(form, problems)
        if valid and not problems:
            data = form.cleaned_data
            try:
                ballot = drafting.create_ballot(
                    slug=data["slug"], title=data["title"], description=data["description"],
                    cut_off=data["cut_off"], local_group=data["local_group"],
                    opens_at=data["opens_at"], closes_at=data["closes_at"],
                    threshold=data["threshold"], trustees=data["trustees"],
                    authority_email=data["authority_email"],
                    authority_name=data["authority_name"], by=current_member(request), now=now,
                )
            except BallotError as error:
                _show(form, [error])
            else:
                messages.success(request,
                                 "Ballot drafted; the trustees and the authority are invited.")
                return redirect("ballots:detail", slug=ballot.slug)
    return render(request, "ballots/create.html", {"form": form, **member_finder(request)})


@organiser_required
def add_question(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        valid = form.is_valid()
        data = form.cleaned_data
        *_, problems = drafting.question_problems(
            data.get("kind", ""), data.get("text", ""), form.option_lines(), **form.bounds(),
            count=form.count_draft(), other_cells=drafting.ranked_cells(ballot))
        if "kind" not in data or "text" not in data:
            problems = [p for p in problems if p.field not in ("kind", "text")]
        _show(form, problems)
        if valid and not problems:
            try:
                drafting.add_question(
                    ballot, kind=data["kind"], text=data["text"], case_for=data["case_for"],
                    case_against=data["case_against"], options=form.option_lines(),
                    by=current_member(request), count=form.count_draft(), **form.bounds(),
                )
            except BallotError as error:
                _show(form, [error])
            else:
                messages.success(request, "Question added.")
                return redirect("ballots:detail", slug=ballot.slug)
    kinds = [(QuestionKind(kind).label, meaning) for kind, meaning in KIND_MEANINGS.items()]
    return render(request, "ballots/add_question.html",
                  {"ballot": ballot, "form": form, "kinds": kinds})


Step = Callable[[Ballot, Member], object]


def _step(request: HttpRequest, slug: str, done: str, step: Step) -> HttpResponse:
    """Runs one organiser action on the ballot and reports how it went."""
    ballot = ballot_or_404(slug)
    try:
        step(ballot, current_member(request))
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("ballots:detail", slug=ballot.slug)


def _remove_question(request: HttpRequest) -> Step:
    def remove(ballot: Ballot, by: Member) -> None:
        question = ballot.questions.filter(pk=request.POST.get("question", "")).first() if (
            request.POST.get("question", "").isdigit()) else None
        if question is None:
            raise BallotError("That question is not part of this ballot.")
        drafting.remove_question(question, by=by)

    return remove


@require_POST
@organiser_required
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "Manifest published. The key ceremony can start.",
                 lambda ballot, by: drafting.publish_manifest(ballot, by=by))


@require_POST
@organiser_required
def remove_question(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "Question removed.", _remove_question(request))


@require_POST
@organiser_required
def finish_ceremony(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "The joint key is fixed. Waiting for credentials.",
                 lambda ballot, by: credentials.finish_key_ceremony(ballot, by=by))


@require_POST
@organiser_required
def open_voting(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "The ballot is open.",
                 lambda ballot, by: credentials.open_ballot(ballot, by=by, now=timezone.now()))


@require_POST
@organiser_required
def close_voting(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "Voting closed; the encrypted tally is on the board.",
                 lambda ballot, by: counting.close_ballot(ballot, by=by, now=timezone.now()))


@require_POST
@organiser_required
def publish_result(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug,
                 "Result published. The server verifies the whole record within a few "
                 "minutes; the results page shows the outcome.",
                 lambda ballot, by: counting.publish_result(ballot, by=by))


@require_POST
@organiser_required
def end_mix(request: HttpRequest, slug: str) -> HttpResponse:
    return _step(request, slug, "The mix has ended; the trustees are asked to decrypt the "
                 "shuffled rankings.", lambda ballot, by: mixing.end_mix(ballot, by=by))
