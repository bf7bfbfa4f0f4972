"""``/api/organizations/{id}/peers`` and ``/interlocks``: who to learn from, who shares backers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.analysis.interlocks import Interlock, interlocks
from app.analysis.peers import Peer, peers
from app.api.deps import VOCAB, SnapshotsDep, StoreDep, checked, enum_of
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis, OrganizationId

router = APIRouter(prefix="/api/organizations", tags=["peers"])
Country = Annotated[
    str | None,
    Query(
        description="Rank first the peers in this country (ISO 3166-1 alpha-2).",
        json_schema_extra=enum_of(VOCAB.countries),
    ),
]
ExcludeCountry = Annotated[
    str | None,
    Query(
        description="Leave out the peers in this country (it wins over `country`).",
        json_schema_extra=enum_of(VOCAB.countries),
    ),
]


class PeerList(BaseModel):
    """Organisations elsewhere, those sharing both the sector and the partnership type
    first, then either, then activities only, with the reasons; each says what it
    shares, whether it is in the country asked for, and whether a reason rests on an
    inference, and on which records."""

    organization: str
    items: list[Peer]


class InterlockList(BaseModel):
    """Organisations sharing funders, enablers or partners with this one, most shared first;
    each says whether a tie to a shared backer rests on an inference, and which."""

    organization: str
    items: list[Interlock]


@router.get("/{organization_id}/peers", response_model=PeerList, responses=EXPENSIVE_RESPONSES)
def get_peers(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    country: Country = None,
    exclude_country: ExcludeCountry = None,
) -> PeerList:
    """Organisations in other countries sharing the sector or the type of partnership, the
    two characteristics the brief names for exchange ("Sharing knowledge, experience and
    learning"): candidates for the exchange visits it recommends. Weights and the brief's
    words for each are in ``graph_schema/matching.yaml``."""
    country = checked("country", country, VOCAB.countries)
    exclude_country = checked("exclude_country", exclude_country, VOCAB.countries)
    store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    found = snapshot.remember(
        f"peers {organization_id} {limit} {country} {exclude_country}",
        lambda: peers(
            snapshot,
            organization_id,
            limit=limit,
            country=country,
            exclude_country=exclude_country,
        ),
    )
    return PeerList(organization=organization_id, items=list(found))


@router.get(
    "/{organization_id}/interlocks", response_model=InterlockList, responses=EXPENSIVE_RESPONSES
)
def get_interlocks(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> InterlockList:
    """Organisations that share funders, enablers or partners with this one."""
    store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    found = snapshot.remember(
        f"interlocks {organization_id}", lambda: interlocks(snapshot, organization_id)
    )
    return InterlockList(organization=organization_id, items=list(found))
