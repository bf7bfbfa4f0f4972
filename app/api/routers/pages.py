"""The explorer page at ``/``, the API docs at ``/docs``, and their static assets."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from app.domain.errors import NotFound
from app.maps.assets import asset, media_type
from app.maps.page import template

router = APIRouter(include_in_schema=False)


@router.get("/")
def explorer() -> HTMLResponse:
    """Search, filters, the map, details and links to the analyses."""
    return HTMLResponse(template("explorer.html").substitute())


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI over /openapi.json, from assets this server serves."""
    return HTMLResponse(template("docs.html").substitute())


@router.get("/static/{name}")
def static(name: str) -> Response:
    """One of the named static assets; anything else is a 404."""
    body = asset(name)
    if body is None:
        raise NotFound("static file", name)
    return Response(
        body, media_type=media_type(name), headers={"Cache-Control": "public, max-age=3600"}
    )
