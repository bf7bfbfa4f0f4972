"""The fields of the editing forms, in order, with their choices and what each choice means,
in the reader's language.

``edit.js`` draws a form from these specs and checks what a person must fill in before the
API checks everything again; the API's problems are then shown beside the fields they name.
Choices come from the vocabulary with its labels and definitions in the reader's language
(``graph_schema/terms``), so a person picks a type knowing what it means; a choice's value is
its key, whatever the language. Relationship fields that only some types may carry say which
(``relationship_fields`` of the vocabulary).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.terms import Section, english_terms, wording
from app.domain.vocabulary import Vocabulary

Spec = dict[str, Any]
Choice = dict[str, str | None]


def choices(section: Section, lang: Language = DEFAULT) -> list[Choice]:
    """The terms of a vocabulary section as a form's choices: key, label and definition in
    ``lang``; a relationship type's verb phrase is capitalised, as a choice reads."""
    found: list[Choice] = []
    for key in english_terms(section):
        words = wording(section, key, lang)
        found.append(
            {"key": key, "label": words.label[:1].upper() + words.label[1:],
             "definition": words.definition}
        )  # fmt: skip
    return found


def _sort_key(name: str) -> str:
    """A name as it sorts in a list: accents and case aside ("Égypte" among the E)."""
    return "".join(
        c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c)
    )


def countries(vocab: Vocabulary, lang: Language = DEFAULT) -> list[Choice]:
    """Countries as a form's choices, by their name in ``lang``, in its order."""
    named = {code: country_name(code, lang) for code in vocab.countries}
    ordered = sorted(named.items(), key=lambda kv: _sort_key(kv[1]))
    return [
        {"key": code, "label": f"{name} ({code})", "definition": None} for code, name in ordered
    ]


def _field(name: str, label: str, kind: str, lang: Language, **more: Any) -> Spec:
    """One field's spec, its label and hint (marked messages) said in ``lang``."""
    spec: Spec = {"name": name, "label": gettext(label, lang), "kind": kind, **more}
    if "hint" in spec:
        spec["hint"] = gettext(spec["hint"], lang)
    return spec


def organization_fields(vocab: Vocabulary, lang: Language = DEFAULT) -> list[Spec]:
    """The organisation form in ``lang``: every field of ``Organization`` but its sources."""
    return [
        _field("name", N_("Name"), "text", lang, required=True,
               hint=N_("As the organisation writes it, in its own language.")),
        _field("id", N_("Identifier"), "slug", lang, required=True, fixed=True,
               hint=N_("Lower-case letters, digits and hyphens, e.g. ima-limpia. It cannot "
                       "change later: links and the audit trail use it.")),
        _field("aliases", N_("Other names"), "lines", lang,
               hint=N_("One per line: acronyms, former names, names in other languages.")),
        _field("type", N_("Type"), "choice", lang, required=True,
               choices=choices("organization_types", lang)),
        _field("movement", N_("Movement"), "choice", lang, required=True,
               choices=choices("movements", lang)),
        _field("countries", N_("Countries"), "picker", lang, choices=countries(vocab, lang),
               hint=N_("Where it works.")),
        _field("sectors", N_("Sectors"), "picker", lang, choices=choices("sectors", lang),
               hint=N_("The work of the people it serves.")),
        _field("founded", N_("Founded (year)"), "year", lang),
        _field("status", N_("Status"), "choice", lang, required=True,
               choices=choices("organization_statuses", lang)),
        _field("description", N_("Description"), "longtext", lang,
               hint=N_("A few sentences in your own words.")),
        _field("identifiers", N_("Organisation identifiers"), "lines", lang,
               hint=N_("One per line, as org-id.guide writes them, e.g. GB-CHC-202918.")),
    ]  # fmt: skip


