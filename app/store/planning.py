"""What a load must write, worked out the same way for every backend from what is stored now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from app.domain.models import Organization, Relationship
from app.store.protocol import Changes

R = TypeVar("R", Organization, Relationship)


def changed(incoming: Sequence[R], stored: Mapping[str, R]) -> tuple[list[R], Changes]:
    """The incoming records that differ from the stored ones with the same id, and the counts.

    Records are compared by value, so loading the same document twice writes nothing.
    """
    to_write: list[R] = []
    created = updated = unchanged = 0
    for record in incoming:
        old = stored.get(record.id)
        if old is None:
            created += 1
            to_write.append(record)
        elif old != record:
            updated += 1
            to_write.append(record)
        else:
            unchanged += 1
    return to_write, Changes(created=created, updated=updated, unchanged=unchanged)
