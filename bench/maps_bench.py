"""Ecosystem maps: how soon a page is drawn and answers in headless Chromium, and what the
server's layout costs, each beside a baseline measured in the same run.

    .venv/bin/python bench/maps_bench.py [--sizes 500 2000 20000] [--layout 500]
        [--clusters 20000] [--repeat 3] [--cap N] [--timeout 180] [--profile] [--no-write]

Browser. Each size, and a ten-organisation ecosystem (the baseline), is a synthetic ecosystem
(``http_bench.synthetic_document``, seeded) served by the app in a fresh uvicorn process of its
own (``map_settle.serve``), with the settings as shipped: past ``SOLGRAPH_MAP_MAX_ORGANIZATIONS``
(500 by default; ``--cap`` sets it) the page is a cluster map, one node per movement. Before
any page the server builds its graph snapshot and serves the page's static files once, so it
stands for a server that has been serving, with no map computed yet. ``/maps/ecosystem`` is
opened once (cold: the request computes the map, layout included) and ``--repeat`` more times
(warm: the map comes from the server's cache). Every load is in a new browser context (no HTTP
cache), after a second of quiet, in one browser warmed beforehand on a twin of the baseline
server; that twin stays up and is loaded after each warm load of a size, so warm figures are
compared with baseline loads taken in the same minutes. Times are read inside the page, from
navigation start (``performance.timeOrigin``):

- first paint: until ``map.js`` sets ``body[data-map-ready]``, which it does in the first
  ``afterDrawing`` of the vis-network canvas at the page's final size (nodes, edges and labels
  drawn; the frame is presented right after).
- interactive: first paint plus the answer to a hover. As soon as the flag is seen the
  benchmark moves the mouse onto the centre of the most connected node that is on screen,
  uncovered and on top there (``network.getNodeAt``); the answer is the time from that
  ``mousemove`` event's timestamp to the details panel losing its ``hidden`` attribute (the
  ``hoverNode`` handler). The automation's lag between the flag and the move (about 0.1 s) is
  printed and left out, as if the person hovered the instant the map appeared. The map object
  (``window.solgraphMap``, whose ``network.getScale()`` answers once vis-network exists with its
  handlers) arrives before the flag; its time is printed too.
- first byte: the navigation's ``responseStart``, the server's share; printed, and named in
  the cold rows.

Server, in this process. ``app.maps.views.ecosystem_map`` of ``--layout`` organisations on a
fresh ``SnapshotCache`` (a cold call: store export, snapshot, layout, encoding) against a plain
``networkx.spring_layout(G, seed=1)`` of the same nodes and ties; ``force_layout`` alone on the
same input against the same baseline; and the cluster map of ``--clusters`` organisations on a
fresh cache against that cache's ``get()`` alone (store export and snapshot). One untimed
round first, then medians of ``--repeat``, interleaved. ``--profile`` prints cProfile's view of
one cold call at ``--layout``.

Prints every figure with its baseline and ratio, and writes the ``maps`` section of
``bench/RESULTS.md``. A measurement, never a pass/fail test: there are no targets. A page that
takes longer than ``--timeout`` seconds is reported, and its size skipped.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import Browser, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from chromium import ARGS, executable
from http_bench import Row, machine, now, table, write_section
from map_settle import Prepared, prepare, serve

from app.analysis.snapshot import SnapshotCache
from app.maps.build import box
from app.maps.encoding import CENTRE_SIZE, NODE_SIZE
from app.maps.layout import Box, force_layout
from app.maps.model import MapData
from app.maps.views import EcosystemFilters, ecosystem_map
from app.settings import Settings
from app.store.memory import MemoryStore

BASELINE = 10
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
READY = "body[data-map-ready='true']"
DETAILS = "#details:not([hidden])"
PAUSE = 1.0
"""Seconds of quiet before each page load."""

MARKS = """(() => {
  const marks = (window.__mapBench = {});
  let map;
  Object.defineProperty(window, "solgraphMap", {
    configurable: true,
    get: () => map,
    set: (value) => {
      map = value;
      try { value.network.getScale(); marks.handlers = performance.now(); }
      catch (error) { marks.error = String(error); }
    },
  });
  const look = () => {
    if (marks.ready === undefined && document.body && document.body.dataset.mapReady === "true")
      marks.ready = performance.now();
    const details = document.getElementById("details");
    if (marks.details === undefined && marks.hover !== undefined && details && !details.hidden)
      marks.details = performance.now();
  };
  new MutationObserver(look).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-map-ready", "hidden"],
  });
  addEventListener("mousemove", (event) => {
    if (marks.hover === undefined) marks.hover = event.timeStamp;
  }, { capture: true });
})();"""
"""Run before any page script: timestamps (ms since navigation start) of the map object's
arrival, the ready flag, the first mousemove and the details panel shown after it."""

TARGET = """() => {
  const map = window.solgraphMap, network = map.network;
  const canvas = document.querySelector("#map canvas").getBoundingClientRect();
  const ids = map.data.nodes.slice().sort((a, b) => a.rank - b.rank).map((n) => n.id);
  const positions = network.getPositions(ids);
  for (const id of ids) {
    const at = network.canvasToDOM(positions[id]);
    const x = canvas.left + at.x, y = canvas.top + at.y;
    const hit = document.elementFromPoint(x, y);
    if (hit && hit.tagName === "CANVAS" && network.getNodeAt(at) === id) {
      return { id: id, x: x, y: y };
    }
  }
  return null;
}"""
"""The most connected node whose centre is on screen, not covered, and on top there."""

FACTS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const data = window.solgraphMap.data;
  return { marks: window.__mapBench, firstByte: nav.responseStart,
           bytes: nav.decodedBodySize, nodes: data.nodes.length, edges: data.edges.length,
           kinds: Array.from(new Set(data.nodes.map((n) => n.kind))) };
}"""


