"""Errors the member actions raise; each says in plain words what is wrong."""

from __future__ import annotations


class MemberActionError(ValueError):
    """An action on the roll was refused; the message can be shown to the person."""


class InvalidStatusChange(MemberActionError):
    pass


class RejoinNotAllowed(MemberActionError):
    pass


class ImportHasErrors(MemberActionError):
    """An import was confirmed while its file still has bad rows."""


class ImportInterrupted(MemberActionError):
    """An import stopped part way (the roll changed meanwhile); the message says how far."""


class GroupChangeNotAllowed(MemberActionError):
    """A member may not change their own local group now; the message says why."""
