"""Where the ecosystem is thin: a country-by-sector coverage matrix and a list of gaps.

Written for funders and enabling partners, whom the brief ("Ways forward") asks to build an
enabling ecosystem and to give direct support for partnership development. Each gap names
the organisations concerned and says, in a sentence, which finding of the brief it answers.

A gap rests on an inference (:mod:`app.analysis.inference`) when one of the records it rests
on does: the organisations it names, and the ties that make it — for a single enabler, that
enabler's enabling ties into the unit; for a partnership, the records that make the
partnership (:mod:`app.analysis.typology`); for a point of failure, its enabling ties in and
out; for funding sought, the SEEKS_FUNDING_FOR tie. A gap that is an absence (no union ally,
no SSE unit in a cell) rests on its organisations only: the tie it lacks is not there to
weigh, and ``basis=stated`` shows the gaps an inferred tie would fill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Literal

import networkx as nx
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from app.analysis.inference import inferred_records, ties_of
from app.analysis.snapshot import Snapshot
from app.analysis.typology import partnerships
from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, Sentence, gettext
from app.domain.models import Organization, Relationship
from app.domain.vocabulary import vocabulary

GapKind = Literal[
    "worker_organisation_without_union_ally",
    "single_enabler_dependency",
    "partnership_without_enabler",
    "cell_without_sse_unit",
    "single_point_of_failure",
    "funding_sought_not_found",
]
GAP_KINDS: tuple[GapKind, ...] = (
    "funding_sought_not_found",
    "worker_organisation_without_union_ally",
    "single_enabler_dependency",
    "partnership_without_enabler",
    "cell_without_sse_unit",
    "single_point_of_failure",
)
"""Every kind of gap, in the order :func:`gaps` lists them. Funding sought comes first: it is
the gap a funder can close at once, and a large ecosystem has more single-enabler
dependencies than a page holds, which would push it off the first page."""
FINDINGS: dict[GapKind, str] = {
    "worker_organisation_without_union_ally": N_(
        "the brief finds such organisations at times left off union agendas, and partnerships "
        "with unions are what bring them into social dialogue (sections 'Gaps in trade union "
        "support to informal economy workers' and 'Conducive policy and regulatory "
        "environment')."
    ),
    "single_enabler_dependency": N_(
        "the brief names funding gaps as a persistent challenge (section 'Internal challenges "
        "within partnership organizations'), and its Box 6 shows a savings cooperative seeded "
        "from a single source collapsing and then waiting on new seed funds to revive it."
    ),
    "partnership_without_enabler": N_(
        "the brief warns that unions and informal workers' organisations starting SSE "
        "initiatives may lack the know-how to make them viable and have weak links to SSE "
        "practitioners and facilitators who could help (section 'Gaps in trade union support "
        "to informal economy workers'), and asks for a broad enabling ecosystem ('Ways "
        "forward')."
    ),
    "cell_without_sse_unit": N_(
        "the brief's most common partnership is a union or informal workers' organisation "
        "establishing an SSE unit (partnership types table, type 1), and it asks for direct "
        "support to develop such partnerships ('Ways forward')."
    ),
    "single_point_of_failure": N_(
        "the brief notes that an enabling partner's role may be short-term or ad hoc "
        "(partnership types table, type 3) and asks for a broad ecosystem of support reaching "
        "past the primary partnership organisations (section 'A broad ecosystem of support')."
    ),
    "funding_sought_not_found": N_(
        "the brief finds funding gaps a persistent challenge, from start-up costs to the seed "
        "money NISCOF's leadership is looking for to revive its SACCO (section 'Internal "
        "challenges within partnership organizations'; Box 6)."
    ),
}
"""Per kind of gap, the brief's finding that makes it matter, closing each gap's ``why``."""


ENABLER_DEPTH = 4
"""Longest chain of enabling ties along which an enabler counts in a cell, as in the API's
``/enablers?depth=1..4``."""
COUNTED = ("unions", "worker_organisations", "sse_units")
"""The families counted in the cells they list themselves; enablers count where they reach."""


@dataclass(frozen=True)
class CellOrganizations:
    """The ids behind each number of a cell, sorted, so a page can name them."""

    unions: tuple[str, ...] = ()
    worker_organisations: tuple[str, ...] = ()
    sse_units: tuple[str, ...] = ()
    enablers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverageCell:
    """One country and sector: the unions, informal workers' organisations and SSE units that
    list both, and the organisations that enable one of them, directly or through others."""

    country: str
    sector: str
    unions: int
    worker_organisations: int
    sse_units: int
    enablers: int
    organizations: CellOrganizations


@dataclass(frozen=True)
class Coverage:
    """Every country-by-sector cell over the countries and sectors that occur together."""

    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    cells: tuple[CoverageCell, ...]


@dataclass(frozen=True)
class Gap:
    """One gap: its kind, the organisations concerned, its cell if any, why it matters, and
    whether it rests on an inference (which of its records do, by id)."""

    kind: GapKind
    organizations: tuple[str, ...]
    country: str | None
    sector: str | None
    why: str
    lead: Annotated[Sentence, Field(exclude=True), SkipJsonSchema()]
    """What was found, the start of ``why``, to be said in a reader's language (the brief's
    finding, the rest, is ``FINDINGS[kind]``); not part of an answer's JSON."""
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


