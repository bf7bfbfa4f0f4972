"""Where the ecosystem is thin: a country-by-sector coverage matrix and a list of gaps.

Written for funders and enabling partners, whom the brief ("Ways forward") asks to build an
enabling ecosystem and to give direct support for partnership development. Each gap names
the organisations concerned and says, in a sentence, which finding of the brief it answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from app.analysis.snapshot import Snapshot
from app.analysis.typology import UNION_SIDE, partnerships
from app.domain.vocabulary import vocabulary

GapKind = Literal[
    "worker_organisation_without_union_ally",
    "single_enabler_dependency",
    "partnership_without_enabler",
    "cell_without_sse_unit",
    "single_point_of_failure",
]
GAP_KINDS: tuple[GapKind, ...] = (
    "worker_organisation_without_union_ally",
    "single_enabler_dependency",
    "partnership_without_enabler",
    "cell_without_sse_unit",
    "single_point_of_failure",
)
"""Every kind of gap, in the order :func:`gaps` lists them."""


@dataclass(frozen=True)
class CoverageCell:
    """How many organisations of each family list both ``country`` and ``sector``."""

    country: str
    sector: str
    unions: int
    worker_organisations: int
    sse_units: int
    enablers: int


@dataclass(frozen=True)
class Coverage:
    """Every country-by-sector cell over the countries and sectors that occur together."""

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True)
class Gap:
    """One gap: its kind, the organisations concerned, its cell if any, and why it matters."""

    kind: GapKind
    organizations: tuple[str, ...]
    country: str | None
    sector: str | None
    why: str


def coverage(
    snapshot: Snapshot, *, country: str | None = None, sector: str | None = None
) -> Coverage:
    """The coverage matrix, row by row (country, then sector), including empty cells.

    Its axes are the countries and sectors listed by organisations that list at least one of
    each, narrowed to ``country`` and ``sector`` when given. Public bodies are not counted.
    """
    placed = [o for o in snapshot.organizations.values() if o.countries and o.sectors]
    countries = sorted({c for o in placed for c in o.countries if country is None or c == country})
    sectors = sorted({s for o in placed for s in o.sectors if sector is None or s == sector})
    counts: dict[tuple[str, str, str], int] = {}
    for org in placed:
        family = snapshot.family(org.id)
        for key in ((c, s, family) for c in org.countries for s in org.sectors):
            counts[key] = counts.get(key, 0) + 1
    cells = tuple(
        CoverageCell(
            country=c,
            sector=s,
            unions=counts.get((c, s, "unions"), 0),
            worker_organisations=counts.get((c, s, "worker_organisations"), 0),
            sse_units=counts.get((c, s, "sse_units"), 0),
            enablers=counts.get((c, s, "enablers"), 0),
        )
        for c in countries
        for s in sectors
    )
    return Coverage(countries=tuple(countries), sectors=tuple(sectors), cells=cells)


def gaps(
    snapshot: Snapshot, *, country: str | None = None, sector: str | None = None
) -> tuple[Gap, ...]:
    """Every gap, by kind in :data:`GAP_KINDS` order, then by organisations, country, sector.

    ``country`` and ``sector`` keep a cell's gap when the cell matches, and any other gap when
    one of its organisations lists that country or sector.
    """
    found = [
        *worker_organisations_without_union_ally(snapshot),
        *single_enabler_dependencies(snapshot),
        *partnerships_without_enabler(snapshot),
        *cells_without_sse_unit(snapshot),
        *single_points_of_failure(snapshot),
    ]
    kept = [g for g in found if _matches(snapshot, g, country, sector)]
    return tuple(
        sorted(
            kept,
            key=lambda g: (
                GAP_KINDS.index(g.kind),
                g.organizations,
                g.country or "",
                g.sector or "",
            ),
        )
    )


def worker_organisations_without_union_ally(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Informal workers' organisations with no tie, of any type, to a union or federation."""
    found: list[Gap] = []
    for org_id in sorted(snapshot.organizations):
        if snapshot.family(org_id) != "worker_organisations":
            continue
        if any(snapshot.family(n) == "unions" for n in snapshot.undirected[org_id]):
            continue
        name = snapshot.organizations[org_id].short_name()
        why = (
            f"{name} organises informal economy workers but has no tie to any trade union or "
            "federation; the brief finds such organisations at times left off union agendas, "
            "and partnerships with unions are what bring them into social dialogue (sections "
            "'Gaps in trade union support to informal economy workers' and 'Conducive policy "
            "and regulatory environment')."
        )
        found.append(_gap("worker_organisation_without_union_ally", [org_id], why))
    return tuple(found)


