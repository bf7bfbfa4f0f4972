"""A record's latest changes in words, for its page: who, when, how, and each field an update
changed, before and after, with what a person needs to restore an earlier version.

Shared by the pages of organisations and relationships, whose scripts draw it
(``history.js``). Actors are shown as the caller may see them (``app.api.actors``).
"""

from __future__ import annotations

import json
from typing import Any

from app.api.actors import ActorView
from app.api.deps import VOCAB
from app.domain.edits import Kind, etag
from app.domain.history import changed_fields
from app.domain.models import Organization, Relationship
from app.maps.encoding import MOVEMENT_LABELS, term_label
from app.store.protocol import ChangeFilter, GraphStore

HISTORY_SHOWN = 10
"""Changes of its record a page lists, newest first; its link leads to them all (JSON)."""
VOCABULARY_FIELDS = frozenset(
    {"type", "movement", "countries", "sectors", "status", "mode", "mechanisms", "level"}
)
"""Fields whose values are vocabulary keys or country codes, said in words; the rest is text
as entered (an alias keeps its capitals)."""
PLAIN_EDITS = frozenset({"create", "replace", "update", "delete"})
"""Actions a change's own word says all of; others (a load, a merge) are named after it."""
FIELD_LABELS = {
    "type": "Type",
    "movement": "Movement",
    "countries": "Countries",
    "sectors": "Sectors",
    "founded": "Founded",
    "status": "Status",
    "aliases": "Other names",
    "identifiers": "Organisation identifiers",
    "source": "From",
    "target": "To",
}
"""How a changed field is named, where its name alone does not read well."""


def record_history(
    store: GraphStore, actors: ActorView, record: Organization | Relationship
) -> dict[str, Any]:
    """The record's latest changes in words, newest first: when, who (a role for a caller
    without a key, as ``/api/changes`` says), how, and for an update each field that changed,
    before and after; how many there are in all and where they all are. A change that left a
    version other than the stored one may be restored (``revert``), at ``restore``, under the
    record's ETag (``etag``)."""
    kind: Kind = "organization" if isinstance(record, Organization) else "relationship"
    current = record.model_dump(mode="json")
    where = ChangeFilter(entity=kind, id=record.id)
    total = store.changes(where, 0, 1).total
    latest = store.changes(where, max(0, total - HISTORY_SHOWN), HISTORY_SHOWN).items
    entries = [
        {
            "seq": change.seq,
            "revert": change.after is not None and change.after != current,
            "when": f"{change.at:%Y-%m-%d %H:%M} UTC",
            "who": actors.actor(change.actor),
            "how": change.change
            if change.action in PLAIN_EDITS
            else f"{change.change} ({change.action})",
            "fields": [
                {
                    "field": FIELD_LABELS.get(c.field, c.field.replace("_", " ").capitalize()),
                    "before": _value_words(c.field, c.before),
                    "after": _value_words(c.field, c.after),
                }
                for c in changed_fields(change.before, change.after)
            ]
            if change.change == "updated"
            else [],
        }
        for change in reversed(latest)
    ]
    plural = f"{kind}s" if kind == "organization" else "relationships"
    return {
        "items": entries,
        "total": total,
        "all": f"/api/organizations/{record.id}/history"
        if kind == "organization"
        else f"/api/changes?entity=relationship&id={record.id}",
        "restore": f"/api/{plural}/{record.id}/revert",
        "etag": etag(record),
    }


def fact_words(field: str, value: object) -> str:
    """A fact as a person reads it: countries by name, vocabulary keys as words."""
    if isinstance(value, list | tuple):
        named = VOCAB.countries if field == "countries" else {}
        return ", ".join(named.get(k, term_label(k)) for k in value)
    if field == "movement":
        return MOVEMENT_LABELS[str(value)]
    if field in ("type", "mode", "level"):
        return term_label(str(value))
    return "" if value is None else str(value)


def _value_words(field: str, value: Any) -> str | None:
    """A changed field's JSON value as a person reads it: names and labels for vocabulary
    fields and countries, sources by citation, free text as it is, compact JSON for anything
    else; ``None`` for no value (the page says "none")."""
    if value is None or value == [] or value == {}:
        return None
    if field == "sources" and isinstance(value, list):
        return "; ".join(str(s.get("citation", "")) for s in value if isinstance(s, dict))
    if isinstance(value, dict) or (isinstance(value, list) and not _scalars(value)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field in VOCABULARY_FIELDS:
        return fact_words(field, value)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _scalars(values: list[Any]) -> bool:
    return all(isinstance(v, str | int | float | bool) for v in values)
