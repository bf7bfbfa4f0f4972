"""A whole document as files for Neo4j's bulk importer, ``neo4j-admin database import full``.

The files hold what :class:`~app.store.neo4j.store.Neo4jStore` would hold after loading the
document into an empty database: ``:Organization`` nodes with their family and movement
labels and the properties of :mod:`app.store.neo4j.layout`, one relationship file per type,
the load's audit trail as ``:Change`` nodes, and the ``:GraphMeta`` node (graph version 1,
schema version, layout). The document is checked exactly as a load into an empty store
checks it (:func:`app.store.planning.plan_edit`), so a document ``load`` would refuse is
refused here too, before any file is written.

Neo4j's CSV import format (header ``name:type``, ``:ID``/``:START_ID``/``:END_ID`` in an id
space, ``:LABEL``, arrays split on ``--array-delimiter``) is described in the Operations
Manual, "Import" (``neo4j-admin database import``). Two facts shape what is written:

- a field left empty is no property at all, which is how Neo4j stores a null;
- the importer never stores an empty list, so the meta node carries ``lists_pending`` and the
  store's first start writes the empty lists a load would have written (``fill_lists``).

Constraints and indexes are not part of the files: the store applies them at its first start,
as it does on any database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.edits import Edit, timestamp
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Relationship
from app.domain.vocabulary import vocabulary
from app.store.neo4j.layout import (
    layout_key,
    organization_labels,
    organization_properties,
    relationship_properties,
)
from app.store.planning import EmptyView, Plan, plan_edit
from app.store.protocol import LoadReport

ARRAY_DELIMITERS = ("\x1f", "\x1e", "\x1d", "\x1c")
"""Characters that may split list items, in order of preference (the ASCII unit, record,
group and file separators); the first that occurs in no list item of the document is used."""

ID_SPACE = "Organization"
"""The importer's id space of organisation ids, which relationship ends refer to."""

_TYPES = {str: "string", int: "long", float: "double", bool: "boolean", list: "string[]"}
"""The importer's column type for each Python type a property value has."""


@dataclass(frozen=True)
class ImportFiles:
    """The files written for one document, and how to hand them to the importer."""

    organizations: Path
    relationships: dict[str, Path]
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
            f"--nodes={self.organizations}",
            f"--nodes=Change={self.changes}",
            f"--nodes=GraphMeta={self.meta}",
            *(f"--relationships={kind}={path}" for kind, path in self.relationships.items()),
            f"--array-delimiter=U+{ord(self.array_delimiter):04X}",
            "--multiline-fields=true",
            f"--report-file={self.organizations.parent / 'import.report'}",
        ]
        if overwrite:
            arguments.append("--overwrite-destination=true")
        return arguments


def array_delimiter(lists: Iterable[list[Any]]) -> str:
    """The first of :data:`ARRAY_DELIMITERS` that occurs in none of the lists' items."""
    seen: set[str] = set()
    for items in lists:
        for item in items:
            seen.update(c for c in ARRAY_DELIMITERS if c in item)
    for candidate in ARRAY_DELIMITERS:
        if candidate not in seen:
            return candidate
    problem = Problem("document", "lists", "every list separator the importer could use occurs")
    raise InvalidData([problem])


def column_types(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Each property's importer type, from the values it has in ``rows`` (``string`` when it
    has none); every list must hold text, and a property must keep one type."""
    kinds: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            kinds.setdefault(key, set())
            if value is not None:
                kinds[key].add(type(value))
                if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                    raise InvalidData([Problem("document", key, "lists must hold text")])
    types: dict[str, str] = {}
    for key, found in kinds.items():
        if len(found) > 1 or not found <= _TYPES.keys():
            names = ", ".join(sorted(t.__name__ for t in found))
            raise InvalidData([Problem("document", key, f"values of mixed types ({names})")])
        types[key] = _TYPES[next(iter(found))] if found else "string"
    return types


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
    return '"' + text.replace('"', '""') + '"'


def _write(path: Path, header: Sequence[str], lines: Iterable[Sequence[str]]) -> None:
    """A CSV file of ``header`` and ``lines`` (fields already in CSV form), in UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        out.writelines(",".join(fields) + "\n" for fields in lines)


