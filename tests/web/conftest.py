"""Django-only fixtures for the web tests."""

from __future__ import annotations

from typing import Any

import pytest

# The tests that read `django.core.mail.outbox` right after an action get their
# mail at once: the task framework's immediate backend runs the delivery task
# when `send_email` enqueues it. The outbox's own tests (tests/web/test_outbox.py)
# ask for `durable_outbox` and run the database backend and the worker's rounds.
IMMEDIATE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QUEUES": ["default", "mail"]},
}


@pytest.fixture(autouse=True)
def _database_for_every_web_test(db: Any) -> None:
    """Every web test touches the database; saying so once keeps the tests short."""


@pytest.fixture(autouse=True)
def _mail_at_once(settings: Any) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def durable_outbox(settings: Any) -> None:
    """The production outbox: mail waits in the database until a delivery round."""
    from omov.web import settings as site_settings

    settings.TASKS = site_settings.TASKS
