"""Read a Kumu map exported as spreadsheet sheets (CSV): an Elements and a Connections sheet.

**Elements** (a sheet with a ``Label`` column) become organisations:

* ``Label`` is the name; the id is its slug (:func:`app.io.ids.slugify`), so two labels
  with one slug are refused, as Kumu itself merges elements by label.
* ``Type`` (Kumu's own exports call it ``Element Type``; if a sheet has both, ``Element
  Type`` is read) is an organisation type: its key or its words in any case ("Trade union",
  ``trade_union``), or a word of the table in :mod:`app.io.kumu_terms` ("Union", "Co-op",
  "Government agency").
* ``Movement``, if the sheet has it and the cell is filled, is a movement key or its words;
  otherwise the type's family gives it (:data:`FAMILY_MOVEMENTS`: unions are ``labour``, SSE
  units ``sse``, and so on).
* ``Tags`` (Kumu separates them with ``|``) are sectors, as keys or words ("Domestic work"),
  and countries, as ISO 3166-1 alpha-2 codes or their English short names ("CO", "Colombia").
  Any other tag is a problem, so that a misspelt sector is not lost without a word.
* ``Description`` is the description; ``ID`` is an optional Kumu id that connections may use.

**Connections** (a sheet with ``From`` and ``To`` columns) become relationships:

* ``From`` and ``To`` name an element by its ``ID``, else by its label (compared as slugs).
* ``Type`` (or Kumu's ``Connection Type``, read first if a sheet has both) is a relationship
  type key or its words, in any case ("ENABLES", "partners with"), or a word of the table in
  :mod:`app.io.kumu_terms` ("Funding", "Member", "MoU").
* ``Direction`` may be empty or ``directed``; ``undirected`` and ``mutual`` are only for the
  types the vocabulary marks symmetric (PARTNERS_WITH, AGREEMENT_WITH).
* ``Mode`` (ENABLES only) is ``direct`` or ``indirect``; without it an ENABLES tie is
  ``indirect`` when its source's type is one of the vocabulary's indirect enablers (funders,
  development agencies, ...) and ``direct`` otherwise.
* ``Tags`` are mechanisms (ENABLES and FUNDS only) and at most one level (micro, meso, macro).
* ``Description`` becomes the tie's one activity; ``Label`` is only Kumu's display text and is
  not read. The id is the slug of ``ID`` if given, else "<source>-<type>-<target>", with
  "-2", "-3", ... for repeats of the same tie.

Every record has one ``imported`` source (:mod:`app.io.provenance`): it cites the map ("Kumu
map <file name>") with its sheet and row as locator. A ``Sources`` (or ``Source``) column may
hold the ``|``-separated references the map gives for a record; the source quotes them
("Sources: ILO 2019; Chen 2020"), since the map, not we, read them.
Other columns (Kumu's ``Image``, ``Layer``, ...) are not read, and neither is a sheet whose
name contains "(ignore)", as in Kumu, nor a sheet named ``Loops`` (Kumu's loops are no
organisations). Column titles are matched whatever their case. Any problem, named by sheet,
row (the header being row 1) and column, refuses the whole map; a type that names nothing is
refused naming it and every accepted value. :mod:`app.io.kumu_json` reads Kumu's JSON export
with the same rules, but leaves out what it cannot read instead of refusing the map.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import ValidationError

from app.domain.documents import check_document, validation_problems
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.vocabulary import vocabulary
from app.io.ids import MAX_ID, slugify
from app.io.kumu_terms import (
    FAMILY_MOVEMENTS,
    accepted_organization_types,
    accepted_relationship_types,
    connection_tags,
    default_movement,
    element_tags,
    organization_type,
    relationship_type,
    term_key,
    unmapped_reason,
)
from app.io.provenance import file_citation, imported_source
from app.io.sheets import read_table

__all__ = ["FAMILY_MOVEMENTS", "read_kumu", "term_key"]

REQUIRED_ELEMENT_COLUMNS: tuple[str, ...] = ("Label", "Type")
REQUIRED_CONNECTION_COLUMNS: tuple[str, ...] = ("From", "To", "Type")
TYPE_COLUMNS = {
    "elements": ("Element Type", "Type"),
    "connections": ("Connection Type", "Type"),
}
"""The columns that may hold a sheet's type, the first one present being read."""
DIRECTIONS = ("directed", "undirected", "mutual")
TAG_SEPARATOR = "|"
IGNORED = "(ignore)"
LOOPS = "loops"


