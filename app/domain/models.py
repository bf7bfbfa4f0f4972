"""Pydantic models of the interchange format: organisations, relationships and their sources.

Field names are the keys that outsiders rely on (DESIGN.md); every controlled value is checked
against the vocabulary, and each refusal names the allowed values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Annotated, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.domain.text import fold
from app.domain.vocabulary import vocabulary

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Year = Annotated[int, Field(ge=1800, le=2100)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]


def allowed_message(value: str, what: str, allowed: Iterable[str]) -> str:
    """The sentence every vocabulary refusal uses: the bad value, then every allowed one."""
    return f"'{value}' is not a known {what}; allowed: {', '.join(sorted(allowed))}"


def _check_term(value: str, what: str, terms: Mapping[str, object]) -> str:
    if value not in terms:
        raise ValueError(allowed_message(value, what, terms))
    return value


def _check_terms(values: list[str], what: str, terms: Mapping[str, object]) -> list[str]:
    for value in values:
        _check_term(value, what, terms)
    if len(set(values)) != len(values):
        raise ValueError(f"{what} values must not repeat")
    return values


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Record):
    """Where a fact comes from and how it supports it.

    ``basis`` says how: ``stated`` (the source says it; ``locator`` says where and ``quote``,
    when short, gives its words), ``inferred`` (our inference, with a one-line ``reason``) or
    ``imported`` (mapped mechanically from an open-data file: ``citation`` names the file,
    ``locator`` the record). A source without a basis is ``stated``, so documents written
    before bases existed read as they always did. ``year`` is the year of the evidence.
    ``fields`` names the record's fields this source speaks to; empty, it bears on the record
    as a whole (that the organisation exists, that the tie holds). A tuple, so that sources
    stay hashable (merges compare them as sets).
    """

    citation: Text = Field(examples=["UTRASD et al. 2020"])
    locator: Text | None = Field(default=None, examples=["Box 3"])
    url: Url | None = None
    basis: str = Field(default="stated", examples=["stated"])
    quote: Text | None = Field(default=None, examples=["The IMA Limpia social enterprise launched"])
    reason: Text | None = None
    year: Year | None = Field(default=None, examples=[2020])
    fields: tuple[str, ...] = Field(default=(), examples=[["since"]])

    @field_validator("basis")
    @classmethod
    def _basis(cls, value: str) -> str:
        return _check_term(value, "basis", vocabulary().bases)

    @field_validator("fields")
    @classmethod
    def _fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("fields must not repeat")
        return value

    @model_validator(mode="after")
    def _explained(self) -> Self:
        if self.basis == "inferred" and self.reason is None:
            raise ValueError("an inferred source needs a reason: one line on how we inferred it")
        return self


@cache
def _source_fields(record: type[BaseModel]) -> frozenset[str]:
    """The fields of ``record`` a source may name: all but ``id`` and ``sources`` (worked out
    once per model: every record validated asks)."""
    return frozenset(record.model_fields) - {"id", "sources"}


def _check_sources(sources: list[Source], record: type[BaseModel]) -> None:
    """Every source names only fields the record has (not ``id`` or ``sources``), and at
    least one speaks to the record as a whole."""
    allowed = _source_fields(record)
    for source in sources:
        for name in source.fields:
            if name not in allowed:
                raise ValueError(allowed_message(name, "field for a source", allowed))
    if all(source.fields for source in sources):
        raise ValueError(
            "at least one source must bear on the record as a whole (no fields); "
            "sources with fields only back those fields"
        )


class Organization(_Record):
    """An organisation in the ecosystem: a union, an SSE unit, an enabler or a public body."""

    id: Slug = Field(examples=["utrasd"])
    name: Text = Field(examples=["Unión de Trabajadoras del Servicio Doméstico"])
    aliases: list[Text] = Field(default_factory=list, examples=[["UTRASD"]])
    type: str = Field(examples=["trade_union"])
    movement: str = Field(examples=["labour"])
    countries: list[str] = Field(default_factory=list, examples=[["CO"]])
    sectors: list[str] = Field(default_factory=list, examples=[["domestic_work"]])
    founded: Year | None = None
    status: str = "active"
    description: LongText | None = None
    identifiers: list[Text] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return _check_term(value, "organisation type", vocabulary().organization_types)

    @field_validator("movement")
    @classmethod
    def _movement(cls, value: str) -> str:
        return _check_term(value, "movement", vocabulary().movements)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        for code in value:
            if code not in vocabulary().countries:
                raise ValueError(
                    f"'{code}' is not an ISO 3166-1 alpha-2 country code; "
                    "allowed: two upper-case letters such as CO, KE, BR, ZA, IN"
                )
        return _check_terms(value, "country", vocabulary().countries)

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str]) -> list[str]:
        return _check_terms(value, "sector", vocabulary().sectors)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _check_term(value, "organisation status", vocabulary().organization_statuses)

    @model_validator(mode="after")
    def _sourced(self) -> Self:
        _check_sources(self.sources, Organization)
        return self

    def short_name(self) -> str:
        """How prose and maps name it: its first alias shorter than its name (usually the
        acronym), else its name; a longer alias, such as a full legal name, never replaces it."""
        return next((alias for alias in self.aliases if len(alias) < len(self.name)), self.name)

    def search_keys(self) -> list[str]:
        """The folded name and aliases that the ``q`` filter matches against."""
        return [fold(self.name), *(fold(alias) for alias in self.aliases)]


class Relationship(_Record):
    """A typed, directed tie between two organisations: "source TYPE target"."""

    id: Slug = Field(examples=["utrasd-established-ima-limpia"])
    type: str = Field(examples=["ESTABLISHED"])
    source: Slug = Field(examples=["utrasd"])
    target: Slug = Field(examples=["ima-limpia"])
    mode: str | None = Field(default=None, examples=["direct"])
    mechanisms: list[str] = Field(default_factory=list, examples=[["finance"]])
    since: Year | None = None
    until: Year | None = None
    status: str = "active"
    level: str | None = None
    activities: list[Text] = Field(default_factory=list)
    amount: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        default=None, examples=[25000.0]
    )
    currency: str | None = Field(default=None, examples=["GBP"])
    awarded: date | None = None
    programme: Text | None = None
    reference: Text | None = Field(default=None, examples=["360G-example-grant-1"])
    sources: list[Source] = Field(min_length=1)

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return _check_term(value, "relationship type", vocabulary().relationship_types)

    @field_validator("mode")
    @classmethod
    def _mode(cls, value: str | None) -> str | None:
        return None if value is None else _check_term(value, "mode", vocabulary().modes)

    @field_validator("mechanisms")
    @classmethod
    def _mechanisms(cls, value: list[str]) -> list[str]:
        return _check_terms(value, "mechanism", vocabulary().mechanisms)

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _check_term(value, "relationship status", vocabulary().relationship_statuses)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(
                f"'{value}' is not an ISO 4217 currency code; "
                "allowed: three upper-case letters such as GBP, USD, EUR, KES"
            )
        return value

    @field_validator("level")
    @classmethod
    def _level(cls, value: str | None) -> str | None:
        return None if value is None else _check_term(value, "level", vocabulary().levels)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_sources(self.sources, Relationship)
        if self.source == self.target:
            raise ValueError("source and target must be different organisations")
        if self.since is not None and self.until is not None and self.until < self.since:
            raise ValueError(f"until ({self.until}) is before since ({self.since})")
        fields = vocabulary().relationship_fields
        if self.type == "ENABLES" and self.mode is None:
            raise ValueError("an ENABLES relationship needs a mode; allowed: direct, indirect")
        for name, types in sorted(fields.items()):
            if getattr(self, name) not in (None, []) and self.type not in types:
                raise ValueError(f"{name} is only for {', '.join(sorted(types))} relationships")
        if self.amount is not None and self.currency is None:
            raise ValueError("an amount needs its currency (ISO 4217, such as GBP, USD, EUR)")
        return self


class Document(_Record):
    """The JSON interchange document: export, import and seed all use it."""

    organizations: list[Organization] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
