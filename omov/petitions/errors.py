"""Errors the petition actions raise; each says in plain words what is wrong."""

from __future__ import annotations


class PetitionError(ValueError):
    """A petition action was refused; the message can be shown to the person."""


class NotAllowed(PetitionError):
    """The person may not do this here."""


class PetitionClosed(PetitionError):
    """The petition is closed: nothing more may be signed or withdrawn."""
