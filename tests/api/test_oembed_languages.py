"""``/oembed`` for a URL in a language (issue 22): the answer's title is the map's title in
that language, as the map's page in it says it, and the iframe keeps the language; a saved
view's or a story's title stays as its curator wrote it. Expected titles come from the
catalogues (gettext) and the map data route, never from the oEmbed code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.languages import LANGUAGES, Language
from app.domain.messages import gettext
from app.domain.models import Document
from app.store.protocol import GraphStore
from tests.api.conftest import Keys, _Unclosable
from tests.api.test_oembed import BASE, elements

TRANSLATED = LANGUAGES[1:]


@pytest.fixture
def here(store: GraphStore, seed: Document) -> Iterator[TestClient]:
    """The app over the seed, asked as ``http://127.0.0.1:8000``."""
    store.load(seed)
    app = create_app(lambda: _Unclosable(store))  # type: ignore[arg-type, return-value]
    with TestClient(app, base_url=BASE) as client:
        yield client


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_map_in_a_language_is_titled_in_it(here: TestClient, lang: Language) -> None:
    url = f"{BASE}/maps/ecosystem?lang={lang}"
    got = here.get("/oembed", params={"url": url})
    assert got.status_code == 200, got.text
    title = gettext("Ecosystem", lang)
    assert title != "Ecosystem"
    assert got.json()["title"] == title
    [(tag, attrs)] = elements(got.json()["html"])
    assert tag == "iframe"
    assert attrs["src"] == f"{BASE}/embed/ecosystem?lang={lang}"
    assert attrs["title"] == title


def test_a_named_map_keeps_its_names_and_says_the_rest_in_the_language(
    here: TestClient,
) -> None:
    name = here.get("/api/organizations/ima-limpia").json()["name"]
    url = f"{BASE}/embed/organizations/ima-limpia/enablers?depth=2&lang=es"
    got = here.get("/oembed", params={"url": url}).json()
    assert got["title"] == gettext("Who enables {name}", "es").format(name=name)


def test_english_and_no_language_answer_alike(here: TestClient) -> None:
    plain = here.get("/oembed", params={"url": f"{BASE}/maps/ecosystem"}).json()
    english = here.get("/oembed", params={"url": f"{BASE}/maps/ecosystem?lang=en"}).json()
    assert plain["title"] == english["title"] == here.get("/api/maps/ecosystem").json()["title"]


def test_a_language_we_do_not_have_is_refused_naming_ours(here: TestClient) -> None:
    got = here.get("/oembed", params={"url": f"{BASE}/maps/ecosystem?lang=de"})
    assert got.status_code == 422, got.text
    assert all(code in got.json()["detail"] for code in LANGUAGES)


def test_a_story_keeps_its_curators_title_and_the_language_in_its_frame(
    client: TestClient, keys: Keys
) -> None:
    view = {"id": "v-lang", "title": "L'écosystème", "map": {"kind": "ecosystem"}}
    story = {"id": "s-lang", "title": "Historia de IMA", "steps": [{"view": "v-lang"}]}
    for path, body in (("/api/views", view), ("/api/stories", story)):
        assert client.post(path, json=body, headers=keys.auth("editor")).status_code == 201
    for page, title in (("/stories/s-lang", story["title"]), ("/views/v-lang", view["title"])):
        got = client.get("/oembed", params={"url": f"http://testserver{page}?lang=pt"})
        assert got.status_code == 200, got.text
        assert got.json()["title"] == title
        [(_, attrs)] = elements(got.json()["html"])
        assert attrs["src"] == f"http://testserver/embed{page}?lang=pt"
