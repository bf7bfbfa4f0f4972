"""The embedded store at scale: a file load and an API worker's start-up, time and peak RSS.

    .venv/bin/python bench/run.py --orgs 1000000 --only scale

Issue 20 asks, at a million organisations (``solgraph bench generate --orgs 1000000``): the
embedded load in at most 10 minutes and 4 GiB peak RSS, and an API worker that starts in at
most 60 s and holds at most 4 GiB. Each figure is measured in a subprocess of its own, so its
peak belongs to it alone: ``solgraph load FILE`` into an empty store, then a process that
runs the API's start-up (``create_app``'s lifespan: the store opened and read once) and
fetches one organisation's ties. The baseline is the same process at
:data:`BASELINE_ORGS` organisations in the same run: the ratio of time per organisation shows
whether the cost grows linearly. Below a million, the figure is projected to a million and
the projection is judged against the limit: a time scaled linearly (fixed costs too, so an
upper bound), a peak as the baseline's plus the growth beyond it scaled linearly.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import BENCH, Result, say

from app.io.synthetic import write_document

BASELINE_ORGS = 10_000
TARGET_ORGS = 1_000_000
LOAD_SECONDS = 600.0
STARTUP_SECONDS = 60.0
RSS_BYTES = 4 * 2**30


@dataclass(frozen=True)
class Run:
    """What one subprocess took: wall-clock seconds, CPU seconds (user and system) and peak
    resident set size in bytes."""

    seconds: float
    cpu: float
    peak: int


def measured(command: list[str], env: dict[str, str], log: Path) -> Run:
    """Run ``command`` to its end, its output in ``log``; its wall time and its own peak RSS
    (``wait4``'s rusage of that child alone)."""
    with log.open("wb") as said:
        started = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=BENCH.parent, stdout=said, stderr=said)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {log.read_text(errors='replace')}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def load_and_start(orgs: int, seed: int, folder: Path) -> tuple[Run, Run]:
    """Write the ecosystem of ``orgs`` organisations, load it with ``solgraph load`` into an
    empty store, then start an API worker on it; what each took."""
    document = folder / f"eco-{orgs}.json"
    write_document(document, orgs, seed)
    env = {**os.environ, "SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(folder / str(orgs))}
    solgraph = str(Path(sys.executable).with_name("solgraph"))
    load = measured([solgraph, "load", str(document)], env, folder / f"load-{orgs}.log")
    document.unlink()
    start = measured(
        [sys.executable, str(Path(__file__).resolve()), "start"], env, folder / f"start-{orgs}.log"
    )
    return load, start


def _judged(name: str, figure: Run, base: Run, orgs: int, limit: float, unit: str) -> Result:
    """One row: the figure (seconds or bytes) beside the baseline's, and the limit at a
    million organisations, judged on the projection when ``orgs`` is smaller."""
    if unit == "s":
        value, floor = figure.seconds, base.seconds
        projected = value * TARGET_ORGS / orgs
    else:
        value, floor = figure.peak, base.peak
        growth = max(value - floor, 0) / (orgs - BASELINE_ORGS)
        projected = floor + growth * (TARGET_ORGS - BASELINE_ORGS)
    shown = f"{projected:,.0f} s" if unit == "s" else f"{projected / 2**30:,.2f} GiB"
    how = "measured" if orgs >= TARGET_ORGS else f"projected to 1M: {shown}"
    limit_text = f"{limit:g} s" if unit == "s" else f"{limit / 2**30:g} GiB"
    judged = value if orgs >= TARGET_ORGS else projected
    return say(
        Result(
            f"{name} ({orgs:,} orgs)",
            value,
            floor,
            unit,
            f"<= {limit_text} at 1M orgs",
            judged <= limit,
            f"{how}; CPU {figure.cpu:,.1f} s, baseline's {base.cpu:,.1f} s; "
            f"baseline: the same at {BASELINE_ORGS:,} orgs",
        )
    )


def run(orgs: int, seed: int, folder: Path) -> list[Result]:
    """Load and start-up at ``orgs`` organisations beside the baseline size and the limits."""
    if orgs <= BASELINE_ORGS:
        raise ValueError(f"the scale bench needs more than {BASELINE_ORGS:,} organisations")
    base_load, base_start = load_and_start(BASELINE_ORGS, seed, folder)
    load, start = load_and_start(orgs, seed, folder)
    return [
        _judged("embedded load, solgraph load FILE", load, base_load, orgs, LOAD_SECONDS, "s"),
        _judged("peak RSS of that load", load, base_load, orgs, RSS_BYTES, "B"),
        _judged("API worker start-up and one read", start, base_start, orgs, STARTUP_SECONDS, "s"),
        _judged("peak RSS of that worker", start, base_start, orgs, RSS_BYTES, "B"),
    ]


def _start() -> None:
    """Subprocess: the API's start-up on the store the settings name, then one read of an
    organisation's ties (so the store is ready to serve)."""
    from app.api.main import create_app
    from app.domain.vocabulary import vocabulary
    from app.store.protocol import OrganizationFilter

    app = create_app()

    async def started() -> None:
        async with app.router.lifespan_context(app):
            store = app.state.store
            first = store.list_organizations(OrganizationFilter(), 0, 1).items[0]
            store.adjacent([first.id], vocabulary().relationship_types, "both")
            print(json.dumps({"organizations": store.counts().organizations}))

    asyncio.run(started())


if __name__ == "__main__":
    {"start": _start}[sys.argv[1]]()
