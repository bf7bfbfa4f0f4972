"""Whole-graph analyses through the snapshot cache: first call, repeat call, after a write.

    .venv/bin/python bench/run.py --orgs 10000 --only analysis

One "call" is what the API does for the gaps, brokers and partnerships pages:
``SnapshotCache(store).get(None)`` and each analysis through ``Snapshot.remember`` under the
routers' keys. The first call (export, snapshot, every analysis) is the baseline; a repeat
on the unchanged graph should cost at most 1% of it; after one write the cache must hand
out a new snapshot, so the next call costs a first call again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from common import Result, say, timed

from app.analysis.brokers import brokers
from app.analysis.gaps import coverage, gaps
from app.analysis.snapshot import Snapshot, SnapshotCache
from app.analysis.typology import partnerships
from app.domain.models import Document
from app.store.protocol import GraphStore

REPEAT_SHARE = 0.01
ANALYSES: dict[str, Callable[[Snapshot], object]] = {
    "gaps None None": gaps,
    "coverage None None": coverage,
    "brokers 20": lambda snapshot: brokers(snapshot, top=20),
    "partnerships None None None": partnerships,
}
"""Each analysis under the key its router remembers it by."""


def call(cache: SnapshotCache, parts: dict[str, float] | None = None) -> Snapshot:
    """One round of every analysis through the cache; ``parts`` gets seconds per step."""
    started = time.perf_counter()
    snapshot = cache.get(None)
    if parts is not None:
        parts["snapshot"] = time.perf_counter() - started
    for key, analysis in ANALYSES.items():
        started = time.perf_counter()
        snapshot.remember(key, lambda analysis=analysis: analysis(snapshot))  # type: ignore[misc]
        if parts is not None:
            parts[key.split()[0]] = time.perf_counter() - started
    return snapshot


def run(store: GraphStore, document: Document, label: str = "embedded") -> list[Result]:
    """First, repeat and after-write times of the analyses on ``store`` (holding ``document``)."""
    cache = SnapshotCache(store)
    parts: dict[str, float] = {}
    first = timed(lambda: call(cache, parts))
    breakdown = ", ".join(f"{k} {v:.2f} s" for k, v in parts.items())
    print(f"  first call: {breakdown}", flush=True)
    before = cache.get(None)
    repeat = min(timed(lambda: call(cache)) for _ in range(5))
    org = document.organizations[0]
    renamed = org.model_copy(update={"name": f"{org.name} (renamed)"})
    store.load(Document(organizations=[renamed]), actor="bench")
    again: dict[str, float] = {}
    after = timed(lambda: call(cache, again))
    after_snapshot = cache.get(None)
    invalidated = (
        after_snapshot is not before
        and after_snapshot.version > before.version
        and after_snapshot.organizations[org.id].name == renamed.name
    )
    store.load(Document(organizations=[org]), actor="bench")
    n = f"{len(document.organizations):,} orgs"
    return [
        say(
            Result(
                f"{label} analyses, first call ({n}: gaps, coverage, brokers, partnerships)",
                first,
                None,
                "s",
                "",
                None,
                breakdown,
            )
        ),
        say(
            Result(
                f"{label} analyses, repeat call on the unchanged graph",
                repeat,
                first,
                "s",
                f"<= {REPEAT_SHARE:.0%} of first call",
                repeat <= REPEAT_SHARE * first,
                "best of 5",
            )
        ),
        say(
            Result(
                f"{label} analyses, first call after one write",
                after,
                first,
                "s",
                "cache invalidated: new snapshot, write visible",
                invalidated,
                f"snapshot {'rebuilt' if invalidated else 'NOT rebuilt'}",
            )
        ),
    ]
