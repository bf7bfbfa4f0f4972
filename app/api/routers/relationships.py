"""``/api/relationships``: the typed ties between organisations, read and edited."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from app.api.answers import Answer
from app.api.auth import Editor
from app.api.deps import VOCAB, AnswersDep, Limit, Offset, StoreDep, checked, enum_of
from app.api.editing import with_etag
from app.api.params import ChangeNumber, IfMatch, RelationshipId
from app.api.problems import WRITE_RESPONSES
from app.api.schemas import RelationshipPage
from app.curation import records
from app.curation.reverting import revert
from app.domain.edits import etag
from app.domain.models import SLUG_PATTERN, Relationship
from app.store.protocol import RelationshipFilter

router = APIRouter(prefix="/api/relationships", tags=["relationships"])

OrganizationIdFilter = Annotated[
    str | None, Query(pattern=SLUG_PATTERN, max_length=120, description="Organisation id.")
]


@router.get("", response_model=RelationshipPage)
async def list_relationships(
    request: Request,
    store: StoreDep,
    answers: AnswersDep,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.relationship_types))] = None,
    source: OrganizationIdFilter = None,
    target: OrganizationIdFilter = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Response:
    """Relationships of the given type and ends ("source TYPE target"), ordered by id.

    The ``ETag`` header tags the page; send it back as ``If-None-Match`` to get ``304`` while
    the page is unchanged."""
    where = RelationshipFilter(
        type=checked("type", type, VOCAB.relationship_types), source=source, target=target
    )

    def render() -> Answer:
        page = store.list_relationships(where, offset, limit)
        return Answer.of(
            RelationshipPage(items=page.items, total=page.total, offset=offset, limit=limit)
        )

    key = ("relationships", where, offset, limit)
    return await answers.reply(request, key, render)


@router.get("/{relationship_id}", response_model=Relationship)
async def get_relationship(
    request: Request, store: StoreDep, answers: AnswersDep, relationship_id: RelationshipId
) -> Response:
    """One relationship; its ``ETag`` header is what ``If-Match`` sends back to edit it, and
    what ``If-None-Match`` sends to get ``304`` while it is unchanged."""

    def render() -> Answer:
        record = store.get_relationship(relationship_id)
        return Answer.of(record, etag(record))

    key = ("relationship", relationship_id)
    return await answers.reply(request, key, render)


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


@router.post("/{relationship_id}/revert", response_model=Relationship, responses=WRITE_RESPONSES)
def revert_relationship(
    store: StoreDep,
    caller: Editor,
    relationship_id: RelationshipId,
    change: ChangeNumber,
    if_match: IfMatch,
) -> Response:
    """Restore the relationship as change ``change`` of its history left it (editors); an
    edit of its own in the audit trail, as for organisations."""
    return with_etag(revert(store, "relationship", relationship_id, change, caller.name, if_match))
