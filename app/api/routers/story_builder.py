"""Building stories in the browser: ``/new/story`` and ``/stories/{id}/edit``.

The page lists the saved views to walk through, offers a form to save a new view, and sends
the story to ``/api/stories`` with the session's CSRF token (and, for an edit, the ETag it was
opened at). Only a browser signed in with an editor's or an admin's key gets the builder. The
page speaks the reader's language (``?lang=``, else ``Accept-Language``); the views' and the
story's own words are as their authors wrote them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import VOCAB, StoreDep
from app.api.params import PublicationId, ReaderLanguage
from app.api.problems import PAGE_RESPONSES
from app.api.routers.edit_pages import EDITING, editing_page, editing_session, needs_editor
from app.curation import publications
from app.domain.languages import Language
from app.domain.messages import N_, gettext
from app.domain.stories import Story
from app.maps.forms import view_choices
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

VIEWS_OFFERED = 500
"""Saved views the builder lists to choose from, by id."""


@router.get("/new/story", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def new_story(request: Request, store: StoreDep, lang: ReaderLanguage) -> HTMLResponse:
    """The story builder, empty."""
    return _builder(request, store, None, None, gettext(N_("Build a story"), lang), lang)


@router.get("/stories/{story_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def edit_story(
    request: Request, store: StoreDep, story_id: PublicationId, lang: ReaderLanguage
) -> HTMLResponse:
    """The story builder, holding the story as stored now."""
    story, tag = publications.read_story(store, story_id)
    title = gettext(N_("Edit the story {title}"), lang).format(title=story.title)
    return _builder(request, store, story, tag, title, lang)


def _builder(
    request: Request,
    store: GraphStore,
    story: Story | None,
    tag: str | None,
    title: str,
    lang: Language,
) -> HTMLResponse:
    """The builder in ``lang``, or what the browser needs to get one."""
    csrf, role = editing_session(request, store)
    if csrf is None:
        return editing_page(request, title, needs_editor(request, role, EDITING, lang), {}, lang)
    views = publications.list_views(store, 0, VIEWS_OFFERED).items
    data = {
        "story": None if story is None else story.model_dump(mode="json"),
        "etag": tag,
        "csrf": csrf,
        "views": [{"id": v.id, "title": v.title} for v in views],
        "choices": view_choices(VOCAB, lang),
    }
    return editing_page(request, title, None, data, lang, "builder-root", "story-builder.js")
