"""``/api/export``: the whole graph as an interchange document."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import StoreDep, checked
from app.domain.models import Document
from app.io.documents import to_json

router = APIRouter(prefix="/api", tags=["export"])

EXPORT_FORMATS = {"json": "application/json"}


@router.get(
    "/export",
    response_model=Document,
    responses={200: {"content": {"application/json": {}}}},
)
def export(
    store: StoreDep,
    format: Annotated[str, Query(json_schema_extra={"enum": sorted(EXPORT_FORMATS)})] = "json",
) -> Response:
    """Every organisation and relationship, in the format that ``solgraph load`` reads back."""
    checked("format", format, EXPORT_FORMATS)
    return Response(
        to_json(store.export()),
        media_type=EXPORT_FORMATS[format],
        headers={"Content-Disposition": 'inline; filename="solidarity-graph.json"'},
    )
