"""The embedded store's load time and memory, against plain networkx in the same run.

    .venv/bin/python bench/run.py --orgs 10000 --only store,memory

Load: ``MemoryStore(tmp).load(document)`` (durable: SQLite, audit trail, validation), then
the first read, which builds the in-memory graph; the baseline builds the same graph, every
record's fields as attributes, with ``nx.MultiDiGraph`` calls from the same document.

Memory: peak RSS of a fresh process that opens the loaded store and reads once (so it holds
the whole graph), against a fresh process holding the same graph in plain networkx, built
from the exported JSON. Each runs as a subprocess so its peak belongs to that run alone.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
from common import BENCH, Result, current_rss, peak_rss, say, timed

from app.domain.models import Document
from app.store.memory import MemoryStore

LOAD_RATIO = 2.0
LOAD_SECONDS_AT_100K = 60.0
RSS_BYTES_AT_100K = 2 * 2**30


def networkx_graph(document: Document) -> nx.MultiDiGraph:
    """The document as a networkx multigraph, every field an attribute (the baseline)."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((o.id, o.model_dump()) for o in document.organizations)
    graph.add_edges_from((r.source, r.target, r.id, r.model_dump()) for r in document.relationships)
    return graph


def load(document: Document, folder: Path) -> list[Result]:
    """Time the embedded load (and first read) against building the networkx graph.

    The store is left in ``folder / "store"`` for :func:`memory` to reuse.
    """
    orgs, rels = len(document.organizations), len(document.relationships)
    size = f"{orgs:,} orgs / {rels:,} rels"
    store = MemoryStore(folder / "store")
    try:
        written = timed(lambda: store.load(document))
        first_read = timed(store.counts)
        assert store.counts().relationships == rels
    finally:
        store.close()
    baseline = timed(lambda: networkx_graph(document))
    dumped = [(o.id, o.model_dump()) for o in document.organizations]
    edges = [(r.source, r.target, r.id, r.model_dump()) for r in document.relationships]

    def plain() -> None:
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(dumped)
        graph.add_edges_from(edges)

    calls_only = timed(plain)
    scale = max(orgs, 1) / 100_000
    budget = LOAD_SECONDS_AT_100K * scale
    return [
        say(
            Result(
                f"embedded load, store.load ({size})",
                written,
                baseline,
                "s",
                f"<= {LOAD_RATIO:g}x networkx build",
                written <= LOAD_RATIO * baseline,
                "baseline: MultiDiGraph from the same Document, model_dump() attributes",
            )
        ),
        say(
            Result(
                f"embedded load + first read, graph ready ({size})",
                written + first_read,
                baseline,
                "s",
                f"<= {budget:.3g} s ({LOAD_SECONDS_AT_100K:g} s per 100k, scaled linearly)",
                written + first_read <= budget,
                f"first read alone {first_read:.2f} s",
            )
        ),
        say(
            Result(
                "networkx calls alone (attribute dicts made beforehand)",
                calls_only,
                baseline,
                "s",
                "",
                None,
                "informative: the part of the baseline spent inside networkx",
            )
        ),
    ]


def _child(*args: str) -> dict[str, Any]:
    """Run this file as a subprocess with ``args`` and return the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=BENCH.parent,
    )
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def memory(document: Document, folder: Path) -> list[Result]:
    """Peak RSS of a process holding the loaded embedded store, against plain networkx."""
    orgs, rels = len(document.organizations), len(document.relationships)
    store = MemoryStore(folder / "store")
    try:
        if store.counts().organizations != orgs:
            store.load(document)
    finally:
        store.close()
    exported = folder / "export.json"
    exported.write_text(document.model_dump_json(), encoding="utf-8")
    held = _child("hold", str(folder / "store"))
    MemoryStore(folder / "empty").close()
    empty = _child("hold", str(folder / "empty"))
    plain = _child("networkx", str(exported))
    scale = 100_000 / max(orgs, 1)
    if scale > 1:
        judged = empty["peak"] + (held["peak"] - empty["peak"]) * scale
        how = (
            f"projected to 100k: {judged / 2**20:,.0f} MiB (empty store's process "
            f"{empty['peak'] / 2**20:,.0f} MiB + growth x {scale:.3g})"
        )
    else:
        judged = held["peak"] * scale
        how = f"{judged / 2**20:,.0f} MiB per 100k"
    return [
        say(
            Result(
                f"peak RSS, process holding the embedded store ({orgs:,} / {rels:,})",
                held["peak"],
                plain["peak"],
                "B",
                "< 2 GiB per 100k orgs / 300k rels",
                judged < RSS_BYTES_AT_100K,
                f"{how}; RSS once loaded {held['now'] / 2**20:,.0f} MiB; "
                "baseline: networkx graph with attributes from the exported JSON",
            )
        )
    ]


def _hold(folder: Path) -> None:
    """Subprocess: open the store, read once so the graph is in memory, report RSS."""
    store = MemoryStore(folder)
    counts = store.counts()
    gc.collect()
    print(json.dumps({"orgs": counts.organizations, "peak": peak_rss(), "now": current_rss()}))
    store.close()


def _networkx(exported: Path) -> None:
    """Subprocess: build the plain networkx graph from exported JSON, report RSS."""
    data = json.loads(exported.read_text(encoding="utf-8"))
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((o["id"], o) for o in data["organizations"])
    graph.add_edges_from((r["source"], r["target"], r["id"], r) for r in data["relationships"])
    del data
    gc.collect()
    print(json.dumps({"orgs": graph.number_of_nodes(), "peak": peak_rss(), "now": current_rss()}))


if __name__ == "__main__":
    mode, where = sys.argv[1], Path(sys.argv[2])
    {"hold": _hold, "networkx": _networkx}[mode](where)
