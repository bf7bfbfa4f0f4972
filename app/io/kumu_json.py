"""Read a Kumu map exported as JSON, keeping what it can and reporting what it leaves out.

Kumu's JSON export holds the map's elements and connections, each with its Kumu id and its
fields under ``attributes`` (the shape is described in ``tests/data/kumu/README.md``)::

    {"elements": [{"_id": "elem-1", "attributes": {"label": "SEWA",
                   "element type": "Trade union", "tags": ["IN"], "description": "..."}}],
     "connections": [{"_id": "conn-1", "from": "elem-1", "to": "elem-2",
                      "direction": "directed", "attributes": {"connection type": "Member"}}],
     "loops": [], "maps": [...], ...}

Kumu's hand-written blueprint form, with the fields on the object itself (``label``, ``type``,
``from`` and ``to`` naming an element's label or ``id``), reads the same way. Field names are
matched whatever their case. Other top-level keys (``maps``, ``loops``, ``perspectives``, ...)
and other fields are not read.

**Elements** become organisations, as Kumu's Elements sheet does (:mod:`app.io.kumu`):

* ``label`` is the name; the id is its slug. A later element whose label gives the same id is
  merged into the first (as Kumu merges elements by label), with a note.
* ``element type`` (else ``type``) is an organisation type through the table of
  :mod:`app.io.kumu_terms`: a vocabulary key in words ("Trade union") or a Kumu word ("Union",
  "Co-op", "NGO", "Government agency"). An element whose type is missing or names nothing is
  left out, with its connections; each such type is reported once with its elements.
* ``movement``, if given, is a movement; otherwise, or if it names none (a note), the type's
  family gives it (:data:`app.io.kumu_terms.FAMILY_MOVEMENTS`).
* ``tags`` are sectors and countries (ISO codes or English short names); another tag is not
  read, and reported once with its elements.
* ``description`` is the description (shortened to 5000 characters, with a note).

**Connections** become relationships:

* ``from`` and ``to`` name an element by its ``_id`` (or ``id``), else by its label. A
  connection whose end is missing or unknown, or whose element was left out, is left out.
* ``connection type`` (else ``type``) is a relationship type through the same table ("Funding",
  "Member", "MoU"); each type that names nothing is reported once with its connections.
* ``direction`` ``undirected`` or ``mutual`` on a type that reads one way is read from ``from``
  to ``to``, with a note; so is a connection Kumu marks ``reversed``.
* ``mode``, ``tags`` (mechanisms and one level) and ``description`` (the one activity) read as
  on the Connections sheet; a tag that is neither is not read, with a note.
* The id is "<source>-<type>-<target>", with "-2", "-3", ... for repeats of the same tie.
* A tie the vocabulary forbids between the two organisation types is left out.

Every record has one ``imported`` source (:mod:`app.io.provenance`): it cites the map, "Kumu
map <file name>", with the element's or connection's ``_id`` as locator. References the entry
gives in ``sources`` (or ``source``: a list, or ``|``-separated text) are quoted by that
source ("Sources: ILO 2019; Chen 2020"), since the map, not we, read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from app.domain.documents import check_document, validation_problems
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.vocabulary import vocabulary
from app.io.ids import MAX_ID, MAX_TEXT, clip, slugify
from app.io.kumu_terms import (
    connection_tags,
    default_movement,
    element_tags,
    organization_type,
    relationship_type,
    term_key,
    unmapped_reason,
)
from app.io.provenance import file_citation, imported_source
from app.io.report import ImportReport, Issue

RECORD_KIND = "Kumu element and connection"
ELEMENT_TYPE_FIELDS = ("element type", "type")
CONNECTION_TYPE_FIELDS = ("connection type", "type")
SOURCE_FIELDS = ("sources", "source")
TWO_WAY = ("undirected", "mutual")
MAX_DESCRIPTION = 5000
MAX_SHOWN = 5
"""Records named in one report item before the rest are counted."""
INTERCHANGE_KEYS = ("organizations", "relationships")
EXAMPLE_ELEMENT_WORDS = ("Union", "Co-op", "NGO", "Government agency")
EXAMPLE_CONNECTION_WORDS = ("Funding", "Member", "Partnership", "MoU")
"""Words of :mod:`app.io.kumu_terms` that a report names as examples of what is accepted."""


def is_kumu_json(value: object) -> bool:
    """Whether a parsed JSON value is a Kumu map: an object with ``elements``/``connections`` lists.

    An object with our own ``organizations`` or ``relationships`` key is an interchange document.
    """
    if not isinstance(value, Mapping) or any(key in value for key in INTERCHANGE_KEYS):
        return False
    present = [value[key] for key in ("elements", "connections") if key in value]
    return bool(present) and all(isinstance(entries, list) for entries in present)


def _text(value: object) -> str:
    """A field as trimmed text: strings and numbers (2005.0 as "2005"); anything else is empty."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _texts(value: object) -> list[str]:
    """A list field's non-empty items: a JSON list, or text with ``|`` between items."""
    items = value if isinstance(value, list) else str(value).split("|") if _text(value) else []
    return [text for text in (_text(item) for item in items) if text]