@dataclass(frozen=True)
class Load:
    """One page load, in seconds from navigation start."""

    first_byte: float
    handlers: float
    paint: float
    lag: float
    """From the ready flag to the page's first mousemove: the automation, not the page."""
    answer: float
    """From that mousemove to the details panel shown."""
    nodes: int
    edges: int
    kind: str
    megabytes: float

    @property
    def interactive(self) -> float:
        return self.paint + self.answer


class TooSlow(Exception):
    """A page load that did not finish within the timeout."""


def load_page(browser: Browser, url: str, timeout: float) -> Load:
    """Open ``url`` in a fresh context, wait for the map, hover a node, read the marks.

    A pause comes first, so that the last load's renderer is gone before this one starts
    (on two cores its teardown slowed the next load)."""
    time.sleep(PAUSE)
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(MARKS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    deadline = time.monotonic() + timeout
    try:
        try:
            page.goto(url, wait_until="commit", timeout=timeout * 1000)
            page.wait_for_selector(
                READY, state="attached", timeout=max(deadline - time.monotonic(), 1) * 1000
            )
        except PlaywrightError as error:
            raise TooSlow(f"{url}: no map within {timeout:g} s ({errors or error})") from error
        target = page.evaluate(TARGET)
        if target is None:
            raise RuntimeError(f"{url}: no node to hover is on screen")
        page.mouse.move(target["x"], target["y"])
        page.wait_for_selector(DETAILS, timeout=60_000)
        facts: dict[str, Any] = page.evaluate(FACTS)
    finally:
        context.close()
    marks = facts["marks"]
    if "error" in marks or errors:
        raise RuntimeError(f"{url}: {marks.get('error')} {errors}")
    return Load(
        first_byte=facts["firstByte"] / 1000,
        handlers=marks["handlers"] / 1000,
        paint=marks["ready"] / 1000,
        lag=(marks["hover"] - marks["ready"]) / 1000,
        answer=(marks["details"] - marks["hover"]) / 1000,
        nodes=facts["nodes"],
        edges=facts["edges"],
        kind="+".join(sorted(facts["kinds"])),
        megabytes=facts["bytes"] / 1e6,
    )


@dataclass(frozen=True)
class Loads:
    """One size's loads: the cold one (first on its fresh server), the warm ones after it,
    and the baseline's warm loads taken in turn with them."""

    size: int
    cold: Load
    warm: list[Load]
    baseline: list[Load]
    first_static: float
    """The server's first ``/static/`` request, before any page (see ``map_settle.Server``)."""

    def median(self, pick: Callable[[Load], float]) -> float:
        return statistics.median(pick(load) for load in self.warm)

    def baseline_median(self, pick: Callable[[Load], float]) -> float:
        return statistics.median(pick(load) for load in self.baseline)


def browser_loads(
    browser: Browser, prepared: Prepared, baseline: str | None, args: argparse.Namespace
) -> Loads | str:
    """The cold load of one ecosystem from a fresh server, then ``--repeat`` warm loads, each
    followed by a load of the ``baseline`` URL (``None``: this is the baseline); or why not."""
    with serve(prepared, args.cap) as server:
        url = server.base + "/maps/ecosystem"
        try:
            cold = load_page(browser, url, args.timeout)
            warm: list[Load] = []
            beside: list[Load] = []
            for _ in range(args.repeat):
                warm.append(load_page(browser, url, args.timeout))
                if baseline is not None:
                    beside.append(load_page(browser, baseline, args.timeout))
        except TooSlow as slow:
            return str(slow)
    result = Loads(prepared.size, cold, warm, beside, server.first_static)
    print(describe(result), flush=True)
    return result


def describe(loads: Loads) -> str:
    cold, w = loads.cold, loads.median
    return (
        f"# {loads.size} organisations: {cold.nodes} nodes ({cold.kind}), {cold.edges} edges, "
        f"page {cold.megabytes:.2f} MB; cold: first byte {cold.first_byte:.3f} s, map object "
        f"{cold.handlers:.3f} s, paint {cold.paint:.3f} s, hover answer {cold.answer * 1000:.0f} "
        f"ms (automation lag {cold.lag * 1000:.0f} ms; the fresh server's first static request "
        f"took {loads.first_static:.2f} s before it); warm medians: first byte "
        f"{w(lambda x: x.first_byte):.3f} s, map object {w(lambda x: x.handlers):.3f} s, paint "
        f"{w(lambda x: x.paint):.3f} s, hover answer {w(lambda x: x.answer) * 1000:.0f} ms "
        f"(automation lag {w(lambda x: x.lag) * 1000:.0f} ms)"
        + (
            f"; baseline loads in between: paint {loads.baseline_median(lambda x: x.paint):.3f} s"
            if loads.baseline
            else ""
        )
    )


def browser_rows(base: Loads, loads: Loads) -> list[Row]:
    """Four rows for one size: paint and interactive, cold and warm, beside the baseline's
    (cold: the baseline's own cold load; warm: its loads taken in turn with this size's)."""
    cold = loads.cold
    what = (
        f"{loads.size:,} orgs ({cold.nodes:,} {cold.kind} nodes, {cold.edges:,} edges, "
        f"{cold.megabytes:.2f} MB page)"
    )
    server = f"first byte {cold.first_byte:.2f} s"

    def row(name: str, figure: float, baseline: float) -> Row:
        return Row(name, figure, baseline, "s", "(info)", None)

    return [
        row(f"first paint, cold, {what}; {server}", cold.paint, base.cold.paint),
        row(
            f"first paint, warm, {loads.size:,} orgs",
            loads.median(lambda x: x.paint),
            loads.baseline_median(lambda x: x.paint),
        ),
        row(f"interactive, cold, {loads.size:,} orgs", cold.interactive, base.cold.interactive),
        row(
            f"interactive, warm, {loads.size:,} orgs",
            loads.median(lambda x: x.interactive),
            loads.baseline_median(lambda x: x.interactive),
        ),
    ]


# --- server ---------------------------------------------------------------------------------


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def medians(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """One untimed round of every run, then ``repeat`` timed rounds, interleaved; medians."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(timed(run))
    return {name: statistics.median(values) for name, values in times.items()}


def cold_map(store: MemoryStore, cap: int) -> MapData:
    """The ecosystem map on a fresh snapshot cache: nothing of it computed before."""
    return ecosystem_map(SnapshotCache(store), EcosystemFilters(), cap)


def layout_input(data: MapData) -> tuple[list[str], list[tuple[str, str]], dict[str, Box]]:
    """The nodes, ties and label boxes ``organization_map_data`` gives ``force_layout``."""
    nodes = [n.id for n in data.nodes]
    pairs = [(e.source, e.target) for e in data.edges]
    boxes = {
        n.id: box(n.label, CENTRE_SIZE if n.role == "centre" else NODE_SIZE) for n in data.nodes
    }
    return nodes, pairs, boxes


def server_rows(
    layout: Prepared, clusters: Prepared, cap: int, args: argparse.Namespace
) -> list[Row]:
    """The layout at ``--layout`` and the cluster map at ``--clusters``, each beside its
    baseline (see the module's docstring)."""
    small = MemoryStore(layout.folder)
    data = cold_map(small, cap)
    if data.nodes and data.nodes[0].kind != "organization":
        raise SystemExit(f"--layout {layout.size} is past the cap ({cap}): a cluster map")
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in data.nodes)
    graph.add_edges_from((e.source, e.target) for e in data.edges)
    nodes, pairs, boxes = layout_input(data)
    big = MemoryStore(clusters.folder)
    times = medians(
        args.repeat,
        {
            "map": lambda: cold_map(small, cap),
            "force": lambda: force_layout(nodes, pairs, boxes),
            "spring": lambda: nx.spring_layout(graph, seed=1),
            "clusters": lambda: cold_map(big, cap),
            "snapshot": lambda: SnapshotCache(big).get(None),
        },
    )
    big_map = cold_map(big, cap)
    kinds = {n.kind for n in big_map.nodes}
    kind = "cluster" if kinds == {"cluster"} else "one-by-one"
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(cold_map, small, cap)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    small.close()
    big.close()
    drawn = f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} ties"
    spring = f"nx.spring_layout(G, seed=1) on the same {drawn}"
    return [
        Row(
            f"ecosystem_map, cold (fresh SnapshotCache), {layout.size:,} orgs; baseline {spring}",
            times["map"],
            times["spring"],
            "s",
            "(info)",
            None,
        ),
        Row(
            f"force_layout alone, same input; baseline {spring}",
            times["force"],
            times["spring"],
            "s",
            "(info)",
            None,
        ),
        Row(
            f"ecosystem_map, cold, {clusters.size:,} orgs -> {kind} map ({len(big_map.nodes)} "
            f"nodes, {len(big_map.edges)} edges); baseline SnapshotCache.get() alone",
            times["clusters"],
            times["snapshot"],
            "s",
            "(info)",
            None,
        ),
    ]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as ``a / b / c``."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


# --- the run --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 20000])
    parser.add_argument("--layout", type=int, default=500, help="organisations, server layout")
    parser.add_argument("--clusters", type=int, default=20000, help="organisations, cluster map")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cap", type=int, help="SOLGRAPH_MAP_MAX_ORGANIZATIONS (default: app's)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds per page load")
    parser.add_argument("--seed", type=int, default=204)
    parser.add_argument("--profile", action="store_true", help="cProfile one cold --layout map")
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args()
    cap = args.cap if args.cap is not None else Settings().map_max_organizations
    when = now()
    load_before = load_average()
    print(
        f"# map benchmarks, {machine()}, {when}; map cap {cap} organisations; "
        f"load average {load_before}",
        flush=True,
    )
    rows: list[Row] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        prepared: dict[int, Prepared] = {}
        for size in sorted({BASELINE, *args.sizes, args.layout, args.clusters}):
            prepared[size] = prepare(Path(tmp), size, args.seed)
            eco = prepared[size]
            print(
                f"# {size} organisations, {eco.relationships} relationships ({eco.made_by}), "
                f"written in {eco.seconds:.1f} s",
                flush=True,
            )
        made_by = prepared[BASELINE].made_by
        server = server_rows(prepared[args.layout], prepared[args.clusters], cap, args)
        for row in server:
            print(row.text(), flush=True)
        # One browser for every load, warmed first on a second baseline server (the same
        # ten organisations in a folder of its own), so that no cold load pays for the
        # browser's first page; that server stays up for the baseline's warm loads, taken in
        # turn with each size's. One fresh server per measured ecosystem, in turn.
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable(), args=ARGS)
            twin = prepare(Path(tmp), BASELINE, args.seed, "baseline-warm")
            with serve(twin, args.cap) as beside:
                url = beside.base + "/maps/ecosystem"
                for _ in range(2):
                    load_page(browser, url, args.timeout)
                base = browser_loads(browser, prepared[BASELINE], None, args)
                if isinstance(base, str):
                    raise SystemExit(f"the baseline map did not load: {base}")
                for size in args.sizes:
                    loads = browser_loads(browser, prepared[size], url, args)
                    if isinstance(loads, str):
                        print(f"# {size} organisations: {loads}", flush=True)
                        notes.append(f"{size:,} organisations: {loads}; not measured.")
                        continue
                    for row in browser_rows(base, loads):
                        print(row.text(), flush=True)
                        rows.append(row)
            browser.close()
    rows.extend(server)
    load = f"load average {load_before} at the start, {load_average()} at the end"
    print(f"# {load}")
    if args.no_write:
        return
    command = " ".join(["bench/maps_bench.py", *sys.argv[1:]])
    write_section("maps", section(when, command, made_by, cap, args, rows, notes, load))


def section(
    when: str,
    command: str,
    made_by: str,
    cap: int,
    args: argparse.Namespace,
    rows: Sequence[Row],
    notes: Sequence[str],
    load: str,
) -> list[str]:
    """The ``maps`` section of ``bench/RESULTS.md``: how it was measured, then the table."""
    return [
        "## Maps (bench/maps_bench.py)",
        "",
        f"{when}; {machine()}; {load}; Debian Chromium, headless, {VIEWPORT['width']}x"
        f"{VIEWPORT['height']}.",
        f"`.venv/bin/python {command}`: `/maps/ecosystem` of synthetic ecosystems ({made_by}, "
        f"seed {args.seed}), each served by the app in a fresh uvicorn process of its own with "
        f"the map cap at {cap} (past it the page is a cluster map); baseline: the {BASELINE}-"
        "organisation map, timed the same way in the same run. **Cold**: one load, the first "
        "page of a server that has built its snapshot and served the static files, so the "
        "request computes the map, layout included (the first byte says how long that took); "
        f"**warm**: the median of {args.repeat} loads after it, the map from the server's cache, "
        "each beside a baseline load taken in turn with it. Every load in a new browser context "
        "of one warmed Chromium, after 1 s of quiet. Times from navigation start, read in the "
        "page: **first paint** is when `map.js` sets `data-map-ready` (its first `afterDrawing` "
        "at the final size); **interactive** is first paint plus the time from a `mousemove` "
        "onto a node to its details panel shown, i.e. as if a person hovered the instant the "
        "map appeared (the automation's lag before the move is left out). Server rows: in the "
        f"benchmark's process, medians of {args.repeat} after an untimed round; cold means a "
        "fresh `SnapshotCache` (store export, snapshot, layout, encoding). Single cold loads of "
        "small pages vary by about 0.1 s from run to run on this machine. No targets: a "
        "measurement.",
        "",
        *table(rows),
        *(["", *(f"- {note}" for note in notes)] if notes else []),
    ]


if __name__ == "__main__":
    main()
