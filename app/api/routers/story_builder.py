"""Building stories in the browser: ``/new/story`` and ``/stories/{id}/edit``.

The page lists the saved views to walk through, offers a form to save a new view, and sends
the story to ``/api/stories`` with the session's CSRF token (and, for an edit, the ETag it was
opened at). Only a browser signed in with an editor's or an admin's key gets the builder.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import VOCAB, StoreDep
from app.api.params import PublicationId
from app.api.problems import PAGE_RESPONSES
from app.api.routers.edit_pages import editing_session, needs_editor
from app.curation import publications
from app.domain.stories import Story
from app.maps.forms import view_choices
from app.maps.page import inert_json, template
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

VIEWS_OFFERED = 500
"""Saved views the builder lists to choose from, by id."""


@router.get("/new/story", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def new_story(request: Request, store: StoreDep) -> HTMLResponse:
    """The story builder, empty."""
    return _builder(request, store, None, None, "Build a story")


@router.get("/stories/{story_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def edit_story(request: Request, store: StoreDep, story_id: PublicationId) -> HTMLResponse:
    """The story builder, holding the story as stored now."""
    story, tag = publications.read_story(store, story_id)
    return _builder(request, store, story, tag, f"Edit the story {story.title}")


def _builder(
    request: Request, store: GraphStore, story: Story | None, tag: str | None, title: str
) -> HTMLResponse:
    csrf, role = editing_session(request, store)
    data: dict[str, Any] = {}
    if csrf is None:
        content = needs_editor(request, role)
    else:
        content = '<div id="builder-root"></div>'
        views = publications.list_views(store, 0, VIEWS_OFFERED).items
        data = {
            "story": None if story is None else story.model_dump(mode="json"),
            "etag": tag,
            "csrf": csrf,
            "views": [{"id": v.id, "title": v.title} for v in views],
            "choices": view_choices(VOCAB),
        }
    page = template("edit.html").substitute(
        title=html.escape(title),
        content=content,
        data=inert_json(data),
        script="story-builder.js",
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})
