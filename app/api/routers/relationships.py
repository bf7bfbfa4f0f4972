"""``/api/relationships``: the typed ties between organisations, read and edited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from app.api.auth import Editor
from app.api.deps import VOCAB, Limit, Offset, StoreDep, checked, enum_of
from app.api.editing import with_etag
from app.api.params import IfMatch, RelationshipId
from app.api.problems import WRITE_RESPONSES
from app.api.schemas import RelationshipPage
from app.curation import records
from app.domain.models import SLUG_PATTERN, Relationship
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


@router.get("/{relationship_id}", response_model=Relationship)
def get_relationship(store: StoreDep, relationship_id: RelationshipId) -> Response:
    """One relationship; its ``ETag`` header is what ``If-Match`` sends back to edit it."""
    return with_etag(store.get_relationship(relationship_id))


@router.post("", status_code=201, response_model=Relationship, responses=WRITE_RESPONSES)
def create_relationship(store: StoreDep, caller: Editor, relationship: Relationship) -> Response:
    """Add a relationship between stored organisations (editors); the type rules apply."""
    return with_etag(records.create(store, "relationship", relationship, caller.name), 201)


@router.put("/{relationship_id}", response_model=Relationship, responses=WRITE_RESPONSES)
def replace_relationship(
    store: StoreDep,
    caller: Editor,
    relationship_id: RelationshipId,
    relationship: Relationship,
    if_match: IfMatch,
) -> Response:
    """Replace a relationship whole (editors); with ``If-Match``, only if unchanged."""
    record = records.replace(
        store, "relationship", relationship_id, relationship, caller.name, if_match
    )
    return with_etag(record)


@router.patch("/{relationship_id}", response_model=Relationship, responses=WRITE_RESPONSES)
def patch_relationship(
    store: StoreDep,
    caller: Editor,
    relationship_id: RelationshipId,
    fields: Annotated[dict[str, Any], Body(examples=[{"until": 2020, "status": "ended"}])],
    if_match: IfMatch,
) -> Response:
    """Change some fields (editors): a JSON merge patch, where ``null`` clears a field."""
    record = records.patch(store, "relationship", relationship_id, fields, caller.name, if_match)
    return with_etag(record)


@router.delete("/{relationship_id}", status_code=204, responses=WRITE_RESPONSES)
def delete_relationship(
    store: StoreDep, caller: Editor, relationship_id: RelationshipId, if_match: IfMatch
) -> Response:
    """Delete a relationship (editors); with ``If-Match``, only if unchanged."""
    records.delete(store, "relationship", relationship_id, caller.name, if_match)
    return Response(status_code=204)
