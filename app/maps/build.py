"""Map data from organisations and relationships: encoded nodes and edges with fixed positions.

``organization_map_data`` draws organisations one by one; ``cluster_map_data`` draws groups of
organisations that each open into a map of their own. Both lay the map out once, here, so
every page, embed and export of the same view shows the same picture. Everything a person
reads travels as data and is put on a page as text, never as markup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from babel.numbers import format_decimal

from app.domain.evidence import evidence_years, inferred_fields, record_basis
from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, Sentence, gettext, ngettext
from app.domain.models import Organization, Relationship
from app.domain.terms import Section
from app.domain.terms import label as term_label
from app.domain.timeline import relationship_in_force, relationship_start, reported
from app.domain.vocabulary import vocabulary
from app.maps import encoding as enc
from app.maps.layout import Box, Point, curves, force_layout, layered_layout
from app.maps.model import (
    Column,
    Group,
    LegendItem,
    MapData,
    MapEdge,
    MapKind,
    MapNode,
    MapWords,
)

LABEL_LENGTH = 28
CHAR_PX = 7.0
"""Average width of a character of the 12 px label font, for sizing boxes in the layout."""
GROUPINGS = ("movement", "country", "type")


@dataclass(frozen=True)
class View:
    """What a map is of: its kind, path and query, title, filters in words and year."""

    kind: MapKind
    path: str
    query: dict[str, str]
    title: Sentence
    filters: tuple[Sentence, ...]
    as_of: int | None
    version: int

    def data(
        self, note: Sentence | None = None, empty: Sentence | None = None, **drawn: Any
    ) -> MapData:
        """The map of this view, given what it draws (nodes, edges, legend, ...) and what it
        says of them; its words in English, and kept to be said in other languages."""
        words = MapWords(self.title, self.filters, note, empty)
        return MapData(
            kind=self.kind,
            path=self.path,
            query=self.query,
            title=self.title.say(),
            filters=[f.say() for f in self.filters],
            as_of=self.as_of,
            version=self.version,
            note=note.say() if note else None,
            empty=empty.say() if empty else None,
            words=words,
            **drawn,
        )


@dataclass(frozen=True)
class Roles:
    """What the organisations of an enabling chain are to its centre."""

    centre: str | None = None
    distances: dict[str, int] = field(default_factory=dict)
    modes: dict[str, Literal["direct", "indirect"]] = field(default_factory=dict)


def label(org: Organization) -> str:
    """A short label: the first alias (usually the acronym) or the name, cut to fit."""
    text = org.short_name()
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def box(text: str, size: float) -> Box:
    """The room a node takes in the layout: its shape with its label below, plus a margin."""
    return max(size * 2, len(text) * CHAR_PX) + 18, size * 2 + 30


def _country_names(codes: Iterable[str]) -> list[str]:
    countries = vocabulary().countries
    return [countries.get(code, code) for code in codes]


def _outline(centre: bool, mode: str | None) -> float:
    """The organisation asked about and the brief's enabling mode each have their outline."""
    if centre:
        return enc.OUTLINE_WIDTHS["centre"]
    return enc.OUTLINE_WIDTHS[mode] if mode else 1.0


def _node(org: Organization, at: Point, rank: int, roles: Roles) -> MapNode:
    family = enc.family_of(org.type)
    centre = org.id == roles.centre
    mode = roles.modes.get(org.id)
    distance = roles.distances.get(org.id)
    return MapNode(
        id=org.id,
        kind="organization",
        label=label(org),
        name=org.name,
        x=at[0],
        y=at[1],
        colour=enc.MOVEMENT_COLOURS[org.movement],
        shape=enc.FAMILY_SHAPES[family],
        size=enc.CENTRE_SIZE if centre else enc.NODE_SIZE,
        outline=_outline(centre, mode),
        rank=rank,
        movement=org.movement,
        movement_label=enc.MOVEMENT_LABELS[org.movement],
        family=family,
        type=org.type,
        type_label=enc.term_label(org.type),
        role="centre" if centre else None,
        distance=distance,
        distance_label=enc.distance_label(distance) if distance is not None else None,
        partner_mode=mode,
        aliases=org.aliases,
        countries=_country_names(org.countries),
        sectors=[enc.term_label(s) for s in org.sectors],
        status=org.status,
        founded=org.founded,
        reported=_first_evidence(org) if org.founded is None else None,
        basis=record_basis(org),
        inferred_fields=shown_inferences(org),
        sources=org.sources,
    )


