"""Time encrypting, proving and signing a 10-option approval ballot in headless Chromium.

Serves the built protocol bundle (`npm run build` in frontend/) from a
temporary http server on 127.0.0.1, opens it in Debian's chromium through
Playwright, and prints the time to set up the election context (the joint
key's multiplication tables) and the median time per ballot. Target: a
ballot in at most 300 ms.

    .venv/bin/python bench/browser_encrypt.py [--runs 15]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "omov" / "static" / "omov" / "dist" / "omov-protocol.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Runs in the page: one ElectionContext (as the booth builds once), then `runs`
# ballots with fresh credentials and system randomness.
BENCH_JS = """
async ({ runs }) => {
  const omov = await import('/omov-protocol.js');
  const rng = new omov.SystemRng();
  const rules = [new omov.QuestionRule(10, 0, 10)];
  const selections = [[1, 0, 1, 1, 0, 0, 1, 0, 0, 1]];
  const keyHex = omov.baseMult(rng.scalar()).hex();
  const fingerprint = omov.randomBytes(32);
  const t0 = performance.now();
  const ctx = new omov.ElectionContext(fingerprint, omov.Point.fromHex(keyHex), rules);
  const setup = performance.now() - t0;
  const times = [];
  let tracker = '';
  for (let i = 0; i < runs; i++) {
    const secret = rng.scalar();
    const start = performance.now();
    const prepared = omov.encryptBallot(ctx, secret, selections, rng);
    times.push(performance.now() - start);
    tracker = prepared.tracker;
  }
  const sample = omov.encryptBallot(ctx, rng.scalar(), selections, rng).ballot;
  const received = JSON.parse(JSON.stringify(sample));
  const verifyStart = performance.now();
  omov.verifyBallot(ctx, received);
  const verify = performance.now() - verifyStart;
  return { setup, times, verify, tracker, agent: navigator.userAgent };
}
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """An http server for `directory` on a free port of 127.0.0.1, in a thread."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="ballots to time (default 15)")
    args = parser.parse_args()
    if not BUNDLE.exists():
        raise SystemExit(f"{BUNDLE} is missing: run `npm run build` in frontend/ first")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        shutil.copy(BUNDLE, site / "omov-protocol.js")
        (site / "index.html").write_text("<!doctype html><title>omov bench</title>\n")
        server = serve(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
                result = page.evaluate(BENCH_JS, {"runs": args.runs})
                browser.close()
        finally:
            server.shutdown()
    times = result["times"]
    print(f"browser: {result['agent']}")
    print("ballot: 1 approval question, 10 options (10 encryptions, 10 0/1 proofs, signature)")
    print(f"election context setup (joint key tables): {result['setup']:.1f} ms")
    print(
        f"encrypt+prove+sign, {len(times)} runs: median {statistics.median(times):.1f} ms, "
        f"first {times[0]:.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms"
    )
    print(f"verify one ballot in the browser: {result['verify']:.1f} ms")
    print(f"last tracker: {result['tracker']}")


if __name__ == "__main__":
    main()
