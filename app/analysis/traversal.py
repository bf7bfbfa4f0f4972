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

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from itertools import pairwise, product
from typing import Literal

from app.domain.errors import InvalidQuery, NotFound
from app.domain.evidence import Weighing, weigh
from app.domain.models import Organization, Relationship, Source
from app.domain.timeline import founded_by, relationship_in_force
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


def _counted(rel: Relationship, as_of: int | None, weighing: Weighing) -> Relationship | None:
    """The tie as ``weighing`` sees it, if it counts and is in force in ``as_of``."""
    weighed = weigh(rel, weighing)
    return weighed if weighed is not None and relationship_in_force(weighed, as_of) else None


def _present(orgs: list[Organization], as_of: int | None, weighing: Weighing) -> list[Organization]:
    """The organisations ``weighing`` counts that had been founded by ``as_of``; one reached
    through a tie in force is there, whatever the date of its own evidence."""
    weighed = (weigh(o, weighing) for o in orgs)
    return [o for o in weighed if o is not None and founded_by(o, as_of)]


def _start(store: GraphStore, organization_id: str) -> Organization:
    found = store.get_organizations([organization_id])
    if not found:
        raise NotFound("organization", organization_id)
    return found[0]


def _walk(
    store: GraphStore,
    start: str,
    depth: int,
    as_of: int | None,
    upstream: bool,
    weighing: Weighing = "any",
) -> list[Link]:
    """Follow enabling ties from ``start`` for up to ``depth`` hops, against or along them.

    Upstream finds enablers (ties pointing into the chain); downstream finds whom ``start``
    reaches. Each organisation keeps its shortest chain; among equally short ones, the one
    whose next organisation id (then relationship id) sorts first, so answers are stable.
    """
    origin = _start(store, start)
    if not _present([origin], as_of, weighing):
        return []
    types = vocabulary().enabling_types
    chains: dict[str, list[Relationship]] = {start: []}
    reached: dict[str, Organization] = {}
    frontier = [start]
    for _ in range(depth):
        ties = store.adjacent(frontier, types, "in" if upstream else "out")
        best: dict[str, Relationship] = {}
        for rel in (r for r in (_counted(t, as_of, weighing) for t in ties) if r):
            new, known = (rel.source, rel.target) if upstream else (rel.target, rel.source)
            if new in chains or known not in chains:
                continue
            if new not in best or (known, rel.id) < _near_end(best[new], upstream):
                best[new] = rel
        orgs = _present(store.get_organizations(best), as_of, weighing)
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
    store: GraphStore,
    organization_id: str,
    depth: int,
    as_of: int | None = None,
    weighing: Weighing = "any",
) -> list[Link]:
    """Every organisation that enables ``organization_id`` within ``depth`` enabling ties.

    Nearest first, then by id; each with its chain (enabler first), the mechanisms of the
    enabler's own tie, the sources along the chain, and whether it is a direct or an
    indirect enabling partner in the brief's sense. ``weighing="stated"`` follows only ties
    that rest on what a source says (:func:`app.domain.evidence.weigh`).
    """
    return _walk(store, organization_id, depth, as_of, upstream=True, weighing=weighing)


def enabled(
    store: GraphStore,
    organization_id: str,
    depth: int,
    as_of: int | None = None,
    weighing: Weighing = "any",
) -> list[Link]:
    """Every organisation that ``organization_id`` enables within ``depth`` enabling ties."""
    return _walk(store, organization_id, depth, as_of, upstream=False, weighing=weighing)


