"""A record's latest changes in words, for its page: who, when, how, and each field an update
changed, before and after, with what a person needs to restore an earlier version.

Shared by the pages of organisations and relationships, whose scripts draw it
(``history.js``). Actors are shown as the caller may see them (``app.api.actors``). Said in
the reader's language: field names, vocabulary values, countries, the date, the kind of change
and the role shown for an actor; names and free text stay as written.
"""

from __future__ import annotations

import json
from typing import Any

from babel.dates import format_date

from app.api.actors import COMMAND_LINE, SYSTEM, UNKNOWN, ActorView
from app.domain.edits import Change, Kind, etag
from app.domain.history import changed_fields
from app.domain.languages import CLDR_LOCALES, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.models import Organization, Relationship
from app.domain.terms import Section, label
from app.maps.encoding import term_label
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
    "name": N_("Name"),
    "type": N_("Type"),
    "movement": N_("Movement"),
    "countries": N_("Countries"),
    "sectors": N_("Sectors"),
    "founded": N_("Founded"),
    "status": N_("Status"),
    "aliases": N_("Other names"),
    "identifiers": N_("Organisation identifiers"),
    "description": N_("Description"),
    "sources": N_("Sources"),
    "source": N_("From"),
    "target": N_("To"),
    "since": N_("Since"),
    "until": N_("Until"),
    "mode": N_("Mode"),
    "mechanisms": N_("Mechanisms"),
    "level": N_("Level"),
    "activities": N_("Activities"),
    "programme": N_("Programme"),
    "reference": N_("Reference"),
    "awarded": N_("Awarded on"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
}
"""How a changed field is named; another field by its own words, capitalised."""
CHANGES = {"created": N_("created"), "updated": N_("updated"), "deleted": N_("deleted")}
"""Each kind of change in words."""
ACTOR_LABELS = {
    "reader": N_("reader"),
    "editor": N_("editor"),
    "admin": N_("admin"),
    COMMAND_LINE: N_("command line"),
    SYSTEM: N_("system"),
    UNKNOWN: N_("unknown"),
}
"""The role or kind of actor an anonymous caller sees, in words."""
TERM_SECTIONS: dict[str, Section] = {
    "type": "organization_types",
    "movement": "movements",
    "sectors": "sectors",
    "mode": "modes",
    "mechanisms": "mechanisms",
    "level": "levels",
}
"""Fields whose values are keys of one section of the vocabulary."""
STATUSES: dict[Kind, Section] = {
    "organization": "organization_statuses",
    "relationship": "relationship_statuses",
}
"""Whose statuses a record's ``status`` names."""


def record_history(
    store: GraphStore,
    actors: ActorView,
    record: Organization | Relationship,
    lang: Language,
) -> dict[str, Any]:
    """The record's latest changes in words, newest first: when, who (a role for a caller
    without a key, as ``/api/changes`` says), how, and for an update each field that changed,
    before and after; how many there are in all and where they all are. A change that left a
    version other than the stored one may be restored (``revert``), at ``restore``, under the
    record's ETag (``etag``). Words in ``lang``."""
    kind: Kind = "organization" if isinstance(record, Organization) else "relationship"
    current = record.model_dump(mode="json")
    where = ChangeFilter(entity=kind, id=record.id)
    total = store.changes(where, 0, 1).total
    latest = store.changes(where, max(0, total - HISTORY_SHOWN), HISTORY_SHOWN).items
    entries = [
        {
            "seq": change.seq,
            "revert": change.after is not None and change.after != current,
            "when": _when(change, lang),
            "who": _who(actors, change.actor, lang),
            "how": _how(change, lang),
            "fields": [
                {
                    "field": _field(c.field, lang),
                    "before": _value_words(c.field, c.before, kind, lang),
                    "after": _value_words(c.field, c.after, kind, lang),
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


def _when(change: Change, lang: Language) -> str:
    """When a change was made, its date as ``lang`` writes it (CLDR), the time in UTC."""
    return f"{format_date(change.at, 'medium', locale=CLDR_LOCALES[lang])}, {change.at:%H:%M} UTC"


def _who(actors: ActorView, actor: str, lang: Language) -> str:
    """Who made a change: a name as recorded, or the role shown in its place, in words."""
    shown = actors.actor(actor)
    return shown if actors.roles is None else gettext(ACTOR_LABELS[shown], lang)


def _how(change: Change, lang: Language) -> str:
    """The kind of change in words, with its action (a load, a merge) as recorded after it."""
    said = gettext(CHANGES[change.change], lang)
    return said if change.action in PLAIN_EDITS else f"{said} ({change.action})"


def _field(field: str, lang: Language) -> str:
    """A changed field's name in ``lang``."""
    named = FIELD_LABELS.get(field)
    return gettext(named, lang) if named else field.replace("_", " ").capitalize()


def fact_words(field: str, value: object, lang: Language, kind: Kind = "organization") -> str:
    """A fact as a person of ``lang`` reads it: countries by name, vocabulary keys as words
    (a status as the statuses of ``kind`` of record name it)."""
    section = STATUSES[kind] if field == "status" else TERM_SECTIONS.get(field)
    if isinstance(value, list | tuple):
        return ", ".join(_key_words(field, section, str(k), lang) for k in value)
    if value is None:
        return ""
    return _key_words(field, section, str(value), lang)


def _key_words(field: str, section: Section | None, key: str, lang: Language) -> str:
    """One value in ``lang``: a country by name, a vocabulary key by its label (an unknown key
    by its words, capitalised), anything else as written."""
    if field == "countries":
        return country_name(key, lang)
    if section is None:
        return key
    try:
        return label(section, key, lang)
    except KeyError:
        return term_label(key)


def _value_words(field: str, value: Any, kind: Kind, lang: Language) -> str | None:
    """A changed field's JSON value as a person reads it: names and labels for vocabulary
    fields and countries, in ``lang``, sources by citation, free text as it is, compact JSON
    for anything else; ``None`` for no value (the page says "none")."""
    if value is None or value == [] or value == {}:
        return None
    if field == "sources" and isinstance(value, list):
        return "; ".join(str(s.get("citation", "")) for s in value if isinstance(s, dict))
    if isinstance(value, dict) or (isinstance(value, list) and not _scalars(value)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field in VOCABULARY_FIELDS:
        return fact_words(field, value, lang, kind)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _scalars(values: list[Any]) -> bool:
    return all(isinstance(v, str | int | float | bool) for v in values)
