"""The voting booth. The member's browser encrypts, proves and signs the ballot
(frontend/src/pages/booth.js with the protocol library); the server checks
it with the verifier's code and appends it. It never sees a choice or a code.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from omov.accounts.roles import (
    current_member,
    member_required,
    on_roll_required,
    public,
    roles_for_request,
)
from omov.ballots import board, revocations, state
from omov.ballots.actions import voting
from omov.ballots.errors import BallotError, CastLimited
from omov.ballots.models import AFTER_VOTING, Ballot, Phase, VoteReceipt
from omov.ballots.views.common import ballot_or_404
from omov.ballots.voting_rights import why_not
from omov.crypto.canonical import parse_json
from omov.web import rawsql


def _elector_ballot(request: HttpRequest, slug: str) -> Ballot:
    ballot = ballot_or_404(slug)
    if ballot.phase == Phase.DRAFT:
        raise PermissionDenied("This ballot is not published yet.")
    refusal = why_not(ballot, current_member(request))
    if refusal is not None:
        raise PermissionDenied(refusal)
    return ballot


@public
def election_data(request: HttpRequest, slug: str) -> JsonResponse:
    """What a browser needs to prepare a ballot: the manifest, the key and the fingerprint."""
    roles_for_request(request)
    ballot = ballot_or_404(slug)
    if not ballot.fingerprint:
        raise Http404("The ballot is not open yet.")
    manifest_line = ballot.board.get(index=0).line
    return JsonResponse({
        "manifest": parse_json(manifest_line)["body"],
        "manifest_digest": ballot.manifest_digest,
        "public_key": ballot.joint_key,
        "roll_digest": state.roll_digest(ballot).hex(),
        "fingerprint": ballot.fingerprint,
    })


@on_roll_required
def booth(request: HttpRequest, slug: str) -> HttpResponse:
    """Open to anyone on the roll, so that a member who may not vote hears why."""
    ballot = _elector_ballot(request, slug)
    receipt = VoteReceipt.objects.filter(ballot=ballot, member=current_member(request)).first()
    context = {
        "ballot": ballot,
        "receipt": receipt,
        "is_open": ballot.phase == Phase.OPEN,
    }
    return render(request, "ballots/booth.html", context)


def _error(error: BallotError) -> JsonResponse:
    status = 429 if isinstance(error, CastLimited) else 400
    return JsonResponse({"error": str(error), "field": error.field}, status=status)


@require_POST
@member_required
def cast(request: HttpRequest, slug: str) -> JsonResponse:
    """A cast from the booth. Eligibility is looked up by the action, with the ballot's
    other checks in one query; a member who may not vote gets the booth's 403. The
    ballot is read in plain SQL (omov.web.rawsql): this view runs on every cast."""
    found = rawsql.select(Ballot, "slug = %s", [slug])
    if not found:
        raise Http404("No such ballot.")
    ballot = found[0]
    if ballot.phase == Phase.DRAFT:
        raise PermissionDenied("This ballot is not published yet.")
    member = current_member(request)
    try:
        result = voting.cast_ballot(ballot, member, request.body)
    except voting.NotAnElector:
        raise PermissionDenied(why_not(ballot, member, is_elector=False)) from None
    except BallotError as error:
        return _error(error)
    return JsonResponse({
        "tracker": result.tracker,
        "index": result.index,
        "new": result.new,
        "receipt_url": reverse("ballots:receipt", args=[ballot.slug]),
    })


@public
@csrf_exempt
@require_POST
def audit(request: HttpRequest, slug: str) -> JsonResponse:
    """An anonymous audit (7.6): the booth sends it without the session cookie
    or any credential, so this view reads neither; there is no session to
    forge a request for, hence no CSRF token."""
    ballot = ballot_or_404(slug)
    if ballot.phase == Phase.DRAFT:
        raise Http404("The ballot is not open yet.")
    try:
        result = voting.audit_ballot(ballot, request.body)
    except BallotError as error:
        return _error(error)
    return JsonResponse({
        "tracker": result.tracker,
        "index": result.index,
        "new": result.new,
        "selections": [list(row) for row in result.selections],
    })


@member_required
def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's own confirmation: that they voted and their latest tracker."""
    ballot = _elector_ballot(request, slug)
    own = VoteReceipt.objects.filter(ballot=ballot, member=current_member(request)).first()
    last = board.head(ballot)
    removal = None if own is None else revocations.removal_of_tracker(ballot, own.tracker)
    return render(request, "ballots/receipt.html",
                  {"ballot": ballot, "receipt": own, "head": last, "removal": removal,
                   "voting_over": ballot.phase in AFTER_VOTING})
