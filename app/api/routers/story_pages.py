"""Saved views and stories as pages and embeds: ``/views/{id}``, ``/embed/views/{id}``,
``/stories/{id}`` and ``/embed/stories/{id}``.

A view's embed is its map, pinned organisations where the curator placed them. A story shows
one step at a time: the step's map (the view's embed, in a frame) beside its caption, with
previous and next buttons, the arrow keys, a step number in the address (``#step-2``) and, in
an embed, a link back to the story on this site. Captions are the sanitised HTML of
``app.domain.stories.caption_html``; everything else from data is escaped by the templates.
Pages, embeds and the explorer's story panel speak the reader's language (``?lang=``), and
their maps and links keep it; titles and captions stay as their curators wrote them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.api.deps import SettingsDep, SnapshotsDep, StoreDep
from app.api.params import PublicationId, ReaderLanguage, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.routers.oembed import HEIGHT, WIDTH, iframe
from app.curation import publications
from app.domain.errors import NotFound
from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, gettext
from app.domain.stories import FILTERS, MapRef, SavedView, Story, StoryStep, caption_html
from app.maps.page import pages, render_map, render_page
from app.maps.translated import in_language
from app.maps.views import saved_view_map
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

LISTED = 500
"""Stories, and saved views, that ``/stories`` lists."""


@router.get("/stories", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def stories_page(request: Request, store: StoreDep, lang: ReaderLanguage) -> HTMLResponse:
    """Every story and saved view, and, for editors, a way to build a story; in the reader's
    language, titles as their curators wrote them."""
    stories = publications.list_stories(store, 0, LISTED).items
    views = publications.list_views(store, 0, LISTED).items
    page = render_page(
        "stories.html",
        lang,
        request.url.path,
        request.query_params.multi_items(),
        title=gettext(N_("Stories"), lang),
        stories=[{"id": s.id, "title": s.title, "steps": len(s.steps)} for s in stories],
        views=[{"id": v.id, "title": v.title} for v in views],
    )
    return HTMLResponse(page, headers=language_headers(lang))


@router.get("/embed/views/{view_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def view_embed(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    view_id: PublicationId,
    lang: ReaderLanguage,
) -> HTMLResponse:
    """A saved view's map in the reader's language, for frames: in stories, and on sites
    allowed to embed."""
    view, _ = publications.read_view(store, view_id)
    data = saved_view_map(store, snapshots, view, settings.map_max_organizations)
    page = render_map(in_language(data, lang), embed=True, oembed=_oembed(request), lang=lang)
    return HTMLResponse(page, headers=language_headers(lang))


@router.get("/views/{view_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def view_page(
    request: Request, store: StoreDep, view_id: PublicationId, lang: ReaderLanguage
) -> HTMLResponse:
    """A saved view: its title, its caption and its map."""
    view, _ = publications.read_view(store, view_id)
    step = StoryStep(view=view.id)
    story = Story(id=view.id, title=view.title, steps=[step])
    return _story_page(request, store, story, lang, embed=False, single=True)


@router.get("/stories/{story_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
@router.get("/embed/stories/{story_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def story_page(
    request: Request, store: StoreDep, story_id: PublicationId, lang: ReaderLanguage
) -> HTMLResponse:
    """A story, one step at a time; under ``/embed/`` without the page's header."""
    story, _ = publications.read_story(store, story_id)
    embed = request.url.path.startswith("/embed/")
    return _story_page(request, store, story, lang, embed=embed, single=False)


def _story_page(
    request: Request, store: GraphStore, story: Story, lang: Language, embed: bool, single: bool
) -> HTMLResponse:
    """The page of a story, or of a saved view as a story of one step, in ``lang``: our words
    around the curator's, who wrote the titles and captions as they are."""
    views = {step.view: _view(store, step.view) for step in story.steps}
    kind = "views" if single else "stories"
    base = str(request.base_url).rstrip("/")
    first = next((v for v in views.values() if v is not None), None)
    page = render_page(
        "story.html",
        lang,
        request.url.path,
        request.query_params.multi_items(),
        title=story.title,
        id=story.id,
        embed=embed,
        single=single,
        oembed=_oembed(request),
        first=_in(f"/embed/views/{first.id}", lang) if first is not None else "",
        intro=_caption(story.caption),
        steps=[
            _step(number, step, views[step.view], lang)
            for number, step in enumerate(story.steps, start=1)
        ],
        code=iframe(_in(f"{base}/embed/{kind}/{story.id}", lang), story.title, WIDTH, HEIGHT),
    )
    return HTMLResponse(page, headers=language_headers(lang))


