"""Every example credential code shown to people (docs, templates, docstrings)
passes the code check, so a member who types one in to try gets no surprise."""

import re
from pathlib import Path

import pytest

from omov.crypto.credentials import normalise_code

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}\b")
PLACES = ["docs", "omov", "frontend/src", "README.md"]
SUFFIXES = {".md", ".html", ".py", ".js"}


def _shown_files() -> list[Path]:
    files: list[Path] = []
    for place in PLACES:
        path = ROOT / place
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files += [p for p in path.rglob("*") if p.suffix in SUFFIXES and "dist" not in p.parts]
    return files


def _examples() -> list[tuple[str, str]]:
    found = []
    for path in _shown_files():
        for code in CODE.findall(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(ROOT)), code))
    return found


def test_the_booth_shows_an_example_code() -> None:
    assert any(path.endswith("booth.html") for path, _ in _examples())


@pytest.mark.parametrize(("path", "code"), _examples())
def test_example_code_passes_the_check(path: str, code: str) -> None:
    normalise_code(code)