def _table(
    path: Path,
    leading: Sequence[tuple[str, Sequence[str]]],
    rows: Sequence[dict[str, Any]],
    delimiter: str,
) -> None:
    """Write ``rows`` (property maps) after the ``leading`` columns (header, fields per row),
    each property column headed ``name:type``."""
    types = column_types(rows)
    header = [name for name, _ in leading] + [f"{key}:{kind}" for key, kind in types.items()]
    columns = [fields for _, fields in leading]

    def lines() -> Iterator[list[str]]:
        for index, row in enumerate(rows):
            head = [fields[index] for fields in columns]
            yield head + [csv_field(row.get(key), delimiter) for key in types]

    _write(path, header, lines())


def _quoted(values: Iterable[str]) -> list[str]:
    """Each text as a quoted CSV field."""
    return [csv_field(value, "") for value in values]


def write_import_files(
    document: Document, folder: Path, actor: str, action: str, at: datetime
) -> ImportFiles:
    """Check ``document`` as a load into an empty store would, then write its import files
    into ``folder`` (created if need be): the trail names ``actor`` and ``action`` at ``at``."""
    plan = plan_edit(Edit.of_document(document, actor, action), EmptyView())
    folder.mkdir(parents=True, exist_ok=True)
    orgs = [organization_properties(o) for o in plan.put_organizations]
    rels = {r.id: relationship_properties(r) for r in plan.put_relationships}
    delimiter = array_delimiter(
        value
        for properties in [*orgs, *rels.values()]
        for value in properties.values()
        if isinstance(value, list)
    )
    organizations = folder / "organizations.csv"
    labels = [
        csv_field(["Organization", *organization_labels(o)], delimiter)
        for o in plan.put_organizations
    ]
    ids = _quoted(o.id for o in plan.put_organizations)
    _table(organizations, [(f"id:ID({ID_SPACE})", ids), (":LABEL", labels)], orgs, delimiter)
    by_type: dict[str, list[Relationship]] = {}
    for rel in plan.put_relationships:
        by_type.setdefault(rel.type, []).append(rel)
    relationships: dict[str, Path] = {}
    for kind, ties in sorted(by_type.items()):
        path = folder / f"relationships-{kind}.csv"
        leading = [
            (f":START_ID({ID_SPACE})", _quoted(r.source for r in ties)),
            (f":END_ID({ID_SPACE})", _quoted(r.target for r in ties)),
            ("id", _quoted(r.id for r in ties)),
        ]
        _table(path, leading, [rels[r.id] for r in ties], delimiter)
        relationships[kind] = path
    changes = folder / "changes.csv"
    _write_changes(changes, plan, actor, action, timestamp(at))
    meta = folder / "meta.csv"
    _write(
        meta,
        [
            "key",
            "version:long",
            "schema_version:long",
            "layout",
            "changes:long",
            "lists_pending:boolean",
        ],
        [
            [
                '"graph"',
                "1",
                str(vocabulary().schema_version),
                csv_field(layout_key(), delimiter),
                str(len(plan.entries)),
                "true",
            ]
        ],
    )
    return ImportFiles(
        organizations=organizations,
        relationships=relationships,
        changes=changes,
        meta=meta,
        array_delimiter=delimiter,
        report=plan.report,
        rows=len(plan.put_organizations) + len(plan.put_relationships),
    )


def _write_changes(path: Path, plan: Plan, actor: str, action: str, at: str) -> None:
    """The trail of the load, numbered from 1 as ``add_changes`` numbers it in an empty
    database."""
    header = [
        "seq:long",
        "at:string",
        "actor:string",
        "action:string",
        "entity:string",
        "entity_id:string",
        "change:string",
        "before:string",
        "after:string",
    ]
    fixed = [csv_field(at, ""), csv_field(actor, ""), csv_field(action, "")]
    _write(
        path,
        header,
        (
            [
                str(seq),
                *fixed,
                csv_field(entry.entity, ""),
                csv_field(entry.id, ""),
                csv_field(entry.change, ""),
                csv_field(entry.before, ""),
                csv_field(entry.after, ""),
            ]
            for seq, entry in enumerate(plan.entries, start=1)
        ),
    )
