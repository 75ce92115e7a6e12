"""`omov serve --workers 2`: requests answered by two processes, the schedule run by one."""

from __future__ import annotations

import http.client
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .live_serve import omov_serve

pytestmark = pytest.mark.slow


def children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Connection": "close"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def test_two_workers_answer_and_one_background_process_runs_the_schedule(
    tmp_path: Path,
) -> None:
    with omov_serve(tmp_path, "--workers", "2", "--schedule-every", "0.5",
                    "--access-log") as server:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(8) as pool:
            while len(workers) < 2 and time.monotonic() < deadline:
                statuses = list(pool.map(lambda _: get(server.port, "/")[0], range(16)))
                assert set(statuses) == {200}
                time.sleep(0.2)
                workers = {int(pid) for pid in re.findall(r"worker=<(\d+)>", server.output())}
        assert len(workers) == 2, server.output()

        deadline = time.monotonic() + 60
        while True:
            status, body = get(server.port, "/health/")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body)["schedule"]["status"] == "ok"

        announced = re.findall(r"Background process (\d+): schedule every 0.5 s", server.output())
        assert len(announced) == 1, server.output()
        background = int(announced[0])
        assert children(server.process.pid) == workers | {background}, (
            "the master's children are the two workers and one background process")
    assert server.process.returncode == 0, server.output()
    assert not Path(f"/proc/{background}").exists(), "the background process stopped too"
