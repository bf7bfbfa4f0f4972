"""``/api/organizations/{id}/peers`` and ``/interlocks``: who to learn from, who shares backers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.analysis.interlocks import Interlock, interlocks
from app.analysis.peers import Peer, peers
from app.api.deps import SnapshotsDep, StoreDep
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis, OrganizationId

router = APIRouter(prefix="/api/organizations", tags=["peers"])


class PeerList(BaseModel):
    """Organisations elsewhere, most similar first, with the reasons; each says whether a
    reason rests on an inference, and on which records."""

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
) -> PeerList:
    """Organisations in other countries with the same sector, partnership type, organisation
    type or activities: candidates for the exchange visits the brief recommends."""
    store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    found = snapshot.remember(
        f"peers {organization_id} {limit}", lambda: peers(snapshot, organization_id, limit=limit)
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
