"""``/api/views``: saved views, a map named with a title and a caption, kept for stories and
embeds. Each has an ETag; writes need an editor and are in the audit trail (entity ``view``)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import Editor
from app.api.deps import Limit, Offset, StoreDep
from app.api.editing import published
from app.api.params import IfMatch, PublicationId
from app.api.problems import WRITE_RESPONSES
from app.api.schemas import ViewPage
from app.curation import publications
from app.domain.errors import InvalidData, Problem
from app.domain.stories import SavedView

router = APIRouter(prefix="/api/views", tags=["stories"])


@router.get("", response_model=ViewPage)
def list_views(store: StoreDep, offset: Offset = 0, limit: Limit = 50) -> ViewPage:
    """Saved views, ordered by id."""
    page = publications.list_views(store, offset, limit)
    return ViewPage(items=page.items, total=page.total, offset=offset, limit=limit)


@router.get("/{view_id}", response_model=SavedView)
def get_view(store: StoreDep, view_id: PublicationId) -> Response:
    """One saved view, with its ``ETag``."""
    return published(*publications.read_view(store, view_id))


@router.post("", status_code=201, response_model=SavedView, responses=WRITE_RESPONSES)
def create_view(store: StoreDep, caller: Editor, view: SavedView) -> Response:
    """Save a view (editors); 409 if the id is taken."""
    return published(view, publications.save(store, view, caller.name, None, new=True), 201)


@router.put("/{view_id}", response_model=SavedView, responses=WRITE_RESPONSES)
def replace_view(
    store: StoreDep, caller: Editor, view_id: PublicationId, view: SavedView, if_match: IfMatch
) -> Response:
    """Replace a saved view whole (editors); with ``If-Match``, only if unchanged."""
    same_id("view", view_id, view.id)
    return published(view, publications.save(store, view, caller.name, if_match, new=False))


@router.delete("/{view_id}", status_code=204, responses=WRITE_RESPONSES)
def delete_view(
    store: StoreDep, caller: Editor, view_id: PublicationId, if_match: IfMatch
) -> Response:
    """Delete a saved view (editors); refused while a story walks through it."""
    publications.delete(store, "view", view_id, caller.name, if_match)
    return Response(status_code=204)


def same_id(kind: str, path_id: str, body_id: str) -> None:
    """Refuse a body whose id differs from the path's: ids never change."""
    if path_id != body_id:
        message = f"the body's id '{body_id}' differs from the id in the path; ids never change"
        raise InvalidData([Problem(f"{kind} '{path_id}'", "id", message)])
