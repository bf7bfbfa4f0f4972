"""What one audit-trail entry changed, field by field: the readable diff of a record's history.

An entry (``edits.Change``) keeps a record's whole interchange JSON before and after the edit;
a person wants the fields that differ, each before and after. Fields come in the record's own
order (as its model lists them), so two pages show one change alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    """One field of a record that an edit changed, with its JSON value on each side (``None``
    where the field was absent: not yet created, deleted, or unset)."""

    field: str
    before: Any
    after: Any


def changed_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[FieldChange]:
    """The fields whose values differ between ``before`` and ``after`` (either may be ``None``,
    for a record created or deleted), in the order the record lists them: the fields of
    ``after``, then those only ``before`` had. An absent field and a ``None`` value are one,
    as the interchange format treats them, and so are an absent list and an empty one."""
    old, new = before or {}, after or {}
    order = [*new, *(name for name in old if name not in new)]
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in order
        if _plain(old.get(name)) != _plain(new.get(name))
    ]


def _plain(value: Any) -> Any:
    """``value`` with empty lists and mappings read as no value."""
    return None if value in ([], {}) else value