def _in(address: str, lang: Language) -> str:
    """``address`` in ``lang``: English needs no ``lang``."""
    if lang == DEFAULT:
        return address
    return f"{address}{'&' if '?' in address else '?'}lang={lang}"


def _caption(markdown: str | None) -> Markup:
    """A curator's caption as markup for a template: the sanitised HTML of ``caption_html``
    (its allowed tags and links only); nothing without one."""
    return Markup(caption_html(markdown)) if markdown else Markup()  # noqa: S704 (sanitised)


def _view(store: GraphStore, view_id: str) -> SavedView | None:
    try:
        return publications.read_view(store, view_id)[0]
    except NotFound:
        return None


def _step(number: int, step: StoryStep, view: SavedView | None, lang: Language) -> dict[str, Any]:
    """Step ``number`` as its template draws it: the view it shows (``None`` when no longer
    saved, named by ``missing``), its map's embed, its caption (sanitised HTML) and where the
    explorer goes on from it, in ``lang``."""
    if view is None:
        return {"number": number, "view": None, "missing": step.view}
    said = step.caption or view.caption
    address = explorer_address(view.map)
    return {
        "number": number,
        "view": view.id,
        "title": view.title,
        "embed": _in(f"/embed/views/{view.id}", lang),
        "caption": _caption(said),
        "explore": _in(address, lang),
        "search": _in(address.removeprefix("/"), lang) if address.startswith("/?") else "",
    }


def explorer_panel(store: GraphStore, story_id: str, lang: Language = DEFAULT) -> str:
    """A story as the explorer plays it (``/?story=ID``, ``explorer-story.js``), in ``lang``:
    its title and introduction, one article per step with the explorer's address and the saved
    view to show, and the buttons that move between them."""
    panel = pages(lang).get_template("story-panel.html")
    try:
        story, _ = publications.read_story(store, story_id)
    except NotFound:
        return panel.render(locked=False, story=None, missing=story_id, lang_query=_in("", lang))
    steps = [
        _step(number, step, _view(store, step.view), lang)
        for number, step in enumerate(story.steps, start=1)
    ]
    return panel.render(
        locked=False,
        story=story,
        intro=_caption(story.caption),
        steps=[s for s in steps if s["view"] is not None],
        count=len(story.steps),
        lang_query=_in("", lang),
    )


def locked_panel(lang: Language = DEFAULT) -> str:
    """In place of a story's panel where reads need a key the reader has not given: where to
    sign in, in ``lang``."""
    return (
        pages(lang).get_template("story-panel.html").render(locked=True, lang_query=_in("", lang))
    )


def explorer_address(ref: MapRef) -> str:
    """Where the explorer shows the map a view names, to go on from a step: its address
    takes ``organization``, ``map``, ``depth``, the filters, ``year`` and ``basis``; a
    partnership, which the explorer does not draw, opens its map page."""
    if ref.kind == "partnership":
        return f"/maps/{ref.path()}"
    query: dict[str, str] = {}
    if ref.focus is not None:
        query["organization"] = ref.focus
    if ref.kind == "enablers":
        query["map"] = "enablers"
    values = {"depth": ref.depth, "year": ref.year, **{f: getattr(ref, f) for f in FILTERS}}
    query |= {name: str(value) for name, value in values.items() if value is not None}
    if ref.basis == "stated":
        query["basis"] = "stated"
    return "/?" + urlencode(query) if query else "/"


def _oembed(request: Request) -> str:
    return f"{request.url_for('oembed')}?{urlencode({'url': str(request.url)})}"