def _first_evidence(record: Organization | Relationship) -> int | None:
    years = evidence_years(record)
    return years[0] if years else None


def shown_inferences(record: Organization | Relationship) -> list[str]:
    """The inferred fields that hold a value: those a map shows. A field the ``stated``
    weighing blanked shows nothing inferred, so it is not marked."""
    return [f for f in inferred_fields(record) if getattr(record, f) not in (None, [])]


def drawn_as_inferred(rel: Relationship) -> bool:
    """Whether a map draws ``rel`` as our inference: the tie itself rests on inference, or its
    type (:data:`app.maps.encoding.DRAWN_FIELDS`) holds an inferred value."""
    return record_basis(rel) == "inferred" or not enc.DRAWN_FIELDS.isdisjoint(shown_inferences(rel))


def since_label(rel: Relationship) -> str:
    """The tie's start in words: its year, else "undated, reported in" its earliest evidence."""
    return since_words(rel.since, reported(rel))


def since_words(since: int | None, first_reported: int | None, lang: Language = DEFAULT) -> str:
    """A start year in words: the year, else "undated, reported in" the first report's year,
    else "undated"."""
    if since is not None:
        return str(since)
    if first_reported is None:
        return gettext(N_("undated"), lang)
    return gettext(N_("undated, reported in {year}"), lang).format(year=first_reported)


def _edge(rel: Relationship, curve: float, years: Sequence[int], as_of: int | None) -> MapEdge:
    style = enc.LINE_STYLES[rel.type]
    inferred = drawn_as_inferred(rel)
    return MapEdge(
        id=rel.id,
        kind="relationship",
        type=rel.type,
        label=enc.relationship_label(rel.type),
        source=rel.source,
        target=rel.target,
        colour=style.colour,
        width=style.width,
        dashes=list(enc.INFERRED_DASHES if inferred else style.dashes),
        arrow=not enc.is_symmetric(rel.type),
        curve=curve,
        mode=rel.mode,
        mechanisms=[m.replace("_", " ") for m in rel.mechanisms],
        since=rel.since,
        until=rel.until,
        status=rel.status,
        undated=rel.since is None,
        reported=reported(rel),
        since_label=since_label(rel),
        in_force=relationship_in_force(rel, as_of),
        years=[y for y in years if relationship_in_force(rel, y)],
        basis=record_basis(rel),
        inferred_fields=shown_inferences(rel),
        inferred=inferred,
        sources=rel.sources,
    )


def tie_years(relationships: Iterable[Relationship]) -> list[int]:
    """The years in which some tie starts (its ``since``, else the year it was first reported,
    as :func:`app.domain.timeline.relationship_start` says) or ends: the slider's stops."""
    return sorted(
        {y for r in relationships for y in (relationship_start(r), r.until) if y is not None}
    )


def _ranks(ids: Iterable[str], degree: Mapping[str, int]) -> dict[str, int]:
    ordered = sorted(ids, key=lambda i: (-degree.get(i, 0), i))
    return {node: rank for rank, node in enumerate(ordered)}


def values_of(org: Organization, by: str) -> list[str]:
    """An organisation's values of one dimension: its movement, type, countries or sectors."""
    if by == "movement":
        return [org.movement]
    if by == "type":
        return [org.type]
    return list(org.countries if by == "country" else org.sectors)


