"""Saved views and stories as pages and embeds: ``/views/{id}``, ``/embed/views/{id}``,
``/stories/{id}`` and ``/embed/stories/{id}``.

A view's embed is its map, pinned organisations where the curator placed them. A story shows
one step at a time: the step's map (the view's embed, in a frame) beside its caption, with
previous and next buttons, the arrow keys, a step number in the address (``#step-2``) and, in
an embed, a link back to the story on this site. Captions are the sanitised HTML of
``app.domain.stories.caption_html``; everything else from data is escaped.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.deps import SettingsDep, SnapshotsDep, StoreDep
from app.api.params import PublicationId
from app.api.problems import PAGE_RESPONSES
from app.api.routers.oembed import HEIGHT, WIDTH, iframe
from app.curation import publications
from app.domain.errors import NotFound
from app.domain.stories import FILTERS, MapRef, SavedView, Story, StoryStep, caption_html
from app.maps.page import discovery_link, render_map, template
from app.maps.views import saved_view_map
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

LISTED = 500
"""Stories, and saved views, that ``/stories`` lists."""
PINS = (
    '<div class="pins" data-needs="editor" hidden><h3>Pin organisations where you placed '
    "them</h3><p>Drag organisations on the map, then save their places: this view, and every "
    "story that shows it, draws them there.</p>"
    '<div class="actions"><button type="button" id="pin-save" data-view="{view}">Save these '
    'places</button> <button type="button" id="pin-forget" class="quiet">Forget the places'
    '</button></div><p id="pin-said" role="status"></p></div>'
)
"""What a saved view's page offers an editor: the places of its organisations, kept."""


