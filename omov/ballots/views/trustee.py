"""A trustee's page: the key ceremony and decryption steps run in their browser.

The page (frontend/src/pages/trustee.js) reads the public record, computes
each body with the protocol library and the trustee's secrets (kept in an
encrypted backup file that only the trustee holds), and posts only the public
body here. The same bodies made with `omov trustee …` can be uploaded as a file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from omov.accounts.roles import current_member, trustee_required
from omov.ballots import board, mix_state
from omov.ballots.actions import ceremony, counting, mixing
from omov.ballots.errors import BallotError
from omov.ballots.models import Ballot, Mix, MixStage, Phase, Trustee
from omov.ballots.views.common import ballot_or_404, read_json_upload, read_uploaded_json
from omov.crypto.errors import ProtocolError
from omov.trustee_files import backup_file_name, commitment_fingerprint
from omov.web.uploads import TRUSTEE_FILE_MAX_BYTES, UploadTooLarge, read_body, too_large

STEPS = ("trustee_commitment", "trustee_shares", "trustee_complaint", "shares_checked",
         "partial_decryption", "shuffle", "ranked_decryption")
MIX_STEPS = ("shuffle", "ranked_decryption")
MIX_FILE_MAX_BYTES = 64 * 1024 * 1024
"""A shuffle of 10,000 rows of width 10 is about 18 MB; the command line's larger ones too."""


def _trustee(request: HttpRequest, ballot: Ballot) -> Trustee:
    member = current_member(request)
    found = ballot.trustees.filter(member=member).first()
    if found is None:
        raise PermissionDenied("You are not a trustee of this ballot.")
    return found


def _progress(ballot: Ballot, trustee: Trustee) -> dict[str, Any]:
    """How far the key ceremony has come, from the board: what this trustee did, who else has."""
    def indices(kind: str) -> set[int]:
        return {int(body["trustee"]) for body in board.bodies(ballot, kind)}

    own = next((body for body in board.bodies(ballot, "trustee_commitment")
                if body.get("trustee") == trustee.index), None)
    committed, dealt = indices("trustee_commitment"), indices("trustee_shares")
    total = ballot.trustees.count()
    return {
        "committed": own is not None,
        "backup_name": backup_file_name(ballot.slug, trustee.index, own) if own else "",
        "commitment_fingerprint": commitment_fingerprint(own) if own else "",
        "committed_count": len(committed),
        "all_committed": len(committed) == total,
        "dealt": trustee.index in dealt,
        "dealt_count": len(dealt),
        "all_dealt": len(dealt) == total,
        "checked": trustee.shares_checked_at is not None,
        "decrypted": trustee.index in indices("partial_decryption"),
    }


BROWSER_MAX_CELLS = 20_000
"""Above this many ciphertexts (rows times width) the page asks for `omov trustee shuffle`,
as frontend/src/pages/lib/mix-step.js does: the browser takes about 4 ms per ciphertext."""


def _mix(ballot: Ballot, trustee: Trustee) -> dict[str, Any] | None:
    """The mix as the board has it, for the trustee's page: each ranked question's rows,
    who has shuffled and decrypted it, and what this trustee may do next."""
    mix = Mix.objects.filter(ballot=ballot).first()
    if mix is None:
        return None
    questions = []
    rows = ballot.counted or 0  # each counted ballot is one row of each ranked question
    for question in mix_state.ranked_questions(ballot):
        after = mix_state.shuffled_in_order(ballot, question.id)
        decrypted = mix_state.decrypted_by(ballot, question.id)
        questions.append({
            "id": question.id, "rows": rows, "after": after,
            "shuffled": trustee.index in after,
            "decrypted": decrypted, "mine_decrypted": trustee.index in decrypted,
            "browser": 0 < rows * question.width <= BROWSER_MAX_CELLS,
            "input_url": reverse("ballots:mix_input", args=[ballot.slug, question.id]),
        })
    return {"stage": mix.stage, "shuffling": mix.stage == MixStage.SHUFFLING,
            "questions": questions, "threshold": ballot.threshold,
            "short": mixing.short_of_shuffles(ballot)}


@trustee_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = ballot_or_404(slug)
    trustee = _trustee(request, ballot)
    context = {
        "mix": _mix(ballot, trustee),
        "ballot": ballot,
        "trustee": trustee,
        "trustees": ballot.trustees.all(),
        "Phase": Phase,
        "steps": STEPS,
        "progress": _progress(ballot, trustee),
    }
    return render(request, "ballots/trustee.html", context)


def _apply(ballot: Ballot, trustee: Trustee, step: str, body: Any) -> str:
    if step == "trustee_commitment":
        ceremony.submit_commitment(ballot, trustee, body)
        return "Your commitments are on the board."
    if step == "trustee_shares":
        ceremony.submit_shares(ballot, trustee, body)
        return "Your encrypted shares are on the board."
    if step == "trustee_complaint":
        upheld = ceremony.submit_complaint(ballot, trustee, body)
        return f"Your complaint is on the board ({'upheld' if upheld else 'not upheld'})."
    if step == "shares_checked":
        ceremony.confirm_shares(ballot, trustee)
        return "Noted: every share sent to you checked out."
    if step == "partial_decryption":
        counting.submit_partial_decryption(ballot, trustee, body)
        return "Your partial decryption is on the board."
    if step == "shuffle":
        parts = mixing.submit_shuffle(ballot, trustee, body)
        return (f"Your shuffle is verified and on the board ({parts} "
                f"entr{'y' if parts == 1 else 'ies'}).")
    if step == "ranked_decryption":
        mixing.submit_ranked_decryption(ballot, trustee, body)
        return "Your decryption of the shuffled rankings is on the board."
    raise BallotError(f"Unknown step {step!r}.", field="step")


def _script_payload(request: HttpRequest) -> tuple[Any, int]:
    """The page's JSON body and its size, under the largest cap (a shuffle's)."""
    try:
        data = read_body(request, "request", MIX_FILE_MAX_BYTES)
    except UploadTooLarge as error:
        raise BallotError(str(error), field="request") from error
    return read_json_upload(data, "request"), len(data)


@require_POST
@trustee_required
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """Takes one public body: JSON `{"step", "body"}` from the page, or a form with a file."""
    ballot = ballot_or_404(slug)
    trustee = _trustee(request, ballot)
    from_script = request.content_type == "application/json"
    size = 0
    try:
        if from_script:
            payload, size = _script_payload(request)
            if not isinstance(payload, dict):
                raise BallotError("Send an object with “step” and “body”.")
            step, body = payload.get("step", ""), payload.get("body")
        else:
            step = request.POST.get("step", "")
            upload = request.FILES.get("body_file")
            limit = MIX_FILE_MAX_BYTES if step in MIX_STEPS else TRUSTEE_FILE_MAX_BYTES
            body = None if upload is None and step == "shares_checked" else read_uploaded_json(
                upload, "body_file", limit, "Choose the JSON file that omov trustee wrote.")
        if from_script and step not in MIX_STEPS and size > TRUSTEE_FILE_MAX_BYTES:
            raise BallotError(str(too_large("request", size, TRUSTEE_FILE_MAX_BYTES)))
        done = _apply(ballot, trustee, str(step), body)
    except (BallotError, ProtocolError) as error:
        if from_script:
            return JsonResponse({"error": str(error), "field": error.field}, status=400)
        messages.error(request, str(error))
    else:
        if from_script:
            return JsonResponse({"ok": True, "message": done})
        messages.success(request, done)
    return redirect("ballots:trustee", slug=ballot.slug)
