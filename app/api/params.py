"""Query and path parameters shared by several routers."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Path, Query
from pydantic import PlainValidator, WithJsonSchema

from app.domain.evidence import Weighing
from app.domain.languages import LANGUAGES, Language, language, preferred
from app.domain.models import SLUG_PATTERN

OrganizationId = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=120,
        description="Organisation id (slug).",
        examples=["utrasd"],
    ),
]
AsOf = Annotated[
    int | None,
    Query(
        ge=1800,
        le=2100,
        description="Year to look at: only ties in force then (default: now, active ties).",
    ),
]
BASIS_DESCRIPTION = (
    "Which facts count. `any` (the default): every fact, those resting on our inference "
    "included, and marked in the answer (`basis`, `inferred`, `rests_on_inference`). "
    "`stated`: only what a source states or an open-data file records; ties and "
    "organisations resting on inference are left out, and inferred years, sectors, "
    "countries and other optional fields read as unknown."
)
WEIGHINGS: tuple[Weighing, ...] = ("any", "stated")


def _weighing(value: str) -> Weighing:
    """The ``basis`` value, refused with the allowed ones as every vocabulary value is."""
    if value not in WEIGHINGS:
        raise ValueError(f"'{value}' is not allowed; allowed: {', '.join(WEIGHINGS)}")
    return value


BasisValue = Annotated[
    Weighing,
    PlainValidator(_weighing),
    WithJsonSchema({"type": "string", "enum": list(WEIGHINGS), "default": "any"}),
]
"""A ``basis`` value in a query or a body, refused as every vocabulary value is."""
Basis = Annotated[
    BasisValue,
    Query(
        description=BASIS_DESCRIPTION,
        openapi_examples={
            "any": {"summary": "Every fact, inferences marked", "value": "any"},
            "stated": {"summary": "Only what a source states", "value": "stated"},
        },
    ),
]
"""``basis=stated|any``: the evidence an analysis or traversal weighs (default ``any``)."""
RelationshipId = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=120,
        description="Relationship id (slug).",
        examples=["utrasd-established-ima-limpia"],
    ),
]


_ETAGS = re.compile(r'(?:W/)?"[^"]*"|[^\s,]+')
"""One entity tag of a comma-separated list: quoted, maybe weak, or (leniently) bare."""


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag you read (`"..."`, or a comma-separated list); the write is '
            "refused with 412 if the record has none of them now. `*` only requires that it "
            "exists."
        ),
    ] = None,
) -> frozenset[str] | None:
    """The strong entity tags an ``If-Match`` header lists (RFC 9110, section 13.1.1).

    ``None`` when it is absent or ``*``. Weak tags (``W/"..."``) are dropped, since If-Match
    compares strongly: a header of weak tags only can never match.
    """
    if if_match is None or if_match.strip() == "*":
        return None
    return frozenset(tag.strip('"') for tag in _ETAGS.findall(if_match) if not tag.startswith("W/"))


IfMatch = Annotated[frozenset[str] | None, Depends(_if_match)]
Cascade = Annotated[
    bool,
    Query(description="Also delete the organisation's relationships (admins only)."),
]

ChangeNumber = Annotated[
    int,
    Query(
        ge=1,
        le=2**62,
        description="The change (its seq in the audit trail) whose version to restore.",
    ),
]

PublicationId = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=120,
        description="Saved view or story id (slug).",
        examples=["utrasd-enablers"],
    ),
]


def _language(value: str) -> Language:
    """The ``lang`` value, refused with the allowed ones."""
    return language(value)


LanguageValue = Annotated[
    Language,
    PlainValidator(_language),
    WithJsonSchema({"type": "string", "enum": list(LANGUAGES)}),
]


def reader_language(
    lang: Annotated[
        LanguageValue | None,
        Query(
            description="The language of labels and definitions: en, es, fr or pt. Without "
            "it, the best match of the Accept-Language header, else English. Keys never "
            "change with the language.",
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Language:
    """The reader's language: ``?lang=``, else the ``Accept-Language`` header, else English."""
    return lang if lang is not None else preferred(accept_language)


ReaderLanguage = Annotated[Language, Depends(reader_language)]
"""The language a reader asked for, as :func:`reader_language` chooses it."""


def language_headers(lang: Language) -> dict[str, str]:
    """The headers of an answer in the reader's language, which ``Accept-Language`` may choose:
    caches keep one answer per language."""
    return {"Content-Language": lang, "Vary": "Accept-Language"}
