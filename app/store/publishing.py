"""Saving a view or a story: the preconditions every backend checks in its write transaction,
and the audit entry the write leaves.

Views and stories are not part of the graph (they name maps of it), so saving one leaves the
graph version alone; it is audited like a record, under the entity ``view`` or ``story``.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from app.domain.errors import Conflict, NotFound, PreconditionFailed
from app.domain.stories import PublicationKind, publication_etag
from app.store.planning import Entry


def publication_entry(
    kind: PublicationKind,
    publication_id: str,
    stored: str | None,
    body: dict[str, Any] | None,
    expect: Collection[str] | None,
    absent: bool,
) -> Entry:
    """The audit entry of replacing the stored JSON ``stored`` (``None``: none) with ``body``
    (``None``: delete it), once the preconditions hold.

    With ``absent`` nothing may be stored under the id (``Conflict``); with ``expect`` the
    stored one's tag must be among them (``PreconditionFailed``, a missing one too); deleting
    what is not there is ``NotFound``.
    """
    before = None if stored is None else json.loads(stored)
    if absent and before is not None:
        raise Conflict(f"a {kind} with id '{publication_id}' already exists")
    if expect is not None:
        current = None if before is None else publication_etag(before)
        if current is None or current not in expect:
            raise PreconditionFailed(kind, publication_id, current)
    if before is None and body is None:
        raise NotFound(kind, publication_id)
    after = None if body is None else json.dumps(body, ensure_ascii=False, sort_keys=True)
    if before is None:
        return Entry(kind, publication_id, "created", None, after)
    return Entry(kind, publication_id, "deleted" if body is None else "updated", stored, after)
