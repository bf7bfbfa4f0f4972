"""``/api/vocabulary`` in the reader's language: ``?lang=``, else ``Accept-Language``, else
English; keys never change (issue 22, point 1)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.domain.terms import wording


def by_key(terms: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {t["key"]: t for t in terms}


def test_spanish_labels_and_definitions_with_the_same_keys(client: TestClient) -> None:
    english = client.get("/api/vocabulary").json()
    spanish = client.get("/api/vocabulary?lang=es")
    assert spanish.headers["content-language"] == "es"
    assert "accept-language" in spanish.headers["vary"].lower()
    body = spanish.json()
    for section, terms in english.items():
        assert sorted(t["key"] for t in body[section]) == sorted(t["key"] for t in terms)
    sectors = by_key(body["sectors"])
    assert sectors["domestic_work"]["label"] == "Trabajo doméstico"  # issue 22's example
    assert (
        sectors["domestic_work"]["definition"]
        != by_key(english["sectors"])["domestic_work"]["definition"]
    )
    assert by_key(body["countries"])["DO"]["label"] == "República Dominicana (DO)"  # CLDR
    funds = by_key(body["relationship_types"])["FUNDS"]
    assert funds["inverse"] == wording("relationship_types", "FUNDS", "es").inverse
    assert by_key(english["relationship_types"])["FUNDS"]["inverse"] == "is funded by"


def test_accept_language_chooses_when_lang_is_not_given(client: TestClient) -> None:
    french = client.get("/api/vocabulary", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert french.headers["content-language"] == "fr"
    assert (
        "économie sociale et solidaire"
        in by_key(french.json()["movements"])["sse"]["label"].lower()
    )
    asked = client.get("/api/vocabulary?lang=pt", headers={"Accept-Language": "fr"})
    assert asked.headers["content-language"] == "pt"
    unknown = client.get("/api/vocabulary", headers={"Accept-Language": "de"})
    assert unknown.headers["content-language"] == "en"
    assert by_key(unknown.json()["organization_types"])["ngo"]["label"] == "NGO"


def test_a_language_we_do_not_have_is_refused_naming_ours(client: TestClient) -> None:
    refused = client.get("/api/vocabulary?lang=de")
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "'de' is not a language we have; allowed: en, es, fr, pt" in refused.text
