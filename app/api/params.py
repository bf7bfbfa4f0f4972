"""Query and path parameters shared by several routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query

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
RelationshipId = Annotated[
    str,
    Path(
        pattern=SLUG_PATTERN,
        max_length=120,
        description="Relationship id (slug).",
        examples=["utrasd-established-ima-limpia"],
    ),
]


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag you read (`"..."`); the write is refused with 412 if the '
            "record has changed since. `*` only requires that it exists."
        ),
    ] = None,
) -> str | None:
    """The entity tag of an ``If-Match`` header (RFC 9110), or ``None`` for absent or ``*``."""
    if if_match is None or if_match.strip() == "*":
        return None
    return if_match.strip().removeprefix("W/").strip('"')


IfMatch = Annotated[str | None, Depends(_if_match)]
Cascade = Annotated[
    bool,
    Query(description="Also delete the organisation's relationships (admins only)."),
]
