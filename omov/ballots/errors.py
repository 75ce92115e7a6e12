"""Errors the ballot actions raise; views show `str(error)` to the person."""

from __future__ import annotations


class BallotError(Exception):
    """A request that the ballot's rules or phase do not allow.

    `field` names the form field or JSON member it is about, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RulesFrozen(BallotError):
    """The manifest is published: the ballot's rules can no longer change."""


class WrongPhase(BallotError):
    """The ballot is not in the phase this step belongs to."""


class RejectedSubmission(BallotError):
    """A trustee's, authority's or voter's upload failed the protocol checks."""


class CastLimited(BallotError):
    """Too many casts or audits by one member in a short time."""


class InvalidDraft(BallotError):
    """Everything wrong with a ballot's draft at once, so the form shows every error."""

    def __init__(self, problems: list[BallotError]) -> None:
        super().__init__(" ".join(str(problem) for problem in problems))
        self.problems = problems
