"""What the write routes share: a written record, view or story answered with its ETag and
location."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import JSONResponse

from app.domain.edits import etag
from app.domain.models import Organization, Relationship
from app.domain.stories import SavedView, Story


def with_etag(record: Organization | Relationship, status: int = 200) -> Response:
    """The record as JSON with its ``ETag``; a 201 also says where the new record lives."""
    headers = {"ETag": f'"{etag(record)}"'}
    if status == 201:
        kind = "organizations" if isinstance(record, Organization) else "relationships"
        headers["Location"] = f"/api/{kind}/{record.id}"
    return JSONResponse(record.model_dump(mode="json"), status_code=status, headers=headers)


def published(item: SavedView | Story, tag: str, status: int = 200) -> Response:
    """A saved view or story as JSON with its ``ETag``; a 201 also says where it lives."""
    headers = {"ETag": f'"{tag}"'}
    if status == 201:
        kind = "views" if isinstance(item, SavedView) else "stories"
        headers["Location"] = f"/api/{kind}/{item.id}"
    return JSONResponse(item.model_dump(mode="json"), status_code=status, headers=headers)
