"""The editing, sign-in and error pages in the reader's language (issue 22): the form's words and
choices in it while values stay the vocabulary's keys, the sign-in form keeping the language
through its post, and errors said in the language the page was asked in. Expected words come
from the catalogues, graph_schema/terms and CLDR."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from app.domain.languages import country_name
from app.domain.messages import gettext
from app.domain.terms import label, wording
from app.domain.vocabulary import vocabulary
from tests.api.conftest import Keys
from tests.api.test_duplicate_review import LEFT, RIGHT
from tests.api.test_duplicate_review import data_of as review_data
from tests.api.test_edit_pages import data_of
from tests.api.test_review_queue_api import package, post
from tests.api.test_sessions import FORM_TOKEN, sign_in

FORM_LINKS = re.compile(r'<a href="([^"]+)" hreflang="(\w\w)"')
"""The language switcher's links: address, language."""
FRENCH = {"Accept-Language": "fr"}


def test_the_organisation_form_in_spanish_names_choices_and_keeps_keys(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys.tokens["editor"])
    page = client.get("/organizations/utrasd/edit?lang=es")
    assert page.headers["content-language"] == "es"
    assert '<html lang="es">' in page.text
    name = client.get("/api/organizations/utrasd").json()["name"]
    assert f"<h1>{html.escape(gettext('Edit {name}', 'es').format(name=name))}</h1>" in page.text
    fields = {f["name"]: f for f in data_of(page.text)["fields"]}
    assert fields["type"]["label"] == gettext("Type", "es") != "Type"
    types = {c["key"]: c for c in fields["type"]["choices"]}
    assert list(types) == list(vocabulary().organization_types), "values stay the keys"
    union = wording("organization_types", "trade_union", "es")
    assert (types["trade_union"]["label"], types["trade_union"]["definition"]) == (
        union.label,
        union.definition,
    )
    countries = {c["key"]: c["label"] for c in fields["countries"]["choices"]}
    assert countries["DO"] == f"{country_name('DO', 'es')} (DO)"  # "República Dominicana"
    sectors = {c["key"]: c["label"] for c in fields["sectors"]["choices"]}
    assert sectors["domestic_work"] == label("sectors", "domestic_work", "es")


def test_the_sign_in_form_keeps_its_language_through_a_refusal(client: TestClient) -> None:
    page = client.get("/sign-in?next=/review/imports&lang=fr")
    assert page.headers["content-language"] == "fr"
    assert 'action="/sign-in?lang=fr"' in page.text
    form = FORM_TOKEN.search(page.text)
    assert form is not None
    refused = client.post(
        "/sign-in?lang=fr", data={"key": "", "form": form[1], "next": "/review/imports"}
    )
    assert refused.status_code == 401
    said = gettext("Paste your whole API key; it starts with sgk_.", "fr")
    assert said != "Paste your whole API key; it starts with sgk_."
    assert said in html.unescape(refused.text)
    links = {code: href for href, code in FORM_LINKS.findall(refused.text)}
    assert links["pt"] == "/sign-in?next=%2Freview%2Fimports&amp;lang=pt", "the switcher keeps next"


def test_an_error_page_speaks_the_language_it_was_asked_in(client: TestClient) -> None:
    missing = client.get("/organizations/ghost/edit", headers={"Accept-Language": "pt-BR"})
    assert missing.status_code == 404
    assert missing.headers["content-language"] == "pt"
    assert f"<h1>{gettext('Not Found', 'pt')}</h1>" in missing.text
    assert gettext("Not Found", "pt") != "Not Found"
    refused = client.get("/new/organization?lang=de")
    assert refused.status_code == 422
    assert "<h1>Unprocessable Entity</h1>" in refused.text, "a language we lack reads English"
    assert "allowed: en, es, fr, pt" in refused.text


def test_the_duplicates_page_says_its_reasons_in_french_and_the_api_in_english(
    client: TestClient, keys: Keys
) -> None:
    """The pair of tests.api.test_duplicate_review: one name, different types and countries."""
    for body in (LEFT, RIGHT):
        made = client.post("/api/organizations", json=body, headers=keys.auth("editor"))
        assert made.status_code == 201, made.text
    page = review_data(client.get("/review/duplicates?lang=fr").text)
    pair = next(p for p in page["pairs"] if p["first"]["record"]["id"] == LEFT["id"])
    same = gettext("same name or alias after normalising: '{key}'", "fr")
    assert same != "same name or alias after normalising: '{key}'"
    assert pair["reasons"] == [same.format(key="cooperativa del sol")]
    types = gettext("different types: {first} and {second}", "fr")
    assert types.format(first="cooperative", second="association") in pair["against"]
    assert pair["first"]["words"]["type"] == label("organization_types", "cooperative", "fr")
    english = client.get("/api/duplicates", params={"limit": 500}, headers=FRENCH).json()
    listed = next(p for p in english["items"] if p["first"]["id"] == LEFT["id"])
    assert listed["reasons"] == ["same name or alias after normalising: 'cooperativa del sol'"]


def test_an_import_review_says_the_matchers_fixed_evidence_in_portuguese(
    client: TestClient, keys: Keys
) -> None:
    """Grants to KENASVIT and CUT: both names are the seed's, and neither record states a
    country the other shares, so both wait with the matcher's fixed sentences against them."""
    import_id = post(client, keys, package("KENASVIT", "CUT"))["import_id"]
    stored = client.get(f"/api/imports/{import_id}/candidates").json()["items"]
    page = review_data(client.get(f"/review/imports/{import_id}?lang=pt").text)
    shown = {c["id"]: c for c in page["candidates"]}
    for expected in stored:
        assert "no shared identifier" in expected["evidence_against"], "the API stays English"
        against = shown[expected["id"]]["evidence_against"]
        assert against == [gettext(line, "pt") for line in expected["evidence_against"]]
        assert gettext("no shared identifier", "pt") in against
        assert gettext("no shared identifier", "pt") != "no shared identifier"
