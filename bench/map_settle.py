"""How long a map takes to settle in headless Chromium, against a tiny map in the same run.

    .venv/bin/python bench/map_settle.py [--sizes 500 1000] [--repeat 3]

For each size, the ecosystem map of that many synthetic organisations is opened and timed
from navigation to the page's ``data-map-ready`` flag (physics stabilised, then frozen);
the baseline is the same page with a ten-organisation ecosystem. Prints the medians and
their ratio; it is a measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from chromium import ARGS, executable
from synthetic import ecosystem

from app.api.main import create_app
from app.settings import Settings
from app.store.memory import MemoryStore


def serve(size: int, port: int, folder: Path) -> uvicorn.Server:
    """An app on ``port`` whose store holds a synthetic ecosystem of ``size`` organisations."""
    store = MemoryStore(folder / str(size))
    store.load(ecosystem(size))
    settings = Settings(data_dir=folder, map_max_organizations=max(size, 10))
    server = uvicorn.Server(
        uvicorn.Config(create_app(lambda: store, settings), port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server


def settle_seconds(browser: Browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-map-ready='true']", timeout=120_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable(), args=ARGS)
        print(f"# map settle time, {platform.node()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        servers = {
            size: serve(size, 18_700 + i, Path(folder)) for i, size in enumerate([10, *args.sizes])
        }
        times = {
            size: statistics.median(
                settle_seconds(browser, f"http://127.0.0.1:{18_700 + i}/maps/ecosystem")
                for _ in range(args.repeat)
            )
            for i, size in enumerate(servers)
        }
        baseline = times[10]
        print(f"baseline (10 organisations): {baseline:.2f} s")
        for size in args.sizes:
            print(
                f"{size} organisations: {times[size]:.2f} s, {times[size] / baseline:.1f}x baseline"
            )
        for server in servers.values():
            server.should_exit = True
        browser.close()


if __name__ == "__main__":
    main()
