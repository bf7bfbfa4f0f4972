"""A map in a reader's language: its own sentences said again, and each label whose key the
map carries named by the vocabulary in that language.

Maps are computed once per view and graph version, in English; a page, an embed or an export in
another language is that map with its words replaced. Names of organisations stay as written,
and ``/api/maps`` answers in English: keys and values of the API do not change with a language.
"""

from __future__ import annotations

from functools import cache

from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import gettext
from app.domain.terms import label, labels
from app.domain.vocabulary import vocabulary
from app.maps import encoding as enc
from app.maps.build import cluster_label, cluster_name, since_words, summed_label, value_label
from app.maps.model import Column, Group, LegendItem, MapData, MapEdge, MapNode

SAID_AS_WRITTEN = frozenset(("basis", "outline", "cluster", "column"))
"""Legend channels whose English words are themselves a marked message."""
LEGEND_SECTIONS = {"colour": "movements", "shape": "families", "line": "relationship_types"}
"""Legend channels whose entries are vocabulary keys, by vocabulary section."""
MAX_HOPS = 8
"""Farther than any enabling chain a map draws (its depth is at most 4)."""


def in_language(data: MapData, lang: Language) -> MapData:
    """``data`` with its words in ``lang``; the same map in English."""
    if lang == DEFAULT:
        return data
    update: dict[str, object] = {
        "legend": [_legend_item(item, lang) for item in data.legend],
        "nodes": [_node(node, data, lang) for node in data.nodes],
        "edges": [_edge(edge, lang) for edge in data.edges],
        "columns": [_column(column, lang) for column in data.columns],
        "groups": {by: [_group(by, g, lang) for g in found] for by, found in data.groups.items()},
    }
    if data.words is not None:
        said = data.words
        update["title"] = said.title.say(lang)
        update["filters"] = [f.say(lang) for f in said.filters]
        update["note"] = said.note.say(lang) if said.note else None
        update["empty"] = said.empty.say(lang) if said.empty else None
    return data.model_copy(update=update)


def _legend_item(item: LegendItem, lang: Language) -> LegendItem:
    if item.channel in SAID_AS_WRITTEN:
        return item.model_copy(update={"label": gettext(item.label, lang)})
    section = LEGEND_SECTIONS[item.channel]
    return item.model_copy(update={"label": label(section, item.key, lang)})  # type: ignore[arg-type]


def _node(node: MapNode, data: MapData, lang: Language) -> MapNode:
    if node.kind == "cluster":
        return _cluster(node, data, lang)
    sectors, countries = _english_keys()
    return node.model_copy(
        update={
            "movement_label": node.movement and label("movements", node.movement, lang),
            "type_label": node.type and label("organization_types", node.type, lang),
            "distance_label": None
            if node.distance is None
            else enc.distance_label(node.distance, lang),
            "countries": [country_name(countries.get(c, c), lang) for c in node.countries],
            "sectors": [
                label("sectors", sectors[s], lang) if s in sectors else s for s in node.sectors
            ],
            "status": node.status and label("organization_statuses", node.status, lang).lower(),
        }
    )


def _cluster(node: MapNode, data: MapData, lang: Language) -> MapNode:
    """A cluster's words: the group it opens (the filter its address adds to the map's own)."""
    added = {k: v for k, v in (node.opens or {}).items() if data.query.get(k) != v}
    if len(added) != 1 or node.count is None:
        return node
    [(by, key)] = added.items()
    group = value_label(by, key, lang)
    return node.model_copy(
        update={
            "label": cluster_label(group, node.count, lang),
            "name": cluster_name(group, node.count, lang),
            "movement_label": node.movement and label("movements", node.movement, lang),
        }
    )


def _edge(edge: MapEdge, lang: Language) -> MapEdge:
    if edge.kind == "aggregate":
        summed = summed_label(edge.count or 0, edge.inferred_count or 0, lang)
        return edge.model_copy(update={"label": summed})
    return edge.model_copy(
        update={
            "label": enc.relationship_label(edge.type, lang) if edge.type else edge.label,
            "mechanisms": [
                label("mechanisms", m.replace(" ", "_"), lang).lower() for m in edge.mechanisms
            ],
            "since_label": since_words(edge.since, edge.reported, lang),
            "status": edge.status and label("relationship_statuses", edge.status, lang).lower(),
        }
    )


def _column(column: Column, lang: Language) -> Column:
    hops = {enc.distance_label(h): h for h in range(MAX_HOPS)}.get(column.label)
    if hops is None:
        return column
    return column.model_copy(update={"label": enc.distance_label(hops, lang)})


def _group(by: str, group: Group, lang: Language) -> Group:
    return group.model_copy(update={"label": value_label(by, group.key, lang)})


@cache
def _english_keys() -> tuple[dict[str, str], dict[str, str]]:
    """Sector keys by English label, and country codes by English name: a map holds the words;
    each is one term's, so the key is found back."""
    sectors = {words: key for key, words in labels("sectors").items()}
    countries = {name: code for code, name in vocabulary().countries.items()}
    return sectors, countries
