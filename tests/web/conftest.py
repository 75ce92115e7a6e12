"""Django-only fixtures for the web tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _database_for_every_web_test(db: Any) -> None:
    """Every web test touches the database; saying so once keeps the tests short."""
