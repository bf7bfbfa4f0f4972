"""The four maps a person asks for — the ecosystem, an organisation's ties, its enablers, one
partnership — each computed once per graph version and query, then served from the cache.

Each map counts the facts its weighing admits (:func:`app.domain.evidence.weigh`): ``any``
fact, or with ``stated`` only those a source states, so a tie resting on our inference drops
out of the map (and of the clusters, the chains and the partnerships it is drawn from).

An ecosystem too large to draw one by one opens as clusters (by movement, then type, then
country, then sector); each cluster opens into the map of the same view with one more filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.analysis.ego import weighed_network
from app.analysis.snapshot import Snapshot, SnapshotCache
from app.analysis.traversal import enablers
from app.analysis.typology import partnership
from app.domain.errors import NotFound
from app.domain.evidence import Weighing, weigh
from app.domain.messages import N_, Sentence, as_written
from app.domain.models import Organization, Relationship
from app.domain.stories import SavedView
from app.domain.vocabulary import vocabulary
from app.maps import encoding as enc
from app.maps.build import (
    Cluster,
    Roles,
    View,
    cluster_map_data,
    organization_map_data,
    value_label,
    values_of,
)
from app.maps.model import MapData, MapWords
from app.store.protocol import GraphStore

DRILL_ORDER = ("movement", "type", "country", "sector")
GROUPED_BY = {
    "movement": N_("movement"),
    "type": N_("type"),
    "country": N_("country"),
    "sector": N_("sector"),
}
"""Each way of grouping in words."""
"""The order in which a large ecosystem is split into clusters, one filter deeper each time."""
STATED = Sentence(N_("stated facts only"))
"""How a map's filters say that it counts only what sources state."""


def basis_query(weighing: Weighing) -> dict[str, str]:
    """The weighing as a query parameter: none for the default (``any``), so the addresses
    and file names of maps of every fact stay as they were."""
    return {"basis": "stated"} if weighing == "stated" else {}


def basis_words(weighing: Weighing) -> tuple[Sentence, ...]:
    """The weighing as a map's filter in words: nothing for ``any``."""
    return (STATED,) if weighing == "stated" else ()


def in_year(year: int) -> Sentence:
    """A year as a map's filter: "in 2019"."""
    return Sentence(N_("in {year}"), (("year", str(year)),))


def weighed_ties(relationships: Iterable[Relationship], weighing: Weighing) -> list[Relationship]:
    """The relationships as ``weighing`` counts them (those resting on inference dropped, and
    inferred years blanked, under ``stated``), whatever their years or status."""
    return [w for w in (weigh(r, weighing) for r in relationships) if w is not None]


@dataclass(frozen=True)
class EcosystemFilters:
    """The filters of the ecosystem map; ``None`` means any."""

    country: str | None = None
    sector: str | None = None
    type: str | None = None
    movement: str | None = None
    as_of: int | None = None
    basis: Weighing = "any"

    def query(self) -> dict[str, str]:
        """The filters as query parameters, only those given."""
        pairs = {
            "country": self.country,
            "sector": self.sector,
            "type": self.type,
            "movement": self.movement,
            "as_of": None if self.as_of is None else str(self.as_of),
        }
        return {k: v for k, v in pairs.items() if v is not None} | basis_query(self.basis)

    def words(self) -> tuple[Sentence, ...]:
        """The filters as a person reads them: "Kenya", "Domestic work", "in 2019"."""
        places = (
            ("country", self.country),
            ("sector_label", self.sector),
            ("type_label", self.type),
            ("movement_label", self.movement),
        )
        words = [Sentence(f"{{{place}}}", ((place, key),)) for place, key in places if key]
        if self.as_of is not None:
            words.append(in_year(self.as_of))
        return (*words, *basis_words(self.basis))

    def matches(self, org: Organization) -> bool:
        """Whether an organisation passes every filter."""
        return (
            (self.country is None or self.country in org.countries)
            and (self.sector is None or self.sector in org.sectors)
            and (self.type is None or org.type == self.type)
            and (self.movement is None or org.movement == self.movement)
        )


