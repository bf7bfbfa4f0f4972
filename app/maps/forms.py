"""The fields of the editing forms, in order, with their choices and what each choice means.

``edit.js`` draws a form from these specs and checks what a person must fill in before the
API checks everything again; the API's problems are then shown beside the fields they name.
Choices come from the vocabulary with its definitions, so a person picks a type knowing what
it means; relationship fields that only some types may carry say which
(``relationship_fields`` of the vocabulary).
"""

from __future__ import annotations

from typing import Any

from app.domain.vocabulary import Term, Vocabulary
from app.maps.encoding import MOVEMENT_LABELS, term_label

Spec = dict[str, Any]


def choices(terms: dict[str, Term]) -> list[dict[str, str | None]]:
    """Vocabulary terms as a form's choices: key, words and definition."""
    return [
        {"key": key, "label": term_label(key), "definition": term.definition}
        for key, term in terms.items()
    ]


def countries(vocab: Vocabulary) -> list[dict[str, str | None]]:
    """Countries as a form's choices, by name."""
    ordered = sorted(vocab.countries.items(), key=lambda kv: kv[1])
    return [
        {"key": code, "label": f"{name} ({code})", "definition": None} for code, name in ordered
    ]


def organization_fields(vocab: Vocabulary) -> list[Spec]:
    """The organisation form: every field of ``Organization`` but its sources."""
    return [
        {"name": "name", "label": "Name", "kind": "text", "required": True,
         "hint": "As the organisation writes it, in its own language."},
        {"name": "id", "label": "Identifier", "kind": "slug", "required": True, "fixed": True,
         "hint": "Lower-case letters, digits and hyphens, e.g. ima-limpia. It cannot change "
         "later: links and the audit trail use it."},
        {"name": "aliases", "label": "Other names", "kind": "lines",
         "hint": "One per line: acronyms, former names, names in other languages."},
        {"name": "type", "label": "Type", "kind": "choice", "required": True,
         "choices": choices(vocab.organization_types)},
        {"name": "movement", "label": "Movement", "kind": "choice", "required": True,
         "choices": movement_choices(vocab)},
        {"name": "countries", "label": "Countries", "kind": "picker",
         "choices": countries(vocab), "hint": "Where it works."},
        {"name": "sectors", "label": "Sectors", "kind": "picker",
         "choices": choices(vocab.sectors), "hint": "The work of the people it serves."},
        {"name": "founded", "label": "Founded (year)", "kind": "year"},
        {"name": "status", "label": "Status", "kind": "choice", "required": True,
         "choices": choices(vocab.organization_statuses)},
        {"name": "description", "label": "Description", "kind": "longtext",
         "hint": "A few sentences in your own words."},
        {"name": "identifiers", "label": "Organisation identifiers", "kind": "lines",
         "hint": "One per line, as org-id.guide writes them, e.g. GB-CHC-202918."},
    ]  # fmt: skip


