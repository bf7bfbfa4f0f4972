"""Conformance of saved views and stories (GraphStore.*_publication*) on every backend:
stored and read back as given, listed by id per kind, preconditions checked in the write,
every save audited, and the graph version left alone. Tags are computed here with
``publication_etag`` from the bodies the test wrote."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.domain.errors import Conflict, NotFound, PreconditionFailed
from app.domain.stories import publication_etag
from app.store.protocol import ChangeFilter, GraphStore


def view(view_id: str, title: str = "UTRASD's enablers") -> dict[str, Any]:
    return {
        "id": view_id,
        "title": title,
        "caption": "Who backs *UTRASD*",
        "map": {"kind": "enablers", "focus": "utrasd", "depth": 2},
        "pinned": {},
    }


def test_a_view_is_read_back_as_saved_and_listed_by_id(store: GraphStore) -> None:
    for name in ("b-view", "a-view"):
        store.put_publication("view", name, view(name), "alice", "create", absent=True)
    stored = store.get_publication("view", "a-view")
    assert stored is not None and json.loads(stored) == view("a-view")
    page = store.list_publications("view", 0, 10)
    assert [json.loads(body)["id"] for body in page.items] == ["a-view", "b-view"]
    assert page.total == 2
    assert store.list_publications("view", 1, 10).items == [page.items[1]]
    assert store.list_publications("story", 0, 10).total == 0
    assert store.get_publication("story", "a-view") is None


def test_preconditions_are_checked_and_a_refusal_changes_nothing(store: GraphStore) -> None:
    first = view("v")
    store.put_publication("view", "v", first, "alice", "create", absent=True)
    trail = store.changes(ChangeFilter(entity="view", id="v"), 0, 10).total
    with pytest.raises(Conflict, match="'v' already exists"):
        store.put_publication("view", "v", view("v", "Other"), "bob", "create", absent=True)
    with pytest.raises(PreconditionFailed):
        store.put_publication("view", "v", view("v", "Other"), "bob", "replace", expect={"0" * 32})
    with pytest.raises(NotFound):
        store.put_publication("view", "gone", None, "bob", "delete")
    with pytest.raises(PreconditionFailed):
        store.put_publication("view", "gone", view("gone"), "bob", "replace", expect={"x"})
    assert json.loads(store.get_publication("view", "v") or "") == first
    assert store.changes(ChangeFilter(entity="view", id="v"), 0, 10).total == trail
    tag = publication_etag(first)
    store.put_publication("view", "v", view("v", "Renamed"), "bob", "replace", expect={tag})
    assert json.loads(store.get_publication("view", "v") or "")["title"] == "Renamed"


def test_every_save_is_audited_and_the_graph_version_stays(store: GraphStore) -> None:
    version = store.version()
    store.put_publication("story", "s", {"id": "s", "v": 1}, "alice", "create", absent=True)
    store.put_publication("story", "s", {"id": "s", "v": 2}, "bob", "replace")
    store.put_publication("story", "s", None, "carol", "delete")
    entries = store.changes(ChangeFilter(entity="story", id="s"), 0, 10).items
    assert [(e.actor, e.action, e.change, e.entity) for e in entries] == [
        ("alice", "create", "created", "story"),
        ("bob", "replace", "updated", "story"),
        ("carol", "delete", "deleted", "story"),
    ]
    assert (entries[0].before, entries[0].after) == (None, {"id": "s", "v": 1})
    assert (entries[1].before, entries[1].after) == ({"id": "s", "v": 1}, {"id": "s", "v": 2})
    assert (entries[2].before, entries[2].after) == ({"id": "s", "v": 2}, None)
    assert store.get_publication("story", "s") is None
    assert store.version() == version


def test_clear_forgets_views_and_stories(store: GraphStore) -> None:
    store.put_publication("view", "v", view("v"), "alice", "create")
    store.clear()
    assert store.get_publication("view", "v") is None
