"""Pages anyone may read: the ballots, a ballot's timeline, its board, record and results."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from omov.accounts.roles import public, roles_for_request
from omov.ballots import board, chart, group_turnout, hooks, revocations
from omov.ballots.forms import ReissueForm, WithdrawForm
from omov.ballots.models import (
    AFTER_VOTING,
    TIMELINE,
    UNOPENED,
    Ballot,
    BoardEntry,
    Elector,
    Phase,
    VoteReceipt,
)
from omov.ballots.outcome import Outcome, outcome
from omov.ballots.readiness import opening_warnings
from omov.ballots.trackers import tracker_prefix
from omov.ballots.verification import failed_checks
from omov.ballots.views.common import is_organiser, public_ballot_or_404
from omov.ballots.voting_rights import why_not
from omov.crypto.canonical import parse_json

TRACKERS_PER_PAGE = 50


def turnout(ballot: Ballot) -> int:
    """Members who have voted: distinct credentials among the cast ballots on the board."""
    cast = BoardEntry.objects.filter(ballot=ballot, kind="ballot")
    return cast.values("credential").distinct().count()


@public
def ballot_list(request: HttpRequest) -> HttpResponse:
    """Every published ballot; a member also sees where they may vote and their trackers."""
    roles_for_request(request)
    ballots = Ballot.objects.select_related("local_group", "replaced_by")
    if not is_organiser(request):
        ballots = ballots.exclude(phase=Phase.DRAFT).exclude(phase=Phase.WITHDRAWN,
                                                             manifest_digest="")
    member = getattr(request, "member", None)
    trackers: dict[int, str] = {}
    may_vote: set[int] = set()
    if member is not None:
        trackers = dict(VoteReceipt.objects.filter(member=member)
                        .values_list("ballot_id", "tracker"))
        may_vote = set(Elector.objects.filter(member=member, ballot__phase=Phase.OPEN)
                       .values_list("ballot_id", flat=True))
    rows = []
    for ballot in ballots:
        refusal = why_not(ballot, member, is_elector=True) if (
            member is not None and ballot.pk in may_vote) else None
        rows.append({"ballot": ballot, "tracker": trackers.get(ballot.pk),
                     "may_vote": ballot.pk in may_vote and refusal is None,
                     "why_not": refusal})
    return render(request, "ballots/list.html", {"rows": rows,
                                                 "organiser": is_organiser(request)})


@public
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    member = getattr(request, "member", None)
    position = TIMELINE.index(Phase(ballot.phase)) if ballot.phase in TIMELINE else 0
    timeline = [
        {"label": phase.label, "state": "done" if i < position else
         "current" if i == position else "todo"}
        for i, phase in enumerate(TIMELINE)
    ]
    receipt = None
    is_elector = False
    if member is not None:
        receipt = VoteReceipt.objects.filter(ballot=ballot, member=member).first()
        is_elector = ballot.electors.filter(member=member).exists()
    organiser = is_organiser(request)
    context = {
        "ballot": ballot,
        "questions": ballot.questions.all(),
        "trustees": ballot.trustees.select_related("member"),
        "timeline": timeline,
        "organiser": organiser,
        "is_trustee": member is not None and ballot.trustees.filter(member=member).exists(),
        "is_authority": member is not None and ballot.authority_id == member.pk,
        "is_elector": is_elector,
        "may_vote": member is not None and is_elector and why_not(
            ballot, member, is_elector=True) is None,
        "why_not": why_not(ballot, member, is_elector=is_elector)
        if member is not None and ballot.phase == Phase.OPEN else None,
        "receipt": receipt,
        "voting_over": ballot.phase in AFTER_VOTING,
        "turnout": turnout(ballot),
        "electors": ballot.electors.count(),
        "Phase": Phase,
        "panels": hooks.detail_panels(request, ballot),
        "warnings": opening_warnings(ballot, timezone.now()) if organiser else [],
        "unopened": ballot.phase in UNOPENED,
        "group_turnout": group_turnout.stored(ballot) if organiser else [],
        "group_rule": group_turnout.RULE,
        "withdraw_form": WithdrawForm(),
        "reissue_form": ReissueForm(),
        "mix": _mix_progress(ballot) if ballot.phase == Phase.CLOSED else None,
    }
    return render(request, "ballots/detail.html", context)


def _mix_progress(ballot: Ballot) -> dict[str, Any] | None:
    """Where a closed ballot's mix is, from the board: shuffles and decryptions per question."""
    from omov.ballots import mix_state
    from omov.ballots.actions import mixing
    from omov.ballots.models import Mix, MixStage

    mix = Mix.objects.filter(ballot=ballot).first()
    if mix is None:
        return None
    return {
        "shuffling": mix.stage == MixStage.SHUFFLING,
        "questions": [{"id": q.id, "shuffled_by": mix_state.shuffled_by(ballot, q.id),
                       "decrypted_by": mix_state.decrypted_by(ballot, q.id)}
                      for q in mix_state.ranked_questions(ballot)],
        "short": mixing.short_of_shuffles(ballot),
    }


