"""Run the store and analysis benchmarks at a chosen size and record them in RESULTS.md.

    .venv/bin/python bench/run.py --orgs 100000 --neo4j-orgs 20000
    .venv/bin/python bench/run.py --orgs 5000 --only store,traversal

Groups (``--only``, comma-separated; default all):

- ``store``: embedded load against building the graph in networkx;
- ``memory``: peak RSS of a process holding the embedded store, against plain networkx;
- ``traversal``: enablers and shortest routes on the embedded store against networkx;
- ``analysis``: gaps, brokers and typology through the snapshot cache;
- ``scale``: ``solgraph load`` of the ecosystem file and an API worker's start-up, time and
  peak RSS beside the limits at a million organisations (never holds the ecosystem itself);
- ``neo4j``: Neo4j load (UNWIND against per-row), batch-size sweep, and the traversals
  against hand-written Cypher (starts a local Neo4j unless SOLGRAPH_NEO4J_URI is set);
- ``neo4j-traversal``: only those traversals, on the document loaded by ``store.load``.

Every figure is printed beside a baseline measured in the same run and their ratio, with
the machine and date; then the section for this configuration in ``bench/RESULTS.md`` is
written or refreshed. These are measurements, never pass/fail tests.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import analysis_bench
import scale_bench
import store_bench
import traversal_bench
from common import Result, ecosystem, generator_name, machine, now, peak_rss, write_results

from app.domain.models import Document
from app.store.memory import MemoryStore

GROUPS = ("store", "memory", "traversal", "analysis", "scale", "neo4j", "neo4j-traversal")
NEO4J = frozenset({"neo4j", "neo4j-traversal"})


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000, help="organisations, embedded runs")
    parser.add_argument(
        "--neo4j-orgs", type=int, default=None, help="organisations for Neo4j (default: --orgs)"
    )
    parser.add_argument("--only", default=",".join(GROUPS), help="groups, comma-separated")
    parser.add_argument("--seed", type=int, default=204)
    parser.add_argument("--queries", type=int, default=1000, help="traversals of each kind")
    parser.add_argument(
        "--budget", type=float, default=300.0, help="seconds per traversal kind and store"
    )
    parser.add_argument(
        "--analysis-timeout", type=float, default=1800.0, help="seconds per analysis round"
    )
    parser.add_argument("--route-depth", type=int, default=4, help="max_depth of routes")
    parser.add_argument("--per-row-rows", type=int, default=5000, help="per-row Neo4j subset")
    parser.add_argument("--sweep-rows", type=int, default=10_000, help="BATCH sweep subset")
    parser.add_argument("--neo4j-heap", default="4g", help="heap of the local Neo4j")
    parser.add_argument("--no-record", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()
    args.groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; valid: {', '.join(GROUPS)}")
    args.neo4j_orgs = args.neo4j_orgs or args.orgs
    return args


def _made(size: int, seed: int) -> Document:
    started = time.perf_counter()
    document = ecosystem(size, seed)
    print(
        f"# ecosystem of {len(document.organizations):,} organisations and "
        f"{len(document.relationships):,} relationships "
        f"({generator_name()}, seed {seed}, {time.perf_counter() - started:.1f} s)",
        flush=True,
    )
    return document


def embedded(args: argparse.Namespace, document: Document) -> list[Result]:
    """The groups that run on the embedded store, sharing one loaded store."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="solgraph-bench-") as folder:
        where = Path(folder)
        if "store" in args.groups:
            print("\n## embedded load", flush=True)
            results += store_bench.load(document, where)
        if "memory" in args.groups:
            print("\n## embedded memory", flush=True)
            results += store_bench.memory(document, where)
        if {"traversal", "analysis"} & set(args.groups):
            store = MemoryStore(where / "store")
            try:
                if store.counts().organizations != len(document.organizations):
                    store.load(document)
                if "traversal" in args.groups:
                    print("\n## embedded traversals", flush=True)
                    work = traversal_bench.workload(
                        document, args.queries, args.route_depth, args.seed, args.budget
                    )
                    results += traversal_bench.embedded(store, document, work)
                if "analysis" in args.groups:
                    print("\n## whole-graph analyses (embedded store)", flush=True)
                    results += analysis_bench.run(
                        where / "store", len(document.organizations), args.analysis_timeout
                    )
            finally:
                store.close()
    return results


