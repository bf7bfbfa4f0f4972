"""A large interchange document read as a stream of validated parts, not as one ``Document``.

A JSON file is parsed as it is read, by ijson (a streaming parser on the yajl C library,
BSD-3-Clause and ISC licensed): one record exists as Python values at a time, until it is a
model, so a million organisations never sit in memory as parsed JSON. A YAML file is small
enough to parse whole. Records are validated a batch at a time; problems are collected over
the whole file and raised at the end: the store rolls the load back, so nothing is written
and every problem is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import ijson
from pydantic import BaseModel, ValidationError

from app.domain.documents import parse_document, validation_problems
from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem
from app.domain.models import Organization, Relationship
from app.io.documents import FORMATS, MAX_DEPTH, parse_text, too_deep

PART = 10_000
"""Records validated and written per part."""
KINDS = ("organizations", "relationships")
_OPENS, _CLOSES = frozenset({"start_map", "start_array"}), frozenset({"end_map", "end_array"})
_STAND_INS: dict[str, Any] = {"start_map": {}, "start_array": []}
"""What a container stands in as when a misplaced one is reported (its content is not read)."""


def _locate(name: str, loc: tuple[int | str, ...]) -> tuple[str, str]:
    return name, ".".join(map(str, loc)) or "(record)"


def _misshapen(value: Any) -> InvalidData:
    """The refusal of a document whose outline is wrong, worded as a whole-document
    validation words it: ``value`` is the document, or a stand-in with the part at fault."""
    try:
        parse_document(value)
    except InvalidData as error:
        return error
    return InvalidData([Problem("document", "(document)", "not an interchange document")])


def _value(
    events: Iterator[tuple[str, Any]], event: str, value: Any, around: int, origin: str
) -> Any:
    """The JSON value whose first event is ``(event, value)``, built from the events that
    follow; refused if nested past :data:`MAX_DEPTH` in the document, where ``around``
    containers hold it.

    It is built here rather than by ijson's ``ObjectBuilder``, as that builder builds it (the
    last of repeated keys wins): a loop over the events costs half of the builder's method
    calls per event, and every value of a large document passes through it.
    """
    if event not in _OPENS:
        return value
    root: Any = {} if event == "start_map" else []
    open_: list[Any] = [root]
    if around + 1 > MAX_DEPTH:
        raise too_deep(origin, "(file)")
    key: Any = None
    for event, value in events:
        if event == "map_key":
            key = value
            continue
        if event in _CLOSES:
            open_.pop()
            if not open_:
                return root
            continue
        if event in _OPENS:
            value = {} if event == "start_map" else []
        inner = open_[-1]
        if type(inner) is dict:
            inner[key] = value
        else:
            inner.append(value)
        if event in _OPENS:
            open_.append(value)
            if len(open_) + around > MAX_DEPTH:
                raise too_deep(origin, "(file)")
    raise ijson.IncompleteJSONError("the document ends inside a value")


def _json_records(path: Path) -> Iterator[tuple[str, Any]]:
    """Every record of a JSON document as ``(kind, parsed value)``, organisations first.

    Relationships met before the organisations' list are held until it has been read, so
    that each part's references can be checked against organisations already loaded. ijson's
    basic events are read (its prefixed ones cost time in the square of a file's depth).
    """
    held: list[Any] = []
    organizations_read = False
    with path.open("rb") as file:
        events = iter(ijson.basic_parse(file, use_float=True))
        event, value = next(events)
        if event != "start_map":
            raise _misshapen(_value(events, event, value, 0, str(path)))
        for event, value in events:
            if event == "end_map":
                break
            if value not in KINDS:
                raise _misshapen({value: None})
            kind = value
            event, value = next(events)
            if event == "null":
                continue
            if event != "start_array":
                raise _misshapen({kind: _STAND_INS.get(event, value)})
            for event, value in events:
                if event == "end_array":
                    break
                raw = _value(events, event, value, 2, str(path))
                if kind == "relationships" and not organizations_read:
                    held.append(raw)
                else:
                    yield kind, raw
            if kind == "organizations":
                organizations_read = True
                yield from (("relationships", raw) for raw in held)
                held.clear()
        next(events, None)  # anything after the document is an error
    yield from (("relationships", raw) for raw in held)


def _read_json(path: Path) -> Iterator[tuple[str, Any]]:
    """:func:`_json_records`, with unreadable or malformed JSON refused as ``InvalidData``."""
    try:
        yield from _json_records(path)
    except ijson.JSONError as error:
        problem = Problem(str(path), "(file)", f"not valid JSON: {error}")
        raise InvalidData([problem]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None


def _yaml_records(path: Path) -> Iterator[tuple[str, Any]]:
    """Every record of a YAML document as ``(kind, parsed value)``, organisations first."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
    raw = parse_text(text, "yaml", str(path))
    del text
    if not isinstance(raw, dict) or set(raw) - set(KINDS):
        raise _misshapen(raw)
    for kind in KINDS:
        records = list(raw.pop(kind, None) or [])
        for index in range(len(records)):
            yield kind, records[index]
            records[index] = None


class DocumentParts:
    """The records of one document file, handed out as edits of at most ``PART`` records."""

    def __init__(self, path: Path) -> None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            problem = Problem(str(path), "(file)", "unknown file type", tuple(sorted(FORMATS)))
            raise InvalidData([problem])
        if fmt == "json" and not path.is_file():
            raise InvalidData([Problem(str(path), "(file)", "cannot read: no such file")])
        self._path, self._fmt = path, fmt
        self.problems: list[Problem] = []

    def edits(self, actor: str, action: str) -> Iterator[Edit]:
        """Edits putting every record, organisations first; ``InvalidData`` after the last.

        Once a problem is found no further edit is handed out, but every record is still
        checked, so the final error lists every problem in the file. The file is read as
        the edits are taken: a syntax error in it is raised when the reading reaches it.
        """
        records = _read_json(self._path) if self._fmt == "json" else _yaml_records(self._path)
        seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
        counted = dict.fromkeys(KINDS, 0)
        part: list[BaseModel] = []
        part_kind = KINDS[0]
        for kind, raw in records:
            if kind != part_kind or len(part) >= PART:
                yield from self._edit(part, actor, action)
                part, part_kind = [], kind
            counted[kind] += 1
            record = self._validated(kind, raw, counted[kind], seen[kind])
            if record is not None:
                part.append(record)
        yield from self._edit(part, actor, action)
        if self.problems:
            raise InvalidData(self.problems)

    def _edit(self, part: list[BaseModel], actor: str, action: str) -> Iterator[Edit]:
        """The edit putting ``part``, unless it is empty or a problem has been found."""
        if part and not self.problems:
            yield Edit(
                actor=actor,
                action=action,
                organizations=tuple(p for p in part if isinstance(p, Organization)),
                relationships=tuple(p for p in part if isinstance(p, Relationship)),
            )

    def _validated(self, kind: str, raw: Any, number: int, seen: set[str]) -> BaseModel | None:
        """The record as a model, or ``None`` with its problems noted."""
        singular = kind.removesuffix("s")
        name = f"{singular} #{number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            name = f"{singular} '{raw['id']}'"
        try:
            record = _MODELS[kind].model_validate(raw)
        except ValidationError as error:
            self.problems += validation_problems(error, partial(_locate, name))
            return None
        if record.id in seen:
            self.problems.append(Problem(name, "id", "appears more than once in the document"))
        seen.add(record.id)
        return record


_MODELS: dict[str, type[Organization] | type[Relationship]] = {
    "organizations": Organization,
    "relationships": Relationship,
}
