"""Time the trustee page's own count of a record (protocol 9.4) against `omov verify`.

Makes a record with `omov simulate` (or takes `--record`), times the Python
verifier on it with every core, then runs the trustee page's count in
headless Chromium: the same `countRecord` (frontend/src/pages/lib/tally.js)
and the same Web Worker bundle (omov/static/omov/dist/pages/tally-worker.js)
the page uses, one worker per core (navigator.hardwareConcurrency). It
prints both times, the ballots per second and the ratio, and checks that the
page's count code is the one Python computes from the tally entry.

    .venv/bin/python bench/trustee_page.py [--voters 100000] [--record FILE]

Needs `npm run build` in frontend/ and Debian's chromium.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "omov" / "static" / "omov" / "dist"
ESBUILD = ROOT / "frontend" / "node_modules" / ".bin" / "esbuild"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# The bench's entry: the page's own modules, bundled as the page bundles them.
ENTRY = """
export { countRecord } from '{root}/frontend/src/pages/lib/tally.js';
export { workerPool, workerCount } from '{root}/frontend/src/pages/lib/worker-pool.js';
"""

BENCH_JS = """
async () => {
  const page = await import('/bench-tally.js');
  const fetched = performance.now();
  const text = await (await fetch('/record.omov.jsonl')).text();
  const start = performance.now();
  const checked = await page.countRecord(text, (setup) => page.workerPool(setup));
  const done = performance.now();
  return {
    download: start - fetched, count: done - start, workers: page.workerCount(),
    counted: checked.counted, ballots: checked.ballotEntries, code: checked.code,
    agent: navigator.userAgent,
  };
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def simulate(path: Path, voters: int) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "omov.cli", "simulate", "--voters", str(voters),
                    "--out", str(path), "--seed", "trustee page bench"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    print(f"simulated {voters:,} voters in {time.perf_counter() - started:.1f} s")


def python_count(path: Path) -> tuple[float, str]:
    """Seconds for `verify_record` on every core, and the count code of the tally entry."""
    from omov.crypto.canonical import parse_json
    from omov.record.board import entry_hash
    from omov.record.count_code import count_code
    from omov.record.verifier import verify_record

    started = time.perf_counter()
    report = verify_record(path)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(report.render())
    with path.open("rb") as handle:
        tally = next(line.rstrip(b"\n") for line in handle if b'"kind":"tally"' in line)
    counted = parse_json(tally)["body"]["counted"]
    return seconds, count_code(entry_hash(tally), counted)


def browser_count(path: Path) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        entry = site / "entry.js"
        entry.write_text(ENTRY.replace("{root}", str(ROOT)))
        subprocess.run([str(ESBUILD), str(entry), "--bundle", "--format=esm", "--minify",
                        "--log-level=warning", f"--outfile={site / 'bench-tally.js'}"],
                       check=True, cwd=ROOT / "frontend")
        shutil.copy(DIST / "pages" / "tally-worker.js", site / "tally-worker.js")
        os.symlink(path.resolve(), site / "record.omov.jsonl")
        (site / "index.html").write_text("<!doctype html><title>omov trustee bench</title>\n")
        server = serve(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.set_default_timeout(0)
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                result: dict[str, object] = page.evaluate(BENCH_JS)
                browser.close()
        finally:
            server.shutdown()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=100_000,
                        help="voters in the simulated record (default 100000)")
    parser.add_argument("--record", type=Path, help="count this record instead of simulating one")
    args = parser.parse_args()
    if not (DIST / "pages" / "tally-worker.js").exists() or not ESBUILD.exists():
        raise SystemExit("run `npm ci && npm run build` in frontend/ first")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.record or Path(tmp) / "bench.omov.jsonl"
        if args.record is None:
            simulate(path, args.voters)
        python_seconds, python_code = python_count(path)
        page = browser_count(path)
    seconds = float(str(page["count"])) / 1000
    ballots = int(str(page["ballots"]))
    print(f"browser: {page['agent']}")
    print(f"record: {ballots:,} ballot entries, {page['counted']:,} counted; "
          f"{os.cpu_count()} cores on this machine")
    print(f"omov verify (Python, libsodium, every core): {python_seconds:.1f} s, "
          f"{ballots / python_seconds:,.0f} ballots/s")
    print(f"trustee page count ({page['workers']} Web Workers): {seconds:.1f} s, "
          f"{ballots / seconds:,.0f} ballots/s (download {float(str(page['download'])):.0f} ms)")
    print(f"ratio page / Python: {seconds / python_seconds:.1f}x")
    same = page["code"] == python_code
    print(f"count code: page {page['code']}, Python {python_code}"
          f" ({'same' if same else 'DIFFERENT'})")
    print(json.dumps({"python_s": round(python_seconds, 2), "page_s": round(seconds, 2),
                      "workers": page["workers"], "ballots": ballots}))
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
