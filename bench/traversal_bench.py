"""Traversals through the store against the same question asked of the engine directly.

    .venv/bin/python bench/run.py --orgs 10000 --only traversal

``enablers(store, id, depth=3)`` and ``shortest_routes(store, a, b, max_depth, types)`` on
random organisations and pairs (seeded). On the embedded store the baseline is networkx on a
graph of the same relationships in force (reversed enabling edges with
``single_source_shortest_path_length``; ``shortest_path`` on the undirected graph); on Neo4j
it is hand-written Cypher run with the driver (a breadth-first loop of one query per hop;
``SHORTEST 1`` over a quantified path pattern). Every answer is compared with the baseline's:
the same set of enablers, the same route length.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import networkx as nx
from common import Result, sample, say
from neo4j import Driver, ManagedTransaction

from app.analysis.traversal import enablers, shortest_routes
from app.domain.models import Document
from app.domain.timeline import GONE, organization_exists, relationship_in_force
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

DEPTH = 3
RATIO = 3.0


@dataclass(frozen=True)
class Graphs:
    """The baseline's graphs: enabled -> enabler edges, and every tie undirected."""

    upstream: nx.DiGraph
    undirected: nx.Graph

    @classmethod
    def of(cls, document: Document) -> Graphs:
        """The graphs of the organisations that exist now and the relationships in force."""
        present = {o.id for o in document.organizations if organization_exists(o, None)}
        live = [
            r
            for r in document.relationships
            if relationship_in_force(r, None) and r.source in present and r.target in present
        ]
        enabling = vocabulary().enabling_types
        upstream = nx.DiGraph()
        upstream.add_nodes_from(present)
        upstream.add_edges_from((r.target, r.source) for r in live if r.type in enabling)
        undirected = nx.Graph()
        undirected.add_nodes_from(present)
        undirected.add_edges_from((r.source, r.target) for r in live)
        return cls(upstream, undirected)


@dataclass(frozen=True)
class Workload:
    """The seeded starts and pairs every engine answers."""

    starts: list[str]
    pairs: list[tuple[str, str]]
    route_depth: int
    budget: float
    """Seconds the store may spend on each kind before the rest of the questions are dropped."""


def workload(
    document: Document, count: int, route_depth: int, seed: int, budget: float
) -> Workload:
    """``count`` random organisations and ``count`` random pairs of distinct ones."""
    ids = [o.id for o in document.organizations]
    starts = sample(ids, count, seed)
    ends = sample(ids, 2 * count, seed + 1)
    pairs = [(a, b) for a, b in zip(ends[::2], ends[1::2], strict=True) if a != b]
    return Workload(starts, pairs[:count], route_depth, budget)


Timed = tuple[float, list[Any]]
"""Mean seconds per question, and the answers in question order."""


def _timed_answers(
    ask: Callable[[Any], Any], questions: Sequence[Any], budget: float = float("inf")
) -> Timed:
    """Answer questions in order until ``budget`` seconds are spent (at least one).

    Returns the mean seconds per answered question and the answers.
    """
    answers: list[Any] = []
    started = time.perf_counter()
    for question in questions:
        answers.append(ask(question))
        if time.perf_counter() - started > budget:
            break
    return (time.perf_counter() - started) / max(1, len(answers)), answers


def _compare(label: str, mine_timed: Timed, theirs_timed: Timed, target: str, asked: int) -> Result:
    """A row for one traversal: mean times, and how many answers differ from the baseline's."""
    (figure, mine), (baseline, theirs) = mine_timed, theirs_timed
    cut = "" if len(mine) == asked else f" of {asked:,} asked, time budget spent"
    mismatches = [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b]
    for i in mismatches[:3]:
        print(f"  mismatch at query {i}: store {mine[i]!r}, baseline {theirs[i]!r}", flush=True)
    sizes = [len(a) if isinstance(a, set) else (a or 0) for a in theirs]
    mean = sum(sizes) / max(1, len(sizes))
    what = "mean answer size" if isinstance(theirs[0], set) else "mean route length"
    return say(
        Result(
            f"{label} ({len(mine):,} queries{cut}, {len(mismatches)} mismatches)",
            figure,
            baseline,
            "s",
            target,
            figure <= RATIO * baseline and not mismatches,
            f"per query; {what} {mean:.2f}",
        )
    )


def _route_length(routes: Sequence[Any]) -> int | None:
    return len(routes[0].relationships) if routes else None