@public
def board_page(request: HttpRequest, slug: str) -> HttpResponse:
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    entries = BoardEntry.objects.filter(ballot=ballot, kind__in=["ballot", "audited_ballot"])
    typed = request.GET.get("tracker", "").strip()
    search = tracker_prefix(typed)
    if search:
        entries = entries.filter(tracker__startswith=search)
    page = Paginator(entries.order_by("-index").only(
        "index", "kind", "tracker", "credential", "appended_at"), TRACKERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    last = board.head(ballot)
    published_revocations = revocations.on_board(ballot)
    rows = [(entry, revocations.removed_by(entry, published_revocations))
            for entry in page.object_list]
    context = {
        "ballot": ballot,
        "page": page,
        "rows": rows,
        "revocations": published_revocations,
        "search": search,
        "typed": typed,
        "replaced": _replaced(ballot, page.object_list),
        "head": last,
        "turnout": turnout(ballot),
        "electors": ballot.electors.count(),
        "count_code": board.count_code(ballot),
    }
    return render(request, "ballots/board.html", context)


def _replaced(ballot: Ballot, entries: Any) -> set[int]:
    """Indexes of the cast ballots on this page that a later ballot with the same
    credential replaces ("the last ballot counts")."""
    cast = [entry for entry in entries if entry.kind == "ballot"]
    latest = dict(
        BoardEntry.objects.filter(ballot=ballot, kind="ballot",
                                  credential__in={entry.credential for entry in cast})
        .values_list("credential").annotate(last=Max("index")).values_list("credential", "last")
    )
    return {entry.index for entry in cast if latest.get(entry.credential, -1) > entry.index}


@public
def record_download(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    response = StreamingHttpResponse(board.lines(ballot), content_type="application/jsonl")
    response["Content-Disposition"] = f'attachment; filename="{ballot.slug}.omov.jsonl"'
    return response


@public
def manifest_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The published manifest, byte for byte as board entry 0 holds it."""
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    entry = BoardEntry.objects.filter(ballot=ballot, index=0).first()
    if entry is None:
        raise Http404("The manifest is not published yet.")
    from omov.crypto.canonical import canonical_json

    response = HttpResponse(canonical_json(parse_json(entry.line)["body"]),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{ballot.slug}-manifest.json"'
    return response


def _charts(result: Outcome) -> list[SafeString]:
    return [chart.bar_chart(question.ranked.final if question.ranked else
                            [(row.name, row.votes) for row in question.options],
                            f"{question.text}: {question.ranked.chart_title}"
                            if question.ranked else question.text,
                            f"chart-{question.number - 1}") for question in result.questions]


@public
def results(request: HttpRequest, slug: str) -> HttpResponse:
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    published = ballot.phase == Phase.PUBLISHED and ballot.totals is not None
    result = outcome(ballot) if published else None
    context = {
        "ballot": ballot,
        "published": published,
        "outcome": result,
        "questions": list(zip(result.questions, _charts(result), strict=True)) if result else [],
        "failures": failed_checks(ballot.verification_report) if ballot.verified is False else [],
        "source_url": settings.OMOV_SOURCE_URL,
    }
    return render(request, "ballots/results.html", context)


@public
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The totals as the published record states them, one row per option."""
    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    result = outcome(ballot) if ballot.phase == Phase.PUBLISHED else None
    if result is None:
        raise Http404("The results are not published yet.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ballot.slug}-results.csv"'
    writer = csv.writer(response)
    writer.writerow(["question", "question_text", "option", "votes", "percent_of_counted",
                     "counted", "eligible"])
    for question in result.questions:
        for row in question.options:
            writer.writerow([question.number, question.text, row.name, row.votes,
                             f"{row.percent:.1f}", result.counted, result.eligible])
    return response


@public
def mix_input(request: HttpRequest, slug: str, question: str) -> HttpResponse:
    """The rows the next shuffle of a ranked question takes (public: the board implies
    them); a trustee's page and `omov trustee shuffle` check them against the record."""
    from omov.ballots import mix_state
    from omov.crypto.canonical import canonical_json

    roles_for_request(request)
    ballot = public_ballot_or_404(request, slug)
    found = mix_state.ranked_question(ballot, question) if ballot.phase in AFTER_VOTING else None
    if found is None:
        raise Http404("No ranked question with that id is being mixed.")
    current = mix_state.current_input(ballot, found)
    response = HttpResponse(canonical_json(current.to_json()), content_type="application/json")
    response["Content-Disposition"] = (f'attachment; filename="{ballot.slug}-{found.id}-'
                                       f'input.json"')
    return response