def _fields(entry: Mapping[str, object]) -> dict[str, object]:
    """An entry's fields by case-folded name: those on the entry, then its ``attributes``."""
    attributes = entry.get("attributes")
    merged = {str(k).casefold(): v for k, v in entry.items() if k != "attributes"}
    if isinstance(attributes, Mapping):
        merged.update({str(k).casefold(): v for k, v in attributes.items()})
    return merged


def _first(fields: Mapping[str, object], names: Iterable[str]) -> str:
    """The first of ``names`` that the entry fills, as text."""
    return next((text for text in (_text(fields.get(n)) for n in names) if text), "")


def _shown(records: Sequence[str]) -> str:
    """Some record names, then how many more there are."""
    more = len(records) - MAX_SHOWN
    return ", ".join(records[:MAX_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _sources(fields: Mapping[str, object], origin: str, locator: str) -> list[Source]:
    """The one source of an entry: the map, with the entry's id as locator, quoting the
    references the entry's ``sources`` give."""
    references = next((_texts(fields[n]) for n in SOURCE_FIELDS if _texts(fields.get(n))), [])
    quote = f"Sources: {'; '.join(references)}" if references else None
    return [imported_source(file_citation("Kumu map", origin), locator, quote=quote)]


def _problems_text(error: ValidationError) -> str:
    found = validation_problems(error, lambda loc: ("", ".".join(str(p) for p in loc)))
    return "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in found)


@dataclass
class _Reading:
    """What reading collects: the issues, and values met in many records, with those records."""

    issues: list[Issue] = field(default_factory=list)
    element_types: dict[str, list[str]] = field(default_factory=dict)
    connection_types: dict[str, list[str]] = field(default_factory=dict)
    element_tags: dict[str, list[str]] = field(default_factory=dict)
    connection_tags: dict[str, list[str]] = field(default_factory=dict)

    def note(self, record: str, message: str, reason: str) -> None:
        self.issues.append(Issue(record, message, reason=reason))

    def skip(self, record: str, message: str, reason: str) -> None:
        self.issues.append(Issue(record, message, skipped=True, reason=reason))


@dataclass
class _Index:
    """What connections resolve their ends against: kept and left-out elements."""

    by_kumu_id: dict[str, str] = field(default_factory=dict)
    by_label: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    skipped_ids: set[str] = field(default_factory=set)
    skipped_labels: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)

    def keep(self, kumu_id: str, org_id: str) -> None:
        if kumu_id:
            self.by_kumu_id[kumu_id] = org_id

    def leave_out(self, kumu_id: str, label: str) -> None:
        if kumu_id:
            self.skipped_ids.add(kumu_id)
        if slugify(label):
            self.skipped_labels.add(slugify(label))

    def end(self, value: str) -> tuple[str | None, bool]:
        """The organisation an end names, and whether it names an element left out."""
        if value in self.by_kumu_id:
            return self.by_kumu_id[value], False
        if value in self.skipped_ids:
            return None, True
        slug = slugify(value)
        if slug in self.by_label:
            return self.by_label[slug], False
        return None, slug in self.skipped_labels

    def shown(self, value: str) -> str:
        """An end as a person knows it: the element's label, else the text as given."""
        return self.labels.get(value) or value or "?"


def _element_record(number: int, kumu_id: str, label: str) -> str:
    if label:
        return f"element '{label}'" + (f" ({kumu_id})" if kumu_id else "")
    return f"element {kumu_id}" if kumu_id else f"element #{number}"


def _element_tags(
    fields: Mapping[str, object], record: str, reading: _Reading
) -> tuple[list[str], list[str]]:
    """Sectors and countries from an element's tags; other tags are tallied for a note."""
    sectors, countries, others = element_tags(_texts(fields.get("tags")))
    for tag in others:
        reading.element_tags.setdefault(tag, []).append(record)
    return sectors, countries


def _organization(
    fields: Mapping[str, object],
    record: str,
    org_id: str,
    org_type: str,
    locator: str,
    origin: str,
    reading: _Reading,
) -> Organization | None:
    """The organisation an element describes, or ``None`` (reported) if the model refuses it."""
    movement = default_movement(org_type)
    given = _text(fields.get("movement"))
    if given:
        named = term_key(given, vocabulary().movements)
        if named is None:
            message = f"'{given}' is not a movement; read as {movement}, its type's default"
            reading.note(record, message, "movement not known")
        movement = named or movement
    description = _text(fields.get("description"))
    if len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 3].rstrip() + "..."
        message = f"description shortened to {MAX_DESCRIPTION} characters"
        reading.note(record, message, "description shortened")
    sectors, countries = _element_tags(fields, record, reading)
    data = {
        "id": org_id,
        "name": clip(_text(fields.get("label"))),
        "type": org_type,
        "movement": movement,
        "countries": countries,
        "sectors": sectors,
        "description": description or None,
        "sources": _sources(fields, origin, locator),
    }
    try:
        return Organization.model_validate(data)
    except ValidationError as error:
        reading.skip(record, _problems_text(error), "invalid element")
        return None


