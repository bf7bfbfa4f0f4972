"""What the write routes share: a written record answered with its ETag and location."""

from __future__ import annotations

from fastapi import Response
from fastapi.responses import JSONResponse

from app.domain.edits import etag
from app.domain.models import Organization, Relationship


def with_etag(record: Organization | Relationship, status: int = 200) -> Response:
    """The record as JSON with its ``ETag``; a 201 also says where the new record lives."""
    headers = {"ETag": f'"{etag(record)}"'}
    if status == 201:
        kind = "organizations" if isinstance(record, Organization) else "relationships"
        headers["Location"] = f"/api/{kind}/{record.id}"
    return JSONResponse(record.model_dump(mode="json"), status_code=status, headers=headers)
