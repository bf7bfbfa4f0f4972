"""Map exports: the server's picture as PNG (2x, on white) and SVG (text as text, same bytes for
the same map), with only the ties in force drawn and every string drawn as plain text."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from PIL import Image

from app.maps.export import render_map_image
from app.maps.model import Column, LegendItem, MapData, MapEdge, MapNode

NS = "{http://www.w3.org/2000/svg}"
GENERATED = date(2025, 3, 1)
FUNDS, PARTNERS, MEMBER, HIDDEN = "#b7950b", "#7d3c98", "#7f8c8d", "#0a0b0c"


def node(id: str, label: str, x: float, y: float, rank: int, **fields: Any) -> MapNode:
    """An organisation node; by default a labour-red dot of size 14."""
    data: dict[str, Any] = {
        "id": id,
        "kind": "organization",
        "label": label,
        "name": label,
        "x": x,
        "y": y,
        "colour": "#c0392b",
        "shape": "dot",
        "size": 14,
        "outline": 1.0,
        "rank": rank,
    }
    return MapNode.model_validate({**data, **fields})


def edge(id: str, source: str, target: str, colour: str, **fields: Any) -> MapEdge:
    """A solid, straight, directed tie in force."""
    data: dict[str, Any] = {
        "id": id,
        "kind": "relationship",
        "label": "funds",
        "source": source,
        "target": target,
        "colour": colour,
        "width": 2.5,
        "arrow": True,
        "curve": 0.0,
        "in_force": True,
    }
    return MapEdge.model_validate({**data, **fields})


def small_map(**changes: Any) -> MapData:
    """Three organisations: a union above and left of a cooperative (label ``<script>``) that
    it funds twice (curves 0.2 and -0.2), an NGO that partners with the cooperative (no arrow)
    and is a member of the union (dashed), and a tie not in force in a colour of its own."""
    data = MapData(
        kind="ecosystem",
        path="ecosystem",
        query={"country": "CO"},
        title="Ecosystem: Colombia",
        filters=["Colombia"],
        as_of=2021,
        version=42,
        total=3,
        nodes=[
            node("union", "UTRASD", -120, -60, 0, shape="square", size=26, outline=4),
            node("coop", "<script>", 120, 60, 1, colour="#27ae60"),
            node("ngo", "$5 and $10", 0, 160, 2, colour="#2980b9", shape="diamond"),
        ],
        edges=[
            edge("funds-1", "union", "coop", FUNDS, curve=0.2),
            edge("funds-2", "union", "coop", FUNDS, curve=-0.2),
            edge("partners", "ngo", "coop", PARTNERS, label="partners with", arrow=False),
            edge("member", "ngo", "union", MEMBER, label="member of", dashes=[2, 4]),
            edge("old", "ngo", "union", HIDDEN, label="established", curve=0.2, in_force=False),
        ],
        legend=[
            LegendItem(channel="colour", key="labour", label="Labour movement", colour="#c0392b"),
            LegendItem(
                channel="shape",
                key="unions",
                label="Trade unions",
                colour="#ffffff",
                shape="square",
            ),
            LegendItem(channel="line", key="FUNDS", label="funds $ or $", colour=FUNDS, width=2.5),
            LegendItem(
                channel="line",
                key="MEMBER_OF",
                label="member of",
                colour=MEMBER,
                width=1.5,
                dashes=[2, 4],
            ),
            LegendItem(
                channel="outline",
                key="direct",
                label="direct enabling partner",
                colour="#ffffff",
                shape="dot",
                width=4,
            ),
        ],
        groups={},
        years=[2019, 2021],
    )
    return data.model_copy(update=changes)


def svg_of(data: MapData, base_url: str | None = None) -> ET.Element:
    return ET.fromstring(render_map_image(data, "svg", GENERATED, base_url))


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{NS}text")]


def map_paths(root: ET.Element) -> list[ET.Element]:
    """The paths drawn inside the map's axes (not the legend's swatches)."""
    axes = next(g for g in root.iter(f"{NS}g") if g.get("id") == "axes_1")
    return list(axes.iter(f"{NS}path"))


def test_png_is_twice_the_figure_size_on_white() -> None:
    data = small_map()
    png = render_map_image(data, "png", GENERATED)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    root = svg_of(data)
    inches = [float(root.get(side, "").removesuffix("pt")) / 72 for side in ("width", "height")]
    image = Image.open(io.BytesIO(png))
    assert image.size == tuple(round(2 * 100 * size) for size in inches)
    rgba = image.convert("RGBA")
    corners = {rgba.getpixel((x, y)) for x in (0, image.width - 1) for y in (0, image.height - 1)}
    assert corners == {(255, 255, 255, 255)}, "opaque white, not transparent"


def test_svg_keeps_every_string_as_plain_text() -> None:
    raw = render_map_image(small_map(), "svg", GENERATED, "https://graph.example.org/")
    root = ET.fromstring(raw)
    drawn = texts(root)
    assert "Ecosystem: Colombia" in drawn
    assert "Colombia · ties in force in 2021" in drawn
    assert {"UTRASD", "<script>", "$5 and $10"} <= set(drawn), "labels verbatim, no mathtext"
    assert b"&lt;script&gt;" in raw
    assert not [e for e in root.iter() if e.tag.removeprefix(NS) in {"script", "foreignObject"}]
    footer = " · ".join(t for t in drawn if t.startswith(("Solidarity Graph", "sources")))
    assert footer == (
        "Solidarity Graph · graph version 42 · 2025-03-01 · "
        "https://graph.example.org/maps/ecosystem?country=CO · "
        "sources: see each organisation's and tie's citations"
    )
    legend = {"Movement (fill)", "Labour movement", "funds $ or $", "direct enabling partner"}
    assert legend <= set(drawn)


def test_only_ties_in_force_are_drawn_with_their_own_bends_and_heads() -> None:
    root = svg_of(small_map())
    styles = [(path.get("style", ""), path.get("d", "")) for path in map_paths(root)]
    assert not [s for s, _ in styles if HIDDEN in s], "the tie not in force is not drawn"
    funds_lines = {d for s, d in styles if f"stroke: {FUNDS}" in s}
    assert len(funds_lines) == 2, "the two parallel ties follow different curves"
    assert len([s for s, _ in styles if f"fill: {FUNDS}" in s]) == 2, "one head each"
    assert len([s for s, _ in styles if f"stroke: {PARTNERS}" in s]) == 1
    assert not [s for s, _ in styles if f"fill: {PARTNERS}" in s], "partners with has no head"
    assert [s for s, _ in styles if f"stroke: {MEMBER}" in s and "stroke-dasharray" in s]


def test_y_grows_downward_as_on_the_page() -> None:
    root = svg_of(small_map())
    where = {
        e.text: (float(e.get("x", "0")), float(e.get("y", "0"))) for e in root.iter(f"{NS}text")
    }
    union, coop, ngo = where["UTRASD"], where["<script>"], where["$5 and $10"]
    assert union[0] < ngo[0] < coop[0]
    assert union[1] < coop[1] < ngo[1], "a node further down the layout is lower in the image"


def test_a_positive_curve_bends_to_the_same_side_as_on_the_page() -> None:
    """vis-network's curvedCW: left to right on screen, a positive curve bulges upward."""
    pair = [node("a", "A", 0, 0, 0), node("b", "B", 200, 0, 1)]
    tie = edge("t", "a", "b", FUNDS, curve=0.3)
    root = svg_of(small_map(nodes=pair, edges=[tie]))
    line = next(p for p in map_paths(root) if f"stroke: {FUNDS}" in p.get("style", ""))
    x0, y0, command, cx, cy, x1, y1 = line.get("d", "").split()[1:]
    assert command == "Q" and float(x0) < float(cx) < float(x1)
    assert float(cy) < min(float(y0), float(y1)) - 10, "above the line: SVG y grows down"


