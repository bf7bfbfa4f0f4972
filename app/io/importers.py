"""Which importer reads a file: the interchange document, IATI activities or 360Giving grants.

Chosen by the file's suffix and, for JSON, by its top-level key (``grants`` is 360Giving).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization
from app.io.documents import read_document
from app.io.iati import import_activities
from app.io.matching import ImportReport
from app.io.threesixtygiving import import_grants_csv, import_grants_json

Importer = Callable[[bytes, str, Sequence[Organization]], tuple[Document, ImportReport]]
KINDS = ("interchange .json/.yaml/.yml", "IATI activities .xml", "360Giving grants .json/.csv")


def _is_grants_package(data: bytes) -> bool:
    try:
        value = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(value, dict) and "grants" in value


def read_any(
    path: Path, known: Sequence[Organization] = ()
) -> tuple[Document, ImportReport | None]:
    """The document a file holds and, for open-data formats, the importer's report.

    ``known`` are the organisations already stored; an open-data import reuses those it names
    rather than making them again. An interchange document is read as it is.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_document(path), None
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
    importer: Importer | None = {
        ".xml": import_activities,
        ".csv": import_grants_csv,
    }.get(suffix)
    if suffix == ".json":
        if not _is_grants_package(data):
            return read_document(path), None
        importer = import_grants_json
    if importer is None:
        raise InvalidData([Problem(str(path), "(file)", "unknown file type", KINDS)])
    return importer(data, str(path), known)
