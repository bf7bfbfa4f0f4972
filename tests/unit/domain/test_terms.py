"""Every vocabulary term reads in every language, with the ILO's own terms where they exist."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from app.domain.languages import LANGUAGES, Language
from app.domain.terms import SECTIONS, english_terms, label, labels, wording


def raw(lang: str) -> dict[str, object]:
    text = files("graph_schema").joinpath("terms", f"{lang}.yaml").read_text("utf-8")
    loaded: dict[str, object] = yaml.safe_load(text)
    return loaded


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_term_has_a_label_and_a_definition_and_nothing_else(lang: Language) -> None:
    """Issue 22, point 4: a term without a label in any language fails here."""
    file = raw(lang)
    assert file["language"] == lang
    assert [k for k in file if k != "language"] == list(SECTIONS)
    for section in SECTIONS:
        keys = list(english_terms(section))
        assert list(file[section]) == keys, section  # type: ignore[call-overload]
        for key in keys:
            words = wording(section, key, lang)
            assert words.label.strip() and words.definition.strip(), (section, key)
            extra = set(file[section][key]) - {"label", "definition"}  # type: ignore[index]
            assert not extra, (section, key, extra)


def test_english_definitions_are_the_vocabularys_own() -> None:
    assert "definition" not in str(raw("en")), "one file says what a term means"
    term = english_terms("sectors")["domestic_work"]
    assert wording("sectors", "domestic_work").definition == term.definition


@pytest.mark.parametrize(
    ("section", "key", "lang", "words"),
    [
        # The terms the issue names (the ILO's terms in each language).
        ("sectors", "domestic_work", "es", "Trabajo doméstico"),
        ("movements", "sse", "es", "economía social y solidaria"),
        ("movements", "sse", "fr", "économie sociale et solidaire"),
        ("movements", "sse", "pt", "economia social e solidária"),
        # English labels spelled as the brief spells them.
        ("organization_types", "informal_workers_organisation", "en", "workers' organisation"),
        ("organization_types", "self_help_group", "en", "Self-help group"),
        ("organization_types", "ngo", "en", "NGO"),
    ],
)
def test_labels_use_the_terms_of_the_brief_and_the_ilo(
    section: str, key: str, lang: Language, words: str
) -> None:
    assert words.lower() in label(section, key, lang).lower()  # type: ignore[arg-type]


def test_translated_labels_are_translations() -> None:
    """At most a fifth of the labels read as in English in each other language (a copied
    English file would pass the completeness test); "Micro" or "Transport" may well."""
    for lang in LANGUAGES[1:]:
        pairs = [(labels(s)[k], labels(s, lang)[k]) for s in SECTIONS for k in english_terms(s)]
        same = [english for english, other in pairs if english == other]
        assert len(same) <= len(pairs) // 5, (lang, same)