def embedded(store: GraphStore, document: Document, work: Workload) -> list[Result]:
    """The embedded store's traversals against networkx on the same graph."""
    graphs = Graphs.of(document)
    types = sorted(vocabulary().relationship_types)
    store.counts()  # build the store's in-memory graph outside the timing, as networkx's is

    def nx_enablers(start: str) -> set[str]:
        if start not in graphs.upstream:
            return set()
        reach = nx.single_source_shortest_path_length(graphs.upstream, start, cutoff=DEPTH)
        return set(reach) - {start}

    def nx_route(pair: tuple[str, str]) -> int | None:
        try:
            hops = len(nx.shortest_path(graphs.undirected, pair[0], pair[1])) - 1
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        return hops if hops <= work.route_depth else None

    def nx_all_routes(pair: tuple[str, str]) -> int | None:
        try:
            paths = list(islice(nx.all_shortest_paths(graphs.undirected, *pair), 20))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        return len(paths[0]) - 1 if len(paths[0]) - 1 <= work.route_depth else None

    mine_e = _timed_answers(
        lambda s: {link.organization.id for link in enablers(store, s, DEPTH)},
        work.starts,
        work.budget,
    )
    theirs_e = _timed_answers(nx_enablers, work.starts[: len(mine_e[1])])
    mine_r = _timed_answers(
        lambda p: _route_length(shortest_routes(store, p[0], p[1], work.route_depth, types)),
        work.pairs,
        work.budget,
    )
    asked = work.pairs[: len(mine_r[1])]
    theirs_r = _timed_answers(nx_route, asked)
    all_r = _timed_answers(nx_all_routes, asked, work.budget)
    target = f"<= {RATIO:g}x networkx, same answers"
    routes = f"embedded shortest_routes max_depth {work.route_depth}"
    return [
        _compare(f"embedded enablers depth {DEPTH}", mine_e, theirs_e, target, len(work.starts)),
        _compare(routes, mine_r, theirs_r, target, len(work.pairs)),
        say(
            Result(
                f"{routes}, against nx.all_shortest_paths (first 20)",
                mine_r[0],
                all_r[0],
                "s",
                "",
                None,
                "informative: a baseline that also lists every shortest route, "
                f"without a depth cut-off; {len(all_r[1]):,} pairs within the time budget",
            )
        ),
    ]


_UPSTREAM = """
UNWIND $frontier AS id
MATCH (s:Organization)-[r]->(:Organization {id: id})
WHERE type(r) IN $types AND r.status = 'active' AND NOT s.status IN $gone
RETURN DISTINCT s.id AS id
"""

_SHORTEST = """
MATCH (a:Organization {id: $a}), (b:Organization {id: $b})
WHERE NOT a.status IN $gone AND NOT b.status IN $gone
MATCH p = SHORTEST 1 (a)(()-[r WHERE r.status = 'active' AND type(r) IN $types]-
      (n:Organization WHERE NOT n.status IN $gone)){1,%d}(b)
RETURN length(p) AS hops
"""


def cypher_enablers(driver: Driver, start: str, depth: int) -> set[str]:
    """Enablers within ``depth`` hops by a breadth-first loop of one Cypher query per hop."""
    types, gone = sorted(vocabulary().enabling_types), sorted(GONE)

    def work(tx: ManagedTransaction) -> set[str]:
        first = tx.run("MATCH (o:Organization {id: $id}) RETURN o.status AS status", id=start)
        row = first.single()
        if row is None or row["status"] in GONE:
            return set()
        seen, frontier = {start}, [start]
        for _ in range(depth):
            found = tx.run(_UPSTREAM, frontier=frontier, types=types, gone=gone)
            frontier = [r["id"] for r in found if r["id"] not in seen]
            seen.update(frontier)
            if not frontier:
                break
        return seen - {start}

    with driver.session() as session:
        return session.execute_read(work)


def cypher_route(driver: Driver, a: str, b: str, max_depth: int) -> int | None:
    """The length of a shortest route by Cypher's ``SHORTEST 1``, or ``None``."""
    query = _SHORTEST % max_depth
    types, gone = sorted(vocabulary().relationship_types), sorted(GONE)

    def work(tx: ManagedTransaction) -> int | None:
        row = tx.run(query, a=a, b=b, types=types, gone=gone).single()
        return None if row is None else int(row["hops"])

    with driver.session() as session:
        return session.execute_read(work)


def neo4j(store: GraphStore, driver: Driver, work: Workload) -> list[Result]:
    """The Neo4j store's traversals against hand-written Cypher with the driver."""
    types = sorted(vocabulary().relationship_types)
    cypher_enablers(driver, work.starts[0], DEPTH)  # warm both query plans
    enablers(store, work.starts[0], DEPTH)
    mine_e = _timed_answers(
        lambda s: {link.organization.id for link in enablers(store, s, DEPTH)},
        work.starts,
        work.budget,
    )
    theirs_e = _timed_answers(
        lambda s: cypher_enablers(driver, s, DEPTH), work.starts[: len(mine_e[1])]
    )
    mine_r = _timed_answers(
        lambda p: _route_length(shortest_routes(store, p[0], p[1], work.route_depth, types)),
        work.pairs,
        work.budget,
    )
    theirs_r = _timed_answers(
        lambda p: cypher_route(driver, p[0], p[1], work.route_depth), work.pairs[: len(mine_r[1])]
    )
    target = f"<= {RATIO:g}x hand-written Cypher, same answers"
    routes = f"neo4j shortest_routes max_depth {work.route_depth}"
    return [
        _compare(f"neo4j enablers depth {DEPTH}", mine_e, theirs_e, target, len(work.starts)),
        _compare(routes, mine_r, theirs_r, target, len(work.pairs)),
    ]
