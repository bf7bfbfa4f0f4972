"""Shortest routes between two organisations: a bidirectional breadth-first search over a
graph's structure, and the check of the routes it finds against a caller's rules.

The embedded store answers ``GraphStore.routes`` with :func:`route_graph` on its outline
(organisations and ties by number, no records), fetches the records of what the routes found
use, and keeps those that pass (:func:`passing`); if none does, it searches again without the
ties and organisations that failed, as the Neo4j store does with its ``ALL SHORTEST`` query.
What the search finds is the set of every shortest route, as the organisations and ties on
any of them with each organisation's hops from the start, from which a caller lists the routes
in any order it likes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.errors import InvalidQuery
from app.domain.models import Organization, Relationship
from app.store.protocol import Counted, Subgraph

MAX_VISITED = 200_000
"""Organisations one search may visit before it is refused as too large."""

Steps = Callable[[int], list[tuple[int, int]]]
"""The ties a route may take from this organisation, either way, as (tie, organisation at its
other end), by number; a tie to itself, or one met again from its other end, is harmless."""


@dataclass
class Chart:
    """Every shortest route found, by number: each organisation on one with its hops from the
    start, and the ties of all of them; both empty when there is no route."""

    hops: dict[int, int] = field(default_factory=dict)
    ties: set[int] = field(default_factory=set)


class _Side:
    """One end of the search: its last layer, and each organisation's hops and BFS parents."""

    def __init__(self, origin: int) -> None:
        self.depth = 0
        self.frontier = [origin]
        self.hops = {origin: 0}
        self.parents: dict[int, list[tuple[int, int]]] = {origin: []}

    def grow(self, other: _Side, steps: Steps) -> list[int]:
        """Add the next layer (organisations one step further), or find where the two sides
        meet; returns the meeting organisations, if any.

        Until the sides meet they share no organisation, so a step from this side's last layer
        reaches the other side only in the other's last layer (an organisation nearer the
        other origin would have been met earlier). When one does, the rest of the new layer is
        not kept: only the meeting organisations and their parents on this side, which is all
        the routes need.
        """
        far = set(other.frontier)
        layer: dict[int, list[tuple[int, int]]] = {}
        meeting: dict[int, list[tuple[int, int]]] = {}
        for here in self.frontier:
            for tie, there in steps(here):
                if there in far:
                    meeting.setdefault(there, []).append((here, tie))
                elif not meeting and there not in self.hops:
                    layer.setdefault(there, []).append((here, tie))
        self.depth += 1
        found = meeting or layer
        self.parents.update(found)
        self.hops.update((node, self.depth) for node in found)
        self.frontier = [] if meeting else list(found)
        return sorted(meeting)


def route_graph(start: int, end: int, max_depth: int, steps: Steps) -> Chart:
    """Every shortest route of at most ``max_depth`` steps from ``start`` to ``end`` (two
    different organisations), as a :class:`Chart`.

    The search grows whichever side has the smaller frontier, so a hub near one end is
    crossed once instead of being expanded layer after layer. Raises ``InvalidQuery`` past
    :data:`MAX_VISITED` organisations.
    """
    ahead, behind = _Side(start), _Side(end)
    while ahead.depth + behind.depth < max_depth:
        side, other = (
            (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        )
        meeting = side.grow(other, steps)
        if meeting:
            return _charted(ahead, behind, meeting)
        if len(ahead.hops) + len(behind.hops) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        if not side.frontier:
            break
    return Chart()


def _charted(ahead: _Side, behind: _Side, meeting: list[int]) -> Chart:
    """Every organisation and tie of the sides' shortest chains from both origins to
    ``meeting``, each organisation with its hops from the start."""
    length = ahead.depth + behind.depth
    chart = Chart()
    for side, from_start in ((ahead, True), (behind, False)):
        wanted = list(meeting)
        seen = set(meeting)
        while wanted:
            node = wanted.pop()
            chart.hops[node] = side.hops[node] if from_start else length - side.hops[node]
            for other, tie in side.parents[node]:
                chart.ties.add(tie)
                if other not in seen:
                    seen.add(other)
                    wanted.append(other)
    return chart


def passing(
    found: Subgraph,
    start: str,
    end: str,
    tie_counts: Counted[Relationship],
    organization_counts: Counted[Organization],
) -> Subgraph:
    """The routes of ``found`` (every shortest route of some graph, each organisation with its
    hops from ``start``, as :func:`route_graph` charts them) whose ties and organisations all
    count; nothing if none does.

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
