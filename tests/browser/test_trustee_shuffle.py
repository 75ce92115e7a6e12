"""The trustee page's shuffle of a ranked question, in Chromium, against a live server:
the page recomputes the input from the record, shuffles and proves in a Web Worker and
the server verifies it; when the server sends another input, the page refuses, says
why, and sends nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omov.record.board import KIND_RANK

from .conftest import ROOT, Browser, LiveServer, Page, expect, served
from .test_trustee_shuffle_seed import SLUG

pytestmark = pytest.mark.skipif(
    "shuffle" not in KIND_RANK,
    reason="the board takes shuffle entries once omov/record/board.py has the mix's kinds "
    "(branch mix)")


@pytest.fixture(scope="module")
def mix_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    def seed(env: dict[str, str], work: Path) -> None:
        subprocess.run([sys.executable, str(Path(__file__).parent / "test_trustee_shuffle_seed.py"),
                        str(work)], env=env, check=True, cwd=ROOT)
    with served(tmp_path_factory, seed) as server:
        yield server


def people(server: LiveServer) -> dict[str, Any]:
    return dict(json.loads((server.work / "people.json").read_text()))


def trustee_page(browser: Browser, server: LiveServer, index: int) -> Page:
    page = browser.new_context().new_page()
    page.goto(server.url + people(server)["sign_in"][index - 1])
    page.get_by_role("button", name="Sign in to omov").click()
    page.wait_for_load_state()
    page.goto(f"{server.url}/ballots/{SLUG}/trustee/")
    return page


def record_kinds(server: LiveServer) -> list[str]:
    with urllib.request.urlopen(f"{server.url}/ballots/{SLUG}/record.omov.jsonl") as response:
        return [json.loads(line)["kind"] for line in response.read().decode().splitlines()]


def test_a_forged_input_is_refused_then_the_true_one_is_shuffled(
    browser: Browser, mix_server: LiveServer
) -> None:
    from omov.crypto.shuffle import rows_digest
    from omov.crypto.shuffle_proof import rows_from_json

    page = trustee_page(browser, mix_server, 1)
    url = f"{mix_server.url}/ballots/{SLUG}/mix/q1/input.json"
    with urllib.request.urlopen(url) as response:
        honest = json.loads(response.read())
    forged = dict(honest, rows=honest["rows"][::-1])
    forged["digest"] = rows_digest(rows_from_json(forged["rows"])).hex()
    page.route(url, lambda route: route.fulfill(status=200, content_type="application/json",
                                                body=json.dumps(forged)))
    button = page.get_by_role("button", name="Check the input against the board and shuffle "
                              "question q1")
    button.click()
    status = page.locator("#trustee-status")
    expect(status).to_contain_text("STOP: the input the server sent for question q1 is not "
                                   "the one the board implies", timeout=120_000)
    assert "shuffle" not in record_kinds(mix_server)

    page.unroute(url)
    button.click()
    expect(status).to_contain_text("Your shuffle is verified and on the board",
                                   timeout=180_000)
    expect(status).to_contain_text("shuffled and proved 5 rows")
    assert record_kinds(mix_server).count("shuffle") == 1
    page.reload()
    expect(page.locator("#mix-q1")).to_contain_text("You have shuffled this question")
