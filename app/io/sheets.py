"""The interchange document as two CSV sheets, one of organisations and one of relationships.

Each sheet's columns are the model's field names in model order, except that ``sources``
becomes one aligned column per part of a source (:data:`SOURCE_COLUMNS`):
``source_citations``, ``source_locators``, ``source_urls``, ``source_bases``,
``source_quotes``, ``source_reasons``, ``source_years`` and ``source_fields``. Item *n* of
each describes source *n*; an empty item is a part not given (a basis not given is
``stated``), and a column may be left out, or left empty, when no source gives that part, so
sheets written before sources had bases read as they always did. A source's ``fields`` are
field names separated by ``,`` within its item (``since,until``).

* **Lists** (aliases, countries, sectors, identifiers, mechanisms, activities and the source
  columns) are joined with ``|``; a ``|`` or ``\\`` inside an item is written ``\\|`` or
  ``\\\\``. A backslash before any other character is read as itself.
* **Empty cells** mean "not given": none, an empty list, or the model's default (``status``).
  An empty description therefore reads back as no description.
* **Numbers** (founded, since, until, amount) are written as Python writes them and read as
  plain decimals; ``awarded`` is an ISO date (YYYY-MM-DD).
* **Formulas.** A text cell that a spreadsheet would run as a formula (one starting with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return, possibly after apostrophes) is written
  with one more leading apostrophe, which the reader removes again. Other cells, such as a name
  like ``'s-Hertogenbosch``, are read as written.

Reading tells the sheets apart by header (a relationships sheet has ``source`` and ``target``)
and refuses the whole input, naming every problem by sheet, row and column, if any cell is
bad. Rows are counted as a spreadsheet shows them, the header being row 1. A sheet that lacks
a required column is refused at its header, since none of its rows could be read. Only what a
JSON document would be checked for is checked here (each record on its own); duplicate ids and
dangling ties are the loader's to find, as for JSON.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import ValidationError

from app.domain.documents import validation_problems
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship, Source

ORGANIZATIONS_SHEET = "organizations.csv"
RELATIONSHIPS_SHEET = "relationships.csv"
SOURCE_COLUMNS = {
    "citation": "source_citations",
    "locator": "source_locators",
    "url": "source_urls",
    "basis": "source_bases",
    "quote": "source_quotes",
    "reason": "source_reasons",
    "year": "source_years",
    "fields": "source_fields",
}
"""The column of each part of a source, in the order of ``Source``'s fields."""
FIELD_SEPARATOR = ","
"""Between the field names of one source's item in ``source_fields``."""
SEPARATOR = "|"
ESCAPE = "\\"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
INTEGER = re.compile(r"[+-]?\d+")

Record = Organization | Relationship
Model = type[Organization] | type[Relationship]


def _base_type(annotation: Any) -> Any:
    """The type a field holds, without ``| None`` and without ``Annotated`` constraints."""
    if get_origin(annotation) in (Union, UnionType):
        annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def columns(model: Model) -> tuple[str, ...]:
    """A sheet's header: the model's fields in order, ``sources`` as its columns."""
    names: list[str] = []
    for field in model.model_fields:
        names += SOURCE_COLUMNS.values() if field == "sources" else [field]
    return tuple(names)


def _required(model: Model) -> list[str]:
    """The columns a sheet of ``model`` cannot do without."""
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    return [SOURCE_COLUMNS["citation"] if name == "sources" else name for name in required]


def join_items(items: Iterable[str]) -> str:
    """List items as one cell: ``|`` between items, ``|`` and ``\\`` inside them escaped."""
    escaped = (
        item.replace(ESCAPE, ESCAPE * 2).replace(SEPARATOR, ESCAPE + SEPARATOR) for item in items
    )
    return SEPARATOR.join(escaped)


def split_items(cell: str) -> list[str]:
    """The items of a list cell, undoing :func:`join_items`; an empty cell has none."""
    if cell == "":
        return []
    items, current, chars = [], [], iter(cell)
    for char in chars:
        if char == ESCAPE:
            following = next(chars, "")
            current.append(following if following in (ESCAPE, SEPARATOR) else char + following)
        elif char == SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _runs_as_formula(cell: str) -> bool:
    return cell.lstrip("'").startswith(FORMULA_STARTS)