def relationship_fields(vocab: Vocabulary) -> list[Spec]:
    """The relationship form: every field of ``Relationship`` but its sources; a field that
    only some types may carry names them in ``only_for``."""
    only = vocab.relationship_fields
    types = [
        {"key": key, "label": term_label(key), "definition": rule.term.definition}
        for key, rule in vocab.relationship_types.items()
    ]
    fields: list[Spec] = [
        {"name": "source", "label": "From (organisation)", "kind": "organization",
         "required": True, "hint": "The organisation the tie starts from: who enables, funds, "
         "established, is a member of..."},
        {"name": "type", "label": "Relationship", "kind": "choice", "required": True,
         "choices": types},
        {"name": "target", "label": "To (organisation)", "kind": "organization",
         "required": True},
        {"name": "id", "label": "Identifier", "kind": "slug", "required": True, "fixed": True,
         "hint": "Lower-case letters, digits and hyphens, e.g. utrasd-enables-ima-limpia."},
        {"name": "mode", "label": "Mode", "kind": "choice", "choices": choices(vocab.modes),
         "hint": "Needed for ENABLES."},
        {"name": "mechanisms", "label": "Mechanisms", "kind": "picker",
         "choices": choices(vocab.mechanisms)},
        {"name": "since", "label": "Since (year)", "kind": "year"},
        {"name": "until", "label": "Until (year)", "kind": "year"},
        {"name": "status", "label": "Status", "kind": "choice", "required": True,
         "choices": choices(vocab.relationship_statuses)},
        {"name": "level", "label": "Level", "kind": "choice", "choices": choices(vocab.levels)},
        {"name": "activities", "label": "Activities", "kind": "lines",
         "hint": "One per line: what they do together."},
        {"name": "amount", "label": "Amount", "kind": "number"},
        {"name": "currency", "label": "Currency", "kind": "text",
         "hint": "ISO 4217 code, e.g. GBP."},
        {"name": "awarded", "label": "Awarded on", "kind": "date"},
        {"name": "programme", "label": "Programme", "kind": "text"},
        {"name": "reference", "label": "Reference", "kind": "text",
         "hint": "The grant, activity or agreement identifier."},
    ]  # fmt: skip
    for spec in fields:
        if spec["name"] in only:
            spec["only_for"] = sorted(only[spec["name"]])
    return fields


def source_fields(vocab: Vocabulary, record_fields: list[Spec]) -> list[Spec]:
    """The fields of one source: what it is, how it supports the record (its basis) and
    where in it the fact is; ``fields`` names the record's fields it backs, if only some."""
    backs = [
        {"key": spec["name"], "label": spec["label"], "definition": None}
        for spec in record_fields
        if spec["name"] != "id"
    ]
    return [
        {"name": "citation", "label": "Citation", "kind": "text", "required": True,
         "hint": "Author, title and year, e.g. ILO 2022, Partnerships for informal workers."},
        {"name": "basis", "label": "Basis", "kind": "choice", "required": True,
         "choices": choices(vocab.bases)},
        {"name": "locator", "label": "Where in the source", "kind": "text", "required": True,
         "hint": "Page, box, table or record, e.g. Box 3."},
        {"name": "url", "label": "Web address", "kind": "url"},
        {"name": "quote", "label": "The source's words", "kind": "longtext",
         "hint": "A short quotation, for a stated fact."},
        {"name": "reason", "label": "Our reason", "kind": "text",
         "hint": "One line, for an inferred fact: why the source supports it."},
        {"name": "year", "label": "Year of the source", "kind": "year"},
        {"name": "fields", "label": "Backs only these fields", "kind": "picker",
         "choices": backs, "hint": "Leave empty when it backs the whole record."},
    ]  # fmt: skip


MAP_KINDS = [
    {"key": "enablers", "label": "An organisation's enablers",
     "definition": "Who enables the organisation, directly and through others (depth 1 to 4)."},
    {"key": "organization", "label": "An organisation and its ties",
     "definition": "The organisation and everyone within a few ties of it (depth 1 to 3)."},
    {"key": "ecosystem", "label": "The ecosystem",
     "definition": "Every organisation, or those of one country, sector, type or movement."},
    {"key": "partnership", "label": "A partnership",
     "definition": "One partnership: its members, its SSE unit and its enablers."},
]  # fmt: skip
"""The maps a saved view may name, as the story builder offers them."""


def movement_choices(vocab: Vocabulary) -> list[dict[str, str | None]]:
    """Movements as a form's choices, named as the maps' legend names them."""
    return [
        {**choice, "label": MOVEMENT_LABELS.get(str(choice["key"]), choice["label"])}
        for choice in choices(vocab.movements)
    ]


def view_choices(vocab: Vocabulary) -> dict[str, list[dict[str, str | None]]]:
    """The choices of the story builder's view form: map kinds and the ecosystem filters."""
    return {
        "kind": [dict(kind) for kind in MAP_KINDS],
        "country": countries(vocab),
        "sector": choices(vocab.sectors),
        "type": choices(vocab.organization_types),
        "movement": movement_choices(vocab),
    }
