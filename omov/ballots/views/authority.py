"""The credential authority's page. Codes are made on the authority's machine.

The server hands out only the eligible members' numbers and emails, takes
the authority's public key before the manifest is published, and takes the
signed public roll; it never sees a voting code.
"""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from omov.accounts.roles import credential_authority_required, current_member
from omov.ballots.actions import credentials, drafting
from omov.ballots.errors import BallotError
from omov.ballots.forms import AuthorityKeyForm
from omov.ballots.models import Ballot, Phase
from omov.ballots.views.common import ballot_or_404, read_json_body, read_uploaded_json
from omov.spreadsheet import guard_row
from omov.web.mail import absolute_url
from omov.web.uploads import CREDENTIAL_ROLL_MAX_BYTES, REVOCATION_FILE_MAX_BYTES


def _authority_ballot(request: HttpRequest, slug: str) -> Ballot:
    ballot = ballot_or_404(slug)
    if ballot.authority_id != current_member(request).pk:
        raise PermissionDenied("You are not this ballot's credential authority.")
    return ballot


@credential_authority_required
def page(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = _authority_ballot(request, slug)
    context = {
        "ballot": ballot,
        "key_form": AuthorityKeyForm(),
        "Phase": Phase,
        "electors": ballot.electors.count(),
        "demo_site": settings.OMOV_BASE_URL if settings.DEBUG else None,
        "booth_url": absolute_url(reverse("ballots:booth", args=[ballot.slug])),
        "organisation_zone": settings.TIME_ZONE,
    }
    return render(request, "ballots/authority.html", context)


@require_POST
@credential_authority_required
def set_key(request: HttpRequest, slug: str) -> HttpResponse:
    ballot = _authority_ballot(request, slug)
    form = AuthorityKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The public key must be 64 hexadecimal characters.")
        return redirect("ballots:authority", slug=slug)
    try:
        drafting.set_authority_key(ballot, form.cleaned_data["public_key"],
                                   by=current_member(request))
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your public key is stored; it goes into the manifest.")
    return redirect("ballots:authority", slug=slug)


def _electors(request: HttpRequest, slug: str) -> tuple[Ballot, list[dict[str, str]]]:
    """The eligible members (membership number and email only), for making codes."""
    ballot = _authority_ballot(request, slug)
    if ballot.phase == Phase.DRAFT:
        raise PermissionDenied("The eligible members are fixed when the manifest is published.")
    rows = ballot.electors.select_related("member").order_by("member__membership_number")
    return ballot, [
        {"membership_number": row.member.membership_number, "email": row.member.email}
        for row in rows
    ]


@credential_authority_required
def electors_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The eligible members as the CSV `omov credentials generate --roll` reads."""
    ballot, listing = _electors(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ballot.slug}-electors.csv"'
    writer = csv.writer(response)
    writer.writerow(["member", "email"])
    for row in listing:
        writer.writerow(guard_row([row["membership_number"], row["email"]]))
    return response


@credential_authority_required
def electors(request: HttpRequest, slug: str) -> HttpResponse:
    """The eligible members as JSON, for the authority page's script."""
    ballot, listing = _electors(request, slug)
    response = JsonResponse({"ballot": ballot.slug, "manifest_digest": ballot.manifest_digest,
                             "members": listing})
    response["Content-Disposition"] = f'attachment; filename="{ballot.slug}-electors.json"'
    return response


@require_POST
@credential_authority_required
def upload_roll(request: HttpRequest, slug: str) -> HttpResponse:
    """Takes the signed public roll as JSON (from the page) or as an uploaded file."""
    ballot = _authority_ballot(request, slug)
    from_script = request.content_type == "application/json"
    try:
        if from_script:
            roll = read_json_body(request, "roll", CREDENTIAL_ROLL_MAX_BYTES)
        else:
            roll = read_uploaded_json(request.FILES.get("roll_file"), "roll_file",
                                      CREDENTIAL_ROLL_MAX_BYTES,
                                      "Choose the public roll file to upload.")
        credentials.submit_roll(ballot, roll, by=current_member(request))
    except BallotError as error:
        if from_script:
            return JsonResponse({"error": str(error), "field": error.field}, status=400)
        messages.error(request, str(error))
    else:
        if from_script:
            return JsonResponse({"ok": True})
        messages.success(request, "The public roll is on the board. Credentials are issued.")
    return redirect("ballots:authority", slug=slug)


@require_POST
@credential_authority_required
def upload_revocation(request: HttpRequest, slug: str) -> HttpResponse:
    """Takes a signed `revocation` file (`omov credentials revoke`) while voting is open."""
    ballot = _authority_ballot(request, slug)
    try:
        body = read_uploaded_json(request.FILES.get("revocation_file"), "revocation_file",
                                  REVOCATION_FILE_MAX_BYTES,
                                  "Choose the revocation file to upload.")
        credentials.submit_revocation(ballot, body, by=current_member(request))
    except BallotError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The revocation is on the board: the lost credentials no "
                         "longer vote and the new ones do. Now mail the members their new codes.")
    return redirect("ballots:authority", slug=slug)
