"""Every routed page says who may see it, and anonymous visitors are kept out of the rest.

Views declare access with `omov.accounts.roles` (`public`, `member_required`,
`organiser_required`, ...). A new view without a declaration fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from omov.accounts.roles import declared_access

from .debug_urls import urlpatterns as debug_urlpatterns


def routed_views(
    patterns: list[Any], namespace: str = ""
) -> Iterator[tuple[str, tuple[Any, list[str]]]]:
    """(URL name, (view, names of its URL arguments)) for every named route."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin checks staff status itself.
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routed_views(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            arguments = list(entry.pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", (entry.callback, arguments)


ROUTES = dict(routed_views(list(debug_urlpatterns)))


def test_every_routed_view_declares_who_may_see_it() -> None:
    undeclared = sorted(
        name for name, (view, _) in ROUTES.items() if declared_access(view) is None
    )
    assert undeclared == []


def placeholder_arguments(name: str) -> dict[str, object]:
    _, arguments = ROUTES[name]
    return {key: 1 if key.endswith("_id") else "x" for key in arguments}


@pytest.mark.parametrize(
    "name", sorted(name for name, (view, _) in ROUTES.items() if declared_access(view))
)
def test_anonymous_visitors_are_sent_to_sign_in_from_every_protected_page(name: str) -> None:
    url = reverse(name, kwargs=placeholder_arguments(name), urlconf="tests.web.debug_urls")
    sent_to_sign_in = 0
    for method in ("get", "post"):
        response = getattr(Client(), method)(url)
        if response.status_code == 405:
            continue  # the method is refused before anything else happens
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("accounts:sign_in"))
        sent_to_sign_in += 1
    assert sent_to_sign_in, url
