"""Search as people type: whole words and acronyms, never inside a word, and near misses.

Names are the brief's: UTRASD (Box 3), KENASVIT and the Kenyan Senate (Box 6), the UTEP
healthcare mutual (Argentina), IMA Limpia (Box 3)."""

from __future__ import annotations

from app.analysis.search import build_index, search
from app.io.documents import seed_document

ORGS = build_index(seed_document().organizations)


def found(query: str) -> list[str]:
    return [hit.organization.id for hit in search(query, ORGS)]


def test_an_acronym_or_a_whole_name_comes_first() -> None:
    assert found("utrasd")[0] == "utrasd"
    assert found("Unión de Trabajadoras del Servicio Doméstico")[0] == "utrasd"


def test_words_match_from_their_start_never_inside() -> None:
    assert "kenasvit" in found("KE") and "kenyan-senate" in found("KE")
    assert "utep-healthcare-mutual" not in found("KE"), "'ke' is inside 'Healthcare'"
    assert "utrasd" in found("servicio domestico"), "accents and case ignored"


def test_near_misses_are_found_but_rank_below_exact_matches() -> None:
    assert found("UTRSD") == ["utrasd"], "one letter missing"
    assert found("ima limpa") == ["ima-limpia"]
    exact = {h.organization.id: h.score for h in search("utrasd", ORGS)}
    near = {h.organization.id: h.score for h in search("utrsd", ORGS)}
    assert near["utrasd"] < exact["utrasd"]


def test_short_or_unrelated_text_finds_nothing() -> None:
    assert found("zq") == []
    assert found("MATCH (n) DETACH DELETE n") == []
