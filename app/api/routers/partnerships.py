"""``/api/partnerships``: union-SSE partnerships, each typed as the brief's type 1, 2 or 3."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.analysis.typology import Partnership, PartnershipType, partnerships
from app.api.deps import MAX_LIMIT, VOCAB, Limit, Offset, SnapshotsDep, checked, enum_of
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import AsOf, Basis
from app.domain.evidence import Weighing

router = APIRouter(prefix="/api", tags=["partnerships"])

TYPES: dict[str, PartnershipType | None] = {"1": 1, "2": 2, "3": 3, "none": None}


class PartnershipList(BaseModel):
    """Partnerships matching the filters, by id: one page of them, and how many match. Each
    says whether it rests on an inference (``rests_on_inference``) and on which records
    (``inferred_records``): its members and enablers and the ties that make them so."""

    as_of: int | None
    basis: Weighing = Field(description="The facts counted: 'any' or only 'stated' ones.")
    items: list[Partnership]
    total: int
    offset: int = 0
    limit: int = MAX_LIMIT


@router.get("/partnerships", response_model=PartnershipList, responses=EXPENSIVE_RESPONSES)
def list_partnerships(
    snapshots: SnapshotsDep,
    type: Annotated[
        Literal["1", "2", "3", "none"] | None,
        Query(description="The brief's partnership type, or 'none' for those that fit none."),
    ] = None,
    country: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    as_of: AsOf = None,
    basis: Basis = "any",
    offset: Offset = 0,
    limit: Limit = MAX_LIMIT,
) -> PartnershipList:
    """Partnerships between trade unions (or informal workers' organisations) and SSE units,
    classified from the structure of the graph, each with a sentence that explains why;
    ``basis=stated`` classifies them from what sources state alone."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    types = None if type is None else {TYPES[type]}
    snapshot = snapshots.get(as_of, basis)
    items = snapshot.remember(
        f"partnerships {type} {country} {sector}",
        lambda: partnerships(snapshot, types=types, country=country, sector=sector),
    )
    return PartnershipList(
        as_of=as_of,
        basis=basis,
        items=list(items[offset : offset + limit]),
        total=len(items),
        offset=offset,
        limit=limit,
    )