def single_enabler_dependencies(snapshot: Snapshot) -> tuple[Gap, ...]:
    """SSE units whose enabling relationships all come from one organisation.

    The gap lists the SSE unit, then that one enabler.
    """
    enabling = vocabulary().enabling_types
    found: list[Gap] = []
    for org_id in sorted(snapshot.organizations):
        if snapshot.family(org_id) != "sse_units":
            continue
        sources = {r.source for r in snapshot.incoming(org_id) if r.type in enabling}
        if len(sources) != 1:
            continue
        (enabler,) = sources
        unit, sole = (snapshot.organizations[i].short_name() for i in (org_id, enabler))
        why = (
            f"All enabling support for {unit} comes from {sole}; the brief names funding gaps "
            "as a persistent challenge (section 'Internal challenges within partnership "
            "organizations'), and its Box 6 shows a savings cooperative seeded from a single "
            "source collapsing and then waiting on new seed funds to revive it."
        )
        found.append(_gap("single_enabler_dependency", [org_id, enabler], why))
    return tuple(found)


def partnerships_without_enabler(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Partnerships (see :mod:`app.analysis.typology`) with no enabler outside their members."""
    found: list[Gap] = []
    for p in partnerships(snapshot):
        if p.enablers:
            continue
        unit = snapshot.organizations[p.sse_unit].short_name()
        why = (
            f"The partnership around {unit} has no enabling partner outside its members; the "
            "brief warns that unions and informal workers' organisations starting SSE "
            "initiatives may lack the know-how to make them viable and have weak links to SSE "
            "practitioners and facilitators who could help (section 'Gaps in trade union "
            "support to informal economy workers'), and asks for a broad enabling ecosystem "
            "('Ways forward')."
        )
        found.append(_gap("partnership_without_enabler", p.members, why))
    return tuple(found)


def cells_without_sse_unit(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Country-by-sector cells with unions or informal workers' organisations but no SSE unit.

    The gap lists the union-side organisations of the cell.
    """
    in_cell: dict[tuple[str, str], list[str]] = {}
    for org in snapshot.organizations.values():
        if snapshot.family(org.id) in UNION_SIDE:
            for country in org.countries:
                for sector in org.sectors:
                    in_cell.setdefault((country, sector), []).append(org.id)
    found: list[Gap] = []
    for cell in coverage(snapshot).cells:
        if cell.sse_units or not (cell.unions or cell.worker_organisations):
            continue
        union_side = sorted(in_cell.get((cell.country, cell.sector), []))
        names = ", ".join(snapshot.organizations[i].short_name() for i in union_side)
        why = (
            f"In {cell.country}, the {cell.sector} sector has union-side organisations "
            f"({names}) but no SSE unit; the brief's most common partnership is a union or "
            "informal workers' organisation establishing an SSE unit (partnership types "
            "table, type 1), and it asks for direct support to develop such partnerships "
            "('Ways forward')."
        )
        found.append(_gap("cell_without_sse_unit", union_side, why, cell.country, cell.sector))
    return tuple(found)


def single_points_of_failure(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Articulation points of the enabling network that both receive and give support.

    The network is the enabling graph taken undirected, over the organisations with an
    enabling tie. Removing an articulation point splits its part of the network; when it is
    both enabled and enabling, some organisation that supported it and some that it supported
    always end up apart (every neighbour is one or the other), so every chain of support
    between them ran through it.
    """
    directed = snapshot.enabling
    network = directed.to_undirected()
    network.remove_nodes_from([n for n, degree in list(network.degree) if degree == 0])
    found: list[Gap] = []
    for org_id in sorted(nx.articulation_points(network)):
        if not (directed.in_degree(org_id) and directed.out_degree(org_id)):
            continue
        name = snapshot.organizations[org_id].short_name()
        why = (
            f"Enabling support runs through {name}: without it, some organisations that "
            "support it would have no chain of support left to some of those it supports; the "
            "brief notes that an enabling partner's role may be short-term or ad hoc "
            "(partnership types table, type 3) and asks for a broad ecosystem of support "
            "reaching past the primary partnership organisations (section 'A broad ecosystem "
            "of support')."
        )
        found.append(_gap("single_point_of_failure", [org_id], why))
    return tuple(found)


def _gap(
    kind: GapKind,
    organizations: Iterable[str],
    why: str,
    country: str | None = None,
    sector: str | None = None,
) -> Gap:
    return Gap(kind, tuple(organizations), country, sector, why)


def _matches(snapshot: Snapshot, gap: Gap, country: str | None, sector: str | None) -> bool:
    """Whether ``gap`` falls in the ``country`` and ``sector`` filters (``None``: any)."""
    orgs = [snapshot.organizations[i] for i in gap.organizations]
    in_country = country is None or (
        gap.country == country if gap.country else any(country in o.countries for o in orgs)
    )
    in_sector = sector is None or (
        gap.sector == sector if gap.sector else any(sector in o.sectors for o in orgs)
    )
    return in_country and in_sector
