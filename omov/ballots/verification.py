"""Runs the auditor's verifier (`omov.record`) over a ballot's stored board."""

from __future__ import annotations

import tempfile

from omov.ballots import board
from omov.ballots.models import Ballot
from omov.record.errors import RecordError, RecordUnreadable
from omov.record.verifier import verify_record


def verify_board(ballot: Ballot, *, jobs: int | None = None) -> tuple[bool, str]:
    """Writes the record out exactly as it is downloaded and verifies it.

    Returns whether every check passed and the verifier's report in words.
    `jobs` is the number of processes checking ballots (default: every core);
    it runs from the schedule (`omov schedule`, or `omov serve`'s schedule
    thread), never inside a web request.
    """
    with tempfile.NamedTemporaryFile(suffix=".omov.jsonl") as record_file:
        for line in board.lines(ballot):
            record_file.write(line)
        record_file.flush()
        try:
            report = verify_record(record_file.name, jobs=jobs)
        except (RecordUnreadable, RecordError) as error:
            return False, f"The record could not be read: {error}"
    return report.ok, report.render()


def failed_checks(report: str) -> list[str]:
    """The report's failure lines (each ✗ check and the problems listed under it)."""
    failing: list[str] = []
    for line in report.splitlines():
        if line.startswith("✗") or (failing and line.startswith("    ")):
            failing.append(line.strip())
    return failing
