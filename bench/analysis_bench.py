"""Whole-graph analyses through the snapshot cache: first call, repeat call, after a write.

    .venv/bin/python bench/run.py --orgs 10000 --only analysis

One "call" is what the API does for the gaps, partnerships and brokers pages:
``SnapshotCache(store).get(None)``, then each analysis through ``Snapshot.remember`` under
its router's key. The first call (export, snapshot, every analysis) is the baseline; a
repeat on the unchanged graph should cost at most 1% of it; after one write the cache must
hand out a new snapshot, so the next call costs a first call again.

The calls run in a subprocess on the loaded store's folder, with a time limit: an analysis
that does not finish is reported as such (with the steps that did finish), and the round
runs again without it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import BENCH, Result, say

from app.analysis.brokers import brokers
from app.analysis.gaps import coverage, gaps
from app.analysis.snapshot import Snapshot, SnapshotCache
from app.analysis.typology import partnerships
from app.domain.models import Document
from app.store.memory import MemoryStore
from app.store.protocol import OrganizationFilter

REPEAT_SHARE = 0.01
ANALYSES: dict[str, Callable[[Snapshot], object]] = {
    "gaps None None": gaps,
    "coverage None None": coverage,
    "partnerships None None None": partnerships,
    "brokers 20": lambda snapshot: brokers(snapshot, top=20),
}
"""Each analysis under the key its router remembers it by (slowest last)."""


def _name(key: str) -> str:
    return key.split()[0]


def _emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def call(cache: SnapshotCache, keys: list[str], phase: str | None = None) -> float:
    """One round of the analyses named by ``keys``; with ``phase``, report each step."""
    started = time.perf_counter()
    step = time.perf_counter()
    snapshot = cache.get(None)
    if phase:
        _emit(phase=phase, step="snapshot", seconds=time.perf_counter() - step)
    for key in keys:
        step = time.perf_counter()
        snapshot.remember(key, lambda analysis=ANALYSES[key]: analysis(snapshot))  # type: ignore[misc]
        if phase:
            _emit(phase=phase, step=_name(key), seconds=time.perf_counter() - step)
    return time.perf_counter() - started


def _child(folder: Path, keys: list[str]) -> None:
    """Subprocess: first call, five repeats, one write, first call again; JSON lines out."""
    store = MemoryStore(folder)
    store.counts()  # the store's own graph is built outside the timing, as in a warm server
    cache = SnapshotCache(store)
    _emit(first=call(cache, keys, "first"))
    before = cache.get(None)
    _emit(repeat=min(call(cache, keys) for _ in range(5)))
    org = store.list_organizations(OrganizationFilter(), 0, 1).items[0]
    renamed = org.model_copy(update={"name": f"{org.name} (renamed)"})
    store.load(Document(organizations=[renamed]), actor="bench")
    after = call(cache, keys, "after")
    now = cache.get(None)
    rebuilt = (
        now is not before
        and now.version > before.version
        and now.organizations[org.id].name == renamed.name
    )
    _emit(after=after, invalidated=rebuilt)
    store.load(Document(organizations=[org]), actor="bench")
    store.close()


def _run_child(folder: Path, keys: list[str], timeout: float) -> tuple[list[dict[str, Any]], bool]:
    """The child's JSON lines, and whether it finished within ``timeout`` seconds."""
    command = [sys.executable, str(Path(__file__).resolve()), str(folder), ",".join(keys)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=BENCH.parent, check=False
        )
        out, finished = done.stdout, True
        if done.returncode:
            print(f"  analysis subprocess failed:\n{done.stderr[-2000:]}", flush=True)
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        out, finished = raw.decode() if isinstance(raw, bytes) else raw, False
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return lines, finished


def _steps(lines: list[dict[str, Any]], phase: str) -> str:
    return ", ".join(f"{x['step']} {x['seconds']:.2f} s" for x in lines if x.get("phase") == phase)


def run(folder: Path, orgs: int, timeout: float, label: str = "embedded") -> list[Result]:
    """First, repeat and after-write times of the analyses on the store in ``folder``.

    An analysis whose first call does not finish within ``timeout`` is reported and left
    out; the round then runs again without it, with a limit fitted to what did finish.
    """
    keys = list(ANALYSES)
    results: list[Result] = []
    limit = timeout
    while True:
        lines, finished = _run_child(folder, keys, limit)
        first_done = {x["step"] for x in lines if x.get("phase") == "first"}
        stuck = next((k for k in keys if _name(k) not in first_done), None)
        if finished or stuck is None or not keys:
            break
        results.append(
            say(
                Result(
                    f"{label} analyses, first call: {_name(stuck)} did not finish",
                    limit,
                    None,
                    "s",
                    f"finishes (time limit {limit:g} s for the whole round)",
                    False,
                    f"finished before it: {_steps(lines, 'first') or 'nothing'}",
                )
            )
        )
        spent = sum(x["seconds"] for x in lines if x.get("phase") == "first")
        keys = [k for k in keys if k != stuck]
        label = f"{label} (without {_name(stuck)})"
        limit = 3 * spent + 120
    found = {k: v for line in lines for k, v in line.items() if k in ("first", "repeat", "after")}
    if "first" not in found:
        return results
    rebuilt = any(line.get("invalidated") for line in lines)
    first = found["first"]
    names = ", ".join(_name(k) for k in keys) or "snapshot only"
    results.append(
        say(
            Result(
                f"{label} analyses, first call ({orgs:,} orgs: {names})",
                first,
                None,
                "s",
                "",
                None,
                _steps(lines, "first"),
            )
        )
    )
    if "repeat" in found:
        results.append(
            say(
                Result(
                    f"{label} analyses, repeat call on the unchanged graph",
                    found["repeat"],
                    first,
                    "s",
                    f"<= {REPEAT_SHARE:.0%} of first call",
                    found["repeat"] <= REPEAT_SHARE * first,
                    "best of 5",
                )
            )
        )
    after = found.get("after")
    results.append(
        say(
            Result(
                f"{label} analyses, first call after one write",
                limit if after is None else after,
                first,
                "s",
                "cache invalidated: new snapshot, write visible",
                None if after is None else rebuilt,
                "not finished within the time limit"
                if after is None
                else f"snapshot {'rebuilt' if rebuilt else 'NOT rebuilt'}; "
                f"{_steps(lines, 'after')}",
            )
        )
    )
    return results


if __name__ == "__main__":
    _child(Path(sys.argv[1]), sys.argv[2].split(","))
