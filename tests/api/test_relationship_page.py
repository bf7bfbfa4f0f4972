"""``/relationships/{id}`` (issue 21, point 3): a relationship in words, its sources and its
history. Expected words come from the seed record read through the API and from the
vocabulary's own definitions."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient

from app.domain.vocabulary import vocabulary
from tests.api.conftest import Keys

HISTORY = re.compile(r'<script id="history-data" type="application/json">(.*?)</script>', re.S)
TIE = "utrasd-enables-ima-limpia"  # Box 3 of the brief, in the seed


def test_the_page_says_the_tie_its_sources_and_history(client: TestClient, keys: Keys) -> None:
    tie = client.get(f"/api/relationships/{TIE}").json()
    page = client.get(f"/relationships/{TIE}")
    assert page.status_code == 200
    assert '<a href="/organizations/utrasd">' in page.text
    assert "enables" in page.text
    definition = vocabulary().relationship_types["ENABLES"].term.definition or ""
    assert definition in html.unescape(page.text)
    for source in tie["sources"]:
        assert source["citation"] in html.unescape(page.text)
    found = HISTORY.search(page.text)
    assert found is not None
    history = json.loads(found[1])
    assert history["restore"] == f"/api/relationships/{TIE}/revert"
    assert history["etag"] == client.get(f"/api/relationships/{TIE}").headers["etag"].strip('"')
    assert [e["how"] for e in history["items"]] == ["created (load)"]
    earlier = (tie["since"] or 2000) - 1
    patched = client.patch(
        f"/api/relationships/{TIE}", json={"since": earlier}, headers=keys.auth("editor")
    )
    assert patched.status_code == 200
    found = HISTORY.search(client.get(f"/relationships/{TIE}").text)
    assert found is not None
    newest = json.loads(found[1])["items"][0]
    assert (newest["how"], newest["fields"][0]["after"]) == ("updated", str(earlier))


def test_markup_in_a_tie_stays_text(client: TestClient, keys: Keys) -> None:
    body = {
        "id": "markup-tie",
        "type": "PARTNERS_WITH",
        "source": "utrasd",
        "target": "ima-limpia",
        "activities": ["<b id=injected>x</b>"],
        "sources": [{"citation": "<script>window.__xss=1</script>", "locator": "<i>p</i>"}],
    }
    assert client.post("/api/relationships", json=body, headers=keys.auth("editor")).is_success
    page = client.get("/relationships/markup-tie").text
    assert "<script>window.__xss" not in page and "<b id=injected>" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page


def test_an_unknown_tie_is_a_404_page(client: TestClient) -> None:
    answer = client.get("/relationships/no-such-tie")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
