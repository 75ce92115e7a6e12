"""Runs the auditor's verifier (`omov.record`) over a ballot's stored board."""

from __future__ import annotations

import subprocess
import sys
import tempfile

from omov.ballots import board
from omov.ballots.models import Ballot

VALID, INVALID, NO_RESULT = 0, 1, 3
"""`omov verify`'s exit statuses that come with a report (2 means it could not read)."""


def verify_board(ballot: Ballot, *, jobs: int | None = None) -> tuple[bool, str]:
    """Writes the record out exactly as it is downloaded and runs `omov verify` on it.

    Returns whether every check passed and the record is complete, and the
    verifier's report in words: a record that stops before its result (exit
    status 3) is not a verified result.
    `jobs` is the number of processes checking ballots (default: every core).
    It runs from the schedule (`omov schedule`, or `omov serve`'s schedule
    thread), never inside a web request. The verifier runs as its own
    process, the very command an auditor runs: forking its workers from a
    threaded web server could copy a lock another thread holds.
    """
    with tempfile.NamedTemporaryFile(suffix=".omov.jsonl") as record_file:
        for line in board.lines(ballot):
            record_file.write(line)
        record_file.flush()
        command = [sys.executable, "-m", "omov.cli", "verify", record_file.name]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
    report = finished.stdout.strip()
    if finished.returncode not in (VALID, INVALID, NO_RESULT):
        return False, f"The record could not be verified: {report or finished.stderr.strip()}"
    return finished.returncode == VALID, report


def failed_checks(report: str) -> list[str]:
    """The report's failure lines (each ✗ check and the problems listed under it)."""
    failing: list[str] = []
    for line in report.splitlines():
        if line.startswith("✗") or (failing and line.startswith("    ")):
            failing.append(line.strip())
    return failing
