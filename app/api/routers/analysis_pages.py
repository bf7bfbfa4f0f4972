"""``/analysis/gaps``: the gaps analysis as a page for funders, beside its JSON.

The page carries the same coverage and gaps as ``/api/analysis/gaps`` for the same query, as
inert JSON with names and labels beside the ids; ``gaps.js`` draws it as text only.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.analysis.gaps import COUNTED, FINDINGS, Coverage, Gap, GapKind, coverage, gaps
from app.analysis.snapshot import Snapshot
from app.api.deps import VOCAB, SnapshotsDep, checked, enum_of
from app.api.params import AsOf
from app.api.problems import PAGE_RESPONSES
from app.maps.figures import sector_label, shades
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


def render_gaps(snapshot: Snapshot, country: str | None, sector: str | None) -> str:
    """The complete page: its title, the link to the same answer as JSON, and its data."""
    query = {"country": country, "sector": sector, "as_of": snapshot.as_of}
    given = urlencode({k: v for k, v in query.items() if v is not None})
    data = gaps_data(snapshot, country, sector)
    return template("gaps.html").substitute(
        title=html.escape(data["title"]),
        json_link=html.escape("/api/analysis/gaps" + (f"?{given}" if given else "")),
        figure_link=html.escape("/figures/coverage.svg" + (f"?{given}" if given else "")),
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
    return [{"key": k, "label": sector_label(k)} for k in keys]


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
            "sector": gap.sector and sector_label(gap.sector),
        }
        for gap in found
        if gap.kind == kind
    ]


def _organization(snapshot: Snapshot, organization_id: str) -> dict[str, str]:
    org = snapshot.organizations[organization_id]
    return {
        "id": org.id,
        "name": org.name,
        "short": org.short_name() if org.short_name() != org.name else "",
        "type": org.type.replace("_", " "),
    }
