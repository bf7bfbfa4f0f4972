"""Server-side layout: the same positions in any order and any process, no overlapping boxes,
and parallel ties bent apart."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

from app.maps.layout import curves, force_layout, layered_layout, separate

ROOT = Path(__file__).resolve().parents[2]
NODES = [f"n{i:02d}" for i in range(30)]
EDGES = [(f"n{i:02d}", f"n{(i * 7 + 3) % 30:02d}") for i in range(30)] + [("n01", "n02")]
BOXES = {n: (60.0 + len(n) * 3, 40.0) for n in NODES}
SCRIPT = f"""
import json
from app.maps.layout import force_layout
print(json.dumps(force_layout({NODES!r}, {EDGES!r}, {BOXES!r})))
"""


def test_the_same_graph_gets_the_same_positions_in_any_order_and_any_process() -> None:
    first = force_layout(NODES, EDGES, BOXES)
    shuffled = force_layout(NODES[::-1], [(b, a) for a, b in reversed(EDGES)], BOXES)
    assert first == shuffled
    other = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert {k: tuple(v) for k, v in json.loads(other.stdout).items()} == first


Points = dict[str, tuple[float, float]]


def overlapping(positions: Points, boxes: Points) -> list[tuple[str, str]]:
    """Pairs whose boxes overlap, checked pair by pair (independently of ``separate``)."""
    found = []
    for a, b in itertools.combinations(sorted(positions), 2):
        (ax, ay), (bx, by) = positions[a], positions[b]
        if (
            abs(ax - bx) < (boxes[a][0] + boxes[b][0]) / 2 - 0.5
            and abs(ay - by) < (boxes[a][1] + boxes[b][1]) / 2 - 0.5
        ):
            found.append((a, b))
    return found


def test_no_two_boxes_overlap() -> None:
    assert overlapping(force_layout(NODES, EDGES, BOXES), BOXES) == []
    piled = {n: (0.0, 0.0) for n in NODES}
    assert overlapping(separate(piled, BOXES), BOXES) == []


def test_a_component_of_600_organisations_is_laid_out_without_overlaps() -> None:
    """networkx lays out 500 nodes or more with its sparse solver, which needs scipy."""
    ring = [f"r{i:03d}" for i in range(600)]
    ties = [(ring[i], ring[(i + 1) % 600]) for i in range(600)]
    boxes = {n: (70.0, 40.0) for n in ring}
    assert overlapping(force_layout(ring, ties, boxes), boxes) == []


def test_layers_are_columns_right_to_left() -> None:
    layers = {"c": 0, "a": 1, "b": 1, "f": 2}
    boxes = {n: (50.0, 30.0) for n in layers}
    at = layered_layout(layers, [("a", "c"), ("b", "c"), ("f", "a")], boxes)
    assert at["c"][0] > at["a"][0] == at["b"][0] > at["f"][0]
    assert at["a"][1] != at["b"][1]


def test_parallel_ties_bend_to_distinct_sides() -> None:
    bends = curves([("a", "b"), ("a", "b"), ("c", "d"), ("b", "a")])
    assert bends[2] == 0.0, "a lone tie is straight"
    pair = [bends[0], bends[1], -bends[3]]
    assert len(set(pair)) == 3, "three ties between a and b, read one way, bend differently"