@dataclass(frozen=True)
class _Row:
    """One data row of a sheet: its cells by folded column title, and how to name it."""

    sheet: str
    number: int
    cells: Mapping[str, str]
    titles: Mapping[str, str]
    type_column: str = "Type"

    @property
    def record(self) -> str:
        return f"{self.sheet} row {self.number}"

    def has(self, column: str) -> bool:
        return column.casefold() in self.titles

    def get(self, column: str) -> str:
        """The trimmed cell of ``column``, empty when the sheet has no such column."""
        return self.cells.get(column.casefold(), "").strip()

    def column(self, column: str) -> str:
        """The column as the sheet spells it, to name it in problems."""
        return self.titles.get(column.casefold(), column)

    def problem(self, column: str, message: str, allowed: Iterable[str] = ()) -> Problem:
        return Problem(self.record, self.column(column), message, tuple(allowed))

    def sources_column(self) -> str | None:
        return next((c for c in ("Sources", "Source") if self.has(c)), None)


@dataclass(frozen=True)
class _Sheet:
    """A sheet's rows, once the header has said which kind of sheet it is."""

    name: str
    kind: str
    rows: tuple[_Row, ...]


def _sheet(name: str, data: bytes) -> tuple[_Sheet | None, list[Problem]]:
    """A sheet as rows of cells, or why it is no Kumu sheet or lacks a required column."""
    try:
        header, cells = read_table(name, data)
    except InvalidData as error:
        return None, error.problems
    folded = [title.casefold() for title in header]
    titles = dict(zip(folded, header, strict=True))
    repeated = sorted({titles[title] for title in folded if folded.count(title) > 1})
    problems = [Problem(f"{name} header", t, "appears more than once") for t in repeated]
    if "from" in titles and "to" in titles:
        kind, required = "connections", REQUIRED_CONNECTION_COLUMNS
    elif "label" in titles:
        kind, required = "elements", REQUIRED_ELEMENT_COLUMNS
    else:
        message = "is neither a Kumu Elements sheet (Label, Type) nor Connections (From, To, Type)"
        return None, [*problems, Problem(f"{name} header", "(header)", message)]
    type_column = next((c for c in TYPE_COLUMNS[kind] if c.casefold() in titles), None)
    missing = [c for c in required if c != "Type" and c.casefold() not in titles]
    if type_column is None:
        missing.append("Type")
    problems += [
        Problem(
            f"{name} header",
            column,
            "required column is missing",
            TYPE_COLUMNS[kind] if column == "Type" else (),
        )
        for column in missing
    ]
    if missing or type_column is None:
        return None, problems
    rows = tuple(
        _Row(name, number, dict(zip(folded, row, strict=False)), titles, type_column)
        for number, row in enumerate(cells, start=2)
        if any(cell.strip() for cell in row)
    )
    return _Sheet(name, kind, rows), problems


def _items(cell: str) -> list[str]:
    """The trimmed, non-empty items of a ``|``-separated Kumu cell."""
    return [item.strip() for item in cell.split(TAG_SEPARATOR) if item.strip()]


def _sources(row: _Row, origin: str) -> list[Source]:
    """The one source of a row: the map, with the sheet and row as locator, quoting the
    references the row's Sources cell gives."""
    column = row.sources_column()
    references = _items(row.get(column)) if column else []
    quote = f"Sources: {'; '.join(references)}" if references else None
    return [imported_source(file_citation("Kumu map", origin), row.record, quote=quote)]