def _read_elements(
    entries: Sequence[object], origin: str, reading: _Reading
) -> tuple[list[Organization], _Index]:
    """Organisations of the elements that can be read, and the index connections resolve by."""
    organizations: list[Organization] = []
    index = _Index()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            kind = type(entry).__name__
            reading.skip(f"element #{number}", f"is {kind}, not an object", "element not readable")
            continue
        fields = _fields(entry)
        kumu_id = _text(entry.get("_id")) or _text(fields.get("id"))
        label = _text(fields.get("label"))
        record = _element_record(number, kumu_id, label)
        if kumu_id and label:
            index.labels[kumu_id] = label
        org_id = slugify(label)
        if not org_id:
            message = "has no label with letters or digits to name it by"
            reading.skip(record, message, "element without a label")
            index.leave_out(kumu_id, label)
            continue
        type_text = _first(fields, ELEMENT_TYPE_FIELDS)
        org_type = organization_type(type_text) if type_text else None
        if org_type is None:
            reading.element_types.setdefault(type_text, []).append(record)
            index.leave_out(kumu_id, label)
            continue
        if org_id in index.by_label:
            first = index.names[org_id]
            typed = index.types[org_id]
            differs = f"; typed {org_type} here, {typed} there" if typed != org_type else ""
            message = f"merged into {first}, whose label gives the same id '{org_id}'{differs}"
            reading.note(record, message, "label repeats another element")
            index.keep(kumu_id, org_id)
            continue
        locator = kumu_id or f"element #{number}"
        organization = _organization(fields, record, org_id, org_type, locator, origin, reading)
        if organization is None:
            index.leave_out(kumu_id, label)
            continue
        organizations.append(organization)
        index.keep(kumu_id, org_id)
        index.by_label[org_id] = org_id
        index.names[org_id] = record
        index.types[org_id] = org_type
    return organizations, index


def _connection_tags(
    fields: Mapping[str, object], rel_type: str, record: str, reading: _Reading
) -> tuple[list[str], str | None]:
    """Mechanisms (for the types that carry them) and one level from a connection's tags."""
    mechanisms, levels, others = connection_tags(_texts(fields.get("tags")))
    for tag in others:
        reading.connection_tags.setdefault(tag, []).append(record)
    allowed = sorted(vocabulary().relationship_fields["mechanisms"])
    if mechanisms and rel_type not in allowed:
        message = (
            f"mechanism tags {', '.join(mechanisms)} not read: only {', '.join(allowed)} "
            f"ties carry mechanisms, and this one is {rel_type}"
        )
        reading.note(record, message, "mechanisms on a tie that has none")
        mechanisms = []
    if len(levels) > 1:
        message = f"tagged with {len(levels)} levels ({', '.join(levels)}); {levels[0]} kept"
        reading.note(record, message, "several levels")
    return mechanisms, (levels[0] if levels else None)