def _guard(cell: str) -> str:
    """The cell with one more leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + cell if _runs_as_formula(cell) else cell


def _unguard(cell: str) -> str:
    """Undo :func:`_guard`: drop the apostrophe that keeps a formula-like cell as text."""
    return cell[1:] if cell.startswith("'") and _runs_as_formula(cell) else cell


def _cell(value: object) -> str:
    """One field value as cell text; see the module docstring for each kind of value."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return join_items(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _source_item(value: object) -> str:
    """One part of one source as a list item: a year as digits, fields joined by ``,``."""
    if isinstance(value, (list, tuple)):
        return FIELD_SEPARATOR.join(value)
    return "" if value is None else str(value)


def _source_cells(sources: Sequence[Source]) -> list[str]:
    """The source columns of a record, each empty when no source gives that part."""
    cells = []
    for part in SOURCE_COLUMNS:
        values = [_source_item(getattr(source, part)) for source in sources]
        cells.append(join_items(values) if any(values) else "")
    return cells


def _row(record: Record) -> list[str]:
    cells: list[str] = []
    for field in type(record).model_fields:
        value = getattr(record, field)
        cells += _source_cells(value) if field == "sources" else [_cell(value)]
    return [_guard(cell) for cell in cells]


def _write(model: Model, records: Sequence[Record]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns(model))
    writer.writerows(_row(record) for record in records)
    return buffer.getvalue()


def write_organizations_csv(doc: Document) -> str:
    """The organisations sheet of ``doc`` as CSV text (header, then one row per organisation)."""
    return _write(Organization, doc.organizations)


def write_relationships_csv(doc: Document) -> str:
    """The relationships sheet of ``doc`` as CSV text (header, then one row per relationship)."""
    return _write(Relationship, doc.relationships)


def to_sheets(doc: Document) -> dict[str, bytes]:
    """Both sheets as UTF-8 files by name, ready for :func:`read_sheets` or a zip archive."""
    return {
        ORGANIZATIONS_SHEET: write_organizations_csv(doc).encode("utf-8"),
        RELATIONSHIPS_SHEET: write_relationships_csv(doc).encode("utf-8"),
    }


def _integer(text: str) -> int:
    if not INTEGER.fullmatch(text):
        raise ValueError(f"'{text}' is not a whole number; write a year such as 2021")
    return int(text)


