"""``/api/organizations/{id}/peers`` and ``/interlocks``: who to learn from, who shares backers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from app.analysis.interlocks import Interlock, interlocks
from app.analysis.peers import Peer, peers
from app.analysis.snapshot import Snapshot
from app.api.deps import SnapshotsDep, StoreDep
from app.api.params import AsOf, OrganizationId

router = APIRouter(prefix="/api/organizations", tags=["peers"])


class PeerList(BaseModel):
    """Organisations elsewhere, most similar first, with the reasons."""

    organization: str
    items: list[Peer]


class InterlockList(BaseModel):
    """Organisations sharing funders, enablers or partners with this one, most shared first."""

    organization: str
    items: list[Interlock]


def _present(store: StoreDep, snapshot: Snapshot, organization_id: str) -> bool:
    """Whether the organisation is in the snapshot; 404 if the store has never heard of it."""
    store.get_organization(organization_id)
    return organization_id in snapshot.organizations


@router.get("/{organization_id}/peers", response_model=PeerList)
def get_peers(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> PeerList:
    """Organisations in other countries with the same sector, partnership type, organisation
    type or activities: candidates for the exchange visits the brief recommends."""
    snapshot = snapshots.get(as_of)
    found = (
        peers(snapshot, organization_id, limit=limit)
        if _present(store, snapshot, organization_id)
        else ()
    )
    return PeerList(organization=organization_id, items=list(found))


@router.get("/{organization_id}/interlocks", response_model=InterlockList)
def get_interlocks(
    store: StoreDep, snapshots: SnapshotsDep, organization_id: OrganizationId, as_of: AsOf = None
) -> InterlockList:
    """Organisations that share funders, enablers or partners with this one."""
    snapshot = snapshots.get(as_of)
    found = (
        interlocks(snapshot, organization_id) if _present(store, snapshot, organization_id) else ()
    )
    return InterlockList(organization=organization_id, items=list(found))
