"""``/api/stories``: stories, an ordered walk through saved views with captions, played at
``/stories/{id}`` and embedded at ``/embed/stories/{id}``. Each has an ETag; writes need an
editor and are in the audit trail (entity ``story``)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.auth import Editor
from app.api.deps import Limit, Offset, StoreDep
from app.api.editing import published
from app.api.params import IfMatch, PublicationId
from app.api.problems import WRITE_RESPONSES
from app.api.routers.views import same_id
from app.api.schemas import StoryPage
from app.curation import publications
from app.domain.stories import Story

router = APIRouter(prefix="/api/stories", tags=["stories"])


@router.get("", response_model=StoryPage)
def list_stories(store: StoreDep, offset: Offset = 0, limit: Limit = 50) -> StoryPage:
    """Stories, ordered by id."""
    page = publications.list_stories(store, offset, limit)
    return StoryPage(items=page.items, total=page.total, offset=offset, limit=limit)


@router.get("/{story_id}", response_model=Story)
def get_story(store: StoreDep, story_id: PublicationId) -> Response:
    """One story, with its ``ETag``."""
    return published(*publications.read_story(store, story_id))


@router.post("", status_code=201, response_model=Story, responses=WRITE_RESPONSES)
def create_story(store: StoreDep, caller: Editor, story: Story) -> Response:
    """Save a story (editors); every step must name a saved view; 409 if the id is taken."""
    return published(story, publications.save(store, story, caller.name, None, new=True), 201)


@router.put("/{story_id}", response_model=Story, responses=WRITE_RESPONSES)
def replace_story(
    store: StoreDep, caller: Editor, story_id: PublicationId, story: Story, if_match: IfMatch
) -> Response:
    """Replace a story whole (editors); with ``If-Match``, only if unchanged."""
    same_id("story", story_id, story.id)
    return published(story, publications.save(store, story, caller.name, if_match, new=False))


@router.delete("/{story_id}", status_code=204, responses=WRITE_RESPONSES)
def delete_story(
    store: StoreDep, caller: Editor, story_id: PublicationId, if_match: IfMatch
) -> Response:
    """Delete a story (editors)."""
    publications.delete(store, "story", story_id, caller.name, if_match)
    return Response(status_code=204)
