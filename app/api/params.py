"""Query and path parameters shared by several routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

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