def _clusters(orgs: list[Organization], by: str, query: Mapping[str, str]) -> list[Cluster]:
    """Organisations grouped by one dimension; an organisation with several countries or
    sectors is in each of their clusters, one with none in a cluster that cannot open."""
    members: dict[str, list[str]] = {}
    for org in orgs:
        for value in values_of(org, by) or [""]:
            members.setdefault(value, []).append(org.id)
    movement_of = {o.id: o.movement for o in orgs}
    clusters = []
    for value, ids in sorted(members.items()):
        movements = {movement_of[i] for i in ids}
        shape = "dot"
        if by == "type":
            shape = enc.FAMILY_SHAPES[enc.family_of(value)]
        clusters.append(
            Cluster(
                key=f"{by}:{value or 'none'}",
                label=value_label(by, value) if value else f"no {by} given",
                members=ids,
                opens={**query, by: value} if value else None,
                movement=movements.pop() if len(movements) == 1 else None,
                shape=shape,
            )
        )
    return clusters


def _ties_among(relationships: Iterable[Relationship], ids: set[str]) -> list[Relationship]:
    return [r for r in relationships if r.source in ids and r.target in ids]


def ecosystem_map(snapshots: SnapshotCache, filters: EcosystemFilters, limit: int) -> MapData:
    """The organisations that pass the filters, one by one up to ``limit``, else as clusters."""
    snapshot = snapshots.get(filters.as_of, filters.basis)
    key = f"map ecosystem {sorted(filters.query().items())} {limit}"
    return snapshot.remember(key, lambda: _ecosystem(snapshots, snapshot, filters, limit))


def _ecosystem(
    snapshots: SnapshotCache, snapshot: Snapshot, filters: EcosystemFilters, limit: int
) -> MapData:
    orgs = [o for _, o in sorted(snapshot.organizations.items()) if filters.matches(o)]
    words = filters.words()
    view = View(
        kind="ecosystem",
        path="ecosystem",
        query=filters.query(),
        title=Sentence(N_("Ecosystem: {filters}"), (("filters", words),))
        if words
        else Sentence(N_("Ecosystem")),
        filters=words,
        as_of=filters.as_of,
        version=snapshot.version,
    )
    ties = weighed_ties(snapshots.document().relationships, filters.basis)
    if len(orgs) <= limit:
        ids = {o.id for o in orgs}
        empty = None
        if not orgs:
            empty = (
                Sentence(
                    N_("No organisation matches these filters ({filters})."), (("filters", words),)
                )
                if words
                else Sentence(N_("The graph holds no organisation yet."))
            )
        return organization_map_data(view, orgs, _ties_among(ties, ids), empty=empty)
    query = filters.query()
    for by in DRILL_ORDER:
        if by in query:
            continue
        clusters = _clusters(orgs, by, query)
        if len(clusters) > 1:
            note = Sentence(
                N_(
                    "{count} organisations are too many to draw one by one (the limit is "
                    "{limit}), so they are grouped by {by}. Click a group to open it."
                ),
                (("count", len(orgs)), ("limit", limit), ("by", Sentence(GROUPED_BY[by]))),
            )
            in_force = snapshot.relationships.values()
            return cluster_map_data(view, clusters, in_force, total=len(orgs), note=note)
    degree = Counter(end for r in snapshot.relationships.values() for end in (r.source, r.target))
    kept = sorted(orgs, key=lambda o: (-degree[o.id], o.id))[:limit]
    ids = {o.id for o in kept}
    note = Sentence(
        N_("Showing the {limit} most connected of {count} organisations."),
        (("limit", limit), ("count", len(orgs))),
    )
    return organization_map_data(view, kept, _ties_among(ties, ids), note=note)


