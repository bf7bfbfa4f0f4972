"""Who enables whom, and how two organisations connect: breadth-first traversals of the store.

Each hop is one ``GraphStore.adjacent`` call, so the traversal runs natively on either
backend (a Cypher query on Neo4j, dictionary lookups on the embedded store) and the choice
of path is made here, once, so that both backends give the same answer.

The brief ("A broad ecosystem of support") tells direct enabling partners — movement actors
that facilitate and support collective action — from indirect ones — funders, institutions,
education bodies. An enabler here also has a reach: one relationship away (``direct``) or
through intermediaries (``indirect``), such as a funder of an enabling partner.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from app.domain.errors import InvalidQuery, NotFound
from app.domain.models import Organization, Relationship, Source
from app.domain.timeline import organization_exists, relationship_in_force
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

Mode = Literal["direct", "indirect"]
MAX_VISITED = 200_000
"""Organisations one traversal may visit before it is refused as too large."""


@dataclass(frozen=True)
class Link:
    """An organisation reached from a start, with the chain of relationships between them."""

    organization: Organization
    hops: int
    reach: Mode
    partner_mode: Mode
    path: list[str]
    relationships: list[Relationship]
    mechanisms: list[str]
    sources: list[Source]


@dataclass(frozen=True)
class Route:
    """One shortest connection between two organisations."""

    organizations: list[str]
    relationships: list[Relationship]


def partner_mode(enabler: Organization, first: Relationship) -> Mode:
    """The brief's direct/indirect enabling partner: the ENABLES tie's own mode, else by type."""
    if first.type == "ENABLES" and first.mode in ("direct", "indirect"):
        return "direct" if first.mode == "direct" else "indirect"
    return "indirect" if enabler.type in vocabulary().indirect_enabler_types else "direct"


def _sources(relationships: list[Relationship]) -> list[Source]:
    seen: list[Source] = []
    for rel in relationships:
        seen += [s for s in rel.sources if s not in seen]
    return seen


def _start(store: GraphStore, organization_id: str) -> Organization:
    found = store.get_organizations([organization_id])
    if not found:
        raise NotFound("organization", organization_id)
    return found[0]


def _walk(
    store: GraphStore, start: str, depth: int, as_of: int | None, upstream: bool
) -> list[Link]:
    """Follow enabling ties from ``start`` for up to ``depth`` hops, against or along them.

    Upstream finds enablers (ties pointing into the chain); downstream finds whom ``start``
    reaches. Each organisation keeps its shortest chain; among equally short ones, the one
    whose next organisation id (then relationship id) sorts first, so answers are stable.
    """
    origin = _start(store, start)
    if not organization_exists(origin, as_of):
        return []
    types = vocabulary().enabling_types
    chains: dict[str, list[Relationship]] = {start: []}
    reached: dict[str, Organization] = {}
    frontier = [start]
    for _ in range(depth):
        ties = store.adjacent(frontier, types, "in" if upstream else "out")
        best: dict[str, Relationship] = {}
        for rel in ties:
            if not relationship_in_force(rel, as_of):
                continue
            new, known = (rel.source, rel.target) if upstream else (rel.target, rel.source)
            if new in chains or known not in chains:
                continue
            if new not in best or (known, rel.id) < _near_end(best[new], upstream):
                best[new] = rel
        orgs = [o for o in store.get_organizations(best) if organization_exists(o, as_of)]
        for org in orgs:
            rel = best[org.id]
            known = rel.target if upstream else rel.source
            chains[org.id] = [rel, *chains[known]] if upstream else [*chains[known], rel]
            reached[org.id] = org
        if len(chains) > MAX_VISITED:
            raise InvalidQuery("depth", f"the traversal passed {MAX_VISITED} organisations")
        frontier = sorted(o.id for o in orgs)
        if not frontier:
            break
    ordered = sorted(reached.values(), key=lambda o: (len(chains[o.id]), o.id))
    return [_link(org, chains[org.id], org if upstream else origin) for org in ordered]


def _near_end(rel: Relationship, upstream: bool) -> tuple[str, str]:
    return (rel.target, rel.id) if upstream else (rel.source, rel.id)


def _link(org: Organization, chain: list[Relationship], enabler: Organization) -> Link:
    """A reached organisation; ``chain`` runs from the enabler's own tie onwards."""
    return Link(
        organization=org,
        hops=len(chain),
        reach="direct" if len(chain) == 1 else "indirect",
        partner_mode=partner_mode(enabler, chain[0]),
        path=[r.source for r in chain] + [chain[-1].target],
        relationships=chain,
        mechanisms=list(chain[0].mechanisms),
        sources=_sources(chain),
    )


def enablers(
    store: GraphStore, organization_id: str, depth: int, as_of: int | None = None
) -> list[Link]:
    """Every organisation that enables ``organization_id`` within ``depth`` enabling ties.

    Nearest first, then by id; each with its chain (enabler first), the mechanisms of the
    enabler's own tie, the sources along the chain, and whether it is a direct or an
    indirect enabling partner in the brief's sense.
    """
    return _walk(store, organization_id, depth, as_of, upstream=True)


def enabled(
    store: GraphStore, organization_id: str, depth: int, as_of: int | None = None
) -> list[Link]:
    """Every organisation that ``organization_id`` enables within ``depth`` enabling ties."""
    return _walk(store, organization_id, depth, as_of, upstream=False)


def shortest_routes(
    store: GraphStore,
    start: str,
    end: str,
    max_depth: int,
    types: Collection[str],
    as_of: int | None = None,
    limit: int = 20,
) -> list[Route]:
    """The shortest connections from ``start`` to ``end`` over ties of ``types``, either way.

    All routes of the shortest length (at most ``max_depth`` ties), sorted by their
    organisation ids then relationship ids, at most ``limit`` of them; none if unconnected.
    """
    _start(store, end)
    if not organization_exists(_start(store, start), as_of):
        return []
    if start == end:
        return [Route(organizations=[start], relationships=[])]
    parents: dict[str, list[tuple[str, Relationship]]] = {start: []}
    frontier = [start]
    for _ in range(max_depth):
        layer: dict[str, list[tuple[str, Relationship]]] = {}
        for rel in store.adjacent(frontier, types, "both"):
            if not relationship_in_force(rel, as_of):
                continue
            for near, far in ((rel.source, rel.target), (rel.target, rel.source)):
                if near in frontier and far not in parents:
                    layer.setdefault(far, []).append((near, rel))
        present = {o.id for o in store.get_organizations(layer) if organization_exists(o, as_of)}
        for node in present:
            parents[node] = sorted(layer[node], key=lambda pair: (pair[0], pair[1].id))
        if len(parents) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        if end in present:
            return sorted(_unwind(parents, start, end, limit), key=_route_key)[:limit]
        frontier = sorted(present)
        if not frontier:
            break
    return []


def _unwind(
    parents: dict[str, list[tuple[str, Relationship]]], start: str, node: str, limit: int
) -> list[Route]:
    """Every route from ``start`` to ``node`` through the BFS parents (at most ``limit``)."""
    if node == start:
        return [Route(organizations=[start], relationships=[])]
    routes: list[Route] = []
    for parent, rel in parents[node]:
        for head in _unwind(parents, start, parent, limit):
            routes.append(Route([*head.organizations, node], [*head.relationships, rel]))
            if len(routes) >= limit:
                return routes
    return routes


def _route_key(route: Route) -> tuple[list[str], list[str]]:
    return route.organizations, [r.id for r in route.relationships]
