"""The visual encoding of every map, defined once: colour by movement, shape by family of
organisation type, line style by relationship type; direct and indirect enabling differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.vocabulary import vocabulary

MOVEMENT_COLOURS = {
    "labour": "#c0392b",
    "informal_workers": "#e67e22",
    "sse": "#27ae60",
    "enabler": "#2980b9",
    "public": "#7f8c8d",
}
"""One colour per movement (colour-blind-distinguishable reds, oranges, greens, blues, grey)."""

FAMILY_SHAPES = {
    "unions": "square",
    "worker_organisations": "triangle",
    "sse_units": "dot",
    "enablers": "diamond",
    "public_bodies": "box",
}
"""One vis-network shape per family of organisation types."""

RELATIONSHIP_STYLES: dict[str, dict[str, object]] = {
    "ESTABLISHED": {"color": "#1e8449", "width": 3, "dashes": False},
    "PARTNERS_WITH": {"color": "#6c3483", "width": 2, "dashes": False},
    "MEMBER_OF": {"color": "#95a5a6", "width": 1, "dashes": [2, 4]},
    "AFFILIATE_OF": {"color": "#95a5a6", "width": 1, "dashes": [2, 4]},
    "ENABLES": {"color": "#2471a3", "width": 2, "dashes": False},
    "FUNDS": {"color": "#b7950b", "width": 2, "dashes": False},
    "ADVOCATES_TO": {"color": "#566573", "width": 1, "dashes": [8, 4]},
    "IN_DIALOGUE_WITH": {"color": "#566573", "width": 1, "dashes": [8, 4]},
    "AGREEMENT_WITH": {"color": "#873600", "width": 2, "dashes": [12, 3]},
    "ORGANISES": {"color": "#d35400", "width": 2, "dashes": False},
}
"""Line colour, width and dash pattern per relationship type."""

INDIRECT_DASHES = [4, 4]
"""Dashes that mark an indirect enabling tie, whatever its type's own style."""

AGGREGATE_COLOUR = "#bdc3c7"


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's legend: what a colour, shape or line style stands for."""

    kind: str
    key: str
    label: str
    colour: str
    shape: str | None = None
    dashed: bool = False


def node_style(organization_type: str, movement: str) -> dict[str, object]:
    """vis-network options for an organisation node."""
    family = vocabulary().family_of(organization_type)
    return {"color": MOVEMENT_COLOURS[movement], "shape": FAMILY_SHAPES[family]}


def edge_style(relationship_type: str, mode: str | None) -> dict[str, object]:
    """vis-network options for a relationship edge; indirect enabling is always dashed."""
    style = dict(RELATIONSHIP_STYLES[relationship_type])
    if mode == "indirect":
        style["dashes"] = INDIRECT_DASHES
    arrows = "" if vocabulary().relationship_types[relationship_type].symmetric else "to"
    return {**style, "arrows": arrows}


def legend() -> list[LegendEntry]:
    """Every colour, shape and line style any map uses, with a readable label."""
    entries = [
        LegendEntry("movement", key, key.replace("_", " "), colour)
        for key, colour in MOVEMENT_COLOURS.items()
    ]
    entries += [
        LegendEntry("family", key, key.replace("_", " "), "#555555", shape=shape)
        for key, shape in FAMILY_SHAPES.items()
    ]
    entries += [
        LegendEntry(
            "relationship",
            key,
            key.replace("_", " ").lower(),
            str(style["color"]),
            dashed=style["dashes"] is not False,
        )
        for key, style in RELATIONSHIP_STYLES.items()
    ]
    entries.append(
        LegendEntry("relationship", "indirect", "indirect enabling", "#2471a3", dashed=True)
    )
    return entries