def organization_map(
    store: GraphStore,
    snapshots: SnapshotCache,
    organization_id: str,
    depth: int,
    limit: int,
    weighing: Weighing = "any",
) -> MapData:
    """An organisation and everyone within ``depth`` ties of it, nearest first up to ``limit``;
    with ``weighing="stated"``, only as far as ties a source states reach."""
    snapshot = snapshots.get(None, weighing)
    key = f"map organization {organization_id} {depth} {limit}"
    return snapshot.remember(
        key,
        lambda: _organization(store, snapshot.version, organization_id, depth, limit, weighing),
    )


def _organization(
    store: GraphStore,
    version: int,
    organization_id: str,
    depth: int,
    limit: int,
    weighing: Weighing,
) -> MapData:
    sub = store.ego_network(organization_id, depth)
    centre = next(o for o in sub.organizations if o.id == organization_id)
    sub = weighed_network(sub, organization_id, depth, weighing)
    orgs = sub.organizations
    note = None
    if len(orgs) > limit:
        degree = Counter(end for r in sub.relationships for end in (r.source, r.target))
        distance = sub.distances
        orgs = sorted(orgs, key=lambda o: (distance.get(o.id, 0), -degree[o.id], o.id))[:limit]
        note = Sentence(
            N_("Showing the {limit} nearest of {count} organisations."),
            (("limit", limit), ("count", len(sub.organizations))),
        )
    view = View(
        kind="organization",
        path=f"organizations/{organization_id}",
        query=({} if depth == 1 else {"depth": str(depth)}) | basis_query(weighing),
        title=Sentence(N_("{name} and its ties"), (("name", centre.name),)),
        filters=(
            () if depth == 1 else (Sentence(N_("{steps} steps out"), (("steps", str(depth)),)),)
        )
        + basis_words(weighing),
        as_of=None,
        version=version,
    )
    ids = {o.id for o in orgs}
    ties = _ties_among(sub.relationships, ids)
    empty = None
    if not orgs:
        empty = _inferred_only(centre)
    elif not ties:
        empty = Sentence(
            N_("{name} has no ties recorded.")
            if weighing == "any"
            else N_("{name} has no ties that a source states."),
            (("name", centre.short_name()),),
        )
    return organization_map_data(view, orgs, ties, Roles(centre=organization_id), empty, note)


def enablers_map(
    store: GraphStore,
    snapshots: SnapshotCache,
    organization_id: str,
    depth: int,
    as_of: int | None,
    weighing: Weighing = "any",
) -> MapData:
    """The chain of enablers of an organisation, in columns by distance, with the brief's
    enabling mode of each enabler as its outline, and every enabling tie among them that
    ``weighing`` counts."""
    snapshot = snapshots.get(as_of, weighing)
    key = f"map enablers {organization_id} {depth}"
    return snapshot.remember(
        key,
        lambda: _enablers(
            store, snapshots, snapshot.version, organization_id, depth, as_of, weighing
        ),
    )


def _enablers(
    store: GraphStore,
    snapshots: SnapshotCache,
    version: int,
    organization_id: str,
    depth: int,
    as_of: int | None,
    weighing: Weighing,
) -> MapData:
    centre = store.get_organization(organization_id)
    links = enablers(store, organization_id, depth, as_of, weighing=weighing)
    query = {} if depth == 3 else {"depth": str(depth)}
    if as_of is not None:
        query["as_of"] = str(as_of)
    year = as_of if as_of is not None else date.today().year
    view = View(
        kind="enablers",
        path=f"organizations/{organization_id}/enablers",
        query=query | basis_query(weighing),
        title=Sentence(N_("Who enables {name}"), (("name", centre.name),))
        if as_of is None
        else Sentence(
            N_("Who enables {name} in {year}"), (("name", centre.name), ("year", str(as_of)))
        ),
        filters=(Sentence(N_("up to {steps} steps"), (("steps", str(depth)),)),)
        + ((in_year(as_of),) if as_of is not None else ())
        + basis_words(weighing),
        as_of=as_of,
        version=version,
    )
    roles = Roles(
        centre=organization_id,
        distances={organization_id: 0, **{link.organization.id: link.hops for link in links}},
        modes={link.organization.id: link.partner_mode for link in links},
    )
    chain = {organization_id, *(link.organization.id for link in links)}
    enabling = vocabulary().enabling_types
    ties = [
        r
        for r in _ties_among(weighed_ties(snapshots.document().relationships, weighing), chain)
        if r.type in enabling
    ]
    if weigh(centre, weighing) is None:
        return organization_map_data(view, [], [], roles, _inferred_only(centre))
    empty = None
    if not links:
        empty = Sentence(
            N_("{name} has no enablers in force in {year}.")
            if weighing == "any"
            else N_("{name} has no enablers that a source states in force in {year}."),
            (("name", centre.short_name()), ("year", str(year))),
        )
    return organization_map_data(
        view, [centre, *(link.organization for link in links)], ties, roles, empty
    )


