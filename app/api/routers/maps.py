"""Maps as data (``/api/maps/...``), as pages (``/maps/...``), as embeds for iframes on allowed
origins (``/embed/...``) and as report images (``/maps/....svg`` and ``.png``).

Each map is computed once by ``app.maps.views``; the four forms only present it. Every map
takes ``basis=stated|any``: only the facts a source states, or every fact (the default), the
ties resting on our inference drawn dashed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import VOCAB, SettingsDep, SnapshotsDep, StoreDep, checked, enum_of
from app.api.params import AsOf, Basis, OrganizationId, ReaderLanguage, language_headers
from app.api.problems import PAGE_RESPONSES
from app.domain.languages import Language
from app.domain.models import SLUG_PATTERN
from app.maps.export import render_map_image
from app.maps.model import MapData
from app.maps.page import language_links, render_map
from app.maps.translated import in_language
from app.maps.views import (
    EcosystemFilters,
    ecosystem_map,
    enablers_map,
    organization_map,
    partnership_map,
)

router = APIRouter(tags=["maps"])
ImageFormat = Annotated[Literal["svg", "png"], Path(description="svg or png")]
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **PAGE_RESPONSES,
    200: {"content": {"image/svg+xml": {}, "image/png": {}}},
}
"""An image, or an error: problem+json, or an HTML page where the path is not an image's."""
PAGE: dict[str, Any] = {"response_class": HTMLResponse, "responses": PAGE_RESPONSES}
"""Map pages and embeds answer HTML, errors included."""
PageDepth = Annotated[int, Query(ge=1, le=3, description="Hops from the organisation, 1 to 3.")]
ChainDepth = Annotated[int, Query(ge=1, le=4, description="Links in the enabling chain, 1 to 4.")]


def ecosystem_data(
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    country: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.organization_types))] = None,
    movement: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.movements))] = None,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> MapData:
    """The ecosystem, or the part that passes the filters; clusters past the size limit."""
    filters = EcosystemFilters(
        country=checked("country", country, VOCAB.countries),
        sector=checked("sector", sector, VOCAB.sectors),
        type=checked("type", type, VOCAB.organization_types),
        movement=checked("movement", movement, VOCAB.movements),
        as_of=as_of,
        basis=basis,
    )
    return ecosystem_map(snapshots, filters, settings.map_max_organizations)


def organization_data(
    store: StoreDep,
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    organization_id: OrganizationId,
    depth: PageDepth = 1,
    basis: Basis = "any",
) -> MapData:
    """An organisation and everyone within ``depth`` ties of it."""
    return organization_map(
        store, snapshots, organization_id, depth, settings.map_max_organizations, basis
    )


def enablers_data(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    depth: ChainDepth = 3,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> MapData:
    """The chain of enablers of an organisation."""
    return enablers_map(store, snapshots, organization_id, depth, as_of, basis)


def partnership_data(
    snapshots: SnapshotsDep,
    partnership_id: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=140)],
    as_of: AsOf = None,
    basis: Basis = "any",
) -> MapData:
    """One partnership: its members, its SSE unit and its enablers."""
    return partnership_map(snapshots, partnership_id, as_of, basis)


EcosystemMap = Annotated[MapData, Depends(ecosystem_data)]
OrganizationMap = Annotated[MapData, Depends(organization_data)]
EnablersMap = Annotated[MapData, Depends(enablers_data)]
PartnershipMap = Annotated[MapData, Depends(partnership_data)]


def _page(request: Request, data: MapData, lang: Language) -> HTMLResponse:
    """The map page in the reader's language; under ``/embed/`` without the page chrome. Both
    link their oEmbed answer (``/oembed``), for content systems that discover it."""
    oembed = f"{request.url_for('oembed')}?{urlencode({'url': str(request.url)})}"
    embed = request.url.path.startswith("/embed/")
    languages = (
        [] if embed else language_links(request.url.path, request.query_params.multi_items(), lang)
    )
    page = render_map(
        in_language(data, lang), embed=embed, oembed=oembed, lang=lang, languages=languages
    )
    return HTMLResponse(page, headers=language_headers(lang))


def file_name(data: MapData, fmt: str) -> str:
    """The view as a file name, as the page's download buttons name it:
    ``ecosystem-KE-domestic-work.svg`` (the path, then the query's values by parameter)."""
    parts = [data.path.replace("/", "-"), *(data.query[k] for k in sorted(data.query))]
    return re.sub(r"[^A-Za-z0-9-]+", "-", "-".join(parts)) + f".{fmt}"


