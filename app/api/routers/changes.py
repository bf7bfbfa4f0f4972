"""``/api/changes``: the audit trail of every edit, import and merge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.actors import Actors
from app.api.deps import Limit, Offset, StoreDep, checked
from app.api.schemas import ChangePage
from app.domain.edits import ENTITIES, Entity
from app.domain.errors import InvalidQuery
from app.domain.models import SLUG_PATTERN
from app.store.protocol import ChangeFilter

router = APIRouter(prefix="/api", tags=["changes"])


def _utc(value: str | None) -> datetime | None:
    """An ISO 8601 date-time (or date) in UTC; one without a zone is read as UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.upper())
    except ValueError:
        raise InvalidQuery(
            "since", f"'{value}' is not an ISO 8601 date-time", ("2026-01-31T09:00:00Z",)
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # Within a day of the calendar's ends, UTC may fall before year 1 or after 9999: then
        # every change, or none, is at or after it.
        edge = datetime.min if moment.year == 1 else datetime.max
        return edge.replace(tzinfo=UTC)


@router.get("/changes", response_model=ChangePage)
def list_changes(
    store: StoreDep,
    actors: Actors,
    since: Annotated[
        str | None,
        Query(
            max_length=40,
            description="Only changes at or after this ISO 8601 date-time (UTC if no zone).",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    entity: Annotated[
        str | None,
        Query(description="Only changes of this kind.", json_schema_extra={"enum": list(ENTITIES)}),
    ] = None,
    id: Annotated[
        str | None, Query(pattern=SLUG_PATTERN, max_length=120, description="Only this record.")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> ChangePage:
    """Who changed what and when, with each record's values before and after, oldest first.

    ``actor`` is the name of the API key (or ``cli:<login name>``) behind a change; callers
    without a key see only its role: reader, editor, admin, command line, system or unknown.
    """
    kind: Entity | None = checked("entity", entity, dict.fromkeys(ENTITIES))  # type: ignore[assignment]
    page = store.changes(ChangeFilter(since=_utc(since), entity=kind, id=id), offset, limit)
    items = [actors.change(change) for change in page.items]
    return ChangePage(items=items, total=page.total, offset=offset, limit=limit)