def shortest_routes(
    store: GraphStore,
    start: str,
    end: str,
    max_depth: int,
    types: Collection[str],
    as_of: int | None = None,
    limit: int = 20,
    weighing: Weighing = "any",
) -> list[Route]:
    """The shortest connections from ``start`` to ``end`` over ties of ``types``, either way.

    All routes of the shortest length (at most ``max_depth`` ties), sorted by their
    organisation ids then relationship ids, the first ``limit`` of them; none if unconnected.
    The search is bidirectional: it grows whichever side has the smaller frontier, so a hub
    near one end is crossed once instead of being expanded layer after layer.
    """
    finish = _start(store, end)
    if not _present([_start(store, start)], as_of, weighing):
        return []
    if start == end:
        return [Route(organizations=[start], relationships=[])]
    if not _present([finish], as_of, weighing):
        return []
    ahead, behind = _Side(start, as_of, weighing), _Side(end, as_of, weighing)
    while ahead.depth + behind.depth < max_depth:
        side, other = (
            (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        )
        reached = side.grow(store, types)
        if sum(len(s.parents) for s in (ahead, behind)) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        met = [node for node in reached if node in other.parents]
        if met:
            nearest = min(other.distance[node] for node in met)
            meeting = {node for node in met if other.distance[node] == nearest}
            return _routes(ahead, behind, meeting, limit)
        if not reached:
            break
    return []


class _Side:
    """One end of a bidirectional breadth-first search: distances and every BFS parent."""

    def __init__(self, origin: str, as_of: int | None, weighing: Weighing) -> None:
        self.origin = origin
        self.as_of = as_of
        self.weighing: Weighing = weighing
        self.depth = 0
        self.frontier = [origin]
        self.distance = {origin: 0}
        self.parents: dict[str, list[tuple[str, Relationship]]] = {origin: []}

    def grow(self, store: GraphStore, types: Collection[str]) -> list[str]:
        """Add the next layer (organisations one counted tie further, there in ``as_of``)."""
        near = set(self.frontier)
        layer: dict[str, list[tuple[str, Relationship]]] = {}
        ties = store.adjacent(self.frontier, types, "both")
        for rel in (r for r in (_counted(t, self.as_of, self.weighing) for t in ties) if r):
            for here, there in ((rel.source, rel.target), (rel.target, rel.source)):
                if here in near and there not in self.parents:
                    layer.setdefault(there, []).append((here, rel))
        found = store.get_organizations(layer)
        self.depth += 1
        self.frontier = sorted(o.id for o in _present(found, self.as_of, self.weighing))
        for node in self.frontier:
            self.distance[node] = self.depth
            self.parents[node] = layer[node]
        return self.frontier


def _routes(ahead: _Side, behind: _Side, meeting: set[str], limit: int) -> list[Route]:
    """The first ``limit`` shortest routes through ``meeting``, in (organisations, ties) order.

    Walking from the start and always taking the smallest next organisation lists the
    organisation sequences in order; each sequence's ties are then taken in order too.
    """
    steps: dict[str, dict[str, list[Relationship]]] = {}
    _chart(ahead, meeting, steps, from_origin=True)
    _chart(behind, meeting, steps, from_origin=False)
    routes: list[Route] = []
    for organizations in _sequences(steps, [ahead.origin], behind.origin):
        hops = [sorted(steps[a][b], key=lambda r: r.id) for a, b in pairwise(organizations)]
        for ties in product(*hops):
            routes.append(Route(organizations=list(organizations), relationships=list(ties)))
            if len(routes) == limit:
                return routes
    return routes


def _chart(
    side: _Side,
    meeting: set[str],
    steps: dict[str, dict[str, list[Relationship]]],
    from_origin: bool,
) -> None:
    """Add to ``steps`` every tie of the side's shortest chains between its origin and
    ``meeting``, each pointing from the start of the search towards its end."""
    wanted, seen = sorted(meeting), set(meeting)
    while wanted:
        node = wanted.pop()
        for other, rel in side.parents[node]:
            near, far = (other, node) if from_origin else (node, other)
            steps.setdefault(near, {}).setdefault(far, []).append(rel)
            if other not in seen:
                seen.add(other)
                wanted.append(other)


def _sequences(
    steps: dict[str, dict[str, list[Relationship]]], head: list[str], end: str
) -> Iterator[list[str]]:
    """Every organisation sequence from ``head`` to ``end`` along ``steps``, smallest first."""
    if head[-1] == end:
        yield head
        return
    for nxt in sorted(steps.get(head[-1], {})):
        yield from _sequences(steps, [*head, nxt], end)
