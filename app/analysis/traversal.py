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
    """The sources of a chain, each once, in the order the chain first cites them."""
    return list(dict.fromkeys(s for rel in relationships for s in rel.sources))


def _counted(ties: list[Relationship], as_of: int | None, weighing: Weighing) -> list[Relationship]:
    """The ties ``weighing`` counts, as it sees them, that are in force in ``as_of``.

    Counting ``any`` fact leaves every record as it is, so the ties are only checked for
    being in force.
    """
    if weighing == "any":
        return [t for t in ties if relationship_in_force(t, as_of)]
    weighed = (weigh(t, weighing) for t in ties)
    return [t for t in weighed if t is not None and relationship_in_force(t, as_of)]


def _present(orgs: list[Organization], as_of: int | None, weighing: Weighing) -> list[Organization]:
    """The organisations ``weighing`` counts that had been founded by ``as_of``; one reached
    through a tie in force is there, whatever the date of its own evidence."""
    if weighing == "any":
        return [o for o in orgs if founded_by(o, as_of)]
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
    links: list[Link] = []
    frontier = [start]
    for _ in range(depth):
        ties = store.adjacent(frontier, types, "in" if upstream else "out")
        best: dict[str, Relationship] = {}
        for rel in _counted(ties, as_of, weighing):
            new, known = (rel.source, rel.target) if upstream else (rel.target, rel.source)
            if new in chains:
                continue
            if new not in best or (known, rel.id) < _near_end(best[new], upstream):
                best[new] = rel
        orgs = _present(store.get_organizations(best), as_of, weighing)
        for org in orgs:  # ordered by id, so links come nearest first, then by id
            rel = best[org.id]
            known = rel.target if upstream else rel.source
            chain = chains[org.id] = [rel, *chains[known]] if upstream else [*chains[known], rel]
            links.append(_link(org, chain, org if upstream else origin))
        if len(chains) > MAX_VISITED:
            raise InvalidQuery("depth", f"the traversal passed {MAX_VISITED} organisations")
        frontier = [o.id for o in orgs]
        if not frontier:
            break
    return links


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
    ends = {o.id: o for o in store.get_organizations([start, end])}
    for organization_id in (end, start):
        if organization_id not in ends:
            raise NotFound("organization", organization_id)
    if not _present([ends[start]], as_of, weighing):
        return []
    if start == end:
        return [Route(organizations=[start], relationships=[])]
    if not _present([ends[end]], as_of, weighing):
        return []
    ahead, behind = _Side(start, as_of, weighing), _Side(end, as_of, weighing)
    while ahead.depth + behind.depth < max_depth:
        side, other = (
            (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        )
        meeting = side.grow(store, types, other)
        if meeting:
            return _routes(ahead, behind, meeting, limit)
        if sum(len(s.parents) for s in (ahead, behind)) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        if not side.frontier:
            break
    return []


class _Side:
    """One end of a bidirectional breadth-first search: its last layer and every BFS parent."""

    def __init__(self, origin: str, as_of: int | None, weighing: Weighing) -> None:
        self.origin = origin
        self.as_of = as_of
        self.weighing: Weighing = weighing
        self.depth = 0
        self.frontier = [origin]
        self.parents: dict[str, list[tuple[str, Relationship]]] = {origin: []}

    def grow(self, store: GraphStore, types: Collection[str], other: _Side) -> set[str]:
        """Add the next layer (organisations one counted tie further, there in ``as_of``), or
        find where the two sides meet; returns the meeting organisations, if any.

        Until the sides meet they share no organisation, so a tie from this side's last layer
        reaches the other side only in the other's last layer (an organisation nearer the
        other origin would have been met earlier), whose organisations are known to be there.
        When one does, the rest of the new layer is not read: only the meeting organisations
        and their parents on this side are kept, which is all the routes need.
        """
        near, far, known = set(self.frontier), set(other.frontier), self.parents
        layer: dict[str, list[tuple[str, Relationship]]] = {}
        meeting: dict[str, list[tuple[str, Relationship]]] = {}
        ties = store.adjacent(self.frontier, types, "both")
        for rel in _counted(ties, self.as_of, self.weighing):
            # One end is in the frontier; a tie with both there reaches nothing new.
            here, there = rel.source, rel.target
            if here not in near:
                here, there = there, here
            if there in far:
                meeting.setdefault(there, []).append((here, rel))
            elif not meeting and there not in known:  # once they meet, no layer is read
                layer.setdefault(there, []).append((here, rel))
        self.depth += 1
        if meeting:
            self.parents.update(meeting)
            return set(meeting)
        found = _present(store.get_organizations(layer), self.as_of, self.weighing)
        self.frontier = [o.id for o in found]
        for node in self.frontier:
            self.parents[node] = layer[node]
        return set()


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
