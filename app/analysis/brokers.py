"""Brokers: the organisations that hold the ecosystem together, and those joining two movements.

The brief's "Ways forward" asks for conceptual, strategic and practical links between diverse
organisations, and its "Gaps in trade union support" section describes a history of difficult
relations between the labour and SSE movements. Three measures find who links them:

- betweenness centrality (Freeman 1977), the share of shortest paths between other
  organisations that pass through one, computed with Brandes' algorithm (Brandes 2001;
  Brandes 2008 for its variants), or on large graphs estimated from a seeded sample of
  source pivots (Brandes and Pich 2007), each path's share weighed by how far along it the
  organisation lies so that organisations near a pivot are not overrated: the linear
  scaling of Geisberger, Sanders and Schultes (2008, "Better Approximation of Betweenness
  Centrality"). Both run in NetworKit's compiled code (Staudt, Sazonovs and Meyerhenke
  2016), on a copy of the graph made once per snapshot; networkx stays the engine elsewhere;
- Burt's constraint (Burt 1992), low when an organisation's contacts are not themselves
  tied, so that it spans a structural hole;
- bridges: organisations tied both to the labour movement and to the SSE movement.

All run on the snapshot's undirected graph: a tie of any type counts once, either way.

A broker rests on an inference (:mod:`app.analysis.inference`) when the organisation or one
of its own ties does: its constraint is made of those ties. Its betweenness depends on ties
anywhere in the graph; ``basis=stated`` gives the ranking with no inferred tie at all. A bridge
rests on an inference when the organisation, one of the organisations it is said to be tied
to (whose movement makes it a bridge), or a tie between them does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app.analysis.inference import inferred_records, ties_of
from app.analysis.snapshot import Snapshot

EXACT_LIMIT = 1000
"""Graphs with at most this many organisations get exact betweenness."""
PIVOTS = 500
"""The most source pivots drawn for betweenness on larger graphs."""
MIN_PIVOTS = 32
"""The fewest pivots drawn, however large the graph."""
PIVOT_WORK = 35_000_000
"""Organisations plus ties visited by all sampled passes together, which bounds a first call
(NetworKit's passes covered about 7 million a second on a 2-core machine with other work
running: 5 s for 100 pivots at 100k organisations with 250k ties): 500 pivots at 10k
organisations with 30k ties, 100 at 100k, 32 from a million organisations and ties on."""
SEED = 204
"""Seed of the pivot draw, fixed so a repeated call gives the same estimate."""

_SETTINGS = threading.Lock()
"""NetworKit keeps its random seed and its number of threads outside each call: one
computation at a time sets them and runs."""


@dataclass(frozen=True)
class Betweenness:
    """Normalised betweenness of every organisation, and how it was computed.

    ``sample_size`` is the number of source pivots drawn (at random, with replacement, so
    one may come twice): every organisation when ``exact``.
    """

    exact: bool
    sample_size: int
    scores: dict[str, float]


@dataclass(frozen=True)
class Broker:
    """An organisation with its betweenness and Burt's constraint (lower spans more holes),
    and whether it rests on an inference (which of its records do, by id)."""

    organization: str
    betweenness: float
    constraint: float
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bridge:
    """An organisation tied to labour-movement and SSE-movement organisations at once.

    ``score`` is the number of such ties: ``len(labour) + len(sse)``.
    """

    organization: str
    labour: tuple[str, ...]
    sse: tuple[str, ...]
    score: int
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brokerage:
    """The top brokers by betweenness, with constraint, and every bridge between movements."""

    exact: bool
    sample_size: int
    brokers: tuple[Broker, ...]
    bridges: tuple[Bridge, ...]


def betweenness(
    snapshot: Snapshot,
    *,
    exact_limit: int = EXACT_LIMIT,
    pivots: int = PIVOTS,
    seed: int = SEED,
) -> Betweenness:
    """Normalised betweenness centrality (Freeman 1977) on the undirected graph.

    Exact (Brandes 2001) up to ``exact_limit`` organisations, or when the pivots would number
    as many as the organisations; above it, estimated from ``k`` source pivots drawn with
    ``seed`` (:func:`estimated`): as many as ``PIVOT_WORK`` allows for the graph's size, at
    least ``MIN_PIVOTS`` and at most ``pivots`` (two or more).
    """
    if pivots < 2:
        raise ValueError("betweenness is estimated from two pivots or more")
    graph = snapshot.undirected
    n = graph.number_of_nodes()
    affordable = max(MIN_PIVOTS, PIVOT_WORK // max(n + graph.number_of_edges(), 1))
    k = min(pivots, affordable)
    exact = n <= exact_limit or k >= n
    nodes = list(graph)
    engine = _engine(graph, nodes)
    raw = exact_scores(engine) if exact else estimated(engine, k, seed)
    return Betweenness(
        exact=exact,
        sample_size=n if exact else k,
        scores={node: float(score) for node, score in zip(nodes, raw, strict=True)},
    )


def _engine(graph: nx.Graph, nodes: list[str]) -> Any:
    """NetworKit's copy of ``graph``, the organisation ``nodes[i]`` as its node ``i``.

    NetworKit is imported here, not with the module: it takes about a second to load, which
    every command line call would pay.
    """
    import networkit

    index = {node: position for position, node in enumerate(nodes)}
    engine = networkit.Graph(len(nodes))
    for a, b in graph.edges():
        engine.addEdge(index[a], index[b])
    return engine


def exact_scores(engine: Any) -> list[float]:
    """Every node's betweenness by Brandes' algorithm, normalised as networkx normalises an
    undirected graph's (over the ``(n - 1)(n - 2) / 2`` pairs of other nodes); zero for all
    when there are fewer than three nodes, so that no pair has a middle.

    The passes run on one thread: NetworKit shares sources out among threads as they come
    free and adds up each thread's sums, so that over several threads the last digit of a
    score can change from one call to the next.
    """
    import networkit

    if engine.numberOfNodes() < 3:
        return [0.0] * engine.numberOfNodes()
    with _SETTINGS:
        threads = networkit.getMaxNumberOfThreads()
        networkit.setNumberOfThreads(1)
        try:
            run = networkit.centrality.Betweenness(engine, normalized=True)
            run.run()
        finally:
            networkit.setNumberOfThreads(threads)
    return list(run.scores())


def estimated(engine: Any, k: int, seed: int) -> list[float]:
    """Every node's betweenness estimated from ``k`` source pivots drawn with ``seed``.

    NetworKit's ``EstimateBetweenness`` (Geisberger, Sanders and Schultes 2008) draws sources
    uniformly, with replacement, and from each ``s`` adds to a node ``v`` on a shortest path to
    ``t`` that path's share of the ``s``-``t`` paths times ``d(s, v) / d(s, t)``. From both
    ends the two weights of a pair add up to one, so over every source the sum is each pair
    counted once, and ``2n / k`` times the sum over ``k`` drawn sources estimates, without
    bias, the ordered-pair count that networkx normalises. NetworKit 11.3 draws one source more
    than it is asked for but scales by the number asked: asked for ``k - 1``, it draws ``k``,
    and its scores are rescaled here by ``(k - 1) / k``. The draw happens before the parallel
    passes, which share the sources out in fixed blocks, one per thread, and each thread's
    sums are added in a fixed order: a seed gives one answer.
    """
    import networkit

    with _SETTINGS:
        networkit.engineering.setSeed(seed, False)
        run = networkit.centrality.EstimateBetweenness(engine, k - 1, True, True)
        run.run()
    asked = (k - 1) / k
    return [score * asked for score in run.scores()]


def constraint(snapshot: Snapshot, organizations: Iterable[str]) -> dict[str, float]:
    """Burt's (1992) constraint of each organisation in ``organizations`` that has a tie.

    On an unweighted undirected graph each contact ``j`` of ``i`` takes the share
    ``p_ij = 1 / deg(i)`` of its ties, and ``c_i = sum_j (p_ij + sum_q p_iq p_qj) ** 2`` over
    contacts ``j`` and over the contacts ``q`` that ``i`` and ``j`` share: the value of
    ``networkx.constraint``, in ``sum_j min(deg i, deg j)`` steps rather than ``deg(i) ** 3``
    (hours for a hub of a few thousand ties). Relationships never tie an organisation to
    itself, so there are no loops to discount. Organisations without ties have no contacts
    to be constrained by and are left out.
    """
    graph = snapshot.undirected
    held: dict[str, float] = {}
    for org in organizations:
        contacts = set(graph[org])
        if not contacts:
            continue
        share = 1 / len(contacts)
        total = 0.0
        for contact in contacts:
            shared = contacts.intersection(graph[contact])
            indirect = sum(share / len(graph[q]) for q in shared)
            total += (share + indirect) ** 2
        held[org] = total
    return held


def bridges(snapshot: Snapshot) -> tuple[Bridge, ...]:
    """Organisations with ties to both movements the brief wants to join, by score then id.

    An organisation's own movement does not matter: UNISOL (SSE) tied to CUT (labour) and to
    waste picker cooperatives (SSE) bridges them as much as an NGO would.
    """
    found = []
    for org_id in sorted(snapshot.organizations):
        labour = _tied(snapshot, org_id, "labour")
        sse = _tied(snapshot, org_id, "sse") if labour else ()  # no labour tie: no bridge
        if labour and sse:
            others = (*labour, *sse)
            inferred = inferred_records(
                snapshot,
                [
                    snapshot.organizations[org_id],
                    *(snapshot.organizations[o] for o in others),
                    *ties_of(snapshot, org_id, others),
                ],
            )
            score = len(labour) + len(sse)
            found.append(Bridge(org_id, labour, sse, score, bool(inferred), inferred))
    return tuple(sorted(found, key=lambda b: (-b.score, b.organization)))


def brokers(
    snapshot: Snapshot,
    *,
    top: int = 20,
    exact_limit: int = EXACT_LIMIT,
    pivots: int = PIVOTS,
    seed: int = SEED,
    between: Betweenness | None = None,
) -> Brokerage:
    """The ``top`` organisations with positive betweenness, with constraint, and the bridges.

    Brokers are ordered by betweenness (highest first, to 12 decimal places so that float
    noise cannot reorder equal scores), then id. ``between``, when given, is the snapshot's
    betweenness already computed.
    """
    if between is None:
        between = betweenness(snapshot, exact_limit=exact_limit, pivots=pivots, seed=seed)
    ranked = sorted(
        (o for o, score in between.scores.items() if score > 0),
        key=lambda o: (-round(between.scores[o], 12), o),
    )[:top]
    held = constraint(snapshot, ranked)
    return Brokerage(
        exact=between.exact,
        sample_size=between.sample_size,
        brokers=tuple(_broker(snapshot, o, between.scores[o], held[o]) for o in ranked),
        bridges=bridges(snapshot),
    )


def _broker(snapshot: Snapshot, organization_id: str, score: float, held: float) -> Broker:
    """A broker, marked by the module's rule: its organisation and its own ties."""
    own = ties_of(snapshot, organization_id, snapshot.undirected[organization_id])
    inferred = inferred_records(snapshot, [snapshot.organizations[organization_id], *own])
    return Broker(organization_id, score, held, bool(inferred), inferred)


def shared_brokers(snapshot: Snapshot, top: int) -> Brokerage:
    """:func:`brokers` through the snapshot's memo: betweenness, the costly part, is computed
    once per snapshot whatever ``top``, and each ``top`` then costs its constraints only."""
    between = snapshot.remember("betweenness", lambda: betweenness(snapshot))
    return snapshot.remember(f"brokers {top}", lambda: brokers(snapshot, top=top, between=between))


def _tied(snapshot: Snapshot, organization_id: str, movement: str) -> tuple[str, ...]:
    """The organisations of ``movement`` tied to ``organization_id``, by id."""
    tied = snapshot.undirected[organization_id]
    return tuple(sorted(n for n in tied if snapshot.organizations[n].movement == movement))
