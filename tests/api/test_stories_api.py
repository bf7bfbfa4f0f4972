"""Saved views and stories over HTTP (issue 21, points 5 and 6): ETags and If-Match, the audit
trail, the checks between stories and views, captions sanitised on the pages, and oEmbed for
view and story URLs. ETags are recomputed here with ``publication_etag`` from the JSON the
API answered; everything else is compared with the bodies the tests sent."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.routers.story_pages import explorer_address
from app.domain.stories import MapRef, publication_etag
from tests.api.conftest import Keys

VIEW: dict[str, Any] = {
    "id": "ima-enablers",
    "title": "Who enables IMA Limpia",
    "caption": "UTRASD <script>window.__xss=1</script> and **CARE**",
    "map": {"kind": "enablers", "focus": "ima-limpia", "depth": 2},
}
STORY: dict[str, Any] = {
    "id": "ima-story",
    "title": "IMA Limpia's support",
    "caption": "Intro [link](javascript:alert(1))",
    "steps": [{"view": "ima-enablers", "caption": "Step <img src=x onerror=alert(1)>"}],
}


@pytest.fixture
def saved(client: TestClient, keys: Keys) -> dict[str, str]:
    """The view and the story above, saved by the editor; their ETags."""
    view = client.post("/api/views", json=VIEW, headers=keys.auth("editor"))
    assert view.status_code == 201, view.text
    story = client.post("/api/stories", json=STORY, headers=keys.auth("editor"))
    assert story.status_code == 201, story.text
    return {"view": view.headers["etag"], "story": story.headers["etag"]}


def test_a_saved_view_reads_back_with_its_etag(client: TestClient, saved: dict[str, str]) -> None:
    answer = client.get("/api/views/ima-enablers")
    body = answer.json()
    assert answer.headers["etag"] == saved["view"] == f'"{publication_etag(body)}"'
    assert (body["title"], body["caption"], body["map"]["focus"]) == (
        VIEW["title"],
        VIEW["caption"],
        "ima-limpia",
    )
    assert client.get("/api/views").json()["total"] == 1
    assert [s["id"] for s in client.get("/api/stories").json()["items"]] == ["ima-story"]


def test_if_match_guards_a_replace(client: TestClient, keys: Keys, saved: dict[str, str]) -> None:
    editor = keys.auth("editor")
    renamed = {**VIEW, "title": "Renamed"}
    stale = client.put(
        "/api/views/ima-enablers", json=renamed, headers={**editor, "If-Match": '"0000"'}
    )
    assert stale.status_code == 412
    assert client.get("/api/views/ima-enablers").json()["title"] == VIEW["title"]
    fresh = client.put(
        "/api/views/ima-enablers", json=renamed, headers={**editor, "If-Match": saved["view"]}
    )
    assert fresh.status_code == 200, fresh.text
    assert fresh.headers["etag"] != saved["view"]
    other_id = client.put("/api/views/ima-enablers", json={**VIEW, "id": "x"}, headers=editor)
    assert other_id.status_code == 422


def test_saves_are_audited(client: TestClient, keys: Keys, saved: dict[str, str]) -> None:
    client.delete("/api/stories/ima-story", headers=keys.auth("editor"))
    trail = client.get("/api/changes", params={"entity": "story", "id": "ima-story"}).json()
    assert [(e["actor"], e["change"]) for e in trail["items"]] == [
        ("editor", "created"),
        ("editor", "deleted"),
    ]


def test_stories_and_views_hold_together(
    client: TestClient, keys: Keys, saved: dict[str, str]
) -> None:
    editor = keys.auth("editor")
    missing = {**STORY, "id": "other", "steps": [{"view": "no-such-view"}]}
    refused = client.post("/api/stories", json=missing, headers=editor)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "steps.0.view"
    in_use = client.delete("/api/views/ima-enablers", headers=editor)
    assert in_use.status_code == 409
    assert "ima-story" in in_use.json()["detail"]
    assert client.post("/api/views", json=VIEW, headers=editor).status_code == 409
    assert client.delete("/api/stories/ima-story", headers=editor).status_code == 204
    assert client.delete("/api/views/ima-enablers", headers=editor).status_code == 204
    assert client.get("/api/views/ima-enablers").status_code == 404


def test_writes_need_an_editor(client: TestClient, keys: Keys) -> None:
    assert client.post("/api/views", json=VIEW).status_code == 401
    assert client.post("/api/views", json=VIEW, headers=keys.auth("reader")).status_code == 403


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        ("/stories/ima-story", "Step &lt;img src=x onerror=alert(1)&gt;"),  # the step's caption
        ("/embed/stories/ima-story", "Step &lt;img src=x onerror=alert(1)&gt;"),
        ("/views/ima-enablers", "<strong>CARE</strong>"),  # the view's own caption
    ],
)
def test_captions_are_sanitised_on_the_pages(
    client: TestClient, saved: dict[str, str], path: str, kept: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert "<script>window.__xss" not in page.text
    assert "<img" not in page.text
    assert 'href="javascript:' not in page.text
    assert kept in page.text


def test_oembed_answers_for_views_and_stories(client: TestClient, saved: dict[str, str]) -> None:
    for page, embed, title in (
        ("/stories/ima-story", "/embed/stories/ima-story", STORY["title"]),
        ("/embed/views/ima-enablers", "/embed/views/ima-enablers", VIEW["title"]),
    ):
        answer = client.get("/oembed", params={"url": f"http://testserver{page}"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["title"] == title
        assert body["html"].startswith(f'<iframe src="http://testserver{embed}"')
        assert f'title="{title}"' in body["html"]  # an apostrophe stays as typed
    unknown = client.get("/oembed", params={"url": "http://testserver/stories/nope"})
    assert unknown.status_code == 404


def test_unknown_views_and_stories_are_404_pages(client: TestClient) -> None:
    for path in ("/stories/nope", "/embed/stories/nope", "/views/nope", "/embed/views/nope"):
        assert client.get(path).status_code == 404


def test_each_step_leads_on_to_the_explorer(client: TestClient, saved: dict[str, str]) -> None:
    """The explorer's address (app/maps/static/explorer.js, ``read``) takes organization,
    map=enablers, depth, year and the filters; a partnership opens its map page."""
    cases = [
        (
            {"kind": "enablers", "focus": "ima-limpia", "depth": 2},
            "/?organization=ima-limpia&map=enablers&depth=2",
        ),
        ({"kind": "organization", "focus": "utrasd"}, "/?organization=utrasd"),
        ({"kind": "ecosystem", "country": "CO", "year": 2020}, "/?year=2020&country=CO"),
        ({"kind": "partnership", "focus": "p-1"}, "/maps/partnerships/p-1"),
    ]
    for ref, expected in cases:
        assert explorer_address(MapRef.model_validate(ref)) == expected
    page = client.get("/stories/ima-story").text
    assert 'href="/?organization=ima-limpia&amp;map=enablers&amp;depth=2" target="_top"' in page


def test_a_view_of_an_unknown_organisation_is_refused(client: TestClient, keys: Keys) -> None:
    """What a newcomer met: a focus typed as two identifiers run together."""
    view = {**VIEW, "id": "broken", "map": {"kind": "organization", "focus": "ab-utrasd"}}
    refused = client.post("/api/views", json=view, headers=keys.auth("editor"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "map.focus"
    assert client.get("/api/views/broken").status_code == 404
