"""``/api/export``: the whole graph as JSON, CSV sheets, GraphML, GEXF or a Cypher script."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.api.deps import StoreDep, checked
from app.domain.models import Document
from app.io.exporters import FORMATS

router = APIRouter(prefix="/api", tags=["export"])


@router.get(
    "/export",
    response_model=Document,
    responses={
        200: {
            "description": "The graph in the format asked for.",
            "content": {f.media_type: {} for f in FORMATS.values()},
        }
    },
)
def export(
    store: StoreDep,
    format: Annotated[
        str,
        Query(
            description="; ".join(f"{key}: {f.description}" for key, f in FORMATS.items()),
            json_schema_extra={"enum": list(FORMATS)},
        ),
    ] = "json",
) -> Response:
    """Every organisation and relationship; JSON and CSV are what ``import`` reads back."""
    checked("format", format, FORMATS)
    chosen = FORMATS[format]
    disposition = "inline" if format == "json" else "attachment"
    return Response(
        chosen.write(store.export()),
        media_type=chosen.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="solidarity-graph.{chosen.suffix}"'
        },
    )
