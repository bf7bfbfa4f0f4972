"""Node positions for maps, computed on the server so that a map looks the same on every load.

Positions are in CSS pixels at zoom 1. Every function here is pure and deterministic: the
same nodes and ties give the same positions in any process, because inputs are sorted and
the force-directed layout starts from a fixed seed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

Point = tuple[float, float]
Box = tuple[float, float]
SEED = 20_190_701
"""The force layout's fixed random seed (any constant works; this one never changes)."""
SPACING = 90.0
"""Roughly the distance between neighbouring nodes, in px at zoom 1."""
FRAME = (760.0, 480.0)
"""The map area a force layout is stretched towards before labels push nodes apart: about
what an embed 600 px high shows beside its legend, so labels fit there at zoom 1."""
MAX_STRETCH = 1.5
CROWDING = 1.3
"""How much more room than their boxes' area a crowded map's frame is given to start with."""
COLUMN_GAP = 260.0
ROW_GAP = 64.0


def force_layout(
    nodes: Sequence[str], edges: Iterable[tuple[str, str]], boxes: Mapping[str, Box]
) -> dict[str, Point]:
    """Fruchterman-Reingold positions (``networkx.spring_layout``, fixed seed) per connected
    component, components packed in rows, then nudged apart until no two boxes overlap.

    ``boxes`` gives each node's width and height (shape and label) in px.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_edges_from(sorted((a, b) for a, b in edges if a != b))
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    placed = [_component(graph.subgraph(c), c) for c in components]
    room = math.sqrt(CROWDING * sum(w * h for w, h in boxes.values()) / (FRAME[0] * FRAME[1]))
    grow = max(1.0, room)
    return separate(_stretch(_pack(placed), FRAME[0] * grow, FRAME[1] * grow), boxes)


def _component(graph: nx.Graph, ordered: list[str]) -> dict[str, Point]:
    """One connected component laid out around (0, 0), its size growing with its node count."""
    if len(ordered) == 1:
        return {ordered[0]: (0.0, 0.0)}
    if len(ordered) == 2:
        return {ordered[0]: (-SPACING / 2, 0.0), ordered[1]: (SPACING / 2, 0.0)}
    ordered_graph = nx.Graph()
    ordered_graph.add_nodes_from(ordered)
    ordered_graph.add_edges_from(sorted(tuple(sorted(e)) for e in graph.edges()))
    scale = SPACING * math.sqrt(len(ordered)) * 0.6
    found = nx.spring_layout(ordered_graph, seed=SEED, scale=scale, iterations=80)
    return {n: (float(found[n][0]), float(found[n][1])) for n in ordered}


def _pack(components: list[dict[str, Point]]) -> dict[str, Point]:
    """Components side by side in rows about as wide as the largest is tall, biggest first."""
    result: dict[str, Point] = {}
    extents = [_extent(c) for c in components]
    total_area = sum((w + SPACING) * (h + SPACING) for w, h in extents) or 1.0
    row_width = max(math.sqrt(total_area * 1.6), max((w for w, _ in extents), default=0.0))
    x = y = row_height = 0.0
    for component, (width, height) in zip(components, extents, strict=True):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + SPACING, 0.0
        left, top = _corner(component)
        for node, (px, py) in component.items():
            result[node] = (px - left + x, py - top + y)
        x += width + SPACING
        row_height = max(row_height, height)
    return result


def _stretch(points: Mapping[str, Point], width: float, height: float) -> dict[str, Point]:
    """Points scaled on each axis towards a ``width`` by ``height`` frame (never more than
    ``MAX_STRETCH`` times), so a map uses the room it will be shown in."""
    if len(points) < 2:
        return dict(points)
    span_x, span_y = _extent(points)
    fx = min(width / span_x, MAX_STRETCH) if span_x else 1.0
    fy = min(height / span_y, MAX_STRETCH) if span_y else 1.0
    return {n: (x * fx, y * fy) for n, (x, y) in points.items()}


def _extent(points: Mapping[str, Point]) -> Box:
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    return max(xs) - min(xs), max(ys) - min(ys)


def _corner(points: Mapping[str, Point]) -> Point:
    return min(p[0] for p in points.values()), min(p[1] for p in points.values())


def separate(positions: Mapping[str, Point], boxes: Mapping[str, Box]) -> dict[str, Point]:
    """Each node at the free spot nearest to where the layout put it, so no two boxes overlap.

    Nodes are placed from the middle of the layout outwards; a node whose box would overlap
    one already placed tries rings of spots around its position, nearest first. The result
    is centred on (0, 0).
    """
    if not positions:
        return {}
    cx = sum(p[0] for p in positions.values()) / len(positions)
    cy = sum(p[1] for p in positions.values()) / len(positions)
    order = sorted(
        positions, key=lambda n: (math.hypot(positions[n][0] - cx, positions[n][1] - cy), n)
    )
    cell = max(max(w for w, _ in boxes.values()), max(h for _, h in boxes.values()))
    step = min(min(w for w, _ in boxes.values()), min(h for _, h in boxes.values())) * 0.6
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    placed: dict[str, Point] = {}
    for node in order:
        width, height = boxes[node]
        spot = _free_spot(positions[node], width, height, step, cell, grid)
        placed[node] = spot
        left, top = spot[0] - width / 2, spot[1] - height / 2
        key = (math.floor(spot[0] / cell), math.floor(spot[1] / cell))
        grid.setdefault(key, []).append((left, top, left + width, top + height))
    xs = [p[0] for p in placed.values()]
    ys = [p[1] for p in placed.values()]
    mx, my = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (round(x - mx, 1), round(y - my, 1)) for n, (x, y) in sorted(placed.items())}


def _free_spot(
    at: Point,
    width: float,
    height: float,
    step: float,
    cell: float,
    grid: Mapping[tuple[int, int], list[tuple[float, float, float, float]]],
) -> Point:
    """The first spot, in rings of growing radius around ``at``, where the box is free."""
    ring = 0
    while True:
        count = 1 if ring == 0 else min(8 * ring, 48)
        for index in range(count):
            angle = 2 * math.pi * index / count
            x = at[0] + ring * step * math.cos(angle)
            y = at[1] + ring * step * math.sin(angle)
            if _is_free(x, y, width, height, cell, grid):
                return x, y
        ring += 1


def _is_free(
    x: float,
    y: float,
    width: float,
    height: float,
    cell: float,
    grid: Mapping[tuple[int, int], list[tuple[float, float, float, float]]],
) -> bool:
    left, top, right, bottom = x - width / 2, y - height / 2, x + width / 2, y + height / 2
    gx, gy = math.floor(x / cell), math.floor(y / cell)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            for a, b, c, d in grid.get((gx + dx, gy + dy), ()):
                if left < c and a < right and top < d and b < bottom:
                    return False
    return True


def layered_layout(
    layers: Mapping[str, int], edges: Iterable[tuple[str, str]], boxes: Mapping[str, Box]
) -> dict[str, Point]:
    """Columns by layer, right to left (layer 0 at the right), for chains such as enablers.

    Within a column, nodes are ordered by the mean row of their neighbours in the column
    before (the barycentre heuristic of Sugiyama et al. 1981), ties broken by id.
    """
    neighbours: dict[str, set[str]] = {n: set() for n in layers}
    for a, b in edges:
        if a in neighbours and b in neighbours and a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    rows: dict[str, float] = {}
    positions: dict[str, Point] = {}
    for layer in sorted(set(layers.values())):
        column = sorted(n for n, level in layers.items() if level == layer)
        column.sort(key=lambda n: (_barycentre(neighbours[n], rows), n))
        offset = (len(column) - 1) / 2
        for index, node in enumerate(column):
            rows[node] = index - offset
            positions[node] = (-layer * COLUMN_GAP, (index - offset) * ROW_GAP)
    return separate(positions, boxes)


def _barycentre(neighbours: set[str], rows: Mapping[str, float]) -> float:
    """The mean row of the neighbours already placed (in earlier columns), else 0."""
    seen = [rows[m] for m in neighbours if m in rows]
    return sum(seen) / len(seen) if seen else 0.0


def curves(pairs: Sequence[tuple[str, str]]) -> list[float]:
    """A bend for each tie so that ties between the same two organisations are drawn apart.

    The bend is signed against the pair read in sorted order, so ``a->b`` and ``b->a`` bend
    to opposite sides; a lone tie is straight (0).
    """
    seen: dict[tuple[str, str], int] = {}
    totals: dict[tuple[str, str], int] = {}
    for a, b in pairs:
        key = (min(a, b), max(a, b))
        totals[key] = totals.get(key, 0) + 1
    bends = []
    for a, b in pairs:
        key = (min(a, b), max(a, b))
        index = seen.get(key, 0)
        seen[key] = index + 1
        count = totals[key]
        bend = (index - (count - 1) / 2) * 0.4
        bends.append(round(bend if (a, b) == key else -bend, 3))
    return bends
