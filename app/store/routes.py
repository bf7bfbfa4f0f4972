"""Shortest routes between two organisations by a bidirectional breadth-first search.

The embedded store answers ``GraphStore.routes`` with :func:`route_graph`, handing it the ties
and organisations of its in-memory graph; what the search finds is the set of every shortest
route, as the organisations and ties on any of them with each organisation's hops from the
start, from which a caller lists the routes in any order it likes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from app.domain.errors import InvalidQuery
from app.domain.models import Organization, Relationship
from app.store.protocol import Counted, Subgraph

MAX_VISITED = 200_000
"""Organisations one search may visit before it is refused as too large."""

Ties = Callable[[Collection[str]], list[Relationship]]
"""The ties of the wanted types with an end among these organisations, either way, in any
order; one with both ends among them may come twice."""
Organizations = Callable[[Collection[str]], list[Organization]]
"""The organisations among these ids, in the order of the ids."""


class _Side:
    """One end of the search: its last layer, and each organisation's hops and BFS parents."""

    def __init__(self, origin: str) -> None:
        self.depth = 0
        self.frontier = [origin]
        self.hops = {origin: 0}
        self.parents: dict[str, list[tuple[str, Relationship]]] = {origin: []}

    def grow(
        self,
        other: _Side,
        ties_of: Ties,
        organizations_of: Organizations,
        tie_counts: Counted[Relationship],
        organization_counts: Counted[Organization],
    ) -> list[str]:
        """Add the next layer (organisations one counted tie further, themselves counted), or
        find where the two sides meet; returns the meeting organisations, if any.

        Until the sides meet they share no organisation, so a tie from this side's last layer
        reaches the other side only in the other's last layer (an organisation nearer the
        other origin would have been met earlier), whose organisations are counted already.
        When one does, the rest of the new layer is not read: only the meeting organisations
        and their parents on this side are kept, which is all the routes need.
        """
        near, far = set(self.frontier), set(other.frontier)
        layer: dict[str, list[tuple[str, Relationship]]] = {}
        meeting: dict[str, list[tuple[str, Relationship]]] = {}
        for rel in ties_of(self.frontier):
            # One end is in the frontier; a tie with both there reaches nothing new.
            here, there = rel.source, rel.target
            if here not in near:
                here, there = there, here
            if there in far:
                if tie_counts(rel):
                    meeting.setdefault(there, []).append((here, rel))
            elif not meeting and there not in self.hops and tie_counts(rel):
                layer.setdefault(there, []).append((here, rel))
        self.depth += 1
        found = meeting or {
            o.id: layer[o.id] for o in organizations_of(layer) if organization_counts(o)
        }
        self.parents.update(found)
        self.hops.update((node, self.depth) for node in found)
        self.frontier = [] if meeting else list(found)
        return sorted(meeting)


def route_graph(
    start: Organization,
    end: Organization,
    max_depth: int,
    ties_of: Ties,
    organizations_of: Organizations,
    tie_counts: Counted[Relationship],
    organization_counts: Counted[Organization],
) -> Subgraph:
    """The organisations and ties of every shortest route from ``start`` to ``end``, as
    ``GraphStore.routes`` describes them (both ends known).

    The search grows whichever side has the smaller frontier, so a hub near one end is
    crossed once instead of being expanded layer after layer.
    """
    if not (organization_counts(start) and organization_counts(end)):
        return Subgraph([], [], {})
    if start.id == end.id:
        return Subgraph([start], [], {start.id: 0})
    ahead, behind = _Side(start.id), _Side(end.id)
    while ahead.depth + behind.depth < max_depth:
        side, other = (
            (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        )
        meeting = side.grow(other, ties_of, organizations_of, tie_counts, organization_counts)
        if meeting:
            return _charted(ahead, behind, meeting, organizations_of)
        if len(ahead.hops) + len(behind.hops) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        if not side.frontier:
            break
    return Subgraph([], [], {})


def _charted(
    ahead: _Side, behind: _Side, meeting: list[str], organizations_of: Organizations
) -> Subgraph:
    """Every organisation and tie of the sides' shortest chains from both origins to
    ``meeting``, each organisation with its hops from the start."""
    length = ahead.depth + behind.depth
    hops: dict[str, int] = {}
    ties: dict[str, Relationship] = {}
    for side, from_start in ((ahead, True), (behind, False)):
        wanted = list(meeting)
        seen = set(meeting)
        while wanted:
            node = wanted.pop()
            hops[node] = side.hops[node] if from_start else length - side.hops[node]
            for other, rel in side.parents[node]:
                ties[rel.id] = rel
                if other not in seen:
                    seen.add(other)
                    wanted.append(other)
    return Subgraph(
        organizations=organizations_of(sorted(hops)),
        relationships=[ties[k] for k in sorted(ties)],
        distances=dict(sorted(hops.items())),
    )


def passing(
    found: Subgraph,
    start: str,
    end: str,
    tie_counts: Counted[Relationship],
    organization_counts: Counted[Organization],
) -> Subgraph:
    """The routes of ``found`` (every shortest route of some graph, as ``route_graph`` gives
    them) whose ties and organisations all count; nothing if none does.

    An organisation stays if a counted step leads to it from ``start`` and one leads from it
    to ``end``; a tie stays if it is such a step between two that stay.
    """
    hops = found.distances
    counted = {o.id for o in found.organizations if organization_counts(o)}
    steps: list[tuple[str, str, Relationship]] = []
    for rel in found.relationships:
        near, far = rel.source, rel.target
        if hops[near] > hops[far]:
            near, far = far, near
        if near in counted and far in counted and tie_counts(rel):
            steps.append((near, far, rel))
    steps.sort(key=lambda step: hops[step[0]])
    ahead = {start} & counted
    for near, far, _ in steps:
        if near in ahead:
            ahead.add(far)
    behind = {end} & counted
    for near, far, _ in reversed(steps):
        if far in behind:
            behind.add(near)
    kept = ahead & behind
    if end not in kept:
        return Subgraph([], [], {})
    ties = {rel.id for near, far, rel in steps if near in kept and far in kept}
    return Subgraph(
        organizations=[o for o in found.organizations if o.id in kept],
        relationships=[rel for rel in found.relationships if rel.id in ties],
        distances={node: hop for node, hop in hops.items() if node in kept},
    )
