"""The analyses as pages, each beside its JSON: gaps for funders, the brief's partnership
types, brokers and bridges between the movements, and the what-if of a withdrawal.

Each page carries the same answer as its ``/api/...`` route for the same query, as inert JSON
with names and labels beside the ids, and its script draws it as text only. The what-if page
carries only the organisations picked; its script asks ``POST /api/analysis/what-if``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.analysis.brokers import shared_brokers
from app.analysis.gaps import COUNTED, FINDINGS, Coverage, Gap, GapKind, coverage, gaps
from app.analysis.snapshot import Snapshot
from app.analysis.typology import Partnership, PartnershipType, partnerships
from app.api.deps import VOCAB, SnapshotsDep, StoreDep, checked, enum_of
from app.api.params import AsOf
from app.api.problems import PAGE_RESPONSES
from app.api.routers.analysis import MAX_REMOVED
from app.domain.errors import NotFound
from app.domain.models import Organization, Relationship, Slug, Source
from app.maps.encoding import MOVEMENT_LABELS, relationship_label, term_label
from app.maps.figures import shades
from app.maps.page import inert_json, template

router = APIRouter(tags=["analysis"])
Indexer = Callable[[tuple[str, ...]], list[int]]
"""Organisation ids to their places in the page's list of organisations, named once each."""
Country = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))]
Sector = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))]
HEADINGS: dict[GapKind, tuple[str, str]] = {
    "single_enabler_dependency": (
        "SSE units that depend on a single enabler",
        "All their enabling support comes from one organisation; if it withdrew, none would "
        "be left.",
    ),
    "worker_organisation_without_union_ally": (
        "Informal workers' organisations with no union ally",
        "They have no tie of any kind to a trade union or federation.",
    ),
    "partnership_without_enabler": (
        "Partnerships with no enabling partner",
        "No organisation outside the partnership enables it.",
    ),
    "cell_without_sse_unit": (
        "Countries and sectors with unions but no SSE unit",
        "Unions or informal workers' organisations are there, but no cooperative or other SSE "
        "unit.",
    ),
    "single_point_of_failure": (
        "Organisations all support runs through",
        "Without them, some enablers would no longer reach some of those they support.",
    ),
    "funding_sought_not_found": (
        "Funding sought but not found",
        "Someone plans to fund these organisations, but no funder supports them now.",
    ),
}
"""Per kind of gap, a heading and one sentence a funder reads, in the order the page shows
them: dependencies first, as the question funders ask most."""


@router.get("/analysis/gaps", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def gaps_page(
    snapshots: SnapshotsDep, country: Country = None, sector: Sector = None, as_of: AsOf = None
) -> HTMLResponse:
    """Gaps for funders as a page: the country-by-sector matrix, whose cells list the
    organisations behind each number, and the gaps, by kind, with why each matters."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of)
    page = snapshot.remember(
        f"gaps page {country} {sector}", lambda: render_gaps(snapshot, country, sector)
    )
    return HTMLResponse(page)


def address(path: str, query: Mapping[str, object]) -> str:
    """``path`` with the query parameters that are given (not ``None``)."""
    given = urlencode({k: v for k, v in query.items() if v is not None})
    return path + (f"?{given}" if given else "")


def render_gaps(snapshot: Snapshot, country: str | None, sector: str | None) -> str:
    """The complete page: its title, the link to the same answer as JSON, and its data."""
    query = {"country": country, "sector": sector, "as_of": snapshot.as_of}
    data = gaps_data(snapshot, country, sector)
    return template("gaps.html").substitute(
        title=html.escape(data["title"]),
        json_link=html.escape(address("/api/analysis/gaps", query)),
        figure_link=html.escape(address("/figures/coverage.svg", query)),
        data=inert_json(data),
    )


def gaps_data(snapshot: Snapshot, country: str | None, sector: str | None) -> dict[str, Any]:
    """What the page draws: the matrix with names and labels, the cells by organisation
    index, the colour scale of the figure, and the gaps grouped by kind, each kind with the
    brief's finding that makes it matter (said once, not once per gap, to keep the page light
    on a large ecosystem)."""
    matrix = snapshot.remember(
        f"coverage {country} {sector}",
        lambda: coverage(snapshot, country=country, sector=sector),
    )
    found = snapshot.remember(
        f"gaps {country} {sector}", lambda: gaps(snapshot, country=country, sector=sector)
    )
    whole = snapshot.remember("coverage None None", lambda: coverage(snapshot))
    index: dict[str, int] = {}

    def ref(ids: tuple[str, ...]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    title = "Gaps for funders" + (f" in {snapshot.as_of}" if snapshot.as_of else "")
    return {
        "title": title,
        "as_of": snapshot.as_of,
        "country": country,
        "sector": sector,
        "countries": _countries(matrix.countries),
        "sectors": _sectors(matrix.sectors),
        "choices": {
            "countries": _countries(whole.countries),
            "sectors": _sectors(whole.sectors),
        },
        "cells": _cells(matrix, ref),
        "kinds": [
            {
                "kind": kind,
                "heading": heading,
                "about": about,
                "why": FINDINGS[kind][0].upper() + FINDINGS[kind][1:],
                "gaps": _gaps(found, kind, ref),
            }
            for kind, (heading, about) in HEADINGS.items()
        ],
        "scale": [asdict(shade) for shade in shades()],
        "organizations": [_organization(snapshot, i) for i in index],
    }


def _countries(keys: tuple[str, ...]) -> list[dict[str, str]]:
    """Countries by name, as a person looks them up."""
    rows = [{"key": k, "name": VOCAB.countries.get(k, k)} for k in keys]
    return sorted(rows, key=lambda r: r["name"])


def _sectors(keys: tuple[str, ...]) -> list[dict[str, str]]:
    return [{"key": k, "label": term_label(k)} for k in keys]


def _cells(matrix: Coverage, ref: Indexer) -> list[dict[str, Any]]:
    """The cells with any organisation, each family's organisations as indexes."""
    return [
        {
            "country": cell.country,
            "sector": cell.sector,
            **{family: ref(getattr(cell.organizations, family)) for family in COUNTED},
            "enablers": ref(cell.organizations.enablers),
        }
        for cell in matrix.cells
        if cell.unions or cell.worker_organisations or cell.sse_units
    ]


