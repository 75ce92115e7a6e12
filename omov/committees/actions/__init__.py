"""Every change to a committee's register: one action each, on the audit log."""

from omov.committees.actions.decisions import (
    call_in_round,
    close_call_in_windows,
    correct_entry,
    record_decision,
    set_decision_status,
)
from omov.committees.actions.meetings import (
    appoint_secretary,
    approve_minutes,
    end_secretary,
    record_meeting,
    record_minutes,
    record_motion,
)

__all__ = [
    "appoint_secretary", "approve_minutes", "call_in_round", "close_call_in_windows",
    "correct_entry",
    "end_secretary",
    "record_decision", "record_meeting", "record_minutes", "record_motion",
    "set_decision_status",
]
