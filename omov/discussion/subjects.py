"""The registry of things a discussion can hang off (ballots, petitions, decisions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from omov.members.models import Member


@dataclass(frozen=True)
class SubjectKind:
    """How the discussion app asks a subject about itself."""

    model: type[models.Model]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    visible_to: Callable[[Any, Member | None], bool]
    related_ballot: Callable[[Any], Any] | None = None
    start_petition_url: Callable[[Any], str] | None = None


_kinds: dict[str, SubjectKind] = {}


class UnregisteredSubject(LookupError):
    """A thread was asked for on a model no app has registered."""


def register(
    model: type[models.Model],
    *,
    title: Callable[[Any], str],
    url: Callable[[Any], str],
    visible_to: Callable[[Any, Member | None], bool],
    related_ballot: Callable[[Any], Any] | None = None,
    start_petition_url: Callable[[Any], str] | None = None,
) -> None:
    """Lets `model`'s objects carry a discussion. Call from AppConfig.ready."""
    _kinds[model._meta.label_lower] = SubjectKind(
        model, title, url, visible_to, related_ballot, start_petition_url
    )


def kind_of(subject: models.Model) -> SubjectKind:
    try:
        return _kinds[subject._meta.label_lower]
    except KeyError as missing:
        raise UnregisteredSubject(subject._meta.label) from missing


def kind_for_label(label: str) -> SubjectKind | None:
    return _kinds.get(label)


def registered() -> list[SubjectKind]:
    return list(_kinds.values())


def start_petition_url(subject: models.Model) -> str:
    """Where to start a petition for a ballot: the subject's entry, else the setting."""
    kind = kind_of(subject)
    if kind.start_petition_url is not None:
        return kind.start_petition_url(subject)
    return str(getattr(settings, "OMOV_START_PETITION_URL", ""))