def _decimal(text: str) -> float:
    if not DECIMAL.fullmatch(text):
        raise ValueError(
            f"'{text}' is not a number; write digits with a decimal point, such as 25000 or "
            "1250.50, without thousands separators or a currency"
        )
    return float(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


PARSERS: dict[type, Callable[[str], object]] = {int: _integer, float: _decimal, date: _date}
"""How a cell of a field of each type becomes a value; text fields stay text."""


def _column(loc: tuple[int | str, ...]) -> str:
    """The column (and list item) that a pydantic location within one record points into."""
    if not loc:
        return "(row)"
    field, rest = str(loc[0]), loc[1:]
    if field == "sources":
        part = str(rest[1]) if len(rest) > 1 else "citation"
        field = SOURCE_COLUMNS.get(part, SOURCE_COLUMNS["citation"])
    if rest and isinstance(rest[0], int):
        return f"{field} (item {rest[0] + 1})"
    return field


def _source_part(part: str, item: str) -> object:
    """One part of a source from its list item; ``None`` when the item is empty (a citation
    stays, even empty, for the model to refuse)."""
    if item == "" and part != "citation":
        return [] if part == "fields" else None
    if part == "fields":
        return [name.strip() for name in item.split(FIELD_SEPARATOR) if name.strip()]
    if part == "year":
        return _integer(item.strip())
    return item


def _sources(
    values: Mapping[str, str], record: str
) -> tuple[list[dict[str, object]], list[Problem]]:
    """The sources of a row from its aligned columns, and any column out of step or unread."""
    items = {part: split_items(values.get(c, "")) for part, c in SOURCE_COLUMNS.items()}
    count = len(items["citation"])
    problems = []
    for part, given in items.items():
        if given and len(given) != count:
            message = (
                f"has {len(given)} item(s) but source_citations has {count}; give one "
                "item per source, empty for none"
            )
            problems.append(Problem(record, SOURCE_COLUMNS[part], message))
    sources: list[dict[str, object]] = []
    for n in range(count):
        source: dict[str, object] = {}
        for part, given in items.items():
            try:
                value = _source_part(part, given[n] if n < len(given) else "")
            except ValueError as error:
                column = f"{SOURCE_COLUMNS[part]} (item {n + 1})"
                problems.append(Problem(record, column, str(error)))
                continue
            if value is not None and value != []:
                source[part] = value
        sources.append(source)
    return sources, problems


def _read_row(
    model: Model, values: Mapping[str, str], record: str
) -> tuple[Record | None, list[Problem]]:
    """One record from a row's cells by column, or every problem the row has."""
    data: dict[str, object] = {}
    problems: list[Problem] = []
    for field, info in model.model_fields.items():
        if field == "sources":
            data[field], found = _sources(values, record)
            problems += found
            continue
        cell = values.get(field, "")
        kind = _base_type(info.annotation)
        if cell == "" or (kind in PARSERS and not cell.strip()):
            continue
        if get_origin(kind) is list:
            data[field] = split_items(cell)
        elif kind in PARSERS:
            try:
                data[field] = PARSERS[kind](cell.strip())
            except ValueError as error:
                problems.append(Problem(record, field, str(error)))
        else:
            data[field] = cell
    try:
        result = model.model_validate(data)
    except ValidationError as error:
        problems += validation_problems(error, lambda loc: (record, _column(loc)))
        return None, problems
    return (None if problems else result), problems


def _header_problems(model: Model, header: Sequence[str], sheet: str) -> list[Problem]:
    """Unknown, repeated and missing columns of a sheet's header row."""
    record = f"{sheet} header"
    allowed = columns(model)
    problems = [
        Problem(record, title, "unknown column", allowed)
        for title in header
        if title not in allowed
    ]
    repeated = sorted({title for title in header if header.count(title) > 1})
    problems += [Problem(record, title, "appears more than once") for title in repeated]
    missing = [title for title in _required(model) if title not in header]
    problems += [Problem(record, title, "required column is missing") for title in missing]
    return problems


def read_table(sheet: str, data: bytes) -> tuple[list[str], list[list[str]]]:
    """A sheet's trimmed header and its rows of cells, from UTF-8 with or without BOM."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidData(
            [
                Problem(
                    sheet,
                    "(file)",
                    f"not UTF-8 text (save it as UTF-8, e.g. 'CSV UTF-8' in Excel): {error}",
                )
            ]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as error:
        where = f"line {reader.line_num}"
        raise InvalidData([Problem(sheet, where, f"not valid CSV: {error}")]) from None
    if not rows:
        raise InvalidData([Problem(sheet, "(file)", "is empty; the first row names the columns")])
    return [title.strip() for title in rows[0]], rows[1:]


def _model_of(header: Sequence[str]) -> Model:
    """Which sheet a header belongs to: relationships have a source and a target column."""
    return Relationship if {"source", "target"} <= set(header) else Organization


def _read_sheet(sheet: str, data: bytes) -> tuple[list[Record], list[Problem]]:
    """The records of one sheet and every problem of its header and rows."""
    try:
        header, rows = read_table(sheet, data)
    except InvalidData as error:
        return [], error.problems
    model = _model_of(header)
    problems = _header_problems(model, header, sheet)
    if any(title not in header for title in _required(model)):
        return [], problems
    records: list[Record] = []
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        record = f"{sheet} row {number}"
        if len(cells) > len(header):
            message = f"has {len(cells)} cells but the header has {len(header)} columns"
            problems.append(Problem(record, "(row)", message))
        values = {title: _unguard(cell) for title, cell in zip(header, cells, strict=False)}
        found, row_problems = _read_row(model, values, record)
        problems += row_problems
        if found is not None:
            records.append(found)
    return records, problems


def read_sheets(sheets: Mapping[str, bytes]) -> Document:
    """The document that CSV sheets hold, keyed by file name, or InvalidData naming every problem.

    Each sheet is an organisations or a relationships sheet, told apart by its header; rows of
    several sheets of one kind are read in the order given.
    """
    organizations: list[Organization] = []
    relationships: list[Relationship] = []
    problems: list[Problem] = []
    for sheet, data in sheets.items():
        records, found = _read_sheet(sheet, data)
        problems += found
        for record in records:
            if isinstance(record, Organization):
                organizations.append(record)
            else:
                relationships.append(record)
    if problems:
        raise InvalidData(problems)
    return Document(organizations=organizations, relationships=relationships)
