"""Who enables whom, and how two organisations connect: breadth-first traversals of the store.

The store reads what a traversal needs in one transaction, natively (Cypher on Neo4j,
dictionary lookups on the embedded store): everything a walk of some depth from one
organisation reads (``GraphStore.reach``), or every shortest route between two
(``GraphStore.routes``). The choice of chain, the order and the limit are made here, once,
so that both backends give the same answer.

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

from app.domain.errors import InvalidQuery
from app.domain.evidence import Weighing, weigh
from app.domain.models import Organization, Relationship, Source
from app.domain.timeline import founded_by, relationship_in_force
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

Mode = Literal["direct", "indirect"]
MAX_VISITED = 200_000
"""Organisations one traversal may read before it is refused as too large."""


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


def _tie_counts(tie: Relationship, as_of: int | None, weighing: Weighing) -> bool:
    """Whether ``weighing`` counts ``tie`` and, as it sees it, the tie is in force in ``as_of``
    (:func:`_counted` of one tie)."""
    seen = tie if weighing == "any" else weigh(tie, weighing)
    return seen is not None and relationship_in_force(seen, as_of)


def _organization_counts(org: Organization, as_of: int | None, weighing: Weighing) -> bool:
    """Whether ``weighing`` counts ``org`` and it had been founded by ``as_of`` (:func:`_present`
    of one organisation)."""
    seen = org if weighing == "any" else weigh(org, weighing)
    return seen is not None and founded_by(seen, as_of)


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
    The store reads what the walk may need in one go (``GraphStore.reach``); the walk then
    skips what ``as_of`` and ``weighing`` do not count.
    """
    types = vocabulary().enabling_types
    ball = store.reach(start, types, "in" if upstream else "out", depth)
    if len(ball.organizations) > MAX_VISITED:
        raise InvalidQuery("depth", f"the traversal passed {MAX_VISITED} organisations")
    orgs = {o.id: o for o in ball.organizations}
    origin = orgs[start]
    if not _present([origin], as_of, weighing):
        return []
    leads: dict[str, list[Relationship]] = {}
    for rel in _counted(ball.relationships, as_of, weighing):
        leads.setdefault(rel.target if upstream else rel.source, []).append(rel)
    chains: dict[str, list[Relationship]] = {start: []}
    links: list[Link] = []
    frontier = [start]
    for _ in range(depth):
        best: dict[str, Relationship] = {}
        for known in frontier:
            for rel in leads.get(known, ()):
                new = rel.source if upstream else rel.target
                if new in chains:
                    continue
                if new not in best or (known, rel.id) < _near_end(best[new], upstream):
                    best[new] = rel
        found = _present([orgs[i] for i in sorted(best)], as_of, weighing)
        for org in found:  # ordered by id, so links come nearest first, then by id
            rel = best[org.id]
            known = rel.target if upstream else rel.source
            chain = chains[org.id] = [rel, *chains[known]] if upstream else [*chains[known], rel]
            links.append(_link(org, chain, org if upstream else origin))
        frontier = [o.id for o in found]
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

    All routes of the shortest length (at most ``max_depth`` ties) over ties and organisations
    counted in ``as_of`` by ``weighing``, sorted by their organisation ids then relationship
    ids, the first ``limit`` of them; none if unconnected. The store finds every shortest
    route at once, or only the first ``limit`` (``GraphStore.routes``); they are listed here.
    """
    found = store.routes(
        start,
        end,
        types,
        max_depth,
        lambda tie: _tie_counts(tie, as_of, weighing),
        lambda org: _organization_counts(org, as_of, weighing),
        first=limit,
    )
    if not found.organizations:
        return []
    hops = found.distances
    steps: dict[str, dict[str, list[Relationship]]] = {}
    for rel in _counted(found.relationships, as_of, weighing):  # as ``weighing`` sees them
        near, far = rel.source, rel.target
        if hops[near] > hops[far]:
            near, far = far, near
        steps.setdefault(near, {}).setdefault(far, []).append(rel)
    routes: list[Route] = []
    for organizations in _sequences(steps, [start], end):
        # Walking from the start and always taking the smallest next organisation lists the
        # organisation sequences in order; each sequence's ties, in id order, are taken in
        # order too.
        choices = [steps[a][b] for a, b in pairwise(organizations)]
        for ties in product(*choices):
            routes.append(Route(organizations=list(organizations), relationships=list(ties)))
            if len(routes) == limit:
                return routes
    return routes


def _sequences(
    steps: dict[str, dict[str, list[Relationship]]], head: list[str], end: str
) -> Iterator[list[str]]:
    """Every organisation sequence from ``head`` to ``end`` along ``steps``, smallest first."""
    if head[-1] == end:
        yield head
        return
    for nxt in sorted(steps.get(head[-1], {})):
        yield from _sequences(steps, [*head, nxt], end)
