"""The models and their migrations agree, so a deploy never meets a missing migration."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

PLATFORM_APPS = ("mailbox", "audit", "organisation", "members", "accounts")


def test_every_model_change_has_a_migration() -> None:
    output = StringIO()
    call_command("makemigrations", *PLATFORM_APPS, "--check", "--dry-run", stdout=output)
    assert "No changes detected" in output.getvalue()
