"""A large interchange document read as a stream of validated parts, not as one ``Document``.

The JSON is parsed once, then records are validated a batch at a time and each raw record is
dropped once it is a model, so a million organisations never exist twice in memory. Problems
are collected over the whole file and raised at the end: the store rolls the load back, so
nothing is written and every problem is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from app.domain.documents import parse_document, validation_problems
from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem
from app.domain.models import Organization, Relationship
from app.io.documents import FORMATS, parse_text

PART = 10_000
"""Records validated and written per part."""


def _locate(name: str, loc: tuple[int | str, ...]) -> tuple[str, str]:
    return name, ".".join(map(str, loc)) or "(record)"


class DocumentParts:
    """The records of one document file, handed out as edits of at most ``PART`` records."""

    def __init__(self, path: Path) -> None:
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            problem = Problem(str(path), "(file)", "unknown file type", tuple(sorted(FORMATS)))
            raise InvalidData([problem])
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
        raw = parse_text(text, fmt, str(path))
        del text
        if not isinstance(raw, dict) or set(raw) - {"organizations", "relationships"}:
            parse_document(raw)  # raises InvalidData naming what is wrong with the shape
        self._raw: dict[str, list[Any]] = {
            "organizations": list(raw.get("organizations") or []),
            "relationships": list(raw.get("relationships") or []),
        }
        self.problems: list[Problem] = []

    @property
    def size(self) -> int:
        """How many records the document holds."""
        return sum(len(records) for records in self._raw.values())

    def edits(self, actor: str, action: str) -> Iterator[Edit]:
        """Edits putting every record, organisations first; ``InvalidData`` after the last.

        Once a problem is found no further edit is handed out, but every record is still
        checked, so the final error lists every problem in the file.
        """
        seen: dict[str, set[str]] = {"organizations": set(), "relationships": set()}
        for kind, model in (("organizations", Organization), ("relationships", Relationship)):
            records = self._raw[kind]
            for start in range(0, len(records), PART):
                part = self._validated(kind, model, records, start, seen[kind])
                if not self.problems:
                    yield Edit(
                        actor=actor,
                        action=action,
                        organizations=tuple(p for p in part if isinstance(p, Organization)),
                        relationships=tuple(p for p in part if isinstance(p, Relationship)),
                    )
        if self.problems:
            raise InvalidData(self.problems)

    def _validated(
        self,
        kind: str,
        model: type[Organization] | type[Relationship],
        records: list[Any],
        start: int,
        seen: set[str],
    ) -> list[BaseModel]:
        part: list[BaseModel] = []
        singular = kind.removesuffix("s")
        for index in range(start, min(start + PART, len(records))):
            raw, records[index] = records[index], None
            name = f"{singular} #{index + 1}"
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                name = f"{singular} '{raw['id']}'"
            try:
                record = model.model_validate(raw)
            except ValidationError as error:
                self.problems += validation_problems(error, partial(_locate, name))
                continue
            if record.id in seen:
                self.problems.append(Problem(name, "id", "appears more than once in the document"))
            seen.add(record.id)
            part.append(record)
        return part
