"""Signals by which the ballots app tells higher apps what happened, without importing them.

Petitions and committees subscribe; ballots never import them.
"""

from __future__ import annotations

from django.dispatch import Signal

result_published = Signal()
"""Sent by `publish_result` inside its transaction, after the result entry is on the board.

Keyword arguments: `ballot` (the published `Ballot`, with `totals` set) and
`by` (the member who published it, or None for the schedule). A receiver's
changes commit or roll back with the publication itself, so a consequence of a
binding result is never lost nor applied to a result that was not published.
"""
