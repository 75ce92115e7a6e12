"""An address with no page answers with the site's own "Page not found", in debug mode
(the demo) as in production."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_page_is_the_sites_own_page(debug: bool) -> None:
    with override_settings(DEBUG=debug, ROOT_URLCONF="tests.web.debug_urls"):
        response = Client().get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "There is no page at this address." in page
    assert "URLconf" not in page, "not Django's technical page with every URL pattern"


def test_a_missing_ballot_in_debug_mode_is_the_sites_page_too() -> None:
    with override_settings(DEBUG=True, ROOT_URLCONF="tests.web.debug_urls"):
        response = Client().get("/ballots/no-such-ballot/")
    assert response.status_code == 404
    assert "There is no page at this address." in response.content.decode()