def neo4j(args: argparse.Namespace, document: Document) -> tuple[list[Result], str]:
    """Neo4j load, batch sweep and traversals on one server."""
    import neo4j_bench

    from app.store.neo4j.store import Neo4jStore

    print("\n## neo4j", flush=True)
    with neo4j_bench.connection(args.neo4j_heap) as connected:
        print(f"# {connected.described}", flush=True)
        store = Neo4jStore.connect(connected.settings)
        try:
            results: list[Result] = []
            if "neo4j" in args.groups:
                results += neo4j_bench.run(
                    connected, store, document, args.per_row_rows, args.sweep_rows
                )
            else:
                store.clear()
                store.load(document)
            print("\n## neo4j traversals", flush=True)
            work = traversal_bench.workload(
                document, args.queries, args.route_depth, args.seed, args.budget
            )
            results += traversal_bench.neo4j(store, connected.driver, work)
            store.clear()
        finally:
            store.close()
    return results, connected.described


def main() -> None:
    """Parse the options, run the chosen groups, print and record the results."""
    args = _arguments()
    started, when, facts = time.perf_counter(), now(), machine()
    print(f"# store and analysis benchmarks, {when}")
    for key, value in facts.items():
        print(f"# {key}: {value}")
    results: list[Result] = []
    neo4j_described = ""
    documents: dict[int, Document] = {}
    if "scale" in args.groups:
        print("\n## embedded store at scale: load from a file, API worker start-up", flush=True)
        with tempfile.TemporaryDirectory(prefix="solgraph-scale-") as folder:
            results += scale_bench.run(args.orgs, args.seed, Path(folder))
    if set(args.groups) - NEO4J - {"scale"}:
        documents[args.orgs] = _made(args.orgs, args.seed)
        results += embedded(args, documents[args.orgs])
    if NEO4J & set(args.groups):
        document = documents.pop(args.neo4j_orgs, None) or _made(args.neo4j_orgs, args.seed)
        documents.clear()
        found, neo4j_described = neo4j(args, document)
        results += found
    took = time.perf_counter() - started
    print(f"\n# summary ({took / 60:.1f} min, parent peak RSS {peak_rss() / 2**20:,.0f} MiB)")
    for result in results:
        print("  " + result.line())
    if args.no_record or not results:
        return
    sizes = f"N={args.orgs}" + (f", neo4j N={args.neo4j_orgs}" if NEO4J & set(args.groups) else "")
    key = f"{'+'.join(args.groups)} {sizes}"
    header = [
        f"Run {when} with `{_command(args)}`; {took / 60:.1f} min in all.",
        "",
        *(f"- {k}: {v}" for k, v in facts.items()),
        f"- data: {generator_name()}, seed {args.seed}",
        *([f"- Neo4j: {neo4j_described}"] if neo4j_described else []),
        "- other processes (test suites, browsers, other benchmarks) were running on the "
        "machine at the same time, so absolute times are noisy; ratios are measured in one run.",
    ]
    title = f"Store and analysis benchmarks: {sizes} ({'+'.join(args.groups)})"
    print(f"\n# recorded in {write_results(key, title, header, results)}")


def _command(args: argparse.Namespace) -> str:
    parts = ["python bench/run.py", f"--orgs {args.orgs}"]
    if NEO4J & set(args.groups):
        parts.append(f"--neo4j-orgs {args.neo4j_orgs}")
    if set(args.groups) != set(GROUPS):
        parts.append(f"--only {','.join(args.groups)}")
    return " ".join(parts)


if __name__ == "__main__":
    main()
