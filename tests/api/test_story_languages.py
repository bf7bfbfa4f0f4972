"""Stories, saved views and the explorer's story panel in the reader's language (issue 22):
our words around the curator's, who wrote the titles and captions as they are; the maps they
frame and the links they make keep the language. Expected words come from the catalogues."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.domain.languages import LANGUAGES, NAMES, Language
from app.domain.messages import gettext
from tests.api.test_map_languages import (
    DATA,
    SAME_EVERYWHERE,
    block,
    read_alike,
    template_messages,
    visible,
)
from tests.api.test_stories_api import STORY, VIEW
from tests.api.test_stories_api import saved as saved

TRANSLATED = LANGUAGES[1:]
PAGES = {
    "story.html": "/stories/ima-story",
    "story-panel.html": "/?story=ima-story",
}
"""Templates that need a saved story to show, and a page made from each."""


@pytest.mark.usefixtures("saved")
@pytest.mark.parametrize("template", [*PAGES, "single view"])
@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_english_words_of_a_story_template_show_in_another_language(
    client: TestClient, lang: Language, template: str
) -> None:
    """As tests/api/test_map_languages.py checks every other page: no text of the template
    as English shows it, the curator's words aside (marked translate="no")."""
    address = PAGES.get(template, "/views/ima-enablers")
    name = template if template in PAGES else "story.html"
    english = visible(client, address)
    other = visible(client, f"{address}{'&' if '?' in address else '?'}lang={lang}")
    messages = template_messages(name)
    alike = {m for m in messages if gettext(m, lang) == m} | set(NAMES.values())
    assert english & other <= alike | read_alike(lang) | SAME_EVERYWHERE, (lang, template)
    assert {gettext(m, lang) for m in messages} & other, "the page says the translations"


@pytest.mark.usefixtures("saved")
def test_a_story_in_spanish_keeps_its_title_and_the_language_of_its_maps(
    client: TestClient,
) -> None:
    page = client.get("/stories/ima-story?lang=es")
    assert page.headers["content-language"] == "es"
    assert '<html lang="es">' in page.text
    assert re.search(r"<h1 translate=\"no\">IMA Limpia(&#39;|')s support</h1>", page.text)
    step = gettext("Step %(number)s of %(count)s:", "es") % {"number": 1, "count": 1}
    assert step in page.text
    assert 'src="/embed/views/ima-enablers?lang=es"' in page.text, "the frame keeps it"
    assert "/embed/stories/ima-story?lang=es" in page.text, "the embed code carries it"
    assert 'href="/?organization=ima-limpia&amp;map=enablers&amp;depth=2&amp;lang=es"' in page.text


@pytest.mark.usefixtures("saved")
@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_saved_views_embed_draws_its_map_in_the_language(
    client: TestClient, lang: Language
) -> None:
    english = block(DATA, client.get("/embed/views/ima-enablers").text)
    answer = client.get(f"/embed/views/ima-enablers?lang={lang}")
    assert answer.headers["content-language"] == lang
    said = block(DATA, answer.text)
    assert [n["id"] for n in said["nodes"]] == [n["id"] for n in english["nodes"]]
    legend = {i["key"]: i["label"] for i in said["legend"] if i["channel"] == "colour"}
    english_legend = {i["key"]: i["label"] for i in english["legend"] if i["channel"] == "colour"}
    assert legend.keys() == english_legend.keys()
    assert all(legend[k] != english_legend[k] for k in legend), "movements named in it"


@pytest.mark.usefixtures("saved")
def test_the_stories_list_counts_steps_in_the_language(client: TestClient) -> None:
    page = client.get("/stories?lang=fr").text
    one = gettext("%(count)s step", "fr") % {"count": 1}
    assert f"{one})" in page
    assert STORY["title"].replace("'", "&#39;") in page
    assert VIEW["title"] in page
    assert 'href="/stories/ima-story?lang=fr"' in page


def test_an_unknown_story_in_the_explorer_says_so_in_the_language(client: TestClient) -> None:
    page = client.get("/?story=nope&lang=pt").text
    said = gettext("No story has the identifier %(missing)s.", "pt") % {"missing": "nope"}
    assert said in page
    assert 'href="/stories?lang=pt"' in page