def _gaps(found: tuple[Gap, ...], kind: GapKind, ref: Indexer) -> list[dict[str, Any]]:
    return [
        {
            "organizations": ref(gap.organizations),
            "country": gap.country and VOCAB.countries.get(gap.country, gap.country),
            "sector": gap.sector and term_label(gap.sector),
        }
        for gap in found
        if gap.kind == kind
    ]


def _organization(snapshot: Snapshot, organization_id: str) -> dict[str, str]:
    org = snapshot.organization(organization_id)
    return {
        "id": org.id,
        "name": org.name,
        "short": org.short_name() if org.short_name() != org.name else "",
        "type": org.type.replace("_", " "),
    }


@dataclass(frozen=True)
class TypeRow:
    """One row of the brief's table of partnership types, in our words: what the type is, its
    key characteristics and the brief's examples (names, places and citations as the brief
    gives them), and how the graph tells it (``app.analysis.typology``)."""

    heading: str
    characteristics: tuple[str, ...]
    examples: tuple[str, ...]
    rule: str


TYPE_ROWS: dict[PartnershipType, TypeRow] = {
    1: TypeRow(
        "Unions and informal workers' organisations set up SSE units of their own",
        (
            "The most common kind of partnership, found in every context the research studied.",
            "Often led by formal trade unions, or by associations and organisations that "
            "informal workers run themselves.",
            "The units they set up take many SSE forms, above all cooperatives, mutual "
            "societies and social enterprises.",
        ),
        (
            "Dominican Republic: the National Union of Domestic Workers (FENAMUTRA) set up the "
            "COOPFENAMUTRA cooperative (Imparcial RD 2021).",
            "India: the Self-Employment Women's Association (SEWA) has built several SSE units, "
            "among them VimoSEWA Cooperative Limited, which insures SEWA members and other "
            "informal workers (ILO 2019).",
            "Trinidad and Tobago: the National Union of Domestic Employees (NUDE) set up the "
            "Service Workers Centre Cooperative Society Limited (SWCC), a worker cooperative "
            "(ILO 2018b).",
        ),
        "A union or informal workers' organisation of the partnership established its SSE unit.",
    ),
    2: TypeRow(
        "Established trade unions work with the SSE to organise, represent or serve informal "
        "workers",
        (
            "Most often a trade union looks for SSE units that already exist and works with "
            "them to reach informal workers.",
        ),
        (
            "Brazil: unions and the SSE made their alliance formal by creating the Central de "
            "Cooperativas e Empreendimentos Solidários (UNISOL Brasil), a hybrid of "
            "associations, cooperatives and other SSE units in which the national Central "
            "Única dos Trabalhadores (CUT) takes an active part (Hunt and Sarwar, unpublished).",
            "Rwanda: the Centrale des Syndicats des Travailleurs au Rwanda (CESTRAR) approached "
            "members of a motorcycle taxi drivers' mutual fund in Kigali and helped them "
            "organise into unions (Manzi 2007).",
        ),
        "A trade union or federation is a member, and no member established the SSE unit.",
    ),
    3: TypeRow(
        "An enabling partner brings unions and the SSE together",
        (
            "Enabling partners (academics, other technical experts, NGOs) take the lead in "
            "conceiving and founding the initiative, to help informal workers act together.",
            "Their role depends on what the partnership needs: short, lasting or occasional.",
        ),
        (
            "South Africa: the Social Law Project leads the Digital Platform Cooperative "
            "Project, a young platform cooperative owned by domestic workers, set up with the "
            "South African Domestic Service and Allied Workers Union (SADSAWU) and United "
            "Domestic Workers of South Africa (UDWOSA) (Hunt and Sarwar, unpublished).",
        ),
        "An enabling partner established or facilitates the SSE unit and is itself tied to a "
        "union or informal workers' organisation of the partnership.",
    ),
}
"""The brief's table ("Partnerships between trade unions and the SSE to support informal
economy workers"), row by row."""


