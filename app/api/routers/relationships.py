"""``/api/relationships``: the typed ties between organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import VOCAB, Limit, Offset, StoreDep, checked, enum_of
from app.api.schemas import RelationshipPage
from app.domain.models import SLUG_PATTERN
from app.store.protocol import RelationshipFilter

router = APIRouter(prefix="/api/relationships", tags=["relationships"])

OrganizationIdFilter = Annotated[
    str | None, Query(pattern=SLUG_PATTERN, max_length=120, description="Organisation id.")
]


@router.get("", response_model=RelationshipPage)
def list_relationships(
    store: StoreDep,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.relationship_types))] = None,
    source: OrganizationIdFilter = None,
    target: OrganizationIdFilter = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> RelationshipPage:
    """Relationships of the given type and ends ("source TYPE target"), ordered by id."""
    where = RelationshipFilter(
        type=checked("type", type, VOCAB.relationship_types), source=source, target=target
    )
    page = store.list_relationships(where, offset, limit)
    return RelationshipPage(items=page.items, total=page.total, offset=offset, limit=limit)
