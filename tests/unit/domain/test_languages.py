"""Choosing a reader's language: ``?lang=``, then ``Accept-Language`` (RFC 9110, section
12.5.4), then English; and country names from CLDR."""

from __future__ import annotations

import pytest

from app.domain.languages import LANGUAGES, accepted, chosen, country_name, language, preferred


def test_we_speak_english_spanish_french_and_portuguese() -> None:
    assert LANGUAGES == ("en", "es", "fr", "pt")  # issue 22, point 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # RFC 9110's own example of the header: Swiss French first, so French.
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", "fr"),
        ("es-CO,es;q=0.9,en;q=0.8", "es"),  # a browser set to Colombian Spanish
        ("pt-BR", "pt"),  # a region we have no catalogue of: its language
        ("de, pt;q=0.4", "pt"),  # German first, which we do not have
        ("es;q=0.5, fr;q=0.8", "fr"),  # weights, not order, decide
        ("en;q=0, es", "es"),  # q=0 refuses English
        ("de, *;q=0.5", "en"),  # anything will do: English
        ("de", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_accept_language_picks_the_best_of_ours(header: str | None, expected: str) -> None:
    assert preferred(header) == expected


def test_ranges_keep_their_order_when_weights_are_equal_and_drop_refused_or_broken_ones() -> None:
    assert accepted("fr, es;q=0.5, pt, de;q=0, it;q=x") == ["fr", "pt", "es"]


def test_asking_names_the_language_and_beats_the_header() -> None:
    assert chosen("pt", "es") == "pt"
    assert chosen(None, "es") == "es"


@pytest.mark.parametrize("asked", ["de", "ES", "es-CO", "", "en "])
def test_a_language_we_do_not_have_is_refused_naming_ours(asked: str) -> None:
    with pytest.raises(ValueError, match="allowed: en, es, fr, pt") as refused:
        language(asked)
    assert f"'{asked}'" in str(refused.value)


def test_country_names_are_our_own_in_english_and_cldrs_in_the_others() -> None:
    # CLDR's names (Unicode CLDR, territory names) for places in the brief.
    assert country_name("DO", "en") == "Dominican Republic"
    assert country_name("DO", "es") == "República Dominicana"
    assert country_name("CO", "fr") == "Colombie"
    assert country_name("ZA", "pt") == "África do Sul"
    assert country_name("AA", "fr") == "AA"  # a private-use code CLDR leaves unnamed
