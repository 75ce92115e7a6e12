from __future__ import annotations


class DiscussionError(Exception):
    """A refused discussion step; the message says why, for the member."""
