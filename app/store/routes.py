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

Neighbours = Callable[[int], list[int]]
"""The organisations one tie a route may take away from this one, either way, by number;
repeats (parallel ties) and the organisation itself (a tie to itself) are harmless."""

Steps = Callable[[int], list[tuple[int, int]]]
"""The ties a route may take from this organisation, either way, as (tie, organisation at its
other end), by number: the same ties :data:`Neighbours` follows."""


@dataclass
class Chart:
    """Every shortest route found, by number: each organisation on one with its hops from the
    start, and the ties of all of them; both empty when there is no route."""

    hops: dict[int, int] = field(default_factory=dict)
    ties: set[int] = field(default_factory=set)


class _Side:
    """One end of the search: the organisations at each number of steps from its origin."""

    def __init__(self, origin: int) -> None:
        self.layers = [{origin}]
        self.seen = {origin}

    @property
    def depth(self) -> int:
        return len(self.layers) - 1

    def grow(self, other: _Side, neighbours: Neighbours) -> set[int]:
        """Add the next layer, unless it meets the other side: then return the meeting
        organisations (the layer is not kept).

        Until the sides meet they share no organisation, so a step from this side's last layer
        reaches the other side only in the other's last layer (an organisation nearer the
        other origin would have been met earlier). Set operations do the per-organisation work
        in C, which is most of a search's cost.
        """
        reached: set[int] = set()
        for here in self.layers[-1]:
            reached.update(neighbours(here))
        meeting = reached & other.layers[-1]
        if not meeting:
            new = reached - self.seen
            self.seen |= new
            self.layers.append(new)
        return meeting


Order = Callable[[int], str]
"""The id of an organisation or of a tie, by number: the order routes are listed in."""


def route_graph(
    start: int, end: int, max_depth: int, neighbours: Neighbours, steps: Steps
) -> Chart:
    """Every shortest route of at most ``max_depth`` steps from ``start`` to ``end`` (two
    different organisations), as a :class:`Chart`.

    Raises ``InvalidQuery`` past :data:`MAX_VISITED` organisations.
    """
    met = _search(start, end, max_depth, neighbours)
    return Chart() if met is None else _charted(*met, steps)


def first_route(
    start: int,
    end: int,
    max_depth: int,
    neighbours: Neighbours,
    steps: Steps,
    organization_id: Order,
    tie_id: Order,
) -> Chart:
    """The first shortest route of at most ``max_depth`` steps from ``start`` to ``end`` in
    the order routes are listed (organisation ids, then tie ids), as a :class:`Chart`.

    The same search as :func:`route_graph`; then, instead of charting every route, a
    depth-first walk from ``start`` through the layers that takes the smallest next
    organisation first and gives up on an organisation that leads nowhere, so only what the
    first route needs is read.
    """
    met = _search(start, end, max_depth, neighbours)
    if met is None:
        return Chart()
    side, other, meeting, side_is_ahead = met
    ahead, behind = (side, other) if side_is_ahead else (other, side)
    length = side.depth + 1 + other.depth
    middle = ahead.depth + 1 if side_is_ahead else ahead.depth
    levels = [*ahead.layers[:middle], meeting, *reversed(behind.layers[: length - middle])]
    dead: set[int] = set()
    nodes: list[int] = [start]
    ties: list[int] = []
    while nodes:
        level = len(nodes)
        if level > length:
            break
        here, onward = nodes[-1], levels[level]
        nxt = min(
            (
                (organization_id(node), tie_id(tie), node, tie)
                for tie, node in steps(here)
                if node in onward and node not in dead
            ),
            default=None,
        )
        if nxt is None:
            dead.add(nodes.pop())
            if ties:
                ties.pop()
            continue
        nodes.append(nxt[2])
        ties.append(nxt[3])
    if not nodes:
        return Chart()
    return Chart(hops={node: hop for hop, node in enumerate(nodes)}, ties=set(ties))


def _search(
    start: int, end: int, max_depth: int, neighbours: Neighbours
) -> tuple[_Side, _Side, set[int], bool] | None:
    """The two sides of a bidirectional breadth-first search from ``start`` and ``end``, where
    they met and whether the side that grew last was ``start``'s; ``None`` if they do not
    meet within ``max_depth`` steps.

    The search grows whichever side has the smaller frontier, so a hub near one end is
    crossed once instead of being expanded layer after layer.
    """
    ahead, behind = _Side(start), _Side(end)
    while ahead.depth + behind.depth < max_depth:
        side, other = (
            (ahead, behind) if len(ahead.layers[-1]) <= len(behind.layers[-1]) else (behind, ahead)
        )
        meeting = side.grow(other, neighbours)
        if meeting:
            return side, other, meeting, side is ahead
        if len(ahead.seen) + len(behind.seen) > MAX_VISITED:
            raise InvalidQuery("max_depth", f"the search passed {MAX_VISITED} organisations")
        if not side.layers[-1]:
            break
    return None


def _charted(
    side: _Side, other: _Side, meeting: set[int], side_is_ahead: bool, steps: Steps
) -> Chart:
    """Every organisation and tie on a shortest route through ``meeting``: the meeting
    organisations one step past ``side``'s last layer and in ``other``'s last layer. Walking
    back, each organisation's steps are read once, from the far end of each step (so a hub
    near an origin is never read for each of its many partners)."""
    length = side.depth + 1 + other.depth
    chart = Chart()
    for layers, level, from_start in (
        (side.layers, side.depth + 1, side_is_ahead),
        (other.layers, other.depth, not side_is_ahead),
    ):
        wanted = meeting
        for k in range(level, 0, -1):
            below = layers[k - 1]
            found: set[int] = set()
            for node in wanted:
                chart.hops[node] = k if from_start else length - k
                for tie, near in steps(node):
                    if near in below:
                        found.add(near)
                        chart.ties.add(tie)
            wanted = found
        for node in wanted:
            chart.hops[node] = 0 if from_start else length
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
