"""``/api/duplicates``: organisations that are likely the same one, with the evidence, and the
pairs curators have said are not.

Accepting a pair is a merge (``POST /api/organizations/{id}/merge?into=KEEP``, audited like
every edit). Rejecting one is remembered by the store with who and when, and listed at
``/api/duplicates/rejected``; it is not an entry of ``/api/changes``, whose entries are changes
of records (each with a before and an after, which history pages show and reverts restore),
and a rejection changes no record.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field, model_validator

from app.analysis.duplicates import differences, pairs_to_review
from app.api.actors import Actors
from app.api.auth import Editor
from app.api.deps import Limit, Offset, StoreDep
from app.api.problems import WRITE_RESPONSES
from app.api.schemas import OrganizationRef
from app.domain.models import SLUG_PATTERN, Organization
from app.domain.rejections import RejectedPair
from app.store.protocol import Page

router = APIRouter(prefix="/api", tags=["curation"])


class DuplicateView(BaseModel):
    """Two organisations that look like one, why, and what their records say against it;
    merge with POST .../{id}/merge, or reject with POST /api/duplicates/reject."""

    first: OrganizationRef
    second: OrganizationRef
    reasons: list[str]
    against: list[str]


class DuplicatePage(BaseModel):
    """A page of likely duplicates, ordered by the two ids."""

    items: list[DuplicateView]
    total: int
    offset: int
    limit: int


class PairIds(BaseModel):
    """Two different organisations, named in either order."""

    first: str = Field(pattern=SLUG_PATTERN, max_length=120)
    second: str = Field(pattern=SLUG_PATTERN, max_length=120)

    @model_validator(mode="after")
    def _two(self) -> PairIds:
        if self.first == self.second:
            raise ValueError("first and second must be two different organisations")
        return self


class RejectedPage(BaseModel):
    """Every rejected pair, ordered by the two ids."""

    items: list[RejectedPair]
    total: int


def _ref(organization: Organization) -> OrganizationRef:
    return OrganizationRef(id=organization.id, name=organization.name, type=organization.type)


@router.get("/duplicates", response_model=DuplicatePage)
def list_duplicates(store: StoreDep, offset: Offset = 0, limit: Limit = 50) -> DuplicatePage:
    """Pairs with a shared org-id, the same normalised name or alias, or one's acronym; pairs
    a curator rejected are left out.

    An acronym counts only with a shared country or neighbour, so the graph's ties are read
    too. ``against`` lists where the two records disagree (type, movement, countries, numbers
    in one register list).
    """
    pairs, by_id = pairs_to_review(store)
    page = Page.of(pairs, offset, limit)
    items = [
        DuplicateView(
            first=_ref(by_id[p.first]),
            second=_ref(by_id[p.second]),
            reasons=list(p.reasons),
            against=differences(by_id[p.first], by_id[p.second]),
        )
        for p in page.items
    ]
    return DuplicatePage(items=items, total=page.total, offset=offset, limit=limit)


@router.post("/duplicates/reject", response_model=RejectedPair, responses=WRITE_RESPONSES)
def reject_duplicate(store: StoreDep, caller: Editor, pair: PairIds) -> RejectedPair:
    """Say two organisations are not one (editors): the pair is not proposed again.

    Both must exist (404 otherwise). Rejecting a pair again changes nothing and answers the
    first rejection.
    """
    store.get_organization(pair.first)
    store.get_organization(pair.second)
    return store.reject_duplicate(pair.first, pair.second, caller.name, datetime.now(UTC))


@router.get("/duplicates/rejected", response_model=RejectedPage)
def list_rejected(store: StoreDep, actors: Actors) -> RejectedPage:
    """Every pair curators said is not one, with who and when (callers without a key see who
    as a role, as in ``/api/changes``)."""
    items = [
        pair.model_copy(update={"rejected_by": actors.actor(pair.rejected_by)})
        for pair in store.rejected_duplicates()
    ]
    return RejectedPage(items=items, total=len(items))
