"""Saved views and stories kept in the store: read with their ETags, saved and deleted as
audited writes, with the checks a store cannot make on its own: a view of an organisation
must name a stored one, a story's steps must name saved views, and a view that a story walks
through cannot be deleted from under it."""

from __future__ import annotations

import json
from collections.abc import Collection

from app.domain.errors import Conflict, InvalidData, NotFound, Problem
from app.domain.stories import PublicationKind, SavedView, Story, publication_etag
from app.store.protocol import GraphStore, Page

PAGE = 500
"""Stories read at a time when looking for those that use a view."""


def read_view(store: GraphStore, view_id: str) -> tuple[SavedView, str]:
    """The saved view with this id and its ETag (``NotFound`` if there is none)."""
    body = _stored(store, "view", view_id)
    return SavedView.model_validate_json(body), publication_etag(json.loads(body))


def read_story(store: GraphStore, story_id: str) -> tuple[Story, str]:
    """The story with this id and its ETag (``NotFound`` if there is none)."""
    body = _stored(store, "story", story_id)
    return Story.model_validate_json(body), publication_etag(json.loads(body))


def list_views(store: GraphStore, offset: int, limit: int) -> Page[SavedView]:
    """Saved views ordered by id."""
    page = store.list_publications("view", offset, limit)
    return Page([SavedView.model_validate_json(b) for b in page.items], page.total, offset, limit)


def list_stories(store: GraphStore, offset: int, limit: int) -> Page[Story]:
    """Stories ordered by id."""
    page = store.list_publications("story", offset, limit)
    return Page([Story.model_validate_json(b) for b in page.items], page.total, offset, limit)


def save(
    store: GraphStore,
    item: SavedView | Story,
    actor: str,
    if_match: Collection[str] | None,
    new: bool,
) -> str:
    """Create (``new``) or replace a view or story; its new ETag."""
    kind: PublicationKind = "view" if isinstance(item, SavedView) else "story"
    if isinstance(item, Story):
        _check_steps(store, item)
    else:
        _check_focus(store, item)
    body = item.model_dump(mode="json")
    action = "create" if new else "replace"
    store.put_publication(kind, item.id, body, actor, action, expect=if_match, absent=new)
    return publication_etag(body)


def delete(
    store: GraphStore,
    kind: PublicationKind,
    item_id: str,
    actor: str,
    if_match: Collection[str] | None,
) -> None:
    """Delete a view or story; a view that stories walk through is refused, naming them."""
    if kind == "view":
        users = stories_using(store, item_id)
        if users:
            raise Conflict(
                f"view '{item_id}' is a step of the stories {', '.join(users)}; "
                "take it out of them first"
            )
    store.put_publication(kind, item_id, None, actor, "delete", expect=if_match)


def stories_using(store: GraphStore, view_id: str) -> list[str]:
    """The ids of stories with a step that shows ``view_id``."""
    found: list[str] = []
    offset = 0
    while True:
        page = list_stories(store, offset, PAGE)
        found += [s.id for s in page.items if any(step.view == view_id for step in s.steps)]
        offset += PAGE
        if offset >= page.total:
            return found


def _check_steps(store: GraphStore, story: Story) -> None:
    problems = [
        Problem(f"story '{story.id}'", f"steps.{n}.view", f"no saved view with id '{step.view}'")
        for n, step in enumerate(story.steps)
        if store.get_publication("view", step.view) is None
    ]
    if problems:
        raise InvalidData(problems)


def _check_focus(store: GraphStore, view: SavedView) -> None:
    """A view of an organisation's ties or enablers must name a stored organisation."""
    focus = view.map.focus
    if view.map.kind not in ("organization", "enablers") or focus is None:
        return
    if not store.get_organizations([focus]):
        message = f"no organisation with id '{focus}'; name one by its identifier, e.g. utrasd"
        raise InvalidData([Problem(f"view '{view.id}'", "map.focus", message)])


def _stored(store: GraphStore, kind: PublicationKind, item_id: str) -> str:
    body = store.get_publication(kind, item_id)
    if body is None:
        raise NotFound(kind, item_id)
    return body
