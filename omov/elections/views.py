"""Election pages members read and the forms they nominate, support and stand with."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, member_for_request, member_required, public
from omov.elections import ballot as election_ballot
from omov.elections import permissions
from omov.elections.actions import nominations, slates
from omov.elections.errors import ElectionError
from omov.elections.forms import (
    DecisionForm,
    GroupSupportForm,
    NominateForm,
    RulingForm,
    SlateForm,
    StatementForm,
)
from omov.elections.models import Election, Nomination, Post, Slate, Support
from omov.elections.rules import word_count
from omov.members.models import Member


@public
def listing(request: HttpRequest) -> HttpResponse:
    elections = Election.objects.select_related("local_group").prefetch_related("posts")
    return render(request, "elections/list.html", {
        "elections": elections,
        "organiser": permissions.is_organiser(member_for_request(request))})


@public
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The election: its period, posts, slates, the lot and, once drafted, the ballot."""
    election = get_object_or_404(Election.objects.select_related("local_group", "ballot"),
                                 slug=slug)
    viewer = member_for_request(request)
    return render(request, "elections/detail.html", {
        "election": election, "outcomes": election_ballot.outcomes(election),
        "slates": election.slates.prefetch_related("nominations__nominee",
                                                   "nominations__post"),
        "open": permissions.nominations_open(election, timezone.now()),
        "organiser": permissions.is_organiser(viewer),
        "before_open": election.stage == "nominations"
        and timezone.now() < election.nominations_open_at,
        "closable": election.stage == "nominations"
        and timezone.now() >= election.nominations_close_at,
    })


def _find_on_roll(text: str) -> Member | None:
    """The member meant: by email address, or by membership number."""
    if "@" in text:
        return Member.objects.filter(email__iexact=text).order_by("pk").first()
    return Member.objects.filter(membership_number=text).first()


def _post(slug: str, post_id: int) -> Post:
    return get_object_or_404(Post.objects.select_related("election__local_group"),
                             pk=post_id, election__slug=slug)


