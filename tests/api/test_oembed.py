"""``/oembed``: map links as oEmbed 1.0 ``rich`` answers, and their discovery on map pages.

Expected values come from the oEmbed 1.0 specification (https://oembed.com/, sections 2.2
to 2.4: ``version`` "1.0", ``type`` "rich" with ``html``, ``width`` and ``height``; 404 for a
URL the provider has no answer for; 501 for a format it does not serve), from the map's own
data route asked independently (its title), and from our stated default size (800 by 600).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.models import Document
from app.settings import Settings
from app.store.protocol import GraphStore
from tests.api.conftest import Keys, _Unclosable
from tests.factories import org

BASE = "http://127.0.0.1:8000"
MAPS = [
    "/maps/organizations/utrasd?depth=2",
    "/maps/organizations/ima-limpia/enablers",
    "/maps/ecosystem?country=DO",
    "/embed/partnerships/partnership-ima-limpia",
]


@pytest.fixture
def here(store: GraphStore, seed: Document) -> Iterator[TestClient]:
    """The app over the seed, asked as ``http://127.0.0.1:8000`` (the README's address)."""
    store.load(seed)
    app = create_app(lambda: _Unclosable(store))  # type: ignore[arg-type, return-value]
    with TestClient(app, base_url=BASE) as client:
        yield client


class _Elements(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(markup)
    return parser.found


@pytest.mark.parametrize("path", MAPS)
def test_every_map_link_is_an_iframe_of_its_embed(here: TestClient, path: str) -> None:
    answer = here.get("/oembed", params={"url": BASE + path})
    assert answer.status_code == 200, answer.text
    got = answer.json()
    title = here.get("/api/maps/" + path.split("/", 2)[2]).json()["title"]
    assert (got["version"], got["type"], got["title"]) == ("1.0", "rich", title)
    assert (got["width"], got["height"]) == (800, 600)
    assert got["provider_url"] == BASE + "/"
    [(tag, attrs)] = elements(got["html"])
    assert tag == "iframe"
    embed = BASE + "/embed/" + path.split("/", 2)[2]
    assert attrs["src"] == embed
    assert (attrs["width"], attrs["height"], attrs["title"]) == ("800", "600", title)


def test_the_size_stays_within_what_the_consumer_allows(here: TestClient) -> None:
    url = BASE + "/maps/organizations/utrasd"
    got = here.get("/oembed", params={"url": url, "maxwidth": 340, "maxheight": 900}).json()
    assert (got["width"], got["height"]) == (340, 600)
    [(_, attrs)] = elements(got["html"])
    assert (attrs["width"], attrs["height"]) == ("340", "600")


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example/maps/ecosystem",
        BASE + "/api/organizations/utrasd",
        BASE + "/maps/ecosystem.svg",
        "ftp://127.0.0.1:8000/maps/ecosystem",
        "not a url",
    ],
)
def test_a_url_that_is_not_a_map_here_is_404_saying_what_is(here: TestClient, url: str) -> None:
    answer = here.get("/oembed", params={"url": url})
    assert answer.status_code == 404
    assert "is not a map of this server" in answer.json()["detail"]
    assert "/maps/organizations/{id}" in answer.json()["detail"]


def test_a_map_whose_record_is_missing_is_404_naming_it(here: TestClient) -> None:
    answer = here.get("/oembed", params={"url": BASE + "/maps/organizations/nobody"})
    assert answer.status_code == 404
    assert "'nobody'" in answer.json()["detail"]


def test_a_bad_map_parameter_is_refused_naming_it(here: TestClient) -> None:
    answer = here.get("/oembed", params={"url": BASE + "/maps/organizations/utrasd?depth=9"})
    assert answer.status_code == 422
    said = answer.json()
    assert said["detail"].startswith(BASE + "/maps/organizations/utrasd?depth=9: ")
    assert [e["location"] for e in said["errors"]] == ["query parameter 'depth'"]


def test_only_json_is_served(here: TestClient) -> None:
    answer = here.get("/oembed", params={"url": BASE + "/maps/ecosystem", "format": "xml"})
    assert answer.status_code == 501
    assert "allowed: json" in answer.json()["detail"]
    other = here.get("/oembed", params={"url": BASE + "/maps/ecosystem", "format": "yaml"})
    assert other.status_code == 422
    assert (other.json()["parameter"], other.json()["allowed"]) == ("format", ["json"])


@pytest.mark.parametrize("size", [{"maxwidth": 0}, {"maxheight": -5}, {"maxwidth": "wide"}])
def test_sizes_must_be_positive_pixels(here: TestClient, size: dict[str, object]) -> None:
    answer = here.get("/oembed", params={"url": BASE + "/maps/ecosystem", **size})
    assert answer.status_code == 422
    [name] = size
    assert f"query parameter '{name}'" in answer.json()["detail"]


def test_markup_in_a_title_or_a_query_stays_text(here: TestClient, store: GraphStore) -> None:
    name = '"><script>alert(1)</script><b x="'
    store.load(Document(organizations=[org("evil", name=name)]))
    url = BASE + "/maps/organizations/evil?" + urlencode({"x": "<script>", "basis": "any"})
    got = here.get("/oembed", params={"url": url}).json()
    assert "<script" not in got["html"]
    [(tag, attrs)] = elements(got["html"])
    assert tag == "iframe"
    assert attrs["title"] == got["title"]
    assert name in got["title"]
    assert attrs["src"] == BASE + "/embed/organizations/evil?x=%3Cscript%3E&basis=any"


def test_map_pages_link_their_answer_for_discovery(here: TestClient) -> None:
    path = "/maps/organizations/utrasd?depth=2"
    links = [a for tag, a in elements(here.get(path).text) if tag == "link"]
    [link] = [a for a in links if a.get("type") == "application/json+oembed"]
    assert link["rel"] == "alternate"
    href = str(link["href"])
    assert href.startswith(BASE + "/oembed?")
    got = here.get(href.removeprefix(BASE)).json()
    [(_, attrs)] = elements(got["html"])
    assert attrs["src"] == BASE + "/embed/organizations/utrasd?depth=2"


def test_closed_reads_need_a_key_here_too(
    store: GraphStore, here: TestClient, keys: Keys, tmp_path: Path
) -> None:
    settings = Settings(public_read=False, data_dir=tmp_path)
    app = create_app(lambda: _Unclosable(store), settings)  # type: ignore[arg-type, return-value]
    with TestClient(app, base_url=BASE) as closed:
        asked = {"url": BASE + "/maps/organizations/utrasd"}
        assert closed.get("/oembed", params=asked).status_code == 401
        keyed = closed.get("/oembed", params=asked, headers=keys.auth("reader"))
        assert keyed.status_code == 200, keyed.text
