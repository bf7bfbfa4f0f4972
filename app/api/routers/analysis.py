"""``/api/analysis``: gaps for funders (each linked to the matches that could close it), a
funder's shortlist of introductions, what-if a funder withdraws, brokers between movements."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.analysis.brokers import Brokerage, shared_brokers
from app.analysis.gaps import Coverage, Gap, coverage, gaps
from app.analysis.shortlist import Introduction, Method, remedy, shortlist
from app.analysis.snapshot import Snapshot
from app.analysis.whatif import WhatIf, what_if
from app.api.deps import (
    MAX_LIMIT,
    VOCAB,
    Limit,
    Offset,
    SettingsDep,
    SnapshotsDep,
    StoreDep,
    checked,
    enum_of,
)
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import BASIS_DESCRIPTION, AsOf, Basis, BasisValue
from app.api.routers.matches import matches_address
from app.domain.errors import NotFound
from app.domain.evidence import Weighing
from app.domain.models import Slug, Year

router = APIRouter(prefix="/api/analysis", tags=["analysis"])

MAX_REMOVED = 50
Country = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))]
Sector = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))]


@dataclass(frozen=True)
class LinkedGap(Gap):
    """A gap, with the address of the matches that could close it (``None`` when no match
    would: an organisation all support runs through)."""

    matches: str | None = None


def linked(snapshot: Snapshot, gap: Gap) -> LinkedGap:
    """``gap`` with its ``matches`` link, keeping the snapshot's year and facts counted."""
    wanted = remedy(snapshot, gap)
    link = (
        matches_address(
            wanted.organizations[0], wanted.kind, snapshot.as_of, snapshot.weighing, page=False
        )
        if wanted and wanted.organizations
        else None
    )
    return LinkedGap(**{f.name: getattr(gap, f.name) for f in fields(gap)}, matches=link)


class GapReport(BaseModel):
    """The coverage matrix (country x sector) and one page of the gaps found, for funders;
    ``total`` counts every gap. Each gap says whether it rests on an inference
    (``rests_on_inference``) and on which records (``inferred_records``), and links to the
    matches that could close it (``matches``)."""

    as_of: int | None
    basis: Weighing = Field(description="The facts counted: 'any' or only 'stated' ones.")
    coverage: Coverage
    gaps: list[LinkedGap]
    total: int
    offset: int = 0
    limit: int = MAX_LIMIT


class WhatIfRequest(BaseModel):
    """Organisations to remove, the year to look at, and the facts to count."""

    remove: list[Slug] = Field(min_length=1, max_length=MAX_REMOVED, examples=[["niscof-sacco"]])
    as_of: Year | None = Field(default=None, examples=[2019])
    basis: BasisValue = Field(default="any", description=BASIS_DESCRIPTION, examples=["stated"])
    limit: int = Field(
        default=200,
        ge=1,
        le=1000,
        description="At most this many organisations listed in each loss; the counts are whole.",
    )