@public
def post_page(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Every nomination for a post: statement, slate, support, endorsement, ruling."""
    post = _post(slug, post_id)
    viewer = member_for_request(request)
    rows = []
    for nomination in post.nominations.select_related("nominee", "nominated_by", "slate"):
        members, groups = nominations.support_counts(nomination)
        endorsements = list(nomination.endorsements.select_related(
            "decision__committee", "withdrawn_by_decision__committee"))
        rows.append({
            "nomination": nomination, "members": members, "groups": groups,
            "live_endorsement": next((e for e in endorsements if e.withdrawn_at is None), None),
            "group_names": [str(s.local_group) for s in nomination.supports.filter(
                local_group__isnull=False, released_at__isnull=True).select_related(
                "local_group")],
            "endorsements": endorsements,
            "words": word_count(nomination.statement),
        })
    supported = (Support.objects.filter(post=post, member=viewer, released_at__isnull=True)
                 .select_related("nomination__nominee").first() if viewer else None)
    standing = election_ballot.candidates(post)
    organiser = permissions.is_organiser(viewer)
    return render(request, "elections/post.html", {
        "post": post, "election": post.election, "rows": rows, "viewer": viewer,
        "supported": supported, "open": permissions.nominations_open(post.election,
                                                                     timezone.now()),
        "balance_words": election_ballot.balance_words(post, standing),
        "organiser": organiser, "ruling_form": RulingForm() if organiser else None,
        "group_form": GroupSupportForm(prefix="group") if organiser else None,
        "decision_form": DecisionForm() if organiser else None,
    })


@member_required
def nominate(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """A member nominates themself or another member for a post."""
    post = _post(slug, post_id)
    form = NominateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        by = current_member(request)
        text = form.cleaned_data["nominee"].strip()
        nominee = _find_on_roll(text) if text else by
        if nominee is None:
            form.add_error("nominee", f"No one on the roll has the email address or "
                                      f"membership number {text}.")
        else:
            try:
                nomination = nominations.nominate(post, nominee, by=by,
                                                  statement=form.cleaned_data["statement"])
            except ElectionError as refused:
                form.add_error(refused.field if refused.field in form.fields else None,
                               str(refused))
            else:
                messages.success(request, "Nominated." if nominee == by else
                                 f"Nominated {nominee.name}; they are asked to accept.")
                return redirect("elections:nomination", nomination_id=nomination.pk)
    return render(request, "elections/nominate.html", {"form": form, "post": post,
                                                       "election": post.election})


def _nomination(nomination_id: int) -> Nomination:
    return get_object_or_404(Nomination.objects.select_related(
        "post__election", "nominee", "nominated_by", "slate"), pk=nomination_id)


@member_required
def nomination_page(request: HttpRequest, nomination_id: int) -> HttpResponse:
    """A nomination; its nominee accepts, writes the statement, joins a slate, withdraws."""
    nomination = _nomination(nomination_id)
    viewer = current_member(request)
    election = nomination.post.election
    own = viewer.pk == nomination.nominee_id
    choices = [(str(s.pk), s.name) for s in election.slates.all()]
    initial = {"statement": nomination.statement,
               "declares_balance": nomination.declares_balance}
    statement_form = StatementForm(initial=initial)
    statement_form.fields["declares_balance"].label = (
        f"I declare myself {nomination.post.balance_label} (for the post's balance rule)")
    return render(request, "elections/nomination.html", {
        "nomination": nomination, "post": nomination.post, "election": election, "own": own,
        "open": permissions.nominations_open(election, timezone.now()),
        "statement_form": statement_form,
        "slate_form": SlateForm(slates=choices,
                                initial={"slate": nomination.slate_id or ""}),
        "words": word_count(nomination.statement),
        "may_withdraw": permissions.before_ballot_opens(election),
    })


def _back(nomination: Nomination) -> HttpResponse:
    return redirect("elections:nomination", nomination_id=nomination.pk)


def _done(request: HttpRequest, nomination: Nomination, step: object, said: str) -> HttpResponse:
    """Runs `step` (a no-argument call of one action); says what happened or why not."""
    try:
        step()  # type: ignore[operator]
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, said)
    return _back(nomination)


@member_required
@require_POST
def accept(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    form = StatementForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _done(request, nomination, lambda: nominations.accept_nomination(
        nomination, by=current_member(request), statement=data.get("statement", ""),
        declares_balance=bool(data.get("declares_balance"))),
        "You have accepted the nomination.")


@member_required
@require_POST
def statement(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    form = StatementForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _done(request, nomination, lambda: nominations.edit_statement(
        nomination, by=current_member(request), statement=data.get("statement", ""),
        declares_balance=bool(data.get("declares_balance"))), "Your statement is saved.")


@member_required
@require_POST
def slate(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    by = current_member(request)
    new = request.POST.get("new_slate", "").strip()
    if new:
        return _done(request, nomination,
                     lambda: slates.declare_slate(nomination, name=new, by=by),
                     f"You declared the slate {new} and stand on it.")
    chosen = request.POST.get("slate", "")
    target = (Slate.objects.filter(pk=chosen, election=nomination.post.election_id).first()
              if chosen.isdigit() else None)
    if chosen and target is None:
        messages.error(request, "Choose one of the election's slates.")
        return _back(nomination)
    return _done(request, nomination, lambda: slates.join_slate(nomination, target, by=by),
                 f"You stand on the slate {target.name}." if target else
                 "You stand on no slate.")


@member_required
@require_POST
def withdraw(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    return _done(request, nomination, lambda: nominations.withdraw_nomination(
        nomination, by=current_member(request)), "Your nomination is withdrawn.")


@member_required
@require_POST
def support(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _nomination(nomination_id)
    try:
        nominations.support_nomination(nomination, by=current_member(request))
    except ElectionError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"You support {nomination.nominee.name}'s nomination.")
    return redirect("elections:post", slug=nomination.post.election.slug,
                    post_id=nomination.post_id)
