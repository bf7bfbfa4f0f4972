"""``/api/duplicates``: organisations that are likely the same one, with the evidence."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from app.analysis.duplicates import likely_duplicates, neighbours_of
from app.api.deps import Limit, Offset, StoreDep
from app.api.schemas import OrganizationRef
from app.store.protocol import Page

router = APIRouter(prefix="/api", tags=["curation"])


class DuplicateView(BaseModel):
    """Two organisations that look like one, and why; merge with POST .../{id}/merge."""

    first: OrganizationRef
    second: OrganizationRef
    reasons: list[str]


class DuplicatePage(BaseModel):
    """A page of likely duplicates, ordered by the two ids."""

    items: list[DuplicateView]
    total: int
    offset: int
    limit: int


@router.get("/duplicates", response_model=DuplicatePage)
def list_duplicates(store: StoreDep, offset: Offset = 0, limit: Limit = 50) -> DuplicatePage:
    """Pairs with a shared org-id, the same normalised name or alias, or one's acronym.

    An acronym counts only with a shared country or neighbour, so the graph's ties are read
    too.
    """
    graph = store.export()
    organizations = graph.organizations
    by_id = {o.id: o for o in organizations}
    pairs = likely_duplicates(organizations, neighbours=neighbours_of(graph.relationships))
    page = Page.of(pairs, offset, limit)

    def ref(organization_id: str) -> OrganizationRef:
        found = by_id[organization_id]
        return OrganizationRef(id=found.id, name=found.name, type=found.type)

    items = [
        DuplicateView(first=ref(p.first), second=ref(p.second), reasons=list(p.reasons))
        for p in page.items
    ]
    return DuplicatePage(items=items, total=page.total, offset=offset, limit=limit)
