"""The site navigation, shown by role.

Apps add their own entries with `register` (typically from their
`AppConfig.ready`), so this module never needs to know about ballots,
petitions or trustees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from omov.accounts.roles import Role, roles_for_request


@dataclass(frozen=True)
class NavItem:
    """One link in the navigation; shown when the viewer holds `role`.

    `role=None` means everyone, including anonymous visitors.
    """

    label: str
    url_name: str
    role: Role | None
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    """Adds a navigation link (idempotent, so reloading an app is harmless)."""
    if item not in _items:
        _items.append(item)
        _items.sort(key=lambda entry: (entry.order, entry.label))


def items_for(roles: frozenset[Role]) -> list[tuple[str, str]]:
    """The (label, url) pairs a viewer with these roles may see."""
    return [
        (item.label, reverse(item.url_name))
        for item in _items
        if item.role is None or item.role in roles
    ]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context processor: `nav_items` and `viewer_roles`."""
    roles = roles_for_request(request)
    return {"nav_items": items_for(roles), "viewer_roles": {role.value for role in roles}}
