"""Bad input in an address or a request body gets a clear 400, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from omov.ballots.models import BoardEntry

from .helpers import client_for, organiser, sign_in
from .test_ballots_helpers import opened

NUL_QUERIES = [
    "q=%00",
    "q=abc%00def",
    "tracker=%00",
    "page=1%00",
    "%00=1",
    "q=ok&next=%00",
]


@pytest.mark.parametrize("query", NUL_QUERIES)
def test_a_nul_byte_in_the_roster_search_is_refused_with_a_400(query: str) -> None:
    client = sign_in(Client(), organiser())
    response = client.get(reverse("members:roster") + "?" + query)
    assert response.status_code == 400
    assert "NUL byte" in response.content.decode()


@pytest.mark.parametrize("query", NUL_QUERIES)
def test_a_nul_byte_in_any_query_string_is_refused_for_everyone(query: str) -> None:
    for name in ("home", "accounts:sign_in", "ballots:list"):
        assert Client().get(reverse(name) + "?" + query).status_code == 400


def test_a_nul_byte_in_the_path_is_refused() -> None:
    assert Client().get("/ballots/x%00y/board/").status_code == 400


def test_an_ordinary_search_still_works() -> None:
    client = sign_in(Client(), organiser())
    assert client.get(reverse("members:roster") + "?q=Priya").status_code == 200


SURROGATE = "lone surrogate"
NON_ASCII_KEY = "object keys must be ASCII strings"

# (endpoint, raw request body, the protocol's message expected in the error)
BAD_BODIES = [
    ("cast", rb'{"answers":"\ud800"}', SURROGATE),
    ("cast", rb'{"\udc00":1}', NON_ASCII_KEY),
    ("cast", '{"é":1}'.encode(), NON_ASCII_KEY),
    ("cast", rb'{"\u00e9":1}', NON_ASCII_KEY),
    ("cast", rb'{"credential":"00","x":["\ud83d"]}', SURROGATE),
    ("audit", rb'{"ballot":{"answers":"\ud800"}}', SURROGATE),
    ("audit", '{"ballot":{"é":1}}'.encode(), NON_ASCII_KEY),
    ("audit", rb'{"ballot":{},"randomness":"\udfff"}', SURROGATE),
    ("audit", '{"ballot":{},"é":1}'.encode(), NON_ASCII_KEY),
]


@pytest.mark.parametrize(("endpoint", "body", "message"), BAD_BODIES)
def test_a_cast_or_audit_body_outside_the_json_subset_gets_a_400_with_the_reason(
    endpoint: str, body: bytes, message: str
) -> None:
    election = opened(voters=1)
    voter = election.voters[0]
    url = reverse(f"ballots:{endpoint}", args=[election.ballot.slug])
    response = client_for(voter).post(url, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert message in response.json()["error"]
    assert not BoardEntry.objects.filter(
        ballot=election.ballot, kind__in=("ballot", "audited_ballot")).exists()
