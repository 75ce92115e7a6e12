"""The verifier's findings, and how they are said in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field

from omov.record.errors import RecordError

MAX_FAILURES_SHOWN = 20
CHECK_NAMES = {
    2: "entries and chain", 3: "manifest", 4: "key generation", 5: "credential roll",
    6: "open", 7: "ballots", 8: "audited ballots", 9: "close", 10: "tally",
    11: "partial decryptions", 12: "result", 13: "time stamps", 14: "shuffles",
    15: "ranked count",
}
"""What each numbered check of protocol section 12 is about."""


@dataclass
class Check:
    """One numbered check of section 12: what passed, or each thing that failed."""

    number: int
    passed: str
    failures: list[RecordError] = field(default_factory=list)
    failure_count: int = 0
    warnings: list[RecordError] = field(default_factory=list)

    def warn(self, error: RecordError) -> None:
        """Record something reported that has no effect on validity (8.3 complaints)."""
        self.warnings.append(error)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return self.failure_count == 0

    def fail(self, error: RecordError) -> None:
        """Record a failure (only the first few are kept to show)."""
        self.failure_count += 1
        if len(self.failures) < MAX_FAILURES_SHOWN:
            self.failures.append(error)


@dataclass
class Report:
    """Everything the verifier found in one record."""

    checks: dict[int, Check] = field(default_factory=dict)
    entries: int = 0
    phase: str = "empty"
    head: bytes = b""
    complete: bool = False

    def check(self, number: int, passed: str = "") -> Check:
        """The check with this section 12 number, created on first use."""
        if number not in self.checks:
            self.checks[number] = Check(number, passed)
        elif passed:
            self.checks[number].passed = passed
        return self.checks[number]

    def fail(self, number: int, error: RecordError) -> None:
        """Record that check `number` failed because of `error`."""
        self.check(number).fail(error)

    def warn(self, number: int, error: RecordError) -> None:
        """Report `error` under check `number` without making the record invalid."""
        self.check(number).warn(error)

    def warnings(self) -> list[RecordError]:
        """Every warning, in check order."""
        return [error for _, check in sorted(self.checks.items()) for error in check.warnings]

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(check.ok for check in self.checks.values())

    def failures(self) -> list[RecordError]:
        """Every failure shown, in check order."""
        return [error for _, check in sorted(self.checks.items()) for error in check.failures]

    def render(self) -> str:
        """The report as lines a person reads: one per check, then the verdict."""
        lines: list[str] = []
        for _, check in sorted(self.checks.items()):
            lines.extend(f"! {warning.describe()}" for warning in check.warnings)
            if check.ok:
                if check.passed:
                    lines.append(f"✓ {check.passed}")
                continue
            name = CHECK_NAMES.get(check.number, "check")
            lines.append(f"✗ {name} (section 12, check {check.number}): "
                         f"{check.failure_count:,} problem(s)")
            lines.extend(f"    {error.describe()}" for error in check.failures)
            hidden = check.failure_count - len(check.failures)
            if hidden:
                lines.append(f"    … and {hidden:,} more")
        stage = "is complete" if self.complete else f"stops in the {self.phase} phase"
        lines.append(f"The record has {self.entries:,} entries and {stage}; head {self.head.hex()}")
        lines.append(self.verdict())
        return "\n".join(lines)

    def verdict(self) -> str:
        """The last line: valid, valid so far (no result yet), or invalid."""
        if not self.ok:
            return "INVALID: see the ✗ lines above"
        if not self.complete:
            return ("VALID SO FAR, NOT A RESULT: every entry present checks, but the record "
                    f"stops in the {self.phase} phase and holds no result yet")
        return "VALID"
