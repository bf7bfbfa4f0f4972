"""Validation of whole interchange documents, with problems that name record and field.

Two steps: :func:`parse_document` checks every record on its own against the model;
:func:`check_document` checks what only the whole graph shows (duplicate ids, references to
unknown organisations, relationship types joining organisation types the vocabulary forbids).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship
from app.domain.vocabulary import vocabulary

SLUG_FIELDS = {"id", "source", "target"}
SLUG_RULE = "allowed: lower-case letters, digits and hyphens, not starting with a hyphen"
_KINDS = {"organizations": "organization", "relationships": "relationship"}

Locate = Callable[[tuple[int | str, ...]], tuple[str, str]]
"""Names the record and the field that a pydantic error location points into."""


def _record_name(raw: Any, loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Name the record that a pydantic error location points into, and the field within it."""
    if len(loc) >= 2 and loc[0] in _KINDS and isinstance(loc[1], int):
        kind, index = str(loc[0]), loc[1]
        record = f"{_KINDS[kind]} #{index + 1}"
        try:
            record_id = raw[kind][index].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            record_id = None
        if isinstance(record_id, str):
            record = f"{_KINDS[kind]} '{record_id}'"
        field = ".".join(str(part) for part in loc[2:]) or "(record)"
        return record, field
    return "document", ".".join(str(part) for part in loc) or "(document)"


def parse_document(raw: Any) -> Document:
    """Validate a parsed JSON/YAML value as an interchange document, or raise InvalidData."""
    if not isinstance(raw, dict):
        kind = type(raw).__name__
        raise InvalidData(
            [
                Problem(
                    "document",
                    "(document)",
                    f"expected an object, got {kind}",
                    ("an object with 'organizations' and 'relationships' lists",),
                )
            ]
        )
    try:
        return Document.model_validate(raw)
    except ValidationError as error:
        raise InvalidData(validation_problems(error, lambda loc: _record_name(raw, loc))) from None


def validation_problems(error: ValidationError, locate: Locate) -> list[Problem]:
    """One problem per pydantic error, its record and field named by ``locate``.

    Every reader shares these messages (a bad slug says what a slug is); readers of other
    layouts, such as CSV sheets, pass a ``locate`` that names a row and column instead.
    """
    problems = []
    for item in error.errors():
        record, field = locate(tuple(item["loc"]))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "string_pattern_mismatch" and field in SLUG_FIELDS:
            message = f"{item['input']!r} is not a slug; {SLUG_RULE}"
        problems.append(Problem(record, field, message))
    return problems


def _duplicates(kind: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(f"{kind} '{key}'", "id", f"appears {count} times in the document")
        for key, count in Counter(ids).items()
        if count > 1
    ]


def _rule_problems(rel: Relationship, source_type: str, target_type: str) -> list[Problem]:
    rule = vocabulary().relationship_types[rel.type]
    record = f"relationship '{rel.id}'"
    problems = []
    for end, org_type, allowed in (
        ("source", source_type, rule.source_types),
        ("target", target_type, rule.target_types),
    ):
        if org_type not in allowed:
            problems.append(
                Problem(
                    record,
                    end,
                    f"a {rel.type} relationship cannot have a {org_type} as its {end}",
                    tuple(sorted(allowed)),
                )
            )
    return problems


def check_document(doc: Document, stored_types: Mapping[str, str]) -> list[Problem]:
    """Problems that only the whole graph shows; ``stored_types`` maps ids already stored to types.

    Organisations in ``doc`` take precedence over stored ones with the same id (a load
    replaces them), so a document may change an organisation's type and its ties together.
    """
    return check_records(doc.organizations, doc.relationships, stored_types)


def check_records(
    organizations: Sequence[Organization],
    relationships: Sequence[Relationship],
    stored_types: Mapping[str, str],
) -> list[Problem]:
    """:func:`check_document` of records already validated one by one, without a Document."""
    problems = _duplicates("organization", [o.id for o in organizations])
    problems += _duplicates("relationship", [r.id for r in relationships])
    types = {**stored_types, **{o.id: o.type for o in organizations}}
    for rel in relationships:
        missing = [end for end in ("source", "target") if getattr(rel, end) not in types]
        for end in missing:
            problems.append(
                Problem(
                    f"relationship '{rel.id}'",
                    end,
                    f"no organization with id '{getattr(rel, end)}' in the document or the store",
                )
            )
        if not missing:
            problems += _rule_problems(rel, types[rel.source], types[rel.target])
    return problems
