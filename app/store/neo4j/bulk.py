"""A document as files for Neo4j's bulk importer, ``neo4j-admin database import full``.

The files hold what :class:`~app.store.neo4j.store.Neo4jStore` would hold after loading the
document into an empty database: ``:Organization`` nodes with their family and movement
labels and the properties of :mod:`app.store.neo4j.layout`, one relationship file per type,
the load's audit trail as ``:Change`` nodes, and the ``:GraphMeta`` node (graph version 1,
schema version, layout).

The document arrives as a stream of edits of a few thousand records each (organisations
first, as :class:`app.io.streaming.DocumentParts` hands them out), and each is checked as a
streamed load into an empty store checks it (:func:`app.store.planning.plan_edit`, with the
types of the organisations met so far standing in for the store), then written at once: a
million organisations never sit in memory together. Every problem of the document is
collected and raised at the end; the files are written into a temporary folder inside the
destination and moved into it only when the whole document passed, so a refused document
leaves nothing behind.

Neo4j's CSV import format (header ``name:type``, ``:ID``/``:START_ID``/``:END_ID`` in an id
space, ``:LABEL``, arrays split on ``--array-delimiter``, a file group whose header is the
first line of its first file) is described in the Operations Manual, "Import"
(``neo4j-admin database import``). Three facts shape what is written:

- a field left empty is no property at all, which is how Neo4j stores a null;
- the importer never stores an empty list, so the meta node carries ``lists_pending`` and the
  store's first start writes the empty lists a load would have written (``fill_lists``);
- a column's type is known only once every row has been seen, so each node or relationship
  file has its header in a file of its own, written last and named first in the group.

Constraints and indexes are not part of the files: the store applies them at its first start,
as it does on any database.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from app.domain.edits import Edit, timestamp
from app.domain.errors import InvalidData, Problem
from app.domain.models import Organization, Relationship
from app.domain.vocabulary import vocabulary
from app.store.neo4j.layout import (
    layout_key,
    organization_labels,
    organization_properties,
    relationship_properties,
)
from app.store.planning import EmptyView, Entry, Plan, plan_edit
from app.store.protocol import LoadReport, sum_changes

ARRAY_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c")
"""Characters that may split list items, in order of preference (the ASCII unit, record,
group and file separators); the first that occurs in no list item of the document is used."""

ID_SPACE = "Organization"
"""The importer's id space of organisation ids, which relationship ends refer to."""

_TYPES = {str: "string", int: "long", float: "double", bool: "boolean", list: "string[]"}
"""The importer's column type for each Python type a property value has."""

_BUFFER = 1 << 20
"""Bytes buffered per file written (the files run to gigabytes for a million records)."""

_CHANGES_HEADER = (
    "seq:long",
    "at:string",
    "actor:string",
    "action:string",
    "entity:string",
    "entity_id:string",
    "change:string",
    "before:string",
    "after:string",
)
_META_HEADER = (
    "key",
    "version:long",
    "schema_version:long",
    "layout",
    "changes:long",
    "lists_pending:boolean",
)


@dataclass(frozen=True)
class Table:
    """A node or relationship file: its header line alone, then its rows without one."""

    header: Path
    rows: Path

    def group(self) -> str:
        """The importer's file group: the header file first, whose line heads the rows."""
        return f"{self.header},{self.rows}"

    def paths(self) -> tuple[Path, Path]:
        """Both files."""
        return self.header, self.rows


