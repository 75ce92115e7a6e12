from __future__ import annotations


class RulesError(ValueError):
    """A rule change refused; the message names the rule and says what is allowed."""