def _term(
    row: _Row, column: str, what: str, keys: Iterable[str]
) -> tuple[str | None, list[Problem]]:
    """The vocabulary key a cell names, or a problem naming the allowed keys."""
    value, allowed = row.get(column), sorted(keys)
    if not value:
        return None, [row.problem(column, f"is empty; every record needs its {what}", allowed)]
    key = term_key(value, allowed)
    if key is None:
        return None, [row.problem(column, f"'{value}' is not a known {what}", allowed)]
    return key, []


def _type(
    row: _Row, what: str, read: Callable[[str], str | None], accepted: Sequence[str]
) -> tuple[str | None, list[Problem]]:
    """The type the row's type cell names (:mod:`app.io.kumu_terms`), or a problem naming it."""
    column, value = row.type_column, row.get(row.type_column)
    if not value:
        message = f"is empty; every record needs its {what}"
        return None, [row.problem(column, message, accepted)]
    key = read(value)
    if key is None:
        reason = unmapped_reason(value)
        message = f"'{value}' is not a known {what}" + (f": {reason}" if reason else "")
        return None, [row.problem(column, message, accepted)]
    return key, []


def _element_tags(row: _Row) -> tuple[list[str], list[str], list[Problem]]:
    """Sectors and countries from an element's tags, and a problem for each other tag."""
    sectors, countries, others = element_tags(_items(row.get("Tags")))
    allowed = [*sorted(vocabulary().sectors), "an ISO 3166-1 country code or name"]
    problems = [
        row.problem("Tags", f"'{tag}' is neither a sector nor a country", allowed) for tag in others
    ]
    return sectors, countries, problems


def _movement(row: _Row, org_type: str | None) -> tuple[str | None, list[Problem]]:
    """The Movement cell's movement, else the default of the type's family."""
    movements = vocabulary().movements
    if row.get("Movement"):
        return _term(row, "Movement", "movement", movements)
    if org_type is None:
        return None, []
    movement = default_movement(org_type)
    if movement is not None:
        return movement, []
    message = f"type {org_type} has no default movement; add a Movement column"
    return None, [row.problem(row.type_column, message, sorted(movements))]


def _validated(
    model: type[Organization] | type[Relationship],
    data: Mapping[str, object],
    row: _Row,
    columns: Mapping[str, str],
    reported: list[Problem],
) -> tuple[Organization | Relationship | None, list[Problem]]:
    """Validate a row's record, naming each model problem by the column its field came from.

    Columns the reader already found wrong (in ``reported``) are not reported again. Their
    cells reach the model as written, so it refuses the field itself rather than adding a
    problem across fields, such as an ENABLES tie without a mode, that fixing the cell solves.
    """
    try:
        return model.model_validate(data), reported
    except ValidationError as error:

        def locate(loc: tuple[int | str, ...]) -> tuple[str, str]:
            field = str(loc[0]) if loc else ""
            return row.record, row.column(columns.get(field, "(row)"))

        seen = {problem.field for problem in reported}
        found = [p for p in validation_problems(error, locate) if p.field not in seen]
        return None, reported + found


def _element(row: _Row, origin: str) -> tuple[Organization | None, list[Problem]]:
    """The organisation an Elements row describes, or every problem it has."""
    label = row.get("Label")
    problems = [] if label else [row.problem("Label", "is empty; every element needs a label")]
    if label and not slugify(label):
        problems.append(row.problem("Label", "has no letters or digits to make an id from"))
    org_type, found = _type(
        row, "organisation type", organization_type, accepted_organization_types()
    )
    movement, more = _movement(row, org_type)
    sectors, countries, tag_problems = _element_tags(row)
    problems += found + more + tag_problems
    data = {
        "id": slugify(label) or None,
        "name": label,
        "type": org_type or row.get(row.type_column) or None,
        "movement": movement or row.get("Movement") or None,
        "countries": countries,
        "sectors": sectors,
        "description": row.get("Description") or None,
        "sources": _sources(row, origin),
    }
    sources = row.sources_column() or "(row)"
    columns = {
        "id": "Label",
        "name": "Label",
        "type": row.type_column,
        "movement": "Movement" if row.get("Movement") else row.type_column,
        "countries": "Tags",
        "sectors": "Tags",
        "description": "Description",
        "sources": sources,
    }
    record, problems = _validated(Organization, data, row, columns, problems)
    return (record if isinstance(record, Organization) else None), problems