def test_the_same_map_gives_the_same_bytes() -> None:
    data = small_map()
    first = render_map_image(data, "svg", GENERATED, "https://graph.example.org")
    second = render_map_image(
        data.model_copy(deep=True), "svg", GENERATED, "https://graph.example.org"
    )
    assert first == second
    assert render_map_image(data, "png", GENERATED) == render_map_image(data, "png", GENERATED)


def test_an_empty_map_says_why_instead_of_drawing_nothing() -> None:
    sentence = "No organisation matches these filters (Colombia)."
    root = svg_of(small_map(nodes=[], edges=[], empty=sentence, note="A note."))
    drawn = texts(root)
    assert sentence in drawn and "A note." in drawn
    assert not [g for g in root.iter(f"{NS}g") if g.get("id") == "axes_1"]
    assert "Movement (fill)" not in drawn, "no legend for a map with nothing on it"


def test_only_maps_of_over_150_nodes_leave_low_ranked_nodes_unlabelled() -> None:
    nodes = [node(f"n{i}", f"label {i}", (i % 20) * 120, (i // 20) * 80, i) for i in range(160)]
    drawn = set(texts(svg_of(small_map(nodes=nodes, edges=[]))))
    assert {"label 0", "label 149"} <= drawn
    assert not {f"label {i}" for i in range(150, 160)} & drawn
    few = [node("a", "label a", 0, 0, 0), node("b", "label b", 90, 0, 400)]
    assert {"label a", "label b"} <= set(texts(svg_of(small_map(nodes=few, edges=[]))))


def test_columns_and_summed_ties_are_labelled() -> None:
    clusters = [
        node("cluster:a", "Labour movement (10)", -130, 0, 0, kind="cluster", size=24),
        node("cluster:b", "SSE (4)", 130, 0, 1, kind="cluster", size=18),
    ]
    ties = [
        edge(
            "ties:a:b",
            "cluster:a",
            "cluster:b",
            "#95a5a6",
            kind="aggregate",
            label="12 ties",
            arrow=False,
            count=12,
        )
    ]
    columns = [Column(x=-130, label="enables it"), Column(x=130, label="asked about")]
    drawn = texts(svg_of(small_map(nodes=clusters, edges=ties, columns=columns)))
    assert {"12 ties", "enables it", "asked about", "Labour movement (10)"} <= set(drawn)


def test_names_in_characters_the_font_lacks_still_render() -> None:
    # Found by the long injection suite: a name in mathematical bold letters made matplotlib
    # warn of missing glyphs, which the test settings (and any strict deployment) turn into
    # errors, so the ecosystem's SVG answered 500.
    name = "\U0001d402\U0001d400\U0001d40b \uff0f union"  # mathematical bold CAL, full-width /
    data = small_map()
    data = data.model_copy(
        update={
            "title": f"Who enables {name}",
            "nodes": [n.model_copy(update={"label": name}) for n in data.nodes],
        }
    )
    assert name in texts(ET.fromstring(render_map_image(data, "svg", GENERATED)))
    png = Image.open(io.BytesIO(render_map_image(data, "png", GENERATED)))
    assert png.size[0] > 0
