"""Cells of the CSV files omov writes, made safe to open in a spreadsheet program.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula: a member who puts
`=HYPERLINK(...)` in their name or email address could otherwise run it on
an organiser's machine. Such a cell is written with a leading `'`, which
spreadsheets show as text, and omov's readers take the `'` off again, so
every file round-trips. Pure Python: the protocol commands use it too.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """The cell as written: a leading `'` before anything a spreadsheet would run."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def unguard(value: str) -> str:
    """The cell as read back: `guard` undone."""
    if value.startswith("'") and value[1:2].startswith(FORMULA_PREFIXES) and value[1:2]:
        return value[1:]
    return value


def guard_row(row: list[str]) -> list[str]:
    return [guard(str(cell)) for cell in row]