@dataclass(frozen=True)
class ImportFiles:
    """The files written for one document, and how to hand them to the importer."""

    organizations: Table
    relationships: dict[str, Table]
    changes: Path
    meta: Path
    array_delimiter: str
    report: LoadReport
    rows: int
    """Organisations plus relationships, the figure a load's rate is counted in."""

    def arguments(self, database: str, overwrite: bool = False) -> list[str]:
        """The arguments of ``neo4j-admin`` that import these files into ``database``."""
        arguments = [
            "database",
            "import",
            "full",
            database,
            f"--nodes={self.organizations.group()}",
            f"--nodes=Change={self.changes}",
            f"--nodes=GraphMeta={self.meta}",
            *(f"--relationships={kind}={t.group()}" for kind, t in self.relationships.items()),
            f"--array-delimiter=U+{ord(self.array_delimiter):04X}",
            "--multiline-fields=true",
            f"--report-file={self.meta.parent / 'import.report'}",
        ]
        if overwrite:
            arguments.append("--overwrite-destination=true")
        return arguments

    def paths(self) -> list[Path]:
        """Every file written."""
        tables = [self.organizations, *self.relationships.values()]
        return [*(p for t in tables for p in t.paths()), self.changes, self.meta]

    def moved(self, folder: Path) -> ImportFiles:
        """These files moved into ``folder`` (on the same file system), replacing files of
        the same names."""
        for path in self.paths():
            path.replace(folder / path.name)

        def there(table: Table) -> Table:
            return Table(folder / table.header.name, folder / table.rows.name)

        return dataclasses.replace(
            self,
            organizations=there(self.organizations),
            relationships={kind: there(t) for kind, t in self.relationships.items()},
            changes=folder / self.changes.name,
            meta=folder / self.meta.name,
        )


def csv_field(value: Any, delimiter: str) -> str:
    """One CSV field as the importer reads it: text quoted (quotes doubled), numbers and
    booleans bare, a list's items joined by ``delimiter``, and nothing for ``None`` or an
    empty list (no property)."""
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = delimiter.join(value) if isinstance(value, list) else str(value)
    return _quoted(text)


def _quoted(text: str) -> str:
    """Text as a quoted CSV field, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _optional(text: str | None) -> str:
    """Text as a quoted CSV field, or nothing for ``None``."""
    return "" if text is None else _quoted(text)


def _open(path: Path) -> IO[str]:
    """``path`` opened for writing CSV text in UTF-8, with a large buffer."""
    return path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)


class TableWriter:
    """A node or relationship file being written row by row, each row's leading fields
    (already in CSV form) then its properties.

    Every row has the same properties in the same order (the layout's keys); the first row
    names the columns. A column's type is the type its values have (``string`` when every
    value is ``None``), checked row by row: a column whose values change type, a list that
    holds anything but text, and a list item that holds the array delimiter are noted, not
    written over, and the header goes to its own file when the table is closed.
    """

    def __init__(self, table: Table, leading: Sequence[str], delimiter: str) -> None:
        self.table = table
        self.problems: list[Problem] = []
        self.clashes: set[str] = set()
        """The array delimiters found in a list item where the chosen one was found."""
        self._leading = leading
        self._delimiter = delimiter
        self._keys: tuple[str, ...] = ()
        self._kinds: list[type | None] = []
        self._out = _open(table.rows)

    def add(self, rows: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Write rows of leading fields (CSV, joined by commas) and properties."""
        lines = []
        for leading, properties in rows:
            if not self._keys:
                self._keys = tuple(properties)
                self._kinds = [None] * len(self._keys)
            if len(properties) != len(self._keys):
                raise ValueError(f"{self.table.rows.name}: rows with different properties")
            fields = self._fields(map(properties.get, self._keys))
            lines.append(f"{leading},{fields}\n" if fields else f"{leading}\n")
        self._out.writelines(lines)

    def _fields(self, values: Iterable[Any]) -> str:
        """The CSV fields of one row's property values, as :func:`csv_field` writes them;
        each value's type is checked against its column's."""
        fields = []
        kinds = self._kinds
        for index, value in enumerate(values):
            if value is None:
                fields.append("")
                continue
            kind = type(value)
            if kind is not kinds[index]:
                self._note_kind(index, kind)
            if kind is str:
                fields.append('"' + value.replace('"', '""') + '"')
            elif kind is list:
                fields.append(self._list_field(index, value) if value else "")
            elif kind is bool:
                fields.append("true" if value else "false")
            else:
                fields.append(repr(value))
        return ",".join(fields)

    def _list_field(self, index: int, items: list[Any]) -> str:
        """A list's items joined by the delimiter, quoted; an item that is not text, or that
        holds the delimiter (which would split it), is noted."""
        delimiter = self._delimiter
        try:
            text = delimiter.join(items)
        except TypeError:
            self._problem(index, "lists must hold text")
            return ""
        if text.count(delimiter) != len(items) - 1:
            self.clashes.update(c for c in ARRAY_DELIMITERS for item in items if c in item)
        return '"' + text.replace('"', '""') + '"'

    def _note_kind(self, index: int, kind: type) -> None:
        """A column's first value sets its type; a value of another type is a problem."""
        first = self._kinds[index]
        if first is None and kind in _TYPES:
            self._kinds[index] = kind
            return
        names = ", ".join(sorted({t.__name__ for t in (first, kind) if t is not None}))
        self._problem(index, f"values of mixed types ({names})")

    def _problem(self, index: int, message: str) -> None:
        """Note a problem of a column, once."""
        problem = Problem("document", self._keys[index], message)
        if problem not in self.problems:
            self.problems.append(problem)

    def close(self) -> None:
        """Finish the rows and write the header, each column typed by its values."""
        self._out.close()
        typed = [
            f"{key}:{_TYPES[kind] if kind is not None else 'string'}"
            for key, kind in zip(self._keys, self._kinds, strict=True)
        ]
        with _open(self.table.header) as out:
            out.write(",".join([*self._leading, *typed]) + "\n")


