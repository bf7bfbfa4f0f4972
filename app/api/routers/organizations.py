"""``/api/organizations``: search, detail with relationships, and ego networks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import VOCAB, Limit, Offset, StoreDep, checked, enum_of, search_text
from app.api.params import OrganizationId
from app.api.schemas import (
    Network,
    NetworkNode,
    OrganizationDetail,
    OrganizationPage,
    OrganizationRef,
    RelationshipView,
)
from app.store.protocol import OrganizationFilter

router = APIRouter(prefix="/api/organizations", tags=["organizations"])


@router.get("", response_model=OrganizationPage)
def list_organizations(
    store: StoreDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Part of a name or alias; case and accents ignored."),
    ] = None,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.organization_types))] = None,
    movement: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.movements))] = None,
    country: Annotated[
        str | None,
        Query(description="ISO 3166-1 alpha-2 code.", json_schema_extra=enum_of(VOCAB.countries)),
    ] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> OrganizationPage:
    """Organisations matching every given filter, ordered by name."""
    where = OrganizationFilter(
        q=search_text(q),
        type=checked("type", type, VOCAB.organization_types),
        movement=checked("movement", movement, VOCAB.movements),
        country=checked("country", country, VOCAB.countries),
        sector=checked("sector", sector, VOCAB.sectors),
    )
    page = store.list_organizations(where, offset, limit)
    return OrganizationPage(items=page.items, total=page.total, offset=offset, limit=limit)


@router.get("/{organization_id}", response_model=OrganizationDetail)
def get_organization(store: StoreDep, organization_id: OrganizationId) -> OrganizationDetail:
    """One organisation with its sources and every relationship it takes part in."""
    neighbourhood = store.ego_network(organization_id, 1)
    orgs = {o.id: o for o in neighbourhood.organizations}
    views = []
    for rel in neighbourhood.relationships:
        if organization_id not in (rel.source, rel.target):
            continue
        outgoing = rel.source == organization_id
        other = orgs[rel.target if outgoing else rel.source]
        views.append(
            RelationshipView(
                **rel.model_dump(),
                direction="out" if outgoing else "in",
                other=OrganizationRef(id=other.id, name=other.name, type=other.type),
            )
        )
    return OrganizationDetail(**orgs[organization_id].model_dump(), relationships=views)


@router.get("/{organization_id}/network", response_model=Network)
def get_network(
    store: StoreDep,
    organization_id: OrganizationId,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the organisation, 1 to 3.")] = 1,
) -> Network:
    """Organisations within ``depth`` hops (ties followed either way) and the ties among them."""
    sub = store.ego_network(organization_id, depth)
    nodes = [NetworkNode(**o.model_dump(), distance=sub.distances[o.id]) for o in sub.organizations]
    return Network(center=organization_id, depth=depth, nodes=nodes, edges=sub.relationships)
