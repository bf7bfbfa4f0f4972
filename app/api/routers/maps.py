"""``/maps/...`` pages and the same maps under ``/embed/...`` for iframes on allowed origins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from app.analysis.traversal import enablers
from app.analysis.typology import partnership
from app.api.deps import VOCAB, SettingsDep, SnapshotsDep, StoreDep, checked, enum_of
from app.api.params import AsOf, OrganizationId
from app.domain.errors import NotFound
from app.domain.models import SLUG_PATTERN
from app.maps.build import MapData, Role, build_map
from app.maps.page import render_map

router = APIRouter(tags=["maps"])


def _page(request: Request, data: MapData) -> HTMLResponse:
    """The map page; under ``/embed/`` without the page chrome."""
    return HTMLResponse(render_map(data, embed=request.url.path.startswith("/embed/")))


@router.get("/maps/ecosystem", response_class=HTMLResponse)
@router.get("/embed/ecosystem", response_class=HTMLResponse)
def ecosystem_map(
    request: Request,
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    country: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.organization_types))] = None,
    movement: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.movements))] = None,
    as_of: AsOf = None,
) -> HTMLResponse:
    """The whole ecosystem, or the part matching the filters, as an interactive map."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    type = checked("type", type, VOCAB.organization_types)
    movement = checked("movement", movement, VOCAB.movements)
    snapshot = snapshots.get(as_of)
    orgs = [
        o
        for o in snapshot.organizations.values()
        if (country is None or country in o.countries)
        and (sector is None or sector in o.sectors)
        and (type is None or o.type == type)
        and (movement is None or o.movement == movement)
    ]
    shown = [f for f in (country, sector, type, movement) if f]
    title = "Ecosystem" + (f" ({', '.join(shown)})" if shown else "")
    if as_of is not None:
        title += f" in {as_of}"
    data = build_map(title, orgs, snapshot.relationships.values(), settings.map_max_organizations)
    return _page(request, data)


@router.get("/maps/organizations/{organization_id}", response_class=HTMLResponse)
@router.get("/embed/organizations/{organization_id}", response_class=HTMLResponse)
def organization_map(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    organization_id: OrganizationId,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the organisation.")] = 1,
) -> HTMLResponse:
    """An organisation and everyone within ``depth`` ties of it."""
    sub = store.ego_network(organization_id, depth)
    centre = next(o for o in sub.organizations if o.id == organization_id)
    data = build_map(
        f"{centre.name} and its ties",
        sub.organizations,
        sub.relationships,
        settings.map_max_organizations,
        roles={organization_id: "centre"},
    )
    return _page(request, data)


@router.get(
    "/maps/organizations/{organization_id}/enablers",
    response_class=HTMLResponse,
)
@router.get(
    "/embed/organizations/{organization_id}/enablers",
    response_class=HTMLResponse,
)
def enablers_map(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    organization_id: OrganizationId,
    depth: Annotated[int, Query(ge=1, le=4)] = 3,
    as_of: AsOf = None,
) -> HTMLResponse:
    """The chain of enablers of an organisation; direct and indirect enablers look different."""
    centre = store.get_organization(organization_id)
    links = enablers(store, organization_id, depth, as_of)
    roles: dict[str, Role] = {organization_id: "centre"}
    roles.update(
        (link.organization.id, "direct_enabler" if link.reach == "direct" else "indirect_enabler")
        for link in links
    )
    ties = {rel.id: rel for link in links for rel in link.relationships}
    data = build_map(
        f"Who enables {centre.name}",
        [centre, *(link.organization for link in links)],
        ties.values(),
        settings.map_max_organizations,
        roles=roles,
    )
    return _page(request, data)


@router.get("/maps/partnerships/{partnership_id}", response_class=HTMLResponse)
@router.get("/embed/partnerships/{partnership_id}", response_class=HTMLResponse)
def partnership_map(
    request: Request,
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    partnership_id: Annotated[str, Path(pattern=SLUG_PATTERN, max_length=140)],
    as_of: AsOf = None,
) -> HTMLResponse:
    """One partnership: its members, its SSE unit and its enablers, and the ties among them."""
    snapshot = snapshots.get(as_of)
    found = partnership(snapshot, partnership_id.removeprefix("partnership-"))
    if found is None or found.id != partnership_id:
        raise NotFound("partnership", partnership_id)
    ids = {*found.members, *found.enablers}
    label = {1: "type 1", 2: "type 2", 3: "type 3"}.get(found.type or 0, "no type")
    data = build_map(
        f"Partnership around {snapshot.organizations[found.sse_unit].name} ({label})",
        [snapshot.organizations[i] for i in ids],
        snapshot.relationships.values(),
        settings.map_max_organizations,
        roles={found.sse_unit: "centre"},
    )
    return _page(request, data)
