"""Bad input in an address gets a clear 400, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import organiser, sign_in

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