def value_label(by: str, value: str, lang: Language = DEFAULT) -> str:
    """A dimension's value in words: "Kenya", "Social and solidarity economy", "Cooperative"."""
    if by == "country":
        return country_name(value, lang)
    return term_label(GROUPED_SECTIONS[by], value, lang)


GROUPED_SECTIONS: dict[str, Section] = {
    "movement": "movements",
    "type": "organization_types",
    "sector": "sectors",
}
"""The vocabulary section of each dimension a map groups by, but countries."""


def _groups(orgs: Sequence[Organization]) -> dict[str, list[Group]]:
    """Organisations by movement, first country and type, for clusters a person makes."""
    result: dict[str, list[Group]] = {}
    for by in GROUPINGS:
        members: dict[str, list[str]] = {}
        for org in orgs:
            for value in values_of(org, by)[:1]:
                members.setdefault(value, []).append(org.id)
        result[by] = [
            Group(key=k, label=value_label(by, k), members=sorted(ids))
            for k, ids in sorted(members.items())
        ]
    return result


def organization_map_data(
    view: View,
    organizations: Iterable[Organization],
    relationships: Iterable[Relationship],
    roles: Roles | None = None,
    empty: Sentence | None = None,
    note: Sentence | None = None,
) -> MapData:
    """Every organisation drawn, with every tie among them that is not merely planned.

    Ties not in force in the view's year are carried hidden, so the year slider can show
    them; the layout counts them, so nodes keep their place as the years change. With
    ``roles.distances`` the map is laid out in columns by distance (an enabling chain).
    """
    roles = roles or Roles()
    orgs = sorted(organizations, key=lambda o: o.id)
    present = {o.id for o in orgs}
    rels = sorted(
        (
            r
            for r in relationships
            if r.source in present and r.target in present and r.status != "planned"
        ),
        key=lambda r: r.id,
    )
    degree = Counter(end for r in rels for end in (r.source, r.target))
    boxes = {
        o.id: box(label(o), enc.CENTRE_SIZE if o.id == roles.centre else enc.NODE_SIZE)
        for o in orgs
    }
    pairs = [(r.source, r.target) for r in rels]
    columns: list[Column] = []
    if roles.distances:
        positions = layered_layout(roles.distances, pairs, boxes)
        for hops in sorted(set(roles.distances.values())):
            xs = [positions[n][0] for n, d in roles.distances.items() if d == hops]
            columns.append(Column(x=round(sum(xs) / len(xs), 1), label=enc.distance_label(hops)))
    else:
        positions = force_layout(list(present), pairs, boxes)
    ranks = _ranks(present, degree)
    years = tie_years(rels)
    nodes = [_node(o, positions[o.id], ranks[o.id], roles) for o in orgs]
    edges = [_edge(r, bend, years, view.as_of) for r, bend in zip(rels, curves(pairs), strict=True)]
    legend = enc.legend(
        (o.movement for o in orgs),
        (enc.family_of(o.type) for o in orgs),
        (r.type for r in rels),
        roles.modes.values(),
        inferred=any(e.inferred for e in edges),
    )
    if len(columns) > 1:
        legend.append(COLUMN_LEGEND)
    return view.data(
        total=len(orgs),
        note=note,
        empty=empty,
        nodes=nodes,
        edges=edges,
        legend=legend,
        groups=_groups(orgs),
        years=years,
        columns=columns,
    )


COLUMN_LEGEND = LegendItem(
    channel="column",
    key="distance",
    label=N_("how far from the organisation asked about, named over each column"),
    colour="#566573",
)
"""The legend line of a layered map: its columns are distances in the enabling chain."""


@dataclass(frozen=True)
class Cluster:
    """Organisations drawn as one node: their key, words, members and how to open them."""

    key: str
    label: str
    members: list[str]
    opens: dict[str, str] | None
    movement: str | None = None
    shape: str = "dot"


def cluster_label(group: str, count: int, lang: Language = DEFAULT) -> str:
    """A cluster's label on the map: "Kenya (120)"."""
    return f"{group} ({format_decimal(count, locale=lang)})"