def _inferred_only(org: Organization) -> Sentence:
    """Why a map of stated facts around ``org`` is empty."""
    return Sentence(
        N_("{name} rests on our inference only, so a map of {stated} leaves it out."),
        (("name", org.short_name()), ("stated", STATED)),
    )


def partnership_map(
    snapshots: SnapshotCache, partnership_id: str, as_of: int | None, weighing: Weighing = "any"
) -> MapData:
    """One partnership: its union-side members, its SSE unit, its enablers, and their ties,
    as ``weighing`` counts them (a partnership that rests on inference is not there with
    ``stated``)."""
    snapshot = snapshots.get(as_of, weighing)
    found = partnership(snapshot, partnership_id.removeprefix("partnership-"))
    if found is None or found.id != partnership_id:
        raise NotFound("partnership", partnership_id)
    kind = (
        Sentence(N_("type {number}"), (("number", str(found.type)),))
        if found.type
        else Sentence(N_("no type"))
    )
    unit = snapshot.organizations[found.sse_unit]
    view = View(
        kind="partnership",
        path=f"partnerships/{partnership_id}",
        query=({} if as_of is None else {"as_of": str(as_of)}) | basis_query(weighing),
        title=Sentence(
            N_("Partnership around {unit} ({kind})"), (("unit", unit.name), ("kind", kind))
        ),
        filters=(() if as_of is None else (in_year(as_of),)) + basis_words(weighing),
        as_of=as_of,
        version=snapshot.version,
    )

    def compute() -> MapData:
        ids = {*found.members, *found.enablers}
        orgs = [snapshot.organizations[i] for i in sorted(ids)]
        ties = _ties_among(weighed_ties(snapshots.document().relationships, weighing), ids)
        return organization_map_data(view, orgs, ties, Roles(centre=found.sse_unit))

    return snapshot.remember(f"map partnership {partnership_id}", compute)


def saved_view_map(
    store: GraphStore, snapshots: SnapshotCache, view: SavedView, limit: int
) -> MapData:
    """The map a saved view names, with the organisations its curator pinned where placed."""
    ref = view.map
    if ref.kind == "ecosystem":
        filters = EcosystemFilters(
            country=ref.country,
            sector=ref.sector,
            type=ref.type,
            movement=ref.movement,
            as_of=ref.year,
            basis=ref.basis,
        )
        data = ecosystem_map(snapshots, filters, limit)
    elif ref.focus is None:
        raise ValueError("a saved view of an organisation or partnership names its focus")
    elif ref.kind == "organization":
        data = organization_map(store, snapshots, ref.focus, ref.depth or 1, limit, ref.basis)
    elif ref.kind == "enablers":
        data = enablers_map(store, snapshots, ref.focus, ref.depth or 3, ref.year, ref.basis)
    else:
        data = partnership_map(snapshots, ref.focus, ref.year, ref.basis)
    nodes = [
        node.model_copy(update=dict(zip(("x", "y"), view.pinned[node.id], strict=True)))
        if node.id in view.pinned
        else node
        for node in data.nodes
    ]
    kept = data.words
    said = MapWords(as_written(view.title), kept.filters, kept.note, kept.empty) if kept else None
    return data.model_copy(update={"nodes": nodes, "title": view.title, "words": said})
