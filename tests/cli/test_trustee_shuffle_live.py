"""`omov trustee shuffle` against a live `omov serve`: the trustee downloads the record
and the input the server offers, the command checks one against the other and shuffles,
and the trustee page takes the upload; the next trustee's command verifies that shuffle
in the record before shuffling on. An input the server forged is refused."""

from __future__ import annotations

import argparse
import http.cookiejar
import importlib.util
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from omov.commands import trustee as trustee_command
from omov.crypto.shuffle import rows_digest
from omov.crypto.shuffle_proof import rows_from_json
from omov.record.board import KIND_RANK

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests/browser/test_trustee_shuffle_seed.py"
SLUG = "ranked-mix"

pytestmark = pytest.mark.skipif(
    "shuffle" not in KIND_RANK,
    reason="the board takes shuffle entries once omov/record/board.py has the mix's kinds "
    "(branch mix)")


def _live_serve() -> ModuleType:
    spec = importlib.util.spec_from_file_location("live_serve", ROOT / "tests/web/live_serve.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("live_serve", module)
    spec.loader.exec_module(module)
    return module


def omov_trustee(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="omov")
    sub = parser.add_subparsers(dest="command", required=True).add_parser("trustee")
    trustee_command.configure(sub)
    return int(trustee_command.run(parser.parse_args(["trustee", *argv])))


class Trustee:
    """A trustee's own HTTP client: signed in through the single-use link."""

    def __init__(self, base: str, sign_in_path: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(base + sign_in_path).read()
        self.post_form(sign_in_path, {})

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post_form(self, path: str, fields: dict[str, str]) -> bytes:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return bytes(self.opener.open(urllib.request.Request(self.base + path, data=data)).read())

    def download(self, path: str, to: Path) -> Path:
        to.write_bytes(self.opener.open(self.base + path).read())
        return to

    def upload_shuffle(self, body: Any) -> dict[str, Any]:
        request = urllib.request.Request(
            f"{self.base}/ballots/{SLUG}/trustee/submit/",
            data=json.dumps({"step": "shuffle", "body": body}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf()})
        try:
            with self.opener.open(request) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as error:
            return dict(json.loads(error.read()))


def test_the_command_line_shuffle_against_a_live_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'omov.sqlite3'}", OMOV_VAR_DIR=str(tmp_path),
               DJANGO_SETTINGS_MODULE="omov.web.settings", OMOV_DEBUG="1")
    subprocess.run([sys.executable, str(SEED), str(tmp_path)], env=env, check=True, cwd=ROOT)
    people = json.loads((tmp_path / "people.json").read_text())
    with _live_serve().omov_serve(tmp_path, "--no-schedule", OMOV_DEBUG="1") as server:
        base = f"http://127.0.0.1:{server.port}"
        first = Trustee(base, people["sign_in"][0])
        record = first.download(f"/ballots/{SLUG}/record.omov.jsonl", tmp_path / "r.omov.jsonl")
        served = first.download(f"/ballots/{SLUG}/mix/q1/input.json", tmp_path / "input.json")

        honest = json.loads(served.read_text())
        forged = dict(honest, rows=honest["rows"][1:] + honest["rows"][:1])
        forged["digest"] = rows_digest(rows_from_json(forged["rows"])).hex()
        (tmp_path / "forged.json").write_text(json.dumps(forged))
        refused = tmp_path / "refused.json"
        assert omov_trustee("shuffle", "--record", str(record), "--trustee", "1", "--question",
                            "q1", "--input", str(tmp_path / "forged.json"),
                            "--out", str(refused)) == 2
        assert "STOP: the input in" in capsys.readouterr().err and not refused.exists()

        out = tmp_path / "shuffle-1.json"
        assert omov_trustee("shuffle", "--record", str(record), "--trustee", "1", "--question",
                            "q1", "--input", str(served), "--out", str(out)) == 0
        answer = first.upload_shuffle(json.loads(out.read_text()))
        assert "verified and on the board" in answer.get("message", ""), answer

        second = Trustee(base, people["sign_in"][1])
        stale = second.upload_shuffle(json.loads(out.read_text()))
        assert "no longer the latest (trustee 1 has shuffled it since)" in stale["error"], stale
        record = second.download(f"/ballots/{SLUG}/record.omov.jsonl", record)
        served = second.download(f"/ballots/{SLUG}/mix/q1/input.json", served)
        out = tmp_path / "shuffle-2.json"
        assert omov_trustee("shuffle", "--record", str(record), "--trustee", "2", "--question",
                            "q1", "--input", str(served), "--out", str(out)) == 0
        assert "after trustee(s) 1" in capsys.readouterr().out
        answer = second.upload_shuffle(json.loads(out.read_text()))
        assert "verified and on the board" in answer.get("message", ""), answer
