"""Map pages, embeds and images in the reader's language; ``/api/maps`` stays English (issue
22). Expected words come from the catalogues and graph_schema/terms, not from the map code."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from app.domain.languages import LANGUAGES, NAMES, Language
from app.domain.messages import LOCALE_DIR, gettext, script_messages
from app.domain.terms import SECTIONS, label, labels

DATA = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)
MESSAGES = re.compile(r'<script id="messages" type="application/json">(.*?)</script>', re.S)
TEMPLATES = LOCALE_DIR.parent / "maps" / "templates"
PAGES = {
    "map.html": "/maps/organizations/utrasd",
    "gaps.html": "/analysis/gaps",
    "brokers.html": "/analysis/brokers",
    "partnerships.html": "/analysis/partnerships",
    "explorer.html": "/",
    "languages.html": "/",
    "profile.html": "/organizations/ima-limpia",
    "relationship.html": "/relationships/utrasd-enables-ima-limpia",
    "stories.html": "/stories",
    "what-if.html": "/analysis/what-if",
    "matches.html": "/analysis/matches/niscof-sacco?kind=enabler",
    "shortlist.html": "/analysis/shortlist",
    "edit.html": "/new/organization",
    "review.html": "/review/duplicates",
    "plain.html": "/sign-in",
    "sign-in.html": "/sign-in",
    "error.html": "/organizations/ghost/edit",
    "docs.html": "/docs",
}
"""Each page template in the reader's language, and a page made from it."""


def block(pattern: re.Pattern[str], page: str) -> Any:
    found = pattern.search(page)
    assert found is not None
    return json.loads(found.group(1))


def template_messages(name: str) -> list[str]:
    """The English messages of a page template, as Babel extracts them."""
    options = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}
    found = extract_from_file("jinja2", str(TEMPLATES / name), options=options)
    return [message for _, message, _, _ in found if isinstance(message, str)]


def test_a_french_ecosystem_map_has_a_french_legend(client: TestClient) -> None:
    answer = client.get("/maps/ecosystem?lang=fr")
    assert answer.headers["content-language"] == "fr"
    assert '<html lang="fr">' in answer.text
    data = block(DATA, answer.text)
    legend = {(item["channel"], item["key"]): item["label"] for item in data["legend"]}
    assert legend[("colour", "sse")] == label("movements", "sse", "fr")
    assert "économie sociale et solidaire" in legend[("colour", "sse")].lower()  # the ILO's term
    assert legend[("shape", "unions")] == label("families", "unions", "fr")
    assert legend[("line", "FUNDS")] == label("relationship_types", "FUNDS", "fr")
    assert data["title"] == gettext("Ecosystem", "fr")
    assert data["title"] != "Ecosystem"
    assert f"<summary>{gettext('Legend', 'fr')}</summary>" in answer.text
    assert block(MESSAGES, answer.text) == script_messages("fr") != {}


def test_the_api_answers_in_english_whatever_the_reader_asks(client: TestClient) -> None:
    english = client.get("/api/maps/ecosystem").json()
    assert client.get("/api/maps/ecosystem", headers={"Accept-Language": "fr"}).json() == english
    page = block(DATA, client.get("/maps/ecosystem").text)
    assert page == english, "the English page draws the API's data"


def test_accept_language_chooses_and_names_come_through_unchanged(client: TestClient) -> None:
    answer = client.get(
        "/embed/organizations/ima-limpia/enablers", headers={"Accept-Language": "es-CO,es;q=0.9"}
    )
    assert answer.headers["content-language"] == "es"
    assert "accept-language" in answer.headers["vary"].lower()
    data = block(DATA, answer.text)
    name = client.get("/api/organizations/ima-limpia").json()["name"]
    assert data["title"] == gettext("Who enables {name}", "es").format(name=name)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ima-limpia"]["name"] == name
    assert nodes["ima-limpia"]["type_label"] == label(
        "organization_types", "social_enterprise", "es"
    )
    assert "Colombia" in nodes["ima-limpia"]["countries"]  # CLDR's Spanish name
    utrasd = next(
        e for e in data["edges"] if e["source"] == "utrasd" and e["target"] == "ima-limpia"
    )
    assert utrasd["label"] == label("relationship_types", utrasd["type"], "es")


def visible(client: TestClient, address: str) -> set[str]:
    """The texts a person reads on a page, whole: each text between tags, and the labels,
    titles and placeholders; scripts and their data left out."""
    page = re.sub(r"<(script|style).*?</\1>", "", client.get(address).text, flags=re.S)
    # Records in words (names, our reasons as written) are data, not our template's.
    page = re.sub(r'<ul class="inferred-list">.*?</ul>\s*(?=<p|</section>)', "", page, flags=re.S)
    # What the API says, as it says it, is marked English on purpose (an error page's detail).
    page = re.sub(r'<p class="api-words" lang="en">[^<]*</p>', "", page)
    # A <link> in the head is not read on the page (an oEmbed discovery link names its title).
    page = re.sub(r"<link\b[^>]*>", "", page)
    # So is whatever a page marks as not to translate: names, titles, citations, captions.
    page = re.sub(r'<(\w+)\b[^>]*\btranslate="no"[^>]*>.*?</\1>', "", page, flags=re.S)
    said = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', page)
    texts = [t.strip() for t in re.split(r"<[^>]+>", page)] + said
    return {html.unescape(t) for t in texts if t}


SAME_EVERYWHERE = {"JSON", "SVG", "PNG", "API", "Solidarity Graph", "SOLGRAPH_EMBED_ORIGINS"}
SAME_EVERYWHERE |= {"U", "S", "E", "\N{MULTIPLICATION SIGN}", ":"}
"""Words every language writes alike on our pages: formats, names, a setting, the matrix's
letters, the close button."""


