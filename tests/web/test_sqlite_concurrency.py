"""Concurrent requests on SQLite wait for the write lock instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_transactions_on_sqlite_wait_for_each_other(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sqlite_writers.py")),
         str(tmp_path / "omov.sqlite3")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200 events written" in done.stdout