def coverage(
    snapshot: Snapshot, *, country: str | None = None, sector: str | None = None
) -> Coverage:
    """The coverage matrix, row by row (country, then sector), including empty cells.

    Unions, informal workers' organisations and SSE units count in the cells they list. An
    enabler — any organisation with an enabling tie, as ``/enablers`` finds them — counts in
    the cells of those it enables within :data:`ENABLER_DEPTH` ties, once per cell, wherever
    it is based: a funder in France supporting a Colombian enterprise counts in Colombia. The
    axes are the countries and sectors that the counted organisations list together, narrowed
    to the cells of ``country`` and ``sector`` when given. Public bodies have no cells of
    their own; one that funds or enables counts as an enabler.
    """
    members = snapshot.remember("coverage cells", lambda: _cells(snapshot))
    kept = [(c, s) for c, s in members if country in (None, c) and sector in (None, s)]
    countries, sectors = sorted({c for c, _ in kept}), sorted({s for _, s in kept})
    empty = CellOrganizations()
    cells = tuple(_cell(c, s, members.get((c, s), empty)) for c in countries for s in sectors)
    return Coverage(countries=tuple(countries), sectors=tuple(sectors), cells=cells)


def _cell(country: str, sector: str, ids: CellOrganizations) -> CoverageCell:
    return CoverageCell(
        country=country,
        sector=sector,
        unions=len(ids.unions),
        worker_organisations=len(ids.worker_organisations),
        sse_units=len(ids.sse_units),
        enablers=len(ids.enablers),
        organizations=ids,
    )


def _cells(snapshot: Snapshot) -> dict[tuple[str, str], CellOrganizations]:
    """The organisations behind every cell that has any.

    The enablers of a cell come from one breadth-first search up the enabling ties from all of
    its organisations at once, so a chain shared by many of them is walked once per cell. The
    search reads plain sets of each organisation's enablers, gathered once from the ties (the
    predecessors in :attr:`Snapshot.enabling`, without a networkx view built per step).
    """
    enabling = vocabulary().enabling_types
    placed: dict[tuple[str, str], dict[str, list[str]]] = {}
    for org in sorted(snapshot.organizations.values(), key=lambda o: o.id):
        family = snapshot.family(org.id)
        if family not in COUNTED:
            continue
        for key in ((c, s) for c in org.countries for s in org.sectors):
            placed.setdefault(key, {f: [] for f in COUNTED})[family].append(org.id)
    into: dict[str, set[str]] = {}
    for tie in snapshot.relationships.values():
        if tie.type in enabling:
            into.setdefault(tie.target, set()).add(tie.source)
    cells: dict[tuple[str, str], CellOrganizations] = {}
    for key, ids in placed.items():
        frontier: set[str] = {i for family in COUNTED for i in ids[family]}
        found: set[str] = set()
        for _ in range(ENABLER_DEPTH):
            frontier = {source for target in frontier for source in into.get(target, ())} - found
            found |= frontier
        cells[key] = CellOrganizations(
            unions=tuple(ids["unions"]),
            worker_organisations=tuple(ids["worker_organisations"]),
            sse_units=tuple(ids["sse_units"]),
            enablers=tuple(sorted(found)),
        )
    return cells


