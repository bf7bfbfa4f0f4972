"""Traversals through the store against the same question asked of the engine directly.

    .venv/bin/python bench/run.py --orgs 10000 --only traversal

``enablers(store, id, depth=3)`` and ``shortest_routes(store, a, b, max_depth, types)`` on
random organisations and pairs (seeded).

On the embedded store the baselines are plain networkx on graphs built outside the timing,
as the store's own graph is: the relationships in force between organisations there now,
every type, each edge keyed by its relationship id and carrying the record (and each node its
organisation). Relationships in force and organisations there are chosen when the graphs are
built; the store checks them at every step, as it must for any year.

- enablers: a breadth-first search against enabling edges of a ``MultiDiGraph`` that keeps,
  for each organisation reached, its shortest chain (among equal ones, the one whose next
  organisation id, then relationship id, sorts first: the store's rule), the mechanisms of
  the enabler's own tie and the sources along the chain; every field is compared.
- one route: ``shortest_routes(..., limit=1)`` against ``nx.shortest_path`` on the undirected
  ``MultiGraph`` with one tie picked per hop; the route lengths are compared (either may pick
  another route of that length).
- every route: ``shortest_routes`` (limit 20) against the first 20 routes of
  ``nx.all_shortest_paths`` bounded by ``max_depth`` the same way: its breadth-first
  predecessor search (``nx.predecessor``) stops at ``max_depth`` and its own path builder
  lists the organisation sequences, each expanded into one route per choice of parallel tie
  (the store counts those as routes); route lengths and counts are compared.

On Neo4j the baseline is hand-written Cypher run with the driver, each query filtering what
the store counts now (ties ``active``, organisations not collapsed or dissolved) in Cypher:

- enablers: a breadth-first loop of one query per hop in one transaction, returning each
  enabler's record with the tie that reached it (its fields: mechanisms, sources), from
  which each enabler gets a shortest chain; enablers and hops are compared (the baseline
  breaks ties between equally short chains its own way, the store by ids). One
  ``ANY SHORTEST`` query from the organisation was tried as the baseline first (20,000
  organisations, 2026-12-05): 3 to 9 ms a query over the first 150 starts, but 695 ms on
  average over 500, so its time depends too much on the start to be a limit.
- routes: ``ALL SHORTEST`` between the two, ordered by (organisation ids, tie ids) and cut at
  the limit, each route with its ties' fields, compared route for route; and ``SHORTEST 1``,
  compared on the length.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from itertools import pairwise, product
from typing import Any

import networkx as nx
from common import Result, sample, say
from neo4j import Driver, ManagedTransaction
from networkx.algorithms.shortest_paths.generic import _build_paths_from_predecessors

from app.analysis.traversal import Link, Route, enablers, shortest_routes
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.timeline import GONE, organization_exists, relationship_in_force
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

DEPTH = 3
ROUTES = 20
"""Routes listed per pair when all of them are asked for (the store's default limit)."""
RATIO = 5.0
"""Embedded traversals: at most this many times networkx's time for the same answer."""
NEO4J_RATIO = 3.0
WARM = 20
"""Questions each engine answers on Neo4j before the timing: the server plans a statement
anew for each shape of its parameters (an empty list or not, say), and fills its caches."""


@dataclass(frozen=True)
class Graphs:
    """The baseline's graphs: every tie in force, directed and undirected, records attached."""

    directed: nx.MultiDiGraph
    undirected: nx.MultiGraph

    @classmethod
    def of(cls, document: Document) -> Graphs:
        """The graphs of the organisations that exist now and the relationships in force."""
        present = {o.id: o for o in document.organizations if organization_exists(o, None)}
        live = [
            (r.source, r.target, r.id, {"record": r})
            for r in document.relationships
            if relationship_in_force(r, None) and r.source in present and r.target in present
        ]
        directed = nx.MultiDiGraph()
        directed.add_nodes_from((i, {"record": o}) for i, o in present.items())
        directed.add_edges_from(live)
        undirected = nx.MultiGraph()
        undirected.add_nodes_from(present)
        undirected.add_edges_from(live)
        return cls(directed, undirected)


@dataclass(frozen=True)
class Workload:
    """The seeded starts and pairs every engine answers."""

    starts: list[str]
    pairs: list[tuple[str, str]]
    route_depth: int
    budget: float
    """Seconds each engine may spend on each kind before the rest of the questions are
    dropped; both are then compared on the questions both answered."""


def workload(
    document: Document, count: int, route_depth: int, seed: int, budget: float
) -> Workload:
    """``count`` random organisations and ``count`` random pairs of distinct ones."""
    ids = [o.id for o in document.organizations]
    starts = sample(ids, count, seed)
    ends = sample(ids, 2 * count, seed + 1)
    pairs = [(a, b) for a, b in zip(ends[::2], ends[1::2], strict=True) if a != b]
    return Workload(starts, pairs[:count], route_depth, budget)


@dataclass(frozen=True)
class Timed:
    """The seconds each answered question took, and the answers, in question order."""

    seconds: list[float]
    answers: list[Any]


def _timed_answers(
    ask: Callable[[Any], Any], questions: Sequence[Any], budget: float = float("inf")
) -> Timed:
    """Answer questions in order until ``budget`` seconds are spent (at least one)."""
    seconds: list[float] = []
    answers: list[Any] = []
    started = time.perf_counter()
    for question in questions:
        before = time.perf_counter()
        answers.append(ask(question))
        seconds.append(time.perf_counter() - before)
        if time.perf_counter() - started > budget:
            break
    return Timed(seconds, answers)


@dataclass(frozen=True)
class Kind:
    """One kind of question: its label, target and how its answers are read."""

    label: str
    target: str
    ratio: float
    size: Callable[[Any], float]
    """The figure the row's note averages over answers (answer size, route length)."""
    size_name: str


def _compare(kind: Kind, mine: Timed, theirs: Timed, asked: int) -> Result:
    """A row for one traversal: mean times over the questions both answered, and how many
    normalised answers differ from the baseline's."""
    both = min(len(mine.answers), len(theirs.answers))
    cut = "" if both == asked else f" of {asked:,} asked, time budget spent"
    pairs = list(zip(mine.answers[:both], theirs.answers[:both], strict=True))
    mismatches = [i for i, (a, b) in enumerate(pairs) if a != b]
    for i in mismatches[:3]:
        print(f"  mismatch at query {i}: store {pairs[i][0]!r}, baseline {pairs[i][1]!r}")
    figure, baseline = (sum(t.seconds[:both]) / max(1, both) for t in (mine, theirs))
    mean = sum(kind.size(b) for _, b in pairs) / max(1, both)
    return say(
        Result(
            f"{kind.label} ({both:,} queries{cut}, {len(mismatches)} mismatches)",
            figure,
            baseline,
            "s",
            kind.target,
            figure <= kind.ratio * baseline and not mismatches,
            f"per query; {kind.size_name} {mean:.2f}",
        )
    )


Found = tuple[Organization, list[Relationship], list[str], list[Source]]
"""An enabler, its chain (enabler first), the mechanisms of its own tie, the chain's sources."""


def nx_enablers(
    graph: nx.MultiDiGraph, start: str, depth: int, types: Collection[str]
) -> list[Found]:
    """The enablers of ``start`` within ``depth`` ties of ``types``, by a breadth-first search
    against the edges of ``graph``, nearest first then by id, each with its fields.

    Each organisation keeps its shortest chain; among equally short ones, the one whose next
    organisation id (then relationship id) sorts first, as ``enablers`` documents.
    """
    if start not in graph:
        return []
    chains: dict[str, list[Relationship]] = {start: []}
    found: list[Found] = []
    frontier = [start]
    for _ in range(depth):
        best: dict[str, tuple[str, str, Relationship]] = {}
        for known in frontier:
            for new, ties in graph.pred[known].items():
                if new in chains:
                    continue
                for key, data in ties.items():
                    rel = data["record"]
                    if rel.type in types and (new not in best or (known, key) < best[new][:2]):
                        best[new] = (known, key, rel)
        frontier = sorted(best)
        for new in frontier:
            known, _, rel = best[new]
            chain = chains[new] = [rel, *chains[known]]
            sources = list(dict.fromkeys(s for r in chain for s in r.sources))
            found.append((graph.nodes[new]["record"], chain, list(rel.mechanisms), sources))
        if not frontier:
            break
    return found


def nx_route(graph: nx.MultiGraph, a: str, b: str, depth: int) -> list[Route]:
    """One shortest route by ``nx.shortest_path`` with the first tie of each hop, or none when
    there is none within ``depth`` ties."""
    try:
        nodes = nx.shortest_path(graph, a, b)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    if len(nodes) - 1 > depth:
        return []
    ties = [next(iter(graph[u][v].values()))["record"] for u, v in pairwise(nodes)]
    return [Route(organizations=nodes, relationships=ties)]


def nx_all_routes(graph: nx.MultiGraph, a: str, b: str, depth: int, limit: int) -> list[Route]:
    """The first ``limit`` routes of ``nx.all_shortest_paths`` with its predecessor search
    stopped at ``depth`` ties; each organisation sequence gives one route per choice of tie."""
    if a not in graph or b not in graph:
        return []
    pred = nx.predecessor(graph, a, cutoff=depth)
    if b not in pred:
        return []
    routes: list[Route] = []
    for nodes in _build_paths_from_predecessors({a}, b, pred):
        hops = [[t["record"] for t in graph[u][v].values()] for u, v in pairwise(nodes)]
        for ties in product(*hops):
            routes.append(Route(organizations=nodes, relationships=list(ties)))
            if len(routes) == limit:
                return routes
    return routes


def _fields(links: list[Link]) -> list[Found]:
    """The store's answer in the baseline's terms."""
    return [(k.organization, k.relationships, k.mechanisms, k.sources) for k in links]


def _shape(routes: list[Route]) -> tuple[int, int | None]:
    """How many routes, and how long the first is."""
    return len(routes), len(routes[0].relationships) if routes else None


def _length(routes: list[Route]) -> int | None:
    """How long the first route is."""
    return len(routes[0].relationships) if routes else None


def embedded(store: GraphStore, document: Document, work: Workload) -> list[Result]:
    """The embedded store's traversals against networkx on the same graph."""
    graphs = Graphs.of(document)
    types = sorted(vocabulary().relationship_types)
    enabling = vocabulary().enabling_types
    depth = work.route_depth
    store.counts()  # build the store's in-memory graph outside the timing, as networkx's is
    target = f"<= {RATIO:g}x networkx, same answers"
    mine_e = _timed_answers(lambda s: enablers(store, s, DEPTH), work.starts, work.budget)
    theirs_e = _timed_answers(
        lambda s: nx_enablers(graphs.directed, s, DEPTH, enabling),
        work.starts[: len(mine_e.answers)],
        work.budget,
    )
    mine_1 = _timed_answers(
        lambda p: shortest_routes(store, p[0], p[1], depth, types, limit=1),
        work.pairs,
        work.budget,
    )
    asked = work.pairs[: len(mine_1.answers)]
    theirs_1 = _timed_answers(
        lambda p: nx_route(graphs.undirected, p[0], p[1], depth), asked, work.budget
    )
    mine_all = _timed_answers(
        lambda p: shortest_routes(store, p[0], p[1], depth, types, limit=ROUTES),
        work.pairs,
        work.budget,
    )
    asked = work.pairs[: len(mine_all.answers)]
    theirs_all = _timed_answers(
        lambda p: nx_all_routes(graphs.undirected, p[0], p[1], depth, ROUTES), asked, work.budget
    )
    routes = f"embedded shortest_routes max_depth {depth}"
    return [
        _compare(
            Kind(
                f"embedded enablers depth {DEPTH}, every field against a networkx BFS",
                target,
                RATIO,
                len,
                "mean answer size",
            ),
            Timed(mine_e.seconds, [_fields(a) for a in mine_e.answers]),
            theirs_e,
            len(work.starts),
        ),
        _compare(
            Kind(
                f"{routes}, limit 1, against nx.shortest_path",
                target,
                RATIO,
                lambda a: a or 0,
                "mean route length",
            ),
            Timed(mine_1.seconds, [_length(a) for a in mine_1.answers]),
            Timed(theirs_1.seconds, [_length(a) for a in theirs_1.answers]),
            len(work.pairs),
        ),
        _compare(
            Kind(
                f"{routes}, limit {ROUTES}, against nx.all_shortest_paths cut at {depth}",
                target,
                RATIO,
                lambda a: a[0],
                "mean routes listed",
            ),
            Timed(mine_all.seconds, [_shape(a) for a in mine_all.answers]),
            Timed(theirs_all.seconds, [_shape(a) for a in theirs_all.answers]),
            len(work.pairs),
        ),
    ]


_UPSTREAM = """
UNWIND $frontier AS id
MATCH (e:Organization)-[r]->(:Organization {id: id})
WHERE type(r) IN $types AND r.status = 'active' AND NOT e.status IN $gone
RETURN e {.*} AS enabler, r {.*, type: type(r), source: e.id, target: id} AS tie
"""

_ROUTES = """
MATCH (a:Organization {id: $a}), (b:Organization {id: $b})
WHERE NOT a.status IN $gone AND NOT b.status IN $gone
MATCH p = %s (a)
  (()-[r WHERE r.status = 'active' AND type(r) IN $types]-
   (n:Organization WHERE NOT n.status IN $gone)){1,%d}
  (b)
WITH p
ORDER BY [n IN nodes(p) | n.id], [r IN relationships(p) | r.id]
LIMIT $limit
RETURN [n IN nodes(p) | n.id] AS organizations,
  [r IN relationships(p) |
   r {.*, type: type(r), source: startNode(r).id, target: endNode(r).id}] AS relationships
"""

CypherFound = tuple[str, int, list[str], list[str]]
"""An enabler's id, its hops, the mechanisms of its own tie and the chain's sources (JSON)."""
CypherRoute = tuple[list[str], list[str]]
"""A route's organisation ids and tie ids."""


def cypher_enablers(driver: Driver, start: str, depth: int) -> list[CypherFound]:
    """Every enabler within ``depth`` hops by a breadth-first loop of one query per hop in one
    transaction, nearest first then by id, each with a shortest chain (enabler first): the
    mechanisms of its own tie and the sources of the chain's ties, as the database holds
    them."""
    types, gone = sorted(vocabulary().enabling_types), sorted(GONE)

    def work(tx: ManagedTransaction) -> list[CypherFound]:
        first = tx.run("MATCH (o:Organization {id: $id}) RETURN o.status AS status", id=start)
        row = first.single()
        if row is None or row["status"] in GONE:
            return []
        chains: dict[str, list[dict[str, Any]]] = {start: []}
        found: list[CypherFound] = []
        frontier = [start]
        for hop in range(1, depth + 1):
            layer: dict[str, list[dict[str, Any]]] = {}
            for row in tx.run(_UPSTREAM, frontier=frontier, types=types, gone=gone):
                enabler, tie = row["enabler"]["id"], row["tie"]
                if enabler not in chains and enabler not in layer:
                    layer[enabler] = [tie, *chains[tie["target"]]]
            for enabler in sorted(layer):
                chain = chains[enabler] = layer[enabler]
                sources = list(dict.fromkeys(t["sources"] for t in chain))
                found.append((enabler, hop, chain[0]["mechanisms"], sources))
            frontier = sorted(layer)
            if not frontier:
                break
        return found

    with driver.session() as session:
        return session.execute_read(work)


def cypher_routes(
    driver: Driver, a: str, b: str, max_depth: int, limit: int, selector: str
) -> list[CypherRoute]:
    """The first ``limit`` routes of ``selector`` (``ALL SHORTEST`` or ``SHORTEST 1``), in
    (organisation ids, tie ids) order, each with its ties' fields."""
    query = _ROUTES % (selector, max_depth)
    types, gone = sorted(vocabulary().relationship_types), sorted(GONE)

    def work(tx: ManagedTransaction) -> list[CypherRoute]:
        rows = tx.run(query, a=a, b=b, types=types, gone=gone, limit=limit)
        return [(r["organizations"], [t["id"] for t in r["relationships"]]) for r in rows]

    with driver.session() as session:
        return session.execute_read(work)


def _route_ids(routes: list[Route]) -> list[CypherRoute]:
    """The store's routes as organisation ids and tie ids."""
    return [(r.organizations, [t.id for t in r.relationships]) for r in routes]


def _cypher_length(routes: list[CypherRoute]) -> int | None:
    """How long the first of the baseline's routes is."""
    return len(routes[0][1]) if routes else None


def _first_length(answer: int | list[CypherRoute] | None) -> int:
    """How long the first route of an answer read for comparison is (0 for none)."""
    if isinstance(answer, list):
        return _cypher_length(answer) or 0
    return answer or 0


def neo4j(store: GraphStore, driver: Driver, work: Workload) -> list[Result]:
    """The Neo4j store's traversals against hand-written Cypher with the driver."""
    types = sorted(vocabulary().relationship_types)
    depth = work.route_depth
    for start in work.starts[:WARM]:  # plans (one per shape of parameters) and caches
        cypher_enablers(driver, start, DEPTH)
        enablers(store, start, DEPTH)
    for a, b in work.pairs[:WARM]:
        for limit, selector in ((1, "ALL SHORTEST"), (ROUTES, "ALL SHORTEST"), (1, "SHORTEST 1")):
            cypher_routes(driver, a, b, depth, limit, selector)
        shortest_routes(store, a, b, depth, types)
    mine_e = _timed_answers(lambda s: enablers(store, s, DEPTH), work.starts, work.budget)
    theirs_e = _timed_answers(
        lambda s: cypher_enablers(driver, s, DEPTH), work.starts[: len(mine_e.answers)]
    )
    target = f"<= {NEO4J_RATIO:g}x hand-written Cypher, same answers"
    routes = f"neo4j shortest_routes max_depth {depth}"
    results = [
        _compare(
            Kind(
                f"neo4j enablers depth {DEPTH}, against a breadth-first Cypher loop with the "
                "same fields (enablers and hops compared)",
                target,
                NEO4J_RATIO,
                len,
                "mean answer size",
            ),
            Timed(
                mine_e.seconds,
                [[(k.organization.id, k.hops) for k in a] for a in mine_e.answers],
            ),
            Timed(theirs_e.seconds, [[(i, h) for i, h, _, _ in a] for a in theirs_e.answers]),
            len(work.starts),
        )
    ]
    for limit, selector, compared in (
        (1, "ALL SHORTEST", "ALL SHORTEST ... ORDER BY ... LIMIT 1"),
        (ROUTES, "ALL SHORTEST", f"ALL SHORTEST ... ORDER BY ... LIMIT {ROUTES}"),
        (1, "SHORTEST 1", "SHORTEST 1 (route lengths compared)"),
    ):
        kind = Kind(
            f"{routes}, limit {limit}, against {compared}",
            target,
            NEO4J_RATIO,
            _first_length,
            "mean route length",
        )
        results.append(_neo4j_routes(store, driver, work, kind, limit, selector))
    return results


def _neo4j_routes(
    store: GraphStore, driver: Driver, work: Workload, kind: Kind, limit: int, selector: str
) -> Result:
    """The store's first ``limit`` routes against ``cypher_routes`` with ``selector``: route
    for route, or on the length for ``SHORTEST 1`` (either may pick another route of it)."""
    types, depth = sorted(vocabulary().relationship_types), work.route_depth
    mine = _timed_answers(
        lambda p: shortest_routes(store, p[0], p[1], depth, types, limit=limit),
        work.pairs,
        work.budget,
    )
    theirs = _timed_answers(
        lambda p: cypher_routes(driver, p[0], p[1], depth, limit, selector),
        work.pairs[: len(mine.answers)],
    )
    mine_read: list[Any] = [_route_ids(a) for a in mine.answers]
    theirs_read: list[Any] = theirs.answers
    if selector == "SHORTEST 1":
        mine_read = [_length(a) for a in mine.answers]
        theirs_read = [_cypher_length(a) for a in theirs.answers]
    return _compare(
        kind, Timed(mine.seconds, mine_read), Timed(theirs.seconds, theirs_read), len(work.pairs)
    )
