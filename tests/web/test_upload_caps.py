"""Every upload has a size cap, and going over it gives a message that names the limit."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from omov.ballots.models import BoardEntry
from omov.ballots.views import authority, trustee
from omov.members import forms
from omov.members.models import MemberImport

from .helpers import client_for, organiser
from .test_ballots_helpers import published

BIG = b'{"padding": "' + b"x" * 5000 + b'"}'


def test_a_roll_file_over_the_cap_is_refused_with_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(forms, "ROLL_CSV_MAX_BYTES", 2048)
    response = client_for(organiser()).post(reverse("members:import_upload"), {
        "roll_file": SimpleUploadedFile("roll.csv", b"membership_number,name\n" + b"x" * 4000)})
    assert response.status_code == 200
    assert "The roll file is 4 KB; at most 2 KB is accepted." in response.content.decode()
    assert not MemberImport.objects.exists()


def test_the_credential_roll_over_the_cap_is_refused_from_the_page_and_as_a_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(authority, "CREDENTIAL_ROLL_MAX_BYTES", 2048)
    election = published()
    client = client_for(election.authority)
    url = reverse("ballots:authority_roll", args=[election.ballot.slug])
    response = client.post(url, BIG, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "The request is 5 KB; at most 2 KB is accepted."
    response = client.post(url, {"roll_file": SimpleUploadedFile("roll.json", BIG)})
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown[-1:] == ["The file is 5 KB; at most 2 KB is accepted."]
    assert not BoardEntry.objects.filter(ballot=election.ballot, kind="credential_roll").exists()


def test_a_revocation_file_over_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authority, "REVOCATION_FILE_MAX_BYTES", 1024)
    election = published()
    response = client_for(election.authority).post(
        reverse("ballots:authority_revocation", args=[election.ballot.slug]),
        {"revocation_file": SimpleUploadedFile("revocation.json", BIG)})
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown[-1:] == ["The file is 5 KB; at most 1 KB is accepted."]


def test_a_trustee_file_over_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trustee, "TRUSTEE_FILE_MAX_BYTES", 1024)
    election = published()
    client = client_for(election.trustees[0])
    url = reverse("ballots:trustee_submit", args=[election.ballot.slug])
    response = client.post(url, {"step": "trustee_commitment",
                                 "body_file": SimpleUploadedFile("commitment.json", BIG)})
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert shown[-1:] == ["The file is 5 KB; at most 1 KB is accepted."]
    response = client.post(url, BIG, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "The request is 5 KB; at most 1 KB is accepted."
