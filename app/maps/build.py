"""Map data: organisations and relationships turned into vis-network nodes and edges with pyvis.

A map shows at most ``limit`` organisations. Past that it keeps the centre and the most
connected organisations and groups the rest into one node per movement, and says so.
Everything a person reads (names, types, sources) travels as data and is put on the page
as text by ``static/map.js``, never as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pyvis.network import Network

from app.domain.models import Organization, Relationship
from app.domain.vocabulary import vocabulary
from app.maps.encoding import AGGREGATE_COLOUR, LegendEntry, edge_style, legend, node_style

Role = Literal["centre", "direct_enabler", "indirect_enabler"]
LABEL_LENGTH = 28


@dataclass(frozen=True)
class MapData:
    """Everything one map page needs: what to draw, the legend, and a note on what is left out."""

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[LegendEntry]
    total: int
    note: str | None = None
    roles: dict[str, Role] = field(default_factory=dict)


def label(org: Organization) -> str:
    """A short label: the first alias (usually the acronym) or the name, cut to fit."""
    text = org.short_name()
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def _details(org: Organization) -> dict[str, Any]:
    countries = vocabulary().countries
    return {
        "kind": "organization",
        "id": org.id,
        "name": org.name,
        "aliases": org.aliases,
        "type": org.type,
        "movement": org.movement,
        "countries": [f"{countries.get(c, c)} ({c})" for c in org.countries],
        "sectors": org.sectors,
        "status": org.status,
        "sources": [s.model_dump() for s in org.sources],
    }


def _edge_details(rel: Relationship) -> dict[str, Any]:
    return {
        "kind": "relationship",
        "id": rel.id,
        "type": rel.type,
        "source": rel.source,
        "target": rel.target,
        "mode": rel.mode,
        "mechanisms": rel.mechanisms,
        "since": rel.since,
        "until": rel.until,
        "status": rel.status,
        "sources": [s.model_dump() for s in rel.sources],
    }


ROLE_STYLES: dict[Role, dict[str, Any]] = {
    "centre": {"borderWidth": 5, "size": 30},
    "direct_enabler": {"borderWidth": 3},
    "indirect_enabler": {"borderWidth": 3, "shapeProperties": {"borderDashes": [5, 5]}},
}
ROLE_LEGEND = [
    LegendEntry("role", "centre", "organisation asked about", "#333333"),
    LegendEntry("role", "direct_enabler", "direct enabler (one tie)", "#333333"),
    LegendEntry(
        "role", "indirect_enabler", "indirect enabler (through others)", "#333333", dashed=True
    ),
]


def _keep(
    orgs: Mapping[str, Organization], rels: list[Relationship], limit: int, pinned: set[str]
) -> set[str]:
    """The organisations to draw: the pinned ones, then the most connected, up to ``limit``."""
    if len(orgs) <= limit:
        return set(orgs)
    degree = Counter(end for r in rels for end in (r.source, r.target))
    ranked = sorted(orgs, key=lambda i: (i not in pinned, -degree[i], i))
    return set(ranked[:limit])


def build_map(
    title: str,
    organizations: Iterable[Organization],
    relationships: Iterable[Relationship],
    limit: int,
    roles: Mapping[str, Role] | None = None,
) -> MapData:
    """Nodes and edges for these organisations and the relationships among them."""
    roles = dict(roles or {})
    orgs = {o.id: o for o in organizations}
    rels = sorted(
        (r for r in relationships if r.source in orgs and r.target in orgs), key=lambda r: r.id
    )
    kept = _keep(orgs, rels, limit, set(roles))
    net = Network(directed=True)
    for org_id in sorted(kept):
        org = orgs[org_id]
        role = roles.get(org_id)
        options = {**node_style(org.type, org.movement), **(ROLE_STYLES[role] if role else {})}
        net.add_node(org_id, label=label(org), details=_details(org), **options)
    grouped = Counter(orgs[i].movement for i in orgs if i not in kept)
    for movement, count in sorted(grouped.items()):
        net.add_node(
            f"group:{movement}",
            label=f"{count} more ({movement.replace('_', ' ')})",
            shape="ellipse",
            color=AGGREGATE_COLOUR,
            details={"kind": "group", "movement": movement, "count": count},
        )
    folded: Counter[tuple[str, str]] = Counter()
    for rel in rels:
        if rel.source in kept and rel.target in kept:
            net.add_edge(
                rel.source,
                rel.target,
                id=rel.id,
                details=_edge_details(rel),
                **edge_style(rel.type, rel.mode),
            )
        else:
            ends = [
                e if e in kept else f"group:{orgs[e].movement}" for e in (rel.source, rel.target)
            ]
            if ends[0] != ends[1]:
                folded[(ends[0], ends[1])] += 1
    for (source, target), count in sorted(folded.items()):
        net.add_edge(
            source,
            target,
            id=f"folded:{source}:{target}",
            label=str(count),
            color=AGGREGATE_COLOUR,
            width=1,
            arrows="",
            details={"kind": "group-ties", "count": count},
        )
    nodes, edges, *_ = net.get_network_data()
    note = None
    if grouped:
        note = (
            f"Showing {len(kept)} of {len(orgs)} organisations; the other "
            f"{sum(grouped.values())} are grouped by movement."
        )
    entries = legend() + (ROLE_LEGEND if roles else [])
    return MapData(title, nodes, edges, entries, total=len(orgs), note=note, roles=roles)