def relationship_fields(vocab: Vocabulary, lang: Language = DEFAULT) -> list[Spec]:
    """The relationship form in ``lang``: every field of ``Relationship`` but its sources; a
    field that only some types may carry names them in ``only_for``."""
    only = vocab.relationship_fields
    fields: list[Spec] = [
        _field("source", N_("From (organisation)"), "organization", lang, required=True,
               hint=N_("The organisation the tie starts from: who enables, funds, established, "
                       "is a member of...")),
        _field("type", N_("Relationship"), "choice", lang, required=True,
               choices=choices("relationship_types", lang)),
        _field("target", N_("To (organisation)"), "organization", lang, required=True),
        _field("id", N_("Identifier"), "slug", lang, required=True, fixed=True,
               hint=N_("Lower-case letters, digits and hyphens, e.g. "
                       "utrasd-enables-ima-limpia.")),
        _field("mode", N_("Mode"), "choice", lang, choices=choices("modes", lang),
               hint=N_("Needed for ENABLES.")),
        _field("mechanisms", N_("Mechanisms"), "picker", lang,
               choices=choices("mechanisms", lang)),
        _field("since", N_("Since (year)"), "year", lang),
        _field("until", N_("Until (year)"), "year", lang),
        _field("status", N_("Status"), "choice", lang, required=True,
               choices=choices("relationship_statuses", lang)),
        _field("level", N_("Level"), "choice", lang, choices=choices("levels", lang)),
        _field("activities", N_("Activities"), "lines", lang,
               hint=N_("One per line: what they do together.")),
        _field("amount", N_("Amount"), "number", lang),
        _field("currency", N_("Currency"), "text", lang, hint=N_("ISO 4217 code, e.g. GBP.")),
        _field("awarded", N_("Awarded on"), "date", lang),
        _field("programme", N_("Programme"), "text", lang),
        _field("reference", N_("Reference"), "text", lang,
               hint=N_("The grant, activity or agreement identifier.")),
    ]  # fmt: skip
    for spec in fields:
        if spec["name"] in only:
            spec["only_for"] = sorted(only[spec["name"]])
    return fields


def source_fields(
    vocab: Vocabulary, record_fields: list[Spec], lang: Language = DEFAULT
) -> list[Spec]:
    """The fields of one source in ``lang``: what it is, how it supports the record (its
    basis) and where in it the fact is; ``fields`` names the record's fields it backs, if only
    some."""
    backs = [
        {"key": spec["name"], "label": spec["label"], "definition": None}
        for spec in record_fields
        if spec["name"] != "id"
    ]
    return [
        _field("citation", N_("Citation"), "text", lang, required=True,
               hint=N_("Author, title and year, e.g. ILO 2022, Partnerships for informal "
                       "workers.")),
        _field("basis", N_("Basis"), "choice", lang, required=True,
               choices=choices("bases", lang)),
        _field("locator", N_("Where in the source"), "text", lang, required=True,
               hint=N_("Page, box, table or record, e.g. Box 3.")),
        _field("url", N_("Web address"), "url", lang),
        _field("quote", N_("The source's words"), "longtext", lang,
               hint=N_("A short quotation, for a stated fact.")),
        _field("reason", N_("Our reason"), "text", lang,
               hint=N_("One line, for an inferred fact: why the source supports it.")),
        _field("year", N_("Year of the source"), "year", lang),
        _field("fields", N_("Backs only these fields"), "picker", lang, choices=backs,
               hint=N_("Leave empty when it backs the whole record.")),
    ]  # fmt: skip


MAP_KINDS = [
    ("enablers", N_("An organisation's enablers"),
     N_("Who enables the organisation, directly and through others (depth 1 to 4).")),
    ("organization", N_("An organisation and its ties"),
     N_("The organisation and everyone within a few ties of it (depth 1 to 3).")),
    ("ecosystem", N_("The ecosystem"),
     N_("Every organisation, or those of one country, sector, type or movement.")),
    ("partnership", N_("A partnership"),
     N_("One partnership: its members, its SSE unit and its enablers.")),
]  # fmt: skip
"""The maps a saved view may name, as the story builder offers them: key, words, meaning."""


def view_choices(vocab: Vocabulary, lang: Language = DEFAULT) -> dict[str, list[Choice]]:
    """The choices of the story builder's view form in ``lang``: map kinds and the ecosystem
    filters."""
    kinds: list[Choice] = [
        {"key": key, "label": gettext(words, lang), "definition": gettext(meaning, lang)}
        for key, words, meaning in MAP_KINDS
    ]
    return {
        "kind": kinds,
        "country": countries(vocab, lang),
        "sector": choices("sectors", lang),
        "type": choices("organization_types", lang),
        "movement": choices("movements", lang),
    }