def cluster_name(group: str, count: int, lang: Language = DEFAULT) -> str:
    """What a cluster holds, in words: "120 organisations: Kenya"."""
    said = gettext(N_("{count} organisations: {group}"), lang)
    return said.format(count=format_decimal(count, locale=lang), group=group)


def summed_label(count: int, inferred: int, lang: Language = DEFAULT) -> str:
    """An aggregate line's words: "12 ties", "12 ties, 3 inferred"."""
    ties = ngettext("{count} tie", "{count} ties", count, lang)
    said = ties.format(count=format_decimal(count, locale=lang))
    if not inferred:
        return said
    more = gettext(N_("{ties}, {inferred} inferred"), lang)
    return more.format(ties=said, inferred=format_decimal(inferred, locale=lang))


def cluster_map_data(
    view: View,
    clusters: Sequence[Cluster],
    relationships: Iterable[Relationship],
    total: int,
    note: Sentence | None,
) -> MapData:
    """One node per cluster, sized by its members, and one line per pair of clusters whose
    members are tied, labelled with how many ties it sums and how many of those are our
    inference (each member counts in its first cluster only); dashed if all of them are."""
    home: dict[str, str] = {}
    for cluster in clusters:
        for member in cluster.members:
            home.setdefault(member, cluster.key)
    summed: Counter[tuple[str, str]] = Counter()
    inferred: Counter[tuple[str, str]] = Counter()
    for rel in relationships:
        a, b = home.get(rel.source), home.get(rel.target)
        if a is not None and b is not None and a != b:
            summed[(min(a, b), max(a, b))] += 1
            inferred[(min(a, b), max(a, b))] += drawn_as_inferred(rel)
    sizes = {c.key: 12 + 5 * len(c.members) ** 0.35 for c in clusters}
    text = {c.key: cluster_label(c.label, len(c.members)) for c in clusters}
    boxes = {key: box(text[key], sizes[key]) for key in sizes}
    positions = force_layout(list(sizes), list(summed), boxes)
    ranks = _ranks(sizes, {c.key: len(c.members) for c in clusters})
    nodes = [
        MapNode(
            id=f"cluster:{c.key}",
            kind="cluster",
            label=text[c.key],
            name=cluster_name(c.label, len(c.members)),
            x=positions[c.key][0],
            y=positions[c.key][1],
            colour=enc.MOVEMENT_COLOURS[c.movement] if c.movement else enc.CLUSTER_COLOUR,
            shape=c.shape,
            size=round(sizes[c.key], 1),
            outline=1.0,
            rank=ranks[c.key],
            movement=c.movement,
            movement_label=enc.MOVEMENT_LABELS[c.movement] if c.movement else None,
            count=len(c.members),
            opens=c.opens,
        )
        for c in sorted(clusters, key=lambda c: c.key)
    ]
    edges = [
        MapEdge(
            id=f"ties:{a}:{b}",
            kind="aggregate",
            label=summed_label(count, inferred[(a, b)]),
            source=f"cluster:{a}",
            target=f"cluster:{b}",
            colour=enc.CLUSTER_COLOUR,
            width=round(1 + min(count, 1000) ** 0.3, 1),
            dashes=list(enc.INFERRED_DASHES) if inferred[(a, b)] == count else [],
            arrow=False,
            curve=0.0,
            in_force=True,
            count=count,
            inferred_count=inferred[(a, b)],
            inferred=inferred[(a, b)] == count,
        )
        for (a, b), count in sorted(summed.items())
    ]
    legend = enc.legend(
        (c.movement for c in clusters if c.movement),
        (),
        (),
        clusters=True,
        inferred=any(e.inferred for e in edges),
    )
    return view.data(
        total=total,
        note=note,
        nodes=nodes,
        edges=edges,
        legend=legend,
        groups={by: [] for by in GROUPINGS},
        years=[],
    )
