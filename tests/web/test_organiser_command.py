"""`omov organiser` gives a fresh installation its first organiser."""

from __future__ import annotations

import argparse

import pytest

from omov.accounts.models import GrantedRole
from omov.audit.models import AuditEvent
from omov.commands import organiser
from omov.members.models import Member
from omov.web import bootstrap


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    organiser.configure(parser)
    code = organiser.run(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def no_separate_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap, "setup_django", lambda: None)
    monkeypatch.setattr(bootstrap, "migrate", lambda verbose=False: None)


def test_adds_a_new_person_to_the_roll_as_organiser(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ada@example.org", "--name", "Ada Byron", "--number", "M0001")
    assert code == 0
    member = Member.objects.get(email="ada@example.org")
    assert member.role_grants.filter(role=GrantedRole.ORGANISER).exists()
    assert "/sign-in/link/" in out
    assert AuditEvent.objects.filter(action="grant_role").exists()


def test_someone_not_on_the_roll_needs_a_name_and_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "nobody@example.org")
    assert code == 2
    assert "give --name and --number" in err
    assert not Member.objects.filter(email="nobody@example.org").exists()


def test_an_existing_member_is_matched_by_email_case_insensitively(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "ada@example.org", "--name", "Ada Byron", "--number", "M0001")
    code, _, _ = run(capsys, "ADA@example.org")
    assert code == 0
    assert Member.objects.filter(email__iexact="ada@example.org").count() == 1