def _mode(
    fields: Mapping[str, object], rel_type: str, source_type: str, record: str, reading: _Reading
) -> str | None:
    """An ENABLES tie's mode: the ``mode`` field, else the default for its source's type."""
    if rel_type != "ENABLES":
        return None
    default = "indirect" if source_type in vocabulary().indirect_enabler_types else "direct"
    given = _text(fields.get("mode"))
    if not given:
        return default
    named = term_key(given, vocabulary().modes)
    if named is None:
        reading.note(record, f"'{given}' is not a mode; read as {default}", "mode not known")
    return named or default


def _ends(
    fields: Mapping[str, object], index: _Index, record: str, reading: _Reading
) -> tuple[str, str] | None:
    """The organisations a connection joins, or ``None`` (reported) if it cannot join two."""
    ends: list[str] = []
    for end in ("from", "to"):
        value = _text(fields.get(end))
        org_id, left_out = index.end(value) if value else (None, False)
        if left_out:
            message = f"its '{end}' element {index.shown(value)} is left out of the import"
            reading.skip(record, message, "connection to a skipped element")
            return None
        if org_id is None:
            message = f"'{end}' names no element ('{value}')" if value else f"has no '{end}'"
            reading.skip(record, message, "connection end not found")
            return None
        ends.append(org_id)
    source, target = ends
    if source == target:
        message = f"joins {index.names[source]} to itself"
        reading.skip(record, message, "connection from an element to itself")
        return None
    return source, target


def _relationship(
    entry: Mapping[str, object],
    number: int,
    origin: str,
    index: _Index,
    reading: _Reading,
) -> Relationship | None:
    """The relationship a connection describes (without its final id), or ``None``, reported."""
    fields = _fields(entry)
    kumu_id = _text(entry.get("_id")) or _text(fields.get("id"))
    from_text, to_text = _text(fields.get("from")), _text(fields.get("to"))
    shown = f"{index.shown(from_text)} -> {index.shown(to_text)}"
    record = f"connection {kumu_id or f'#{number}'} ({shown})"
    type_text = _first(fields, CONNECTION_TYPE_FIELDS)
    rel_type = relationship_type(type_text) if type_text else None
    if rel_type is None:
        reading.connection_types.setdefault(type_text, []).append(record)
        return None
    ends = _ends(fields, index, record, reading)
    if ends is None:
        return None
    source, target = ends
    direction = _text(fields.get("direction")).lower()
    if direction in TWO_WAY and not vocabulary().relationship_types[rel_type].symmetric:
        message = f"is {direction}, but {rel_type} reads one way; read from {shown}"
        reading.note(record, message, "two-way connection read one way")
    if entry.get("reversed") is True:
        message = f"Kumu marks it reversed; read as it is stored, from {shown}"
        reading.note(record, message, "reversed connection read from 'from' to 'to'")
    mechanisms, level = _connection_tags(fields, rel_type, record, reading)
    description = _text(fields.get("description"))
    if len(" ".join(description.split())) > MAX_TEXT:
        message = f"description shortened to {MAX_TEXT} characters, its one activity"
        reading.note(record, message, "description shortened")
    data = {
        "id": slugify(f"{source}-{rel_type}-{target}"),
        "type": rel_type,
        "source": source,
        "target": target,
        "mode": _mode(fields, rel_type, index.types[source], record, reading),
        "mechanisms": mechanisms,
        "level": level,
        "activities": [clip(description)] if description else [],
        "sources": _sources(fields, origin, kumu_id or f"connection #{number}"),
    }
    try:
        relationship = Relationship.model_validate(data)
    except ValidationError as error:
        reading.skip(record, _problems_text(error), "invalid connection")
        return None
    forbidden = check_document(Document(relationships=[relationship]), index.types)
    if forbidden:
        message = "; ".join(problem.message for problem in forbidden)
        reading.skip(record, message, "tie the vocabulary forbids")
        return None
    return relationship


