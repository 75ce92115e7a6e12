"""A live omov server for the browser tests, started as `omov serve` on a free port.

Its schedule runs every 2 seconds, so ballots open and close at their times
and published results are verified as they would be in production.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass(frozen=True)
class LiveServer:
    url: str
    env: dict[str, str]
    work: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"omov serve exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"omov serve did not answer at {url}")


@contextlib.contextmanager
def served(tmp_path_factory: pytest.TempPathFactory,
           seed: Callable[[dict[str, str], Path], None]) -> Iterator[LiveServer]:
    """A served site on a fresh SQLite database that `seed(env, work)` fills first."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("needs Debian's chromium (scripts/setup --browser)")
    if not (ROOT / "omov/static/omov/dist/pages/booth.js").exists():
        pytest.skip("needs the frontend build (scripts/setup)")
    work = tmp_path_factory.mktemp("live")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "OMOV_DEBUG": "1",
        "OMOV_VAR_DIR": str(work / "var"),
        "DATABASE_URL": f"sqlite:///{work / 'live.sqlite3'}",
        "OMOV_BASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "omov.web.settings",
    }
    env.pop("OMOV_SECRET_KEY", None)
    seed(env, work)
    server = subprocess.Popen([sys.executable, "-m", "omov.cli", "serve", "--port", str(port),
                               "--schedule-every", "2"],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(url + "/", server)
        yield LiveServer(url, env, work)
    finally:
        server.terminate()
        server.wait(timeout=20)


def live_server(tmp_path_factory: pytest.TempPathFactory,
                closes_in: int) -> contextlib.AbstractContextManager[LiveServer]:
    """A served site with the ballots of election_setup.py; `e2e-vote` closes
    `closes_in` seconds after it is set up."""
    def seed(env: dict[str, str], work: Path) -> None:
        subprocess.run([sys.executable, str(Path(__file__).parent / "election_setup.py"),
                        str(work), str(closes_in)], env=env, check=True, cwd=ROOT)
    return served(tmp_path_factory, seed)


@pytest.fixture(scope="session")
def omov_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory, 60) as server:
        yield server


@pytest.fixture(scope="module")
def own_omov_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of the module's own, for a test that must see `e2e-vote` from its
    opening to its close, whatever other tests ran before it."""
    with live_server(tmp_path_factory, 60) as server:
        yield server


playwright_sync = pytest.importorskip("playwright.sync_api")
Browser = playwright_sync.Browser
Page = playwright_sync.Page
expect = playwright_sync.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's event loop runs while it is open, and
    Django refuses database calls under a running loop, so it must not outlive the module
    (a database test that a worker runs after the browser tests would fail)."""
    with playwright_sync.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def mailbox_text(server: LiveServer) -> str:
    with urllib.request.urlopen(f"{server.url}/dev/mailbox/") as response:
        return str(response.read().decode())


SIGN_IN_LINK = r"https?://[^\s\"<]+/sign-in/link/[^\s\"</]+/"


def _newest_sign_in_link(server: LiveServer) -> str | None:
    links = re.findall(SIGN_IN_LINK, mailbox_text(server))
    return links[0] if links else None


def sign_in(browser: Browser, server: LiveServer, email: str) -> Page:
    """Asks for a sign-in link, then follows it from the dev mailbox (where the server's
    mail worker puts it a moment after the request)."""
    page = browser.new_context(accept_downloads=True).new_page()
    page.goto(f"{server.url}/sign-in/")
    page.get_by_label("Email").fill(email)
    before = _newest_sign_in_link(server)
    page.get_by_role("button", name="Email me a sign-in link").click()
    deadline = time.monotonic() + 20
    while (link := _newest_sign_in_link(server)) in (None, before):
        assert time.monotonic() < deadline, "no new sign-in link in the development mailbox"
        time.sleep(0.1)
    page.goto(link)
    page.get_by_role("button", name="Sign in to omov").click()
    page.wait_for_load_state()
    return page


def wait_for_entry(server: LiveServer, slug: str, text: str, *, seconds: float) -> None:
    """Waits until ballot `slug`'s public record holds `text` (the schedule acts every 2 s)."""
    deadline = time.monotonic() + seconds
    while True:
        with urllib.request.urlopen(f"{server.url}/ballots/{slug}/record.omov.jsonl") as response:
            if text in response.read().decode():
                return
        assert time.monotonic() < deadline, f"no {text} entry on {slug}'s board after {seconds} s"
        time.sleep(1)
