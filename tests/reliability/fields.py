"""Where the strings of a record are, found from the pydantic models, so a new field is tried too.

Shared by the injection suite (``test_injection.py``) and the browser's markup payloads.
"""

from __future__ import annotations

import itertools
import json
import types
import typing
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from app.domain.vocabulary import vocabulary

FieldPath = tuple[str | int, ...]
"""A string's place in a record's JSON: ``("sources", 0, "citation")``."""

CONTROLLED = {
    "id",
    "type",
    "movement",
    "countries",
    "sectors",
    "status",
    "source",
    "target",
    "mode",
    "mechanisms",
    "level",
    "currency",
    "basis",
    "fields",
}
"""Fields whose values come from the vocabulary, a slug pattern or the model's own field
names (a source's ``basis`` and ``fields``), so a payload is refused, at any depth.

Every other string field is free text; a new controlled field belongs here."""


def string_paths(model: type[BaseModel]) -> list[FieldPath]:
    """Every place a string sits in a record of ``model``; a list's place is its first item."""
    return [
        (name, *rest)
        for name, info in model.model_fields.items()
        for rest in _paths(info.annotation)
    ]


def controlled(path: FieldPath) -> bool:
    """Whether the string at ``path`` is a ``CONTROLLED`` field's, at whatever depth."""
    return not CONTROLLED.isdisjoint(part for part in path if isinstance(part, str))


def free_text_paths(
    model: type[BaseModel], relationship_type: str | None = None
) -> list[FieldPath]:
    """The string places that are not ``CONTROLLED``; for a relationship, those its type may
    carry (``relationship_fields`` of the vocabulary)."""
    only = vocabulary().relationship_fields
    return [
        path
        for path in string_paths(model)
        if not controlled(path)
        and (
            relationship_type is None
            or relationship_type in only.get(str(path[0]), {relationship_type})
        )
    ]


def _paths(annotation: Any) -> list[FieldPath]:
    origin = typing.get_origin(annotation)
    if annotation is str:
        return [()]
    if origin is typing.Annotated:
        return _paths(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [p for arg in typing.get_args(annotation) for p in _paths(arg)]
    if origin is list or (origin is tuple and typing.get_args(annotation)[1:] == (...,)):
        return [(0, *p) for p in _paths(typing.get_args(annotation)[0])]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return string_paths(annotation)
    if annotation in (int, float, bool, date, datetime, type(None)):
        return []
    raise TypeError(f"no rule for a field of type {annotation!r}; teach _paths about it")


def put(record: dict[str, Any], path: FieldPath, value: str) -> dict[str, Any]:
    """A deep copy of ``record`` with ``value`` at ``path``, making the lists and objects on the
    way that it lacks."""
    copy: dict[str, Any] = json.loads(json.dumps(record))
    container: Any = copy
    for step, following in itertools.pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int) and not container:
            container.append(empty)
        elif isinstance(step, str) and container.get(step) is None:
            container[step] = empty
        container = container[step]
    last = path[-1]
    if isinstance(last, int) and not container:
        container.append(value)
    else:
        container[last] = value
    return copy


def get_at(record: Any, path: FieldPath) -> Any:
    """The value at ``path`` of a record's JSON."""
    for step in path:
        record = record[step]
    return record