def _image(request: Request, data: MapData, fmt: Literal["svg", "png"], lang: Language) -> Response:
    said = in_language(data, lang)
    body = render_map_image(said, fmt, date.today(), str(request.base_url).rstrip("/"), lang)
    name = file_name(data, fmt)
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'inline; filename="{name}"', **language_headers(lang)},
    )


@router.get("/api/maps/ecosystem", response_model=MapData)
def ecosystem_json(data: EcosystemMap) -> MapData:
    """The ecosystem map as data: nodes with positions and encoding, edges, legend, groups."""
    return data


@router.get("/api/maps/organizations/{organization_id}", response_model=MapData)
def organization_json(data: OrganizationMap) -> MapData:
    """An organisation's map as data."""
    return data


@router.get("/api/maps/organizations/{organization_id}/enablers", response_model=MapData)
def enablers_json(data: EnablersMap) -> MapData:
    """The enablers map as data; nodes carry their distance and the brief's enabling mode."""
    return data


@router.get("/api/maps/partnerships/{partnership_id}", response_model=MapData)
def partnership_json(data: PartnershipMap) -> MapData:
    """A partnership's map as data."""
    return data


@router.get("/maps/ecosystem.{fmt}", response_class=Response, responses=IMAGE_RESPONSES)
def ecosystem_image(
    request: Request, data: EcosystemMap, fmt: ImageFormat, lang: ReaderLanguage
) -> Response:
    """The ecosystem map as an SVG or a PNG (2x, on white) for reports."""
    return _image(request, data, fmt, lang)


@router.get(
    "/maps/organizations/{organization_id}/enablers.{fmt}",
    response_class=Response,
    responses=IMAGE_RESPONSES,
)
def enablers_image(
    request: Request, data: EnablersMap, fmt: ImageFormat, lang: ReaderLanguage
) -> Response:
    """The enablers map as an SVG or a PNG."""
    return _image(request, data, fmt, lang)


@router.get(
    "/maps/organizations/{organization_id}.{fmt}",
    response_class=Response,
    responses=IMAGE_RESPONSES,
)
def organization_image(
    request: Request, data: OrganizationMap, fmt: ImageFormat, lang: ReaderLanguage
) -> Response:
    """An organisation's map as an SVG or a PNG."""
    return _image(request, data, fmt, lang)


@router.get(
    "/maps/partnerships/{partnership_id}.{fmt}",
    response_class=Response,
    responses=IMAGE_RESPONSES,
)
def partnership_image(
    request: Request, data: PartnershipMap, fmt: ImageFormat, lang: ReaderLanguage
) -> Response:
    """A partnership's map as an SVG or a PNG."""
    return _image(request, data, fmt, lang)


@router.get("/maps/ecosystem", **PAGE)
@router.get("/embed/ecosystem", **PAGE)
def ecosystem_page(request: Request, data: EcosystemMap, lang: ReaderLanguage) -> HTMLResponse:
    """The whole ecosystem, or the part matching the filters, as an interactive map."""
    return _page(request, data, lang)


@router.get(
    "/maps/organizations/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
@router.get(
    "/embed/organizations/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def organization_page(
    request: Request, data: OrganizationMap, lang: ReaderLanguage
) -> HTMLResponse:
    """An organisation and everyone within ``depth`` ties of it."""
    return _page(request, data, lang)


@router.get(
    "/maps/organizations/{organization_id}/enablers",
    response_class=HTMLResponse,
    responses=PAGE_RESPONSES,
)
@router.get(
    "/embed/organizations/{organization_id}/enablers",
    response_class=HTMLResponse,
    responses=PAGE_RESPONSES,
)
def enablers_page(request: Request, data: EnablersMap, lang: ReaderLanguage) -> HTMLResponse:
    """The chain of enablers of an organisation, in columns by distance."""
    return _page(request, data, lang)


@router.get(
    "/maps/partnerships/{partnership_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
@router.get(
    "/embed/partnerships/{partnership_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def partnership_page(request: Request, data: PartnershipMap, lang: ReaderLanguage) -> HTMLResponse:
    """One partnership: its members, its SSE unit and its enablers, and the ties among them."""
    return _page(request, data, lang)