@dataclass(frozen=True)
class _Elements:
    """What connections need to know of the elements: their ids, Kumu IDs and types."""

    ids: frozenset[str]
    by_kumu_id: Mapping[str, str]
    types: Mapping[str, str]


def _read_elements(
    rows: Sequence[_Row], origin: str
) -> tuple[list[Organization], _Elements, list[Problem]]:
    """Organisations of all element rows, the index connections resolve against, and problems."""
    organizations: list[Organization] = []
    by_kumu_id: dict[str, str] = {}
    first_row: dict[str, _Row] = {}
    problems: list[Problem] = []
    for row in rows:
        organization, found = _element(row, origin)
        problems += found
        org_id = slugify(row.get("Label"))
        if org_id in first_row:
            earlier = first_row[org_id]
            message = f"gives the same id '{org_id}' as {earlier.record}; labels must differ"
            problems.append(row.problem("Label", message))
        elif org_id:
            first_row[org_id] = row
        kumu_id = row.get("ID")
        if kumu_id and kumu_id in by_kumu_id:
            problems.append(row.problem("ID", f"'{kumu_id}' is the ID of another element"))
        elif kumu_id and org_id:
            by_kumu_id[kumu_id] = org_id
        if organization is not None:
            organizations.append(organization)
    types = {o.id: o.type for o in organizations}
    return organizations, _Elements(frozenset(first_row), by_kumu_id, types), problems


def _end(row: _Row, column: str, elements: _Elements) -> tuple[str | None, list[Problem]]:
    """The organisation id a From or To cell names, by Kumu ID first, then by label."""
    value = row.get(column)
    if not value:
        return None, [row.problem(column, "is empty; name an element by its label or ID")]
    org_id = elements.by_kumu_id.get(value) or slugify(value)
    if org_id not in elements.ids:
        return None, [row.problem(column, f"no element has the label or ID '{value}'")]
    return org_id, []


def _direction(row: _Row, rel_type: str | None) -> list[Problem]:
    """Problems of the Direction cell: unknown, or two-way for a type that reads one way."""
    value = row.get("Direction").lower()
    if value and value not in DIRECTIONS:
        return [
            row.problem(
                "Direction", f"'{row.get('Direction')}' is not a Kumu direction", DIRECTIONS
            )
        ]
    rules = vocabulary().relationship_types
    if value in ("undirected", "mutual") and rel_type and not rules[rel_type].symmetric:
        symmetric = sorted(key for key, rule in rules.items() if rule.symmetric)
        message = f"a tie of type {rel_type} reads one way, so it cannot be {value}"
        return [row.problem("Direction", message, symmetric)]
    return []


def _connection_tags(row: _Row) -> tuple[list[str], str | None, list[Problem]]:
    """Mechanisms and the level from a connection's tags, and a problem for each other tag."""
    mechanisms, levels, others = connection_tags(_items(row.get("Tags")))
    allowed = [*sorted(vocabulary().mechanisms), *vocabulary().levels]
    problems = [
        row.problem("Tags", f"'{tag}' is neither a mechanism nor a level", allowed)
        for tag in others
    ]
    if len(levels) > 1:
        problems.append(row.problem("Tags", f"names {len(levels)} levels; a tie has one", levels))
    return mechanisms, (levels[0] if levels else None), problems


def _mode(
    row: _Row, rel_type: str | None, source_type: str | None
) -> tuple[str | None, list[Problem]]:
    """The Mode cell's mode, else for ENABLES the default for the source's type."""
    if row.get("Mode"):
        return _term(row, "Mode", "mode", vocabulary().modes)
    if rel_type != "ENABLES":
        return None, []
    return ("indirect" if source_type in vocabulary().indirect_enabler_types else "direct"), []