@router.get("/gaps", response_model=GapReport, responses=EXPENSIVE_RESPONSES)
def get_gaps(
    snapshots: SnapshotsDep,
    country: Country = None,
    sector: Sector = None,
    as_of: AsOf = None,
    basis: Basis = "any",
    offset: Offset = 0,
    limit: Limit = MAX_LIMIT,
) -> GapReport:
    """Where the ecosystem is thin: a coverage matrix and the gaps, each with why it matters.

    Funding sought and not found comes first, then the other kinds of gap; with
    ``basis=stated``, the gaps that remain when only what sources state counts."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of, basis)
    found = snapshot.remember(
        f"gaps {country} {sector}", lambda: gaps(snapshot, country=country, sector=sector)
    )
    matrix = snapshot.remember(
        f"coverage {country} {sector}",
        lambda: coverage(snapshot, country=country, sector=sector),
    )
    return GapReport(
        as_of=as_of,
        basis=basis,
        coverage=matrix,
        gaps=[linked(snapshot, gap) for gap in found[offset : offset + limit]],
        total=len(found),
        offset=offset,
        limit=limit,
    )


@router.post("/what-if", response_model=WhatIf, responses=EXPENSIVE_RESPONSES)
def post_what_if(
    store: StoreDep, snapshots: SnapshotsDep, settings: SettingsDep, request: WhatIfRequest
) -> WhatIf:
    """What breaks if these organisations withdrew: who loses all or some enabling support,
    which partnerships lose an enabler, which enabling chains break. Each loss says whether
    the support lost rests on an inference; ``basis`` in the body counts only stated ties.

    Answers are cached per graph version and set of organisations. Chains are compared for
    at most three quarters of ``SOLGRAPH_ANALYSIS_SECONDS``; an answer that ran out of time
    says ``complete: false`` and its counts are lower bounds."""
    remove = sorted(set(request.remove))
    known = {o.id for o in store.get_organizations(remove)}
    missing = [i for i in remove if i not in known]
    if missing:
        raise NotFound("organization", ", ".join(missing))
    snapshot = snapshots.get(request.as_of, request.basis)
    deadline = time.monotonic() + 0.75 * settings.analysis_seconds
    return snapshot.remember(
        f"what-if {request.limit} {' '.join(remove)}",
        lambda: what_if(snapshot, remove, limit=request.limit, deadline=deadline),
    )


@router.get("/brokers", response_model=Brokerage, responses=EXPENSIVE_RESPONSES)
def get_brokers(
    snapshots: SnapshotsDep,
    as_of: AsOf = None,
    basis: Basis = "any",
    top: Annotated[int, Query(ge=1, le=200, description="How many brokers to list.")] = 20,
) -> Brokerage:
    """Organisations that hold the ecosystem together (betweenness, Burt's constraint) and
    those that bridge the labour and SSE movements. Betweenness is exact on graphs of up to
    1,000 organisations and a stated sampled estimate beyond. A broker rests on an inference
    when it or one of its own ties does; a bridge, when one of the ties or organisations
    that make it one does."""
    return shared_brokers(snapshots.get(as_of, basis), top)


MAX_INTRODUCTIONS = 50


class ShortlistRequest(BaseModel):
    """How many introductions a funder can make, the year to look at, and the facts to count."""

    n: int = Field(
        default=5,
        ge=1,
        le=MAX_INTRODUCTIONS,
        description="The budget: at most this many introductions.",
        examples=[5],
    )
    as_of: Year | None = Field(default=None, examples=[2022])
    basis: BasisValue = Field(default="any", description=BASIS_DESCRIPTION, examples=["stated"])


class ShortlistReport(BaseModel):
    """Up to ``n`` introductions, partner and enabler matches, that together close the most
    gaps, each with the gaps it closes (each gap once); how they were chosen (``method``:
    ``exact`` or ``greedy``, and ``how`` in words); and how many gaps they close, of those
    some match could close (``closable``) and of all (``gaps``)."""

    as_of: int | None
    basis: Weighing = Field(description="The facts counted: 'any' or only 'stated' ones.")
    n: int
    method: Method
    how: str
    picks: list[Introduction]
    closed: int
    closable: int
    gaps: int


@router.post("/shortlist", response_model=ShortlistReport, responses=EXPENSIVE_RESPONSES)
def post_shortlist(snapshots: SnapshotsDep, request: ShortlistRequest) -> ShortlistReport:
    """A funder's shortlist: the partner and enabler matches, at most ``n``, that close the
    most gaps, each gap counted once. Choosing them is the maximum coverage problem: the
    answer is exact when the choices are few, else greedy, which closes at least 1 - 1/e of
    the best (Nemhauser, Wolsey and Fisher 1978); ``method`` and ``how`` say which."""
    snapshot = snapshots.get(request.as_of, request.basis)
    found = snapshot.remember(f"shortlist {request.n}", lambda: shortlist(snapshot, request.n))
    return ShortlistReport(
        as_of=request.as_of,
        basis=request.basis,
        n=found.n,
        method=found.method,
        how=found.how,
        picks=list(found.picks),
        closed=found.closed,
        closable=found.closable,
        gaps=found.gaps,
    )
