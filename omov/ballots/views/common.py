"""Helpers shared by the ballot views."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest

from omov.accounts.roles import Role, roles_for_request
from omov.ballots.errors import BallotError
from omov.ballots.models import Ballot, Phase
from omov.web.uploads import UploadTooLarge, read_body, read_file


def ballot_or_404(slug: str) -> Ballot:
    try:
        return Ballot.objects.select_related("local_group", "authority").get(slug=slug)
    except Ballot.DoesNotExist:
        raise Http404("No such ballot.") from None


def is_organiser(request: HttpRequest) -> bool:
    return Role.ORGANISER in roles_for_request(request)


def public_ballot_or_404(request: HttpRequest, slug: str) -> Ballot:
    """A ballot anyone may see: its manifest is published (drafts are for organisers)."""
    ballot = ballot_or_404(slug)
    never_published = ballot.phase == Phase.DRAFT or (
        ballot.phase == Phase.WITHDRAWN and not ballot.manifest_digest)
    if never_published and not is_organiser(request):
        member = getattr(request, "member", None)
        involved = member is not None and (
            ballot.authority_id == member.pk or ballot.trustees.filter(member=member).exists()
        )
        if not involved:
            raise Http404("No such ballot.")
    return ballot


def read_json_upload(data: bytes, field: str) -> Any:
    """Parses an uploaded JSON document with the protocol's strict parser."""
    from omov.crypto.canonical import parse_json
    from omov.crypto.errors import ProtocolError

    try:
        return parse_json(data, field=field)
    except ProtocolError as error:
        raise BallotError(f"The file is not valid JSON: {error}", field=field) from error


FOUND_SHOWN = 10


def member_finder(request: HttpRequest) -> dict[str, Any]:
    """The "find a member" panel's context: up to FOUND_SHOWN matches for `?find=`."""
    from omov.members.search import search_roll

    find = request.GET.get("find", "").strip()
    found = list(search_roll(find).order_by("name")[: FOUND_SHOWN + 1]) if find else []
    return {"find": find, "found": found[:FOUND_SHOWN], "more": len(found) > FOUND_SHOWN}


def read_uploaded_json(upload: UploadedFile[bytes] | None, field: str, limit: int,
                       missing: str) -> Any:
    """An uploaded JSON file under its size cap, parsed strictly; BallotError names the field."""
    if upload is None:
        raise BallotError(missing, field=field)
    try:
        data = read_file(upload, "file", limit)
    except UploadTooLarge as error:
        raise BallotError(str(error), field=field) from error
    return read_json_upload(data, field)


def read_json_body(request: HttpRequest, field: str, limit: int) -> Any:
    """A JSON request body under its size cap, parsed strictly."""
    try:
        data = read_body(request, "request", limit)
    except UploadTooLarge as error:
        raise BallotError(str(error), field=field) from error
    return read_json_upload(data, field)