def _rule_problems(row: _Row, rel: Relationship, elements: _Elements) -> list[Problem]:
    """Problems of a tie that joins organisation types its type may not join, by From/To."""
    types = {end: elements.types[end] for end in (rel.source, rel.target) if end in elements.types}
    if len(types) < 2:
        return []
    ends = {"source": "From", "target": "To"}
    found = check_document(Document(relationships=[rel]), types)
    return [row.problem(ends[p.field], p.message, p.allowed) for p in found]


def _connection(
    row: _Row, origin: str, elements: _Elements
) -> tuple[Relationship | None, list[Problem]]:
    """The relationship a Connections row describes (without its final id), or its problems."""
    source, problems = _end(row, "From", elements)
    target, found = _end(row, "To", elements)
    rel_type, more = _type(
        row, "relationship type", relationship_type, accepted_relationship_types()
    )
    problems += found + more + _direction(row, rel_type)
    mode, found = _mode(row, rel_type, elements.types.get(source or ""))
    mechanisms, level, tag_problems = _connection_tags(row)
    problems += found + tag_problems
    description = row.get("Description")
    rel_id = slugify(row.get("ID") or f"{source}-{rel_type}-{target}")
    if not rel_id:
        problems.append(row.problem("ID", "has no letters or digits to make an id from"))
    data = {
        "id": rel_id or None,
        "type": rel_type or row.get(row.type_column) or None,
        "source": source,
        "target": target,
        "mode": mode or row.get("Mode") or None,
        "mechanisms": mechanisms,
        "level": level,
        "activities": [description] if description else [],
        "sources": _sources(row, origin),
    }
    columns = {
        "id": "ID",
        "type": row.type_column,
        "source": "From",
        "target": "To",
        "mode": "Mode" if row.get("Mode") else row.type_column,
        "mechanisms": "Tags",
        "level": "Tags",
        "activities": "Description",
        "sources": row.sources_column() or "(row)",
    }
    record, problems = _validated(Relationship, data, row, columns, problems)
    if not isinstance(record, Relationship):
        return None, problems
    return record, problems + _rule_problems(row, record, elements)


def _read_connections(
    rows: Sequence[_Row], origin: str, elements: _Elements
) -> tuple[list[Relationship], list[Problem]]:
    """Relationships of all connection rows, ids made unique, and every problem."""
    relationships: list[Relationship] = []
    problems: list[Problem] = []
    used: dict[str, _Row] = {}
    for row in rows:
        rel, found = _connection(row, origin, elements)
        problems += found
        if rel is None:
            continue
        rel_id = rel.id
        if rel_id in used and row.get("ID"):
            message = f"gives the same id '{rel_id}' as {used[rel_id].record}"
            problems.append(row.problem("ID", message))
            continue
        repeat = 2
        while rel_id in used:
            suffix = f"-{repeat}"
            rel_id, repeat = rel.id[: MAX_ID - len(suffix)] + suffix, repeat + 1
        used[rel_id] = row
        relationships.append(rel.model_copy(update={"id": rel_id}))
    return relationships, problems


def read_kumu(sheets: Mapping[str, bytes], origin: str) -> Document:
    """The document a Kumu map's Elements and Connections sheets (CSV, by file name) describe.

    ``origin`` names the map in the citation of every source. Raises
    InvalidData naming every problem by sheet, row and column; nothing is returned in part.
    """
    problems: list[Problem] = []
    element_rows: list[_Row] = []
    connection_rows: list[_Row] = []
    for name, data in sheets.items():
        sheet_name = PurePath(name).name.casefold()
        if IGNORED in sheet_name or PurePath(sheet_name).stem == LOOPS:
            continue
        sheet, found = _sheet(name, data)
        problems += found
        if sheet is not None:
            target = element_rows if sheet.kind == "elements" else connection_rows
            target.extend(sheet.rows)
    organizations, elements, found = _read_elements(element_rows, origin)
    relationships, more = _read_connections(connection_rows, origin, elements)
    problems += found + more
    if problems:
        raise InvalidData(problems)
    return Document(organizations=organizations, relationships=relationships)
