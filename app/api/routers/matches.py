"""``/api/organizations/{id}/matches``: who could partner with an organisation, or enable it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.analysis.matching import Match, MatchKind, matches
from app.api.deps import SnapshotsDep, StoreDep
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis, OrganizationId
from app.domain.evidence import Weighing

router = APIRouter(prefix="/api/organizations", tags=["matches"])

LIMIT = 10
"""Matches listed unless asked otherwise."""
Kind = Annotated[
    MatchKind,
    Query(
        description="`partner`: the SSE units, unions or informal workers' organisations it "
        "could partner with; `enabler`: the enablers active in its country and sector, then "
        "in its sector elsewhere."
    ),
]
MatchLimit = Annotated[int, Query(ge=1, le=100, description="How many matches to list.")]


class MatchList(BaseModel):
    """The best matches of one kind, best first, each with its tier, score, reasons in words
    (each naming the records it rests on), those records with their sources (``facts``), and
    whether it rests on an inference; ``total`` counts every match, and ``note`` says why
    there is none to look for when so."""

    organization: str
    kind: MatchKind
    as_of: int | None
    basis: Weighing = Field(description="The facts counted: 'any' or only 'stated' ones.")
    items: list[Match]
    total: int
    limit: int
    note: str | None


@router.get("/{organization_id}/matches", response_model=MatchList, responses=EXPENSIVE_RESPONSES)
def get_matches(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    kind: Kind = "partner",
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: MatchLimit = LIMIT,
) -> MatchList:
    """Who could fill a gap: partners ranked by the same country and sector, then the same
    sector elsewhere; enablers active in its country and sector, then in its sector
    elsewhere; never an organisation it is already tied to. The weights, with the brief's
    words for each, are in ``graph_schema/matching.yaml``."""
    store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    found = snapshot.remember(
        f"matches {organization_id} {kind} {limit}",
        lambda: matches(snapshot, organization_id, kind, limit=limit),
    )
    return MatchList(
        organization=organization_id,
        kind=kind,
        as_of=as_of,
        basis=basis,
        items=list(found.items),
        total=found.total,
        limit=limit,
        note=found.note,
    )


def matches_address(
    organization_id: str, kind: MatchKind, as_of: int | None, basis: Weighing, *, page: bool
) -> str:
    """The address of an organisation's matches: the JSON, or (``page``) the page, keeping
    the year and the facts counted."""
    path = "/analysis/matches/" if page else "/api/organizations/"
    query = {"kind": kind, "as_of": as_of, "basis": None if basis == "any" else basis}
    given = urlencode({k: v for k, v in query.items() if v is not None})
    return f"{path}{quote(organization_id)}{'' if page else '/matches'}?{given}"
