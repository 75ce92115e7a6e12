"""`omov verify RECORD`: check a whole election record (protocol section 12)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Protocol

from omov.record.errors import RecordUnreadable
from omov.record.parallel import default_jobs
from omov.record.petition import RECORD_KIND as PETITION_KIND
from omov.record.petition import verify_petition_file
from omov.record.register import RECORD_KIND as REGISTER_KIND
from omov.record.register import verify_register_file
from omov.record.report import Report as VerifyReport
from omov.record.verifier import verify_record


class OtherReport(Protocol):
    """What a petition log's or a register's verifier answers."""

    @property
    def ok(self) -> bool: ...

    def render(self) -> str: ...

NAME = "verify"
HELP = "Check every signature, proof, the chain, eligibility, tally and result of a record."

EXIT_VALID = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2
EXIT_NO_RESULT = 3
"""Every entry present checks, but the record stops before its result (section 12)."""

EPILOG = ("exit status: 0 valid and complete (it holds the result); 1 invalid (including "
          "JSON that is not canonical); 2 the file cannot be read as UTF-8 JSON Lines; "
          "3 valid so far but it stops before its result (voting or counting not finished, "
          "or the result withheld)")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("record", help="the election record (.omov.jsonl)")
    parser.add_argument("--jobs", type=int, default=default_jobs(),
                        help="processes that check ballots (default: every core)")
    parser.add_argument("--progress", action="store_true",
                        help="show progress on stderr even when it is not a terminal")


class ProgressLine:
    """Progress on stderr: one rewritten line on a terminal, else a line every few seconds."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.shown = self.started
        self.pending = False

    def show(self, text: str) -> None:
        """Show `text` if enough time has passed since the last update."""
        now = time.monotonic()
        if now - self.shown < (0.5 if self.tty else 5.0):
            return
        self.shown = now
        if self.tty:
            print(f"\r{text}\033[K", end="", file=sys.stderr, flush=True)
            self.pending = True
        else:
            print(text, file=sys.stderr, flush=True)

    def done(self, text: str) -> None:
        """End the progress display with a final line."""
        print(f"\r{text}\033[K" if self.pending else text, file=sys.stderr, flush=True)

    @property
    def elapsed(self) -> float:
        """Seconds since the display started."""
        return time.monotonic() - self.started


def record_kind(path: str) -> str | None:
    """The kind of the record's entry 0 (`manifest`, `petition`, ...), or None if unreadable."""
    try:
        with open(path, "rb") as file:
            first = file.readline()
    except OSError:
        return None
    marker = first.rfind(b',"kind":"')
    if marker < 0:
        return None
    return first[marker + 9:].split(b'"', 1)[0].decode("utf-8", "replace")


def run(args: argparse.Namespace) -> int:
    kind = record_kind(args.record)
    if kind == PETITION_KIND:
        return _run_other_record(args.record, verify_petition_file)
    if kind == REGISTER_KIND:
        return _run_other_record(args.record, verify_register_file)
    line = ProgressLine() if args.progress or sys.stderr.isatty() else None

    def progress(entries: int) -> None:
        assert line is not None
        line.show(f"verifying: {entries:,} entries ({entries / max(line.elapsed, 1e-9):,.0f}/s)")

    try:
        report = verify_record(args.record, jobs=args.jobs,
                               progress=progress if line is not None else None)
    except RecordUnreadable as error:
        if line is not None:
            line.done("verifying: stopped")
        print(f"✗ cannot read the record: {error}")
        return EXIT_UNREADABLE
    if line is not None:
        line.done(f"verified {report.entries:,} entries in {line.elapsed:.1f} s")
    *findings, verdict = report.render().split("\n")
    print("\n".join([*findings, what_it_means(report), verdict]))  # the verdict stays last
    if not report.ok:
        return EXIT_INVALID
    return EXIT_VALID if report.complete else EXIT_NO_RESULT


MEANINGS = {
    2: "nobody removed, reordered or changed an entry after it was published",
    3: "the questions, options, trustees and times are the ones published before voting",
    4: "the trustees made the election key together: neither the server nor any one "
       "trustee can decrypt a ballot",
    5: "every voting credential comes from the independent credential authority: the "
       "server could not add voters of its own",
    6: "voting opened on exactly these rules, this key and this roll",
    7: "every ballot was signed with a credential on the roll and holds a valid vote, and "
       "only each voter's last ballot is counted, without anyone seeing how they voted",
    8: "the ballots that voters chose to audit hold exactly the choices they made: the "
       "booth encrypted honestly; audited ballots were never counted",
    9: "voting closed, and no ballot was added after the close",
    10: "the encrypted total is exactly the sum of the counted ballots, no more and no less",
    11: "each trustee's share of the decryption is proven correct: no trustee could change "
        "the result",
    12: "the published totals are what the counted ballots add up to",
    14: "the ranked ballots were shuffled by at least the threshold of trustees, each "
        "proving that it only re-encrypted and reordered them: no ballot was added, dropped "
        "or changed, and no ranking can be linked to a voter unless every shuffler colludes",
    15: "the published rankings are the shuffled ballots decrypted by the trustees, and "
        "the published count is exactly what these rankings give",
}
"""For each numbered check of protocol section 12, what it means for a member."""


def what_it_means(report: VerifyReport) -> str:
    """One line per check, in plain words: what a member may rely on, or may not."""
    lines = ["What this means for members:"]
    for number, check in sorted(report.checks.items()):
        meaning = MEANINGS.get(number)
        if meaning is None:
            continue
        if check.ok:
            lines.append(f"  ✓ {meaning[0].upper()}{meaning[1:]}.")
        else:
            lines.append(f"  ✗ NOT shown: that {meaning}.")
    return "\n".join(lines)


def _run_other_record(path: str, verify_file: Callable[[str], OtherReport]) -> int:
    """Check a petition signature log (docs/petitions-record.md) or a committee's
    decision register (docs/register.md)."""
    try:
        report = verify_file(path)
    except RecordUnreadable as error:
        print(f"✗ cannot read the record: {error}")
        return EXIT_UNREADABLE
    print(report.render())
    return EXIT_VALID if report.ok else EXIT_INVALID