def gaps(
    snapshot: Snapshot, *, country: str | None = None, sector: str | None = None
) -> tuple[Gap, ...]:
    """Every gap, by kind in :data:`GAP_KINDS` order, then by organisations, country, sector.

    ``country`` and ``sector`` keep a cell's gap when the cell matches, and any other gap when
    one of its organisations lists that country or sector.
    """
    found = [
        *funding_sought_not_found(snapshot),
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
        org = snapshot.organizations[org_id]
        lead = Sentence(
            N_(
                "{organisation} organises informal economy workers but has no tie to any "
                "trade union or federation"
            ),
            (("organisation", org.short_name()),),
        )
        found.append(
            _gap(snapshot, "worker_organisation_without_union_ally", [org_id], lead, [org])
        )
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
        unit, sole = (snapshot.organizations[i] for i in (org_id, enabler))
        lead = Sentence(
            N_("All enabling support for {unit} comes from {enabler}"),
            (("unit", unit.short_name()), ("enabler", sole.short_name())),
        )
        ties = [r for r in snapshot.incoming(org_id) if r.type in enabling]
        found.append(
            _gap(
                snapshot, "single_enabler_dependency", [org_id, enabler], lead, [unit, sole, *ties]
            )
        )
    return tuple(found)


def partnerships_without_enabler(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Partnerships (see :mod:`app.analysis.typology`) with no enabler outside their members."""
    found: list[Gap] = []
    for p in partnerships(snapshot):
        if p.enablers:
            continue
        unit = snapshot.organizations[p.sse_unit].short_name()
        lead = Sentence(
            N_("The partnership around {unit} has no enabling partner outside its members"),
            (("unit", unit),),
        )
        why = say_why("partnership_without_enabler", lead)
        marks = (p.rests_on_inference, p.inferred_records)
        found.append(Gap("partnership_without_enabler", p.members, None, None, why, lead, *marks))
    return tuple(found)


def cells_without_sse_unit(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Country-by-sector cells with unions or informal workers' organisations but no SSE unit.

    The gap lists the union-side organisations of the cell.
    """
    found: list[Gap] = []
    for cell in coverage(snapshot).cells:
        if cell.sse_units or not (cell.unions or cell.worker_organisations):
            continue
        union_side = sorted(cell.organizations.unions + cell.organizations.worker_organisations)
        listed = ", ".join(snapshot.organizations[i].short_name() for i in union_side)
        lead = Sentence(
            N_(
                "In {country}, the {sector} sector has union-side organisations ({listed}) "
                "but no SSE unit"
            ),
            (("country", cell.country), ("sector", cell.sector), ("listed", listed)),
        )
        orgs = [snapshot.organizations[i] for i in union_side]
        found.append(
            _gap(
                snapshot, "cell_without_sse_unit", union_side, lead, orgs, cell.country, cell.sector
            )
        )
    return tuple(found)


def single_points_of_failure(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Articulation points of the enabling network that both receive and give support.

    The network is the enabling graph taken undirected, over the organisations with an
    enabling tie (built from its edges alone, which leaves the others out). Removing an
    articulation point splits its part of the network; when it is both enabled and enabling,
    some organisation that supported it and some that it supported always end up apart (every
    neighbour is one or the other), so every chain of support between them ran through it.
    """
    enabling = vocabulary().enabling_types
    directed = snapshot.enabling
    network = nx.Graph(directed.edges)
    found: list[Gap] = []
    for org_id in sorted(nx.articulation_points(network)):
        if not (directed.in_degree(org_id) and directed.out_degree(org_id)):
            continue
        org = snapshot.organizations[org_id]
        lead = Sentence(
            N_(
                "Enabling support runs through {organisation}: without it, some organisations "
                "that support it would have no chain of support left to some of those it "
                "supports"
            ),
            (("organisation", org.short_name()),),
        )
        ties = [r for r in ties_of(snapshot, org_id, network[org_id]) if r.type in enabling]
        found.append(_gap(snapshot, "single_point_of_failure", [org_id], lead, [org, *ties]))
    return tuple(found)


def say_why(kind: GapKind, lead: Sentence, lang: Language = DEFAULT) -> str:
    """Why a gap matters, in ``lang``: what was found (``lead``), then the brief's finding."""
    finding = gettext(FINDINGS[kind], lang)
    return gettext(N_("{lead}; {finding}"), lang).format(lead=lead.say(lang), finding=finding)


def _gap(
    snapshot: Snapshot,
    kind: GapKind,
    organizations: Iterable[str],
    lead: Sentence,
    records: Iterable[Organization | Relationship] = (),
    country: str | None = None,
    sector: str | None = None,
) -> Gap:
    """A gap whose ``why`` is what was found (``lead``), then the brief's finding it answers;
    it rests on an inference if one of the ``records`` that make it does."""
    inferred = inferred_records(snapshot, records)
    why = say_why(kind, lead)
    return Gap(kind, tuple(organizations), country, sector, why, lead, bool(inferred), inferred)


def _matches(snapshot: Snapshot, gap: Gap, country: str | None, sector: str | None) -> bool:
    """Whether ``gap`` falls in the ``country`` and ``sector`` filters (``None``: any)."""
    orgs = [snapshot.organization(i) for i in gap.organizations]
    in_country = country is None or (
        gap.country == country if gap.country else any(country in o.countries for o in orgs)
    )
    in_sector = sector is None or (
        gap.sector == sector if gap.sector else any(sector in o.sectors for o in orgs)
    )
    return in_country and in_sector


def funding_sought_not_found(snapshot: Snapshot) -> tuple[Gap, ...]:
    """Funding someone seeks (a SEEKS_FUNDING_FOR tie in force) for an organisation that no
    funder supports in the snapshot's year; the organisation may be gone, waiting to be
    revived. The gap lists the seeker, then the organisation the money is for."""
    found: list[Gap] = []
    for tie in snapshot.sought:
        if any(r.type == "FUNDS" for r in snapshot.incoming(tie.target)):
            continue
        seeker = snapshot.organization(tie.source)
        target = snapshot.organization(tie.target)
        names: tuple[tuple[str, str], ...] = (
            ("seeker", seeker.short_name()),
            ("target", target.short_name()),
        )
        if tie.target in snapshot.organizations:
            template = N_("{seeker} seeks funding for {target}, and no funder supports it")
        else:
            template = N_(
                "{seeker} seeks funding for {target} (now {status}), and no funder supports it"
            )
            names += (("status", target.status),)
        lead = Sentence(template, names)
        ends = [tie.source, tie.target]
        found.append(_gap(snapshot, "funding_sought_not_found", ends, lead, [seeker, target, tie]))
    return tuple(found)
