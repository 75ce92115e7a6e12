"""A large roll preview is planned once and paged (issue: 25 s on every load of 100,000 rows)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from omov.members import import_preview
from omov.members.models import Member

from .helpers import client_for, organiser
from .test_roll_import import HEADER, preview, upload


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_the_preview_is_planned_once_then_paged(monkeypatch: pytest.MonkeyPatch) -> None:
    planned: list[int] = []
    real = import_preview.plan_import
    monkeypatch.setattr(import_preview, "plan_import",
                        lambda content: planned.append(1) or real(content))
    client = client_for(organiser())
    rows = "".join(f"N{n:05d},Person {n},p{n}@example.org,,active,,\n" for n in range(450))
    staged = upload(client, HEADER + rows)
    first = preview(client, staged)
    assert "450 new, 0 updated" in first and "Page 1 of 3" in first
    assert "Person 0<" in first and "Person 200<" not in first
    third = client.get(f"/organise/members/import/{staged.pk}/?page=3").content.decode()
    assert "Person 449<" in third and "Person 0<" not in third
    preview(client, staged)
    assert planned == [1], "the same file against the same roll is planned once"


def test_a_change_to_the_roll_is_seen_by_the_next_preview() -> None:
    client = client_for(organiser())
    staged = upload(client, HEADER + "N1,Ann,ann@example.org,,active,,\n")
    assert "1 new, 0 updated" in preview(client, staged)
    from omov.members.actions import import_members

    import_members(staged, by=None)
    assert Member.objects.filter(membership_number="N1").exists()
    assert "0 new, 0 updated, 1 unchanged" in preview(client, staged)