@router.get("/analysis/partnerships", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def partnerships_page(
    snapshots: SnapshotsDep, country: Country = None, sector: Sector = None, as_of: AsOf = None
) -> HTMLResponse:
    """The brief's table of partnership types reproduced from the graph: each type with the
    partnerships classified so, their members, enablers and evidence, and a link to each map."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of)
    page = snapshot.remember(
        f"partnerships page {country} {sector}",
        lambda: render_partnerships(snapshot, country, sector),
    )
    return HTMLResponse(page)


def render_partnerships(snapshot: Snapshot, country: str | None, sector: str | None) -> str:
    """The complete page: its title, the link to the same answer as JSON, and its data."""
    query = {"country": country, "sector": sector, "as_of": snapshot.as_of}
    data = partnerships_data(snapshot, country, sector)
    return template("partnerships.html").substitute(
        title=html.escape(data["title"]),
        json_link=html.escape(address("/api/partnerships", query)),
        data=inert_json(data),
    )


def partnerships_data(
    snapshot: Snapshot, country: str | None, sector: str | None
) -> dict[str, Any]:
    """What the page draws: the table's rows, each with the partnerships of its type, then
    those of no type. Organisations, ties and sources are listed once each and referred to by
    index, as partnerships around one federation share its ties and a large ecosystem cites
    the same few sources thousands of times. The key of the partnerships is the one
    ``/api/partnerships`` uses, so both share one computation."""
    found = snapshot.remember(
        f"partnerships None {country} {sector}",
        lambda: partnerships(snapshot, country=country, sector=sector),
    )
    every = partnerships(snapshot)
    index: dict[str, int] = {}
    cited: dict[Source, int] = {}
    tied: dict[str, int] = {}
    ties: list[dict[str, Any]] = []

    def ref(ids: Iterable[str]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    def tie_ref(rels: Iterable[Relationship]) -> list[int]:
        for rel in rels:
            if rel.id not in tied:
                tied[rel.id] = len(ties)
                ties.append(_tie(rel, ref, [cited.setdefault(s, len(cited)) for s in rel.sources]))
        return [tied[rel.id] for rel in rels]

    year = f"?as_of={snapshot.as_of}" if snapshot.as_of is not None else ""
    shown = [_partnership(snapshot, p, ref, tie_ref, year) for p in found]
    return {
        "title": "Partnership types" + (f" in {snapshot.as_of}" if snapshot.as_of else ""),
        "as_of": snapshot.as_of,
        "country": country,
        "sector": sector,
        "choices": {
            "countries": _countries(tuple({c for p in every for c in p.countries})),
            "sectors": _sectors(tuple(sorted({s for p in every for s in p.sectors}))),
        },
        "types": [
            {
                "type": kind,
                **asdict(row),
                "partnerships": [s for s, p in zip(shown, found, strict=True) if p.type == kind],
            }
            for kind, row in TYPE_ROWS.items()
        ],
        "untyped": [s for s, p in zip(shown, found, strict=True) if p.type is None],
        "organizations": [_named(snapshot, i) for i in index],
        "ties": ties,
        "sources": [s.model_dump() for s in cited],
    }


def _partnership(
    snapshot: Snapshot,
    found: Partnership,
    ref: Indexer,
    tie_ref: Callable[[list[Relationship]], list[int]],
    year: str,
) -> dict[str, Any]:
    """One partnership in words, with the ties among its organisations as its evidence."""
    return {
        "id": found.id,
        "map": f"/maps/partnerships/{found.id}{year}",
        "sse_unit": ref((found.sse_unit,))[0],
        "members": ref(tuple(m for m in found.members if m != found.sse_unit)),
        "enablers": ref(found.enablers),
        "countries": [VOCAB.countries.get(c, c) for c in found.countries],
        "sectors": [term_label(s) for s in found.sectors],
        "explanation": found.explanation,
        "evidence": tie_ref(_ties_among(snapshot, {*found.members, *found.enablers})),
    }


def _tie(rel: Relationship, ref: Indexer, sources: list[int]) -> dict[str, Any]:
    """A tie as a sentence's parts: who, how, whom, when, doing what, on which sources."""
    return {
        "source": ref((rel.source,))[0],
        "relationship": relationship_label(rel.type),
        "target": ref((rel.target,))[0],
        "since": rel.since,
        "until": rel.until,
        "activities": rel.activities,
        "sources": sources,
    }


def _ties_among(snapshot: Snapshot, ids: set[str]) -> list[Relationship]:
    """The relationships in force between organisations of ``ids``, by id."""
    graph = snapshot.graph
    keys = {key for a in ids for _, b, key in graph.out_edges(a, keys=True) if b in ids}
    return [snapshot.relationships[key] for key in sorted(keys)]


TOP = 20
"""Brokers listed unless asked otherwise, as ``/api/analysis/brokers`` does."""
Top = Annotated[int, Query(ge=1, le=200, description="How many brokers to list.")]


@router.get("/analysis/brokers", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def brokers_page(snapshots: SnapshotsDep, as_of: AsOf = None, top: Top = TOP) -> HTMLResponse:
    """Brokers and bridges between the labour and SSE movements as ranked tables, by name."""
    snapshot = snapshots.get(as_of)
    page = snapshot.remember(f"brokers page {top}", lambda: render_brokers(snapshot, top))
    return HTMLResponse(page)


def render_brokers(snapshot: Snapshot, top: int) -> str:
    """The complete page: its title, the link to the same answer as JSON, and its data."""
    query = {"as_of": snapshot.as_of, "top": None if top == TOP else top}
    data = brokers_data(snapshot, top)
    return template("brokers.html").substitute(
        title=html.escape(data["title"]),
        json_link=html.escape(address("/api/analysis/brokers", query)),
        data=inert_json(data),
    )


def brokers_data(snapshot: Snapshot, top: int) -> dict[str, Any]:
    """What the page draws: brokers ranked by betweenness, with constraint, then the bridges,
    organisations by index; and whether betweenness is exact or a sampled estimate, with the
    sample's size. The key is the one ``/api/analysis/brokers`` uses, to share one computation."""
    found = shared_brokers(snapshot, top)
    index: dict[str, int] = {}

    def ref(ids: Iterable[str]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    return {
        "title": "Brokers and bridges" + (f" in {snapshot.as_of}" if snapshot.as_of else ""),
        "as_of": snapshot.as_of,
        "top": top,
        "exact": found.exact,
        "sample_size": found.sample_size,
        "organization_count": len(snapshot.organizations),
        "brokers": [
            {
                "organization": ref((b.organization,))[0],
                "betweenness": b.betweenness,
                "constraint": b.constraint,
            }
            for b in found.brokers
        ],
        "bridges": [
            {
                "organization": ref((b.organization,))[0],
                "labour": ref(b.labour),
                "sse": ref(b.sse),
                "score": b.score,
            }
            for b in found.bridges
        ],
        "organizations": [_named(snapshot, i) for i in index],
    }


@router.get("/analysis/what-if", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def what_if_page(
    store: StoreDep,
    remove: Annotated[
        list[Slug] | None,
        Query(max_length=MAX_REMOVED, description="Organisations that withdraw, by id."),
    ] = None,
    year: AsOf = None,
) -> HTMLResponse:
    """The what-if as a page: pick organisations to withdraw and a year; the page's script asks
    ``POST /api/analysis/what-if`` and shows, by name, who loses all or some support, on a map.

    The picks live in the address (``?remove=afd&remove=...&year=``); the page names them."""
    asked = list(dict.fromkeys(remove or []))
    found = {o.id: o for o in store.get_organizations(asked)}
    missing = [i for i in asked if i not in found]
    if missing:
        raise NotFound("organization", ", ".join(missing))
    data = {
        "year": year,
        "picked": [{"id": i, "name": found[i].name, "short": _short(found[i])} for i in asked],
        "max": MAX_REMOVED,
        "countries": VOCAB.countries,
        "types": {key: term_label(key) for key in VOCAB.organization_types},
    }
    return HTMLResponse(template("what-if.html").substitute(data=inert_json(data)))


def _named(snapshot: Snapshot, organization_id: str) -> dict[str, str]:
    """An organisation as a person reads it: name, short name if another, type and movement."""
    org = snapshot.organization(organization_id)
    return {
        "id": org.id,
        "name": org.name,
        "short": _short(org),
        "type": term_label(org.type),
        "movement": MOVEMENT_LABELS[org.movement],
    }


def _short(org: Organization) -> str:
    """The short name (usually the acronym), or nothing when it is the name itself."""
    return org.short_name() if org.short_name() != org.name else ""
