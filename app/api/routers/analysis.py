"""``/api/analysis``: gaps for funders, what-if a funder withdraws, brokers between movements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.analysis.brokers import Brokerage, brokers
from app.analysis.gaps import Coverage, Gap, coverage, gaps
from app.analysis.whatif import WhatIf, what_if
from app.api.deps import VOCAB, SnapshotsDep, StoreDep, checked, enum_of
from app.api.params import AsOf
from app.api.problems import RATE_LIMITED
from app.domain.errors import NotFound
from app.domain.models import Slug, Year

router = APIRouter(prefix="/api/analysis", tags=["analysis"])

MAX_REMOVED = 50
Country = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))]
Sector = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))]


class GapReport(BaseModel):
    """The coverage matrix (country x sector) and the gaps found, for funders."""

    as_of: int | None
    coverage: Coverage
    gaps: list[Gap]


class WhatIfRequest(BaseModel):
    """Organisations to remove, and the year to look at."""

    remove: list[Slug] = Field(min_length=1, max_length=MAX_REMOVED, examples=[["niscof-sacco"]])
    as_of: Year | None = Field(default=None, examples=[2019])


@router.get("/gaps", response_model=GapReport)
def get_gaps(
    snapshots: SnapshotsDep, country: Country = None, sector: Sector = None, as_of: AsOf = None
) -> GapReport:
    """Where the ecosystem is thin: a coverage matrix and the gaps, each with why it matters."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of)
    found = snapshot.remember(
        f"gaps {country} {sector}", lambda: gaps(snapshot, country=country, sector=sector)
    )
    matrix = snapshot.remember(
        f"coverage {country} {sector}",
        lambda: coverage(snapshot, country=country, sector=sector),
    )
    return GapReport(as_of=as_of, coverage=matrix, gaps=list(found))


@router.post("/what-if", response_model=WhatIf, responses=RATE_LIMITED)
def post_what_if(store: StoreDep, snapshots: SnapshotsDep, request: WhatIfRequest) -> WhatIf:
    """What breaks if these organisations withdrew: who loses all or some enabling support,
    which partnerships lose an enabler, which enabling chains break."""
    known = {o.id for o in store.get_organizations(request.remove)}
    missing = sorted(set(request.remove) - known)
    if missing:
        raise NotFound("organization", ", ".join(missing))
    return what_if(snapshots.get(request.as_of), request.remove)


@router.get("/brokers", response_model=Brokerage)
def get_brokers(
    snapshots: SnapshotsDep,
    as_of: AsOf = None,
    top: Annotated[int, Query(ge=1, le=200, description="How many brokers to list.")] = 20,
) -> Brokerage:
    """Organisations that hold the ecosystem together (betweenness, Burt's constraint) and
    those that bridge the labour and SSE movements. Betweenness is exact on graphs of up to
    1,000 organisations and a stated sampled estimate beyond."""
    snapshot = snapshots.get(as_of)
    return snapshot.remember(f"brokers {top}", lambda: brokers(snapshot, top=top))
