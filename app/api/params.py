"""Query and path parameters shared by several routers."""

from __future__ import annotations

import re
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