@router.get("/stories", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def stories_page(store: StoreDep) -> HTMLResponse:
    """Every story and saved view, and, for editors, a way to build a story."""
    stories = publications.list_stories(store, 0, LISTED).items
    views = publications.list_views(store, 0, LISTED).items
    told = "".join(
        f'<li><a href="/stories/{s.id}">{html.escape(s.title)}</a> ({len(s.steps)} '
        f"step{'s' * (len(s.steps) != 1)})</li>"
        for s in stories
    )
    shown = "".join(f'<li><a href="/views/{v.id}">{html.escape(v.title)}</a></li>' for v in views)
    content = (
        '<p data-needs="editor" hidden><a href="/new/story">Build a story</a></p>'
        "<h2>Stories</h2>"
        + (f'<ul class="listing">{told}</ul>' if told else "<p>No story yet.</p>")
        + "<h2>Saved views</h2>"
        + (f'<ul class="listing">{shown}</ul>' if shown else "<p>No saved view yet.</p>")
    )
    return HTMLResponse(template("plain.html").substitute(title="Stories", content=content))


@router.get("/embed/views/{view_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def view_embed(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    settings: SettingsDep,
    view_id: PublicationId,
) -> HTMLResponse:
    """A saved view's map, for frames: in stories, and on sites allowed to embed."""
    view, _ = publications.read_view(store, view_id)
    data = saved_view_map(store, snapshots, view, settings.map_max_organizations)
    return HTMLResponse(render_map(data, embed=True, oembed=_oembed(request)))


@router.get("/views/{view_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def view_page(request: Request, store: StoreDep, view_id: PublicationId) -> HTMLResponse:
    """A saved view: its title, its caption and its map."""
    view, _ = publications.read_view(store, view_id)
    step = StoryStep(view=view.id)
    story = Story(id=view.id, title=view.title, steps=[step])
    return _story_page(request, store, story, embed=False, single=True)


@router.get("/stories/{story_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
@router.get("/embed/stories/{story_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def story_page(request: Request, store: StoreDep, story_id: PublicationId) -> HTMLResponse:
    """A story, one step at a time; under ``/embed/`` without the page's header."""
    story, _ = publications.read_story(store, story_id)
    embed = request.url.path.startswith("/embed/")
    return _story_page(request, store, story, embed=embed, single=False)


def _story_page(
    request: Request, store: GraphStore, story: Story, embed: bool, single: bool
) -> HTMLResponse:
    views = {step.view: _view(store, step.view) for step in story.steps}
    count = len(story.steps)
    steps = "\n".join(
        _step(number, count, step, views[step.view], single)
        for number, step in enumerate(story.steps, start=1)
    )
    back = (
        f'<p class="back"><a href="/stories/{story.id}" target="_top">Open this story in '
        "Solidarity Graph</a></p>"
        if embed
        else ""
    )
    kind = "views" if single else "stories"
    page = template("story.html").substitute(
        share="" if embed else _share(request, kind, story, single),
        extra_script='<script src="/static/pins.js"></script>' if single else "",
        title=html.escape(story.title),
        body_class="embed" if embed else "page",
        discovery=discovery_link(_oembed(request), story.title),
        first=next((f"/embed/views/{v.id}" for v in views.values() if v is not None), ""),
        intro=caption_html(story.caption) if story.caption else "",
        steps=steps,
        nav_hidden=" hidden" if count == 1 else "",
        count=count,
        back=back,
    )
    return HTMLResponse(page)


def _share(request: Request, kind: str, story: Story, single: bool) -> str:
    """How to put the view or story on another site, and, for editors, where to edit it."""
    base = str(request.base_url).rstrip("/")
    code = iframe(f"{base}/embed/{kind}/{story.id}", story.title, WIDTH, HEIGHT)
    edit = (
        PINS.format(view=story.id)
        if single
        else (
            f'<p><a href="/?story={story.id}">Play it in the explorer</a></p>'
            f'<p data-needs="editor" hidden><a href="/stories/{story.id}/edit">Edit this '
            "story</a></p>"
        )
    )
    return (
        '<section class="share" aria-labelledby="h-share"><h2 id="h-share">Embed it</h2>'
        "<p>Paste this into a page of a site allowed to embed maps (SOLGRAPH_EMBED_ORIGINS), or "
        "paste this page's address into a content system that follows oEmbed.</p>"
        f'<label class="visually-hidden" for="embed-code">Embed code</label>'
        f'<textarea id="embed-code" readonly rows="3">{html.escape(code)}</textarea>'
        f"{edit}</section>"
    )


def _view(store: GraphStore, view_id: str) -> SavedView | None:
    try:
        return publications.read_view(store, view_id)[0]
    except NotFound:
        return None


def _step(number: int, count: int, step: StoryStep, view: SavedView | None, single: bool) -> str:
    """One step as an article: where its map is, its heading and its caption."""
    if view is None:
        heading = f"This view ({step.view}) is no longer saved"
        return (
            f'<article class="step" id="step-{number}" data-src=""><h2>{html.escape(heading)}'
            "</h2></article>"
        )
    said = step.caption or view.caption
    where = "" if single else f'<span class="step-number">Step {number} of {count}: </span>'
    return (
        f'<article class="step" id="step-{number}" data-src="/embed/views/{view.id}" '
        f'data-title="{html.escape(view.title)}">'
        f"<h2>{where}{html.escape(view.title)}</h2>"
        f'<div class="caption">{caption_html(said) if said else ""}</div>'
        f'<p class="explore"><a href="{html.escape(explorer_address(view.map))}" '
        'target="_top">Explore this map</a></p>'
        "</article>"
    )


def explorer_panel(store: GraphStore, story_id: str) -> str:
    """A story as the explorer plays it (``/?story=ID``, ``explorer-story.js``): its title and
    introduction, one article per step with the explorer's address and the saved view to show,
    and the buttons that move between them."""
    try:
        story, _ = publications.read_story(store, story_id)
    except NotFound:
        return (
            f'<p class="story-missing" role="status">No story has the identifier '
            f'{html.escape(story_id)}; see <a href="/stories">the stories</a>.</p>'
        )
    count = len(story.steps)
    steps = []
    for number, step in enumerate(story.steps, start=1):
        view = _view(store, step.view)
        if view is None:
            continue
        address = explorer_address(view.map)
        search = address.removeprefix("/") if address.startswith("/?") else ""
        said = step.caption or view.caption
        steps.append(
            f'<article class="story-step" data-search="{html.escape(search)}" '
            f'data-embed="views/{view.id}" hidden><h3>Step {number} of {count}: '
            f"{html.escape(view.title)}</h3>"
            f'<div class="caption">{caption_html(said) if said else ""}</div></article>'
        )
    intro = caption_html(story.caption) if story.caption else ""
    return (
        f'<section class="story-panel" id="story" aria-labelledby="story-title">'
        f'<h2 id="story-title">{html.escape(story.title)}</h2><div class="intro">{intro}</div>'
        + "".join(steps)
        + '<nav class="story-nav" aria-label="Steps of the story">'
        '<button type="button" id="story-previous">Previous</button> '
        '<span id="story-where" aria-live="polite"></span> '
        '<button type="button" id="story-next">Next</button></nav>'
        f'<p class="story-own"><a href="/stories/{story.id}">This story on its own page</a></p>'
        "</section>"
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
