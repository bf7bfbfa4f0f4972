"""The vocabulary in words: each term's label and definition, in each of our languages.

Labels live in ``graph_schema/terms/{language}.yaml``, with the definitions in Spanish, French
and Portuguese; the English definitions are those of ``vocabulary.yaml``, so that one file says
what a term means. Keys never change with the language: only the words do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Literal, get_args

import yaml

from app.domain.languages import DEFAULT, Language
from app.domain.vocabulary import Term, vocabulary

Section = Literal[
    "families",
    "organization_types",
    "movements",
    "sectors",
    "mechanisms",
    "modes",
    "levels",
    "organization_statuses",
    "relationship_statuses",
    "bases",
    "relationship_types",
]
SECTIONS: tuple[Section, ...] = get_args(Section)


@dataclass(frozen=True)
class Wording:
    """A term as a reader of one language reads it: a short label and a one-line definition.

    A relationship type's label is the verb phrase of a sentence from its source's side
    ("funds"), and its ``inverse`` the phrase from its target's side ("is funded by"), so that
    each side reads as the language writes it (no "member of this" to contract)."""

    label: str
    definition: str
    inverse: str | None = None


def english_terms(section: Section) -> dict[str, Term]:
    """The terms of one section of the vocabulary, with their English definitions."""
    vocab = vocabulary()
    if section == "families":
        return vocab.family_terms
    if section == "relationship_types":
        return {key: rule.term for key, rule in vocab.relationship_types.items()}
    terms: dict[str, Term] = getattr(vocab, section)
    return terms


@cache
def _file(lang: Language) -> dict[str, Any]:
    text = files("graph_schema").joinpath("terms", f"{lang}.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def wording(section: Section, key: str, lang: Language = DEFAULT) -> Wording:
    """How ``key`` of ``section`` reads in ``lang``; :class:`KeyError` for an unknown key."""
    entry = _file(lang)[section][key]
    own = english_terms(section)[key].definition if lang == DEFAULT else entry["definition"]
    return Wording(entry["label"], own, entry.get("inverse"))


def label(section: Section, key: str, lang: Language = DEFAULT) -> str:
    """The label of ``key`` of ``section`` in ``lang``: "Trade union", "Sindicato"."""
    return wording(section, key, lang).label


def labels(section: Section, lang: Language = DEFAULT) -> dict[str, str]:
    """Every label of a section in ``lang``, by key, in the vocabulary's order."""
    return {key: label(section, key, lang) for key in english_terms(section)}
