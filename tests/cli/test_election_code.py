"""The election code from the authority's own public roll file, read in pieces when it is
canonical (as `omov credentials generate` writes it) and whole otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omov.commands import election_code as election_code_module
from omov.commands.election_code import election_code
from omov.trustee_files import CommandError
from tests.cli.test_credentials_commands import ROLL, Authority


@pytest.fixture
def authority(tmp_path: Path) -> Authority:
    made = Authority(tmp_path)
    assert made.generate(ROLL) == 0
    return made


def test_a_canonical_roll_file_is_not_read_whole(
        authority: Authority, monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(path: object, what: str) -> None:
        raise AssertionError("the canonical roll file was read whole")

    monkeypatch.setattr(election_code_module, "read_json", whole)
    assert election_code(str(authority.record), str(authority.public)) == (
        authority.election_code())


def test_a_roll_file_in_another_form_gives_the_same_code(authority: Authority,
                                                         tmp_path: Path) -> None:
    pretty = tmp_path / "pretty-roll.json"
    pretty.write_text(json.dumps(json.loads(authority.public.read_text()), indent=2))
    assert election_code(str(authority.record), str(pretty)) == authority.election_code()


@pytest.mark.parametrize("canonical", [True, False])
def test_a_roll_file_that_is_not_the_authoritys_is_refused(
        authority: Authority, tmp_path: Path, canonical: bool) -> None:
    body = json.loads(authority.public.read_text())
    body["credentials"] = body["credentials"][1:]
    other = tmp_path / "other-roll.json"
    other.write_text(json.dumps(body, separators=(",", ":"), sort_keys=True) + "\n"
                     if canonical else json.dumps(body, indent=2))
    with pytest.raises(CommandError, match=r"does not belong to this record.*signature"):
        election_code(str(authority.record), str(other))


def test_a_missing_roll_file_is_named(authority: Authority, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read public roll"):
        election_code(str(authority.record), str(tmp_path / "none.json"))
