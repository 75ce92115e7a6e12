"""Runs the auditor's verifier (`omov.record`) over a ballot's stored board."""

from __future__ import annotations

import tempfile

from omov.ballots import board
from omov.ballots.models import Ballot
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.verifier import verify_record


def verify_board(ballot: Ballot) -> tuple[bool, str]:
    """Writes the record out exactly as it is downloaded and verifies it.

    Returns whether every check passed and the verifier's report in words.
    Runs in this process (one job): forking worker processes from inside a
    web request is not safe.
    """
    with tempfile.NamedTemporaryFile(suffix=".omov.jsonl") as record_file:
        for line in board.lines(ballot):
            record_file.write(line)
        record_file.flush()
        try:
            report = verify_record(record_file.name, jobs=1)
        except (RecordUnreadable, RecordError) as error:
            return False, f"The record could not be read: {error}"
    return report.ok, report.render()
