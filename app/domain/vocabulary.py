"""The controlled vocabularies, read from ``graph_schema/vocabulary.yaml`` shipped in the wheel.

The YAML file is the single source of truth for every key a record may use and for which
relationship types may join which organisation types; this module only loads and indexes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from app.domain.text import fold


@dataclass(frozen=True)
class Term:
    """One vocabulary term: its key, a one-line definition and where the brief uses it."""

    key: str
    definition: str
    brief: str


@dataclass(frozen=True)
class RelationshipRule:
    """Which organisation types a relationship type may join, and whether it reads both ways."""

    term: Term
    symmetric: bool
    enabling: bool
    source_types: frozenset[str]
    target_types: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    """Every controlled vocabulary of the data model, keyed by term."""

    schema_version: int
    organization_types: dict[str, Term]
    families: dict[str, frozenset[str]]
    family_terms: dict[str, Term]
    movements: dict[str, Term]
    sectors: dict[str, Term]
    mechanisms: dict[str, Term]
    modes: dict[str, Term]
    levels: dict[str, Term]
    organization_statuses: dict[str, Term]
    relationship_statuses: dict[str, Term]
    bases: dict[str, Term]
    relationship_types: dict[str, RelationshipRule]
    relationship_fields: dict[str, frozenset[str]]
    indirect_enabler_types: frozenset[str]
    countries: dict[str, str]

    @property
    def enabling_types(self) -> frozenset[str]:
        """Relationship types whose source supports the target's collective action."""
        return frozenset(k for k, rule in self.relationship_types.items() if rule.enabling)

    def country_code(self, text: str) -> str | None:
        """The ISO 3166-1 alpha-2 code ``text`` names: a code, the short name, or one of the
        other names open data uses for a country (:data:`COUNTRY_NAMES`)."""
        wanted = fold(text)
        if len(wanted) == 2 and wanted.upper() in self.countries:
            return wanted.upper()
        if wanted in COUNTRY_NAMES:
            return COUNTRY_NAMES[wanted]
        return next((code for code, name in self.countries.items() if fold(name) == wanted), None)

    def family_of(self, organization_type: str) -> str:
        """The family (unions, sse_units, ...) an organisation type belongs to."""
        for family, types in self.families.items():
            if organization_type in types:
                return family
        raise KeyError(organization_type)


def _terms(section: dict[str, dict[str, Any]]) -> dict[str, Term]:
    return {
        key: Term(key=key, definition=body["definition"], brief=body["brief"])
        for key, body in section.items()
    }


def _expand(names: list[str], families: dict[str, frozenset[str]]) -> frozenset[str]:
    """Turn a rule's list of family keys and type keys into a set of organisation types."""
    types: set[str] = set()
    for name in names:
        types |= families.get(name, frozenset({name}))
    return frozenset(types)


def parse_vocabulary(raw: dict[str, Any], countries: dict[str, str]) -> Vocabulary:
    """Build a :class:`Vocabulary` from the parsed YAML, checking its internal references."""
    org_types = _terms(raw["organization_types"])
    families = {key: frozenset(body["types"]) for key, body in raw["families"].items()}
    grouped = [t for types in families.values() for t in types]
    if sorted(grouped) != sorted(org_types):
        raise ValueError("vocabulary: every organisation type must be in exactly one family")
    rules: dict[str, RelationshipRule] = {}
    for key, body in raw["relationship_types"].items():
        source, target = _expand(body["source"], families), _expand(body["target"], families)
        unknown = (source | target) - set(org_types)
        if unknown:
            raise ValueError(f"vocabulary: rule {key} names unknown types {sorted(unknown)}")
        rules[key] = RelationshipRule(
            term=Term(key=key, definition=body["definition"], brief=body["brief"]),
            symmetric=bool(body["symmetric"]),
            enabling=bool(body["enabling"]),
            source_types=source,
            target_types=target,
        )
    return Vocabulary(
        schema_version=int(raw["schema_version"]),
        organization_types=org_types,
        families=families,
        family_terms=_terms(raw["families"]),
        movements=_terms(raw["movements"]),
        sectors=_terms(raw["sectors"]),
        mechanisms=_terms(raw["mechanisms"]),
        modes=_terms(raw["modes"]),
        levels=_terms(raw["levels"]),
        organization_statuses=_terms(raw["organization_statuses"]),
        relationship_statuses=_terms(raw["relationship_statuses"]),
        bases=_terms(raw["bases"]),
        relationship_types=rules,
        relationship_fields={k: frozenset(v) for k, v in raw["relationship_fields"].items()},
        indirect_enabler_types=frozenset(raw["indirect_enabler_types"]["types"]),
        countries=dict(countries),
    )


COUNTRY_NAMES = {
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "united states of america": "US",
}
"""Names UK and US grant-makers write for their own countries, besides the ISO short names."""


@cache
def vocabulary() -> Vocabulary:
    """The project's vocabulary, loaded once from the ``graph_schema`` package."""
    schema = files("graph_schema")
    raw = yaml.safe_load(schema.joinpath("vocabulary.yaml").read_text(encoding="utf-8"))
    countries = yaml.safe_load(schema.joinpath("countries.yaml").read_text(encoding="utf-8"))
    return parse_vocabulary(raw, countries["countries"])
