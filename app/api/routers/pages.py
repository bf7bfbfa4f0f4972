"""The explorer page at ``/``, the API docs at ``/docs``, and their static assets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import SettingsDep, StoreDep
from app.api.params import ReaderLanguage, language_headers
from app.api.routers.story_pages import explorer_panel, locked_panel
from app.api.sessions import session_token, signed_in
from app.domain.errors import NotFound
from app.domain.models import SLUG_PATTERN
from app.maps.assets import asset, media_type
from app.maps.page import render_page
from app.store.protocol import GraphStore

router = APIRouter(include_in_schema=False)


@router.get("/")
def explorer(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    lang: ReaderLanguage,
    story: Annotated[
        str | None,
        Query(pattern=SLUG_PATTERN, max_length=120, description="A story to play here."),
    ] = None,
) -> HTMLResponse:
    """Search, filters, the map, details and links to the analyses, in the reader's language;
    with ``story``, that story played step by step, each step turning the explorer to its
    view."""
    if story is None:
        panel = ""
    elif settings.public_read or _may_read(request, store):
        panel = explorer_panel(store, story, lang)
    else:
        panel = locked_panel(lang)
    page = render_page("explorer.html", lang, "/", request.query_params.multi_items(), story=panel)
    return HTMLResponse(page, headers=language_headers(lang))


def _may_read(request: Request, store: GraphStore) -> bool:
    """Whether the browser's session may read, where reads need a key."""
    token = session_token(request)
    return token is not None and signed_in(store, token) is not None


@router.get("/docs")
def docs(request: Request, lang: ReaderLanguage) -> HTMLResponse:
    """Swagger UI over /openapi.json, from assets this server serves; our own words around it
    in the reader's language (Swagger's and the API's stay English)."""
    page = render_page("docs.html", lang, "/docs", request.query_params.multi_items())
    return HTMLResponse(page, headers=language_headers(lang))


@router.get("/static/{name}")
def static(name: str) -> Response:
    """One of the named static assets; anything else is a 404."""
    body = asset(name)
    if body is None:
        raise NotFound("static file", name)
    return Response(
        body, media_type=media_type(name), headers={"Cache-Control": "public, max-age=3600"}
    )
