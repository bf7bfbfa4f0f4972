"""A Cypher script that recreates the graph in an empty Neo4j, laid out as the Neo4j store keeps it.

For people who run Neo4j without this project (``cypher-shell -f graph.cypher``, or Neo4j
Browser). The script's statements, each ending in ``;`` and a line break, are:

1. the store's named constraints and indexes (``graph_schema``, ``IF NOT EXISTS``), so that
   every ``MERGE`` finds its id through an index;
2. the organisations, in batches of :data:`BATCH` of one pair of labels each:
   ``UNWIND [{id: ..., properties: {...}}, ...] AS row MERGE (o:Organization {id: row.id})
   SET o += row.properties, o:TradeUnion:Labour``;
3. the relationships, in batches of one type each: each is merged by id between its ends,
   with its type written as the relationship type.

Labels and properties are those the Neo4j store writes (:mod:`app.store.neo4j.layout`): the
family and movement labels, every field but the id (and a tie's type and ends), lists as
lists, ``sources`` as JSON text with ``citations``, ``bases`` and ``basis`` beside it,
``awarded`` as ISO date text, and each organisation's ``search_keys`` and ``sort_key``. A field
that is not given is left out, as the store's ``SET`` leaves it unset. The store's version
counter and audit trail are not part of the graph and are not written. Labels and types are
written as names, not parameters, so the script runs on Neo4j versions before 5.26 too.

Values are Cypher literals (:func:`literal`); labels and relationship types come only from the
vocabulary and the layout's label tables, so no text of a record is ever read as Cypher.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app.domain.documents import check_document
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document
from app.domain.vocabulary import vocabulary
from app.store.neo4j.layout import (
    organization_labels,
    organization_properties,
    relationship_properties,
)
from app.store.neo4j.queries import schema_statements

BATCH = 500
"""Rows per ``UNWIND`` statement."""

STATEMENT_END = ";\n"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
"""Unicode categories written as ``\\u`` escapes: invisible, unassigned or line-breaking."""

ORGANIZATIONS = """UNWIND [
{rows}
] AS row
MERGE (o:Organization {{id: row.id}})
SET o += row.properties, o{labels}"""

RELATIONSHIPS = """UNWIND [
{rows}
] AS row
MATCH (s:Organization {{id: row.source}}), (t:Organization {{id: row.target}})
MERGE (s)-[r:{type} {{id: row.id}}]->(t)
SET r += row.properties"""


def _escaped(char: str) -> str:
    """One character as it may stand inside a quoted Cypher string."""
    if char in ESCAPES:
        return ESCAPES[char]
    if unicodedata.category(char) in ESCAPED_CATEGORIES:
        # Neo4j reads only four-digit \u escapes: a character beyond them is a surrogate pair.
        units = char.encode("utf-16-be", "surrogatepass")
        return "".join(f"\\u{units[i] << 8 | units[i + 1]:04x}" for i in range(0, len(units), 2))
    return char


def _number(value: float) -> str:
    """A float as a Cypher float literal, which has no ``+`` in its exponent."""
    if not math.isfinite(value):
        raise ValueError(f"{value} has no Cypher literal")
    return repr(value).replace("e+", "e")


def _key(name: str) -> str:
    """A map key: as it is when it is a plain name, else quoted in backticks."""
    return name if NAME.fullmatch(name) else "`" + name.replace("`", "``") + "`"


def literal(value: object) -> str:
    """``value`` (text, number, boolean, list or map) as a Cypher literal; ``None`` is null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return "'" + "".join(_escaped(char) for char in value) + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for a {type(value).__name__}")


def _given(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Properties without those not given, which the store's ``SET`` would leave unset."""
    return {name: value for name, value in properties.items() if value is not None}


def _batches(rows: Sequence[str]) -> Iterator[str]:
    """Rows of an ``UNWIND`` list, :data:`BATCH` at a time, one row a line."""
    for start in range(0, len(rows), BATCH):
        yield ",\n".join(rows[start : start + BATCH])


def _unknown_types(doc: Document) -> list[Problem]:
    """Ties whose type is not in the vocabulary: such a type is never written as Cypher."""
    types = vocabulary().relationship_types
    return [
        Problem(f"relationship '{r.id}'", "type", f"'{r.type}' is not known", tuple(sorted(types)))
        for r in doc.relationships
        if r.type not in types
    ]


def statements(doc: Document) -> list[str]:
    """The script's statements, without their ending ``;``: schema, organisations, ties.

    Raises InvalidData for a relationship type outside the vocabulary, and if the document
    does not stand on its own (duplicate ids, ties to organisations it lacks, types its rules
    forbid), since an empty database holds nothing else.
    """
    problems = _unknown_types(doc) or check_document(doc, {})
    if problems:
        raise InvalidData(problems)
    found = list(schema_statements())
    by_labels: dict[str, list[str]] = {}
    for org in doc.organizations:
        row = {"id": org.id, "properties": _given(organization_properties(org))}
        labels = "".join(f":{label}" for label in organization_labels(org))
        by_labels.setdefault(labels, []).append(literal(row))
    for labels, rows in by_labels.items():
        found += [ORGANIZATIONS.format(labels=labels, rows=batch) for batch in _batches(rows)]
    by_type: dict[str, list[str]] = {}
    for rel in doc.relationships:
        row = {
            "id": rel.id,
            "source": rel.source,
            "target": rel.target,
            "properties": _given(relationship_properties(rel)),
        }
        by_type.setdefault(rel.type, []).append(literal(row))
    for rel_type, rows in by_type.items():
        found += [RELATIONSHIPS.format(type=rel_type, rows=batch) for batch in _batches(rows)]
    return found


def to_cypher(doc: Document) -> str:
    """The whole script: each statement of :func:`statements` ended by ``;`` and a newline."""
    return "".join(statement + STATEMENT_END for statement in statements(doc))