def read_alike(lang: Language) -> set[str]:
    """Words that read the same in ``lang`` as in English by our catalogue (a fact's name said
    by the code, "Mode" in French) or by the vocabulary's terms ("Micro")."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        same = {str(m.id) for m in read_po(po) if isinstance(m.id, str) and m.string == m.id}
    for section in SECTIONS:
        english = labels(section)
        same |= {words for key, words in labels(section, lang).items() if words == english[key]}
    return same


@pytest.mark.parametrize("template", PAGES)
@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_no_english_words_of_a_template_show_in_another_language(
    client: TestClient, lang: Language, template: str
) -> None:
    """Issue 22, point 4: a page in another language shows no text of our own template as
    the English page shows it, but for words that the catalogue says read the same (or that
    every language writes alike), and the language names of the switcher. Data is left out:
    it reads as its sources wrote it."""
    address = PAGES[template]
    english = visible(client, address)
    other = visible(client, f"{address}{'&' if '?' in address else '?'}lang={lang}")
    messages = template_messages(template)
    every = {m for name in PAGES for m in template_messages(name)}
    alike = {m for m in every if gettext(m, lang) == m} | set(NAMES.values()) | read_alike(lang)
    assert english & other <= alike | SAME_EVERYWHERE, (lang, template)
    assert {gettext(m, lang) for m in messages} & other, "the page says the translations"


def test_an_exported_image_speaks_the_language_too(client: TestClient) -> None:
    svg = client.get("/maps/ecosystem.svg?lang=pt")
    assert svg.headers["content-language"] == "pt"
    assert label("movements", "sse", "pt") in html.unescape(svg.text)


def test_a_language_we_do_not_have_is_refused_on_a_page(client: TestClient) -> None:
    answer = client.get("/maps/ecosystem?lang=de")
    assert answer.status_code == 422
    assert "allowed: en, es, fr, pt" in answer.text


GAPS_DATA = re.compile(r'<script id="gaps-data" type="application/json">(.*?)</script>', re.S)


def test_the_gaps_page_in_spanish_names_domestic_work_in_spanish(client: TestClient) -> None:
    """Issue 22's own example: /analysis/gaps?lang=es is a Spanish page whose matrix names
    "trabajo doméstico"."""
    answer = client.get("/analysis/gaps?lang=es")
    assert answer.headers["content-language"] == "es"
    assert '<html lang="es">' in answer.text
    data = block(GAPS_DATA, answer.text)
    sectors = {s["key"]: s["label"] for s in data["sectors"]}
    assert sectors["domestic_work"].lower() == "trabajo doméstico"
    assert data["title"] == gettext("Gaps for funders", "es")
    assert data["title"] != "Gaps for funders"
    kinds = {k["kind"]: k for k in data["kinds"]}
    single = kinds["single_enabler_dependency"]
    assert single["heading"] == gettext("SSE units that depend on a single enabler", "es")
    assert f'<h2 id="gaps-heading">{gettext("Gaps", "es")}</h2>' in answer.text
    assert block(MESSAGES, answer.text) == script_messages("es")


def test_the_language_switcher_keeps_the_view(client: TestClient) -> None:
    page = client.get("/analysis/gaps?country=CO&lang=fr").text
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w\w)"', page))
    assert {v: k for k, v in links.items()} == {
        "en": "/analysis/gaps?country=CO",
        "es": "/analysis/gaps?country=CO&amp;lang=es",
        "fr": "/analysis/gaps?country=CO&amp;lang=fr",
        "pt": "/analysis/gaps?country=CO&amp;lang=pt",
    }
    assert 'hreflang="fr" lang="fr" aria-current="page"' in page
    assert 'hreflang="pt"' in client.get("/maps/ecosystem?sector=domestic_work").text
    assert 'hreflang="pt"' not in client.get("/embed/ecosystem").text, "embeds have no switcher"


def test_the_explorer_and_its_facets_speak_the_language(client: TestClient) -> None:
    page = client.get("/?lang=pt")
    assert page.headers["content-language"] == "pt"
    assert '<html lang="pt">' in page.text
    assert f"<legend>{gettext('Facts to count', 'pt')}</legend>" in page.text
    assert block(MESSAGES, page.text) == script_messages("pt")
    facets = client.get("/api/facets?lang=fr").json()
    sectors = {f["key"]: f["label"] for f in facets["sectors"]}
    assert sectors["domestic_work"] == label("sectors", "domestic_work", "fr")
    countries = {f["key"]: f["label"] for f in facets["countries"]}
    assert countries["ZA"] == "Afrique du Sud"  # CLDR's French name
    english = client.get("/api/facets").json()
    assert sorted(f["key"] for f in english["types"]) == sorted(f["key"] for f in facets["types"])


def test_exports_and_the_coverage_figure_speak_the_language(client: TestClient) -> None:
    svg = html.unescape(client.get("/maps/ecosystem.svg?lang=fr").text)
    legend = gettext("Movement (fill)", "fr")
    assert legend != "Movement (fill)" and legend in svg
    assert gettext("ties in force now", "fr") in svg
    assert "/maps/ecosystem?lang=fr" in svg, "the attribution links the map in its language"
    figure = client.get("/figures/coverage.svg?lang=es")
    assert figure.headers["content-language"] == "es"
    title = gettext("Coverage of the ecosystem by country and sector", "es")
    assert f"<!-- {title} -->" in figure.text
    assert "<!-- República Dominicana -->" in figure.text  # CLDR's Spanish name, a row
    assert "<!-- Dominican Republic -->" not in figure.text
