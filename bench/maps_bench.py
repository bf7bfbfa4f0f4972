"""Map targets in headless Chromium: a 500-organisation map settles, a 1,000-organisation map
with physics off paints; each against a ten-organisation map in the same run.

    .venv/bin/python bench/maps_bench.py [--settle 500] [--paint 1000] [--repeat 3]

Settling is timed as ``map_settle.py`` does (navigation to the page's ``data-map-ready`` flag).
Painting is timed from navigation to the first ``afterDrawing`` event of the vis-network canvas.
The map page has no switch to turn physics off, so for the physics-off figure the benchmark
serves a copy of ``map.js`` whose network options say ``physics: {enabled: false}``; the
same copy, physics untouched, gives the as-shipped paint time. Prints medians and ratios and
writes the ``maps`` section of ``bench/RESULTS.md``; a measurement, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from playwright.sync_api import Browser, Page, Route, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from chromium import ARGS, executable
from http_bench import Row, free_port, machine, now, table, write_section
from map_settle import serve, settle_seconds

BASELINE = 10
PAINTED = "body[data-map-painted]"
HOOK_BEFORE = "window.solgraphMap = {"
HOOK = (
    'network.once("afterDrawing", function () {'
    " document.body.dataset.mapPainted = String(performance.now()); });\n  "
)
PHYSICS = "physics: {"
PHYSICS_OFF = "physics: { enabled: false,"


def instrumented(source: str, physics: bool) -> str:
    """``map.js`` that flags its first drawing, with physics off unless ``physics``."""
    options = source.find(PHYSICS)
    if HOOK_BEFORE not in source or "solver:" not in source[options : options + 80]:
        raise RuntimeError("map.js no longer has the lines this benchmark rewrites; update it")
    source = source.replace(HOOK_BEFORE, HOOK + HOOK_BEFORE)
    return source if physics else source.replace(PHYSICS, PHYSICS_OFF, 1)


def paint_seconds(browser: Browser, url: str, physics: bool) -> float:
    """Seconds from navigation to the first drawing of the network canvas."""
    page: Page = browser.new_page(viewport={"width": 1280, "height": 900})

    failed: list[Exception] = []

    def rewrite(route: Route) -> None:
        response = route.fetch()
        try:
            route.fulfill(response=response, body=instrumented(response.text(), physics))
        except RuntimeError as error:
            failed.append(error)
            route.abort()

    page.route("**/static/map.js", rewrite)
    started = time.perf_counter()
    page.goto(url)
    if failed:
        raise failed[0]
    page.wait_for_selector(PAINTED, state="attached", timeout=120_000)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


def median(repeat: int, measure: Callable[[], float]) -> float:
    """The median of ``repeat`` runs of ``measure``."""
    return statistics.median(measure() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=int, default=500)
    parser.add_argument("--paint", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args()
    when = now()
    print(f"# map benchmarks, {machine()}, {when}")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable(), args=ARGS)
        ports = {size: free_port() for size in {BASELINE, args.settle, args.paint}}
        servers = [serve(size, port, Path(folder)) for size, port in ports.items()]

        def url(size: int) -> str:
            return f"http://127.0.0.1:{ports[size]}/maps/ecosystem"

        settle = {
            size: median(args.repeat, partial(settle_seconds, browser, url(size)))
            for size in (BASELINE, args.settle)
        }
        off = {
            size: median(args.repeat, partial(paint_seconds, browser, url(size), False))
            for size in (BASELINE, args.paint)
        }
        shipped = {
            size: median(args.repeat, partial(paint_seconds, browser, url(size), True))
            for size in (BASELINE, args.paint)
        }
        for server in servers:
            server.should_exit = True
        browser.close()
    rows = [
        Row(
            f"settle, {args.settle} organisations",
            settle[args.settle],
            settle[BASELINE],
            "s",
            "≤ 5 s",
            settle[args.settle] <= 5,
        ),
        Row(
            f"first paint, {args.paint} organisations, physics off",
            off[args.paint],
            off[BASELINE],
            "s",
            "≤ 3 s",
            off[args.paint] <= 3,
        ),
        Row(
            f"first paint, {args.paint} organisations, physics on (as shipped)",
            shipped[args.paint],
            shipped[BASELINE],
            "s",
            "(info)",
            None,
        ),
    ]
    for row in rows:
        print(row.text())
    if not args.no_write:
        write_section(
            "maps",
            [
                "## Maps (bench/maps_bench.py)",
                "",
                f"{when}; {machine()}; Debian Chromium, headless.",
                f"`.venv/bin/python bench/maps_bench.py --settle {args.settle} --paint "
                f"{args.paint} --repeat {args.repeat}`: `/maps/ecosystem` of bench/synthetic.py "
                f"ecosystems, the cap set to the map's size; medians of {args.repeat}; "
                f"baseline: a {BASELINE}-organisation map in the same run, timed the same way. "
                "The page has no physics switch: the physics-off rows serve `map.js` with "
                "`physics.enabled = false` (see the script's docstring).",
                "",
                *table(rows),
            ],
        )


if __name__ == "__main__":
    main()