class _KnownTypes(EmptyView):
    """An empty store in which the organisations of the document met so far are known by
    type, which is all a relationship's ends need to be checked (the document's
    organisations come before its relationships)."""

    def __init__(self) -> None:
        self.types: dict[str, str] = {}

    def organization_types(self, ids: Collection[str]) -> dict[str, str]:
        """The types of the document's organisations among ``ids``."""
        types = self.types
        return {i: types[i] for i in ids if i in types}

    def learn(self, organizations: Iterable[Organization]) -> None:
        """Remember each organisation's type."""
        self.types.update((o.id, o.type) for o in organizations)


class _Pass:
    """One writing of every file of a document into ``folder``, with one array delimiter."""

    def __init__(self, folder: Path, delimiter: str, at: datetime) -> None:
        self.folder = folder
        self.delimiter = delimiter
        self.at = timestamp(at)
        self.entries = 0
        self.rows = 0
        self.reports: list[LoadReport] = []
        self.organizations = TableWriter(
            Table(folder / "organizations-header.csv", folder / "organizations.csv"),
            [f"id:ID({ID_SPACE})", ":LABEL"],
            delimiter,
        )
        self.relationships: dict[str, TableWriter] = {}
        self._labels: dict[tuple[str, str], str] = {}
        self._changes = _open(folder / "changes.csv")
        self._changes.write(",".join(_CHANGES_HEADER) + "\n")

    def __enter__(self) -> _Pass:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._changes.close()
        for writer in [self.organizations, *self.relationships.values()]:
            writer.close()

    def write(self, edit: Edit, plan: Plan) -> None:
        """The nodes, ties and trail entries of one planned part of the document."""
        self.organizations.add(
            (self._organization(o), organization_properties(o)) for o in plan.put_organizations
        )
        by_type: dict[str, list[Relationship]] = {}
        for rel in plan.put_relationships:
            by_type.setdefault(rel.type, []).append(rel)
        for kind, ties in by_type.items():
            self._relationships(kind).add(
                (
                    f"{_quoted(r.source)},{_quoted(r.target)},{_quoted(r.id)}",
                    relationship_properties(r),
                )
                for r in ties
            )
        self._write_changes(edit, plan.entries)
        self.reports.append(plan.report)
        self.rows += len(plan.put_organizations) + len(plan.put_relationships)

    def _organization(self, org: Organization) -> str:
        """An organisation's id and labels as CSV fields; the labels of each type and
        movement are worked out once."""
        key = (org.type, org.movement)
        labels = self._labels.get(key)
        if labels is None:
            labels = csv_field(["Organization", *organization_labels(org)], self.delimiter)
            self._labels[key] = labels
        return f"{_quoted(org.id)},{labels}"

    def _relationships(self, kind: str) -> TableWriter:
        """The writer of ``kind``'s ties, opened at its first tie."""
        writer = self.relationships.get(kind)
        if writer is None:
            name = f"relationships-{kind}"
            writer = TableWriter(
                Table(self.folder / f"{name}-header.csv", self.folder / f"{name}.csv"),
                [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", "id"],
                self.delimiter,
            )
            self.relationships[kind] = writer
        return writer

    def _write_changes(self, edit: Edit, entries: Sequence[Entry]) -> None:
        """The part's trail entries, numbered on from the parts before, as ``add_changes``
        numbers a load's trail in an empty database."""
        fixed = f"{_quoted(self.at)},{_quoted(edit.actor)},{_quoted(edit.action)}"
        lines = [
            f"{seq},{fixed},{_quoted(entry.entity)},{_quoted(entry.id)},"
            f"{_quoted(entry.change)},{_optional(entry.before)},{_optional(entry.after)}\n"
            for seq, entry in enumerate(entries, start=self.entries + 1)
        ]
        self._changes.writelines(lines)
        self.entries += len(entries)

    def problems(self) -> list[Problem]:
        """What the tables refused (mixed types, lists of anything but text)."""
        return [p for w in [self.organizations, *self.relationships.values()] for p in w.problems]

    def clashes(self) -> set[str]:
        """The array delimiters some list item holds, found where this pass's one was."""
        return {c for w in [self.organizations, *self.relationships.values()] for c in w.clashes}

    def files(self) -> ImportFiles:
        """The files written, once every part has been written and the pass closed."""
        meta = self.folder / "meta.csv"
        with _open(meta) as out:
            out.write(",".join(_META_HEADER) + "\n")
            fields = [
                '"graph"',
                "1",
                str(vocabulary().schema_version),
                _quoted(layout_key()),
                str(self.entries),
                "true",
            ]
            out.write(",".join(fields) + "\n")
        report = LoadReport(
            organizations=sum_changes(r.organizations for r in self.reports),
            relationships=sum_changes(r.relationships for r in self.reports),
        )
        return ImportFiles(
            organizations=self.organizations.table,
            relationships={k: w.table for k, w in sorted(self.relationships.items())},
            changes=self.folder / "changes.csv",
            meta=meta,
            array_delimiter=self.delimiter,
            report=report,
            rows=self.rows,
        )


def _write_pass(edits: Iterable[Edit], folder: Path, delimiter: str, at: datetime) -> _Pass:
    """Check and write every part of the document into ``folder`` with ``delimiter``.

    A part with problems is not written, and no part after it, but every part is still
    checked; ``InvalidData`` names every problem of the document once it has all been read.
    """
    known = _KnownTypes()
    problems: list[Problem] = []
    with _Pass(folder, delimiter, at) as written:
        try:
            for edit in edits:
                known.learn(edit.organizations)
                try:
                    plan = plan_edit(edit, known)
                except InvalidData as error:
                    problems += error.problems
                    continue
                if not problems:
                    written.write(edit, plan)
        except InvalidData as error:
            problems += error.problems
    problems += written.problems()
    if problems:
        raise InvalidData(problems)
    return written


def _write_all(edits: Callable[[], Iterable[Edit]], folder: Path, at: datetime) -> ImportFiles:
    """Every file of the document, in ``folder``, with the first array delimiter that no list
    item holds.

    The first delimiter is tried first; should a list item hold it, the document is read and
    written again with the next one not seen in such an item, and so on. No delimiter left
    is a problem of the document.
    """
    seen: set[str] = set()
    for delimiter in ARRAY_DELIMITERS:
        if delimiter in seen:
            continue
        shutil.rmtree(folder)
        folder.mkdir()
        written = _write_pass(edits(), folder, delimiter, at)
        if not written.clashes():
            return written.files()
        seen |= written.clashes()
    problem = Problem("document", "lists", "every list separator the importer could use occurs")
    raise InvalidData([problem])


def write_import_files(
    edits: Callable[[], Iterable[Edit]], folder: Path, at: datetime
) -> ImportFiles:
    """Check the document that ``edits`` reads part by part as a load into an empty store
    would, then write its import files into ``folder`` (created if need be); the trail names
    each part's actor and action, at ``at``.

    ``edits`` reads the document afresh at each call (it is read a second time only if a
    list item holds the preferred array delimiter). The files are written into a temporary
    folder inside ``folder`` and moved out of it once the whole document has passed: a
    refused document leaves ``folder`` as it was (and removed, if this call created it).
    """
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
    try:
        return _write_all(edits, work, at).moved(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if created and not any(folder.iterdir()):
            folder.rmdir()