def _read_connections(
    entries: Sequence[object], origin: str, index: _Index, reading: _Reading
) -> list[Relationship]:
    """Relationships of the connections that can be read, ids made unique."""
    relationships: list[Relationship] = []
    used: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            kind = type(entry).__name__
            message = f"is {kind}, not an object"
            reading.skip(f"connection #{number}", message, "connection not readable")
            continue
        relationship = _relationship(entry, number, origin, index, reading)
        if relationship is None:
            continue
        rel_id, repeat = relationship.id, 2
        while rel_id in used:
            suffix = f"-{repeat}"
            rel_id, repeat = relationship.id[: MAX_ID - len(suffix)] + suffix, repeat + 1
        used.add(rel_id)
        relationships.append(relationship.model_copy(update={"id": rel_id}))
    return relationships


def _type_issues(reading: _Reading) -> list[Issue]:
    """One item per element or connection type that names nothing, with the records it left out."""
    issues: list[Issue] = []
    kinds = (
        ("element", "organisation type", reading.element_types, EXAMPLE_ELEMENT_WORDS),
        ("connection", "relationship type", reading.connection_types, EXAMPLE_CONNECTION_WORDS),
    )
    accepted_keys = {
        "element": sorted(vocabulary().organization_types),
        "connection": sorted(vocabulary().relationship_types),
    }
    for kind, what, tally, examples in kinds:
        accepted = (
            f"accepted: {', '.join(accepted_keys[kind])} (in any case or in words), or a word "
            f"of the Kumu table such as {', '.join(examples)}"
        )
        for value, records in tally.items():
            reason = unmapped_reason(value) if value else None
            item = f"{kind} type '{value}'" if value else f"{kind}s without a type"
            names = "names no " + what + (f" ({reason})" if reason else "")
            head = names if value else f"no {kind} type given"
            message = f"{head}; {len(records)} {kind}(s) left out: {_shown(records)}; {accepted}"
            issues.append(Issue(item, message, skipped=True, reason=f"{kind} type not mapped"))
    return issues


def _tag_issues(reading: _Reading) -> list[Issue]:
    """One note per tag not read, with the records that carry it."""
    issues = [
        Issue(
            f"tag '{tag}'",
            f"neither a sector nor a country; not read, on {len(records)} element(s): "
            f"{_shown(records)}",
            reason="element tag not read",
        )
        for tag, records in reading.element_tags.items()
    ]
    issues += [
        Issue(
            f"tag '{tag}'",
            f"neither a mechanism nor a level; not read, on {len(records)} connection(s): "
            f"{_shown(records)}",
            reason="connection tag not read",
        )
        for tag, records in reading.connection_tags.items()
    ]
    return issues


def _entries(value: Mapping[str, object], key: str) -> list[object]:
    entries = value.get(key, [])
    if not isinstance(entries, list):
        kind = type(entries).__name__
        raise InvalidData([Problem("Kumu map", key, f"is {kind}, not a list")])
    return entries


def read_kumu_json(value: Mapping[str, object], origin: str) -> tuple[Document, ImportReport]:
    """The document a Kumu JSON export describes, and the report of what it left out and why.

    ``origin`` names the map in reports and in the citation of every source. Only
    a value that is no Kumu map at all (``elements`` or ``connections`` not a list) raises
    InvalidData; problems of single elements and connections leave them out, reported.
    """
    elements, connections = _entries(value, "elements"), _entries(value, "connections")
    reading = _Reading()
    organizations, index = _read_elements(elements, origin, reading)
    relationships = _read_connections(connections, origin, index, reading)
    document = Document(organizations=organizations, relationships=relationships)
    report = ImportReport(
        origin=origin,
        record_kind=RECORD_KIND,
        records_read=len(elements) + len(connections),
        organizations=len(organizations),
        relationships=len(relationships),
        issues=tuple([*_type_issues(reading), *reading.issues, *_tag_issues(reading)]),
        created=tuple(org.id for org in organizations),
    )
    return document, report
