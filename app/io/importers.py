"""Which importer reads an upload: interchange documents, CSV sheets, Kumu, IATI or 360Giving.

One upload is one JSON/YAML document, one IATI ``.xml``, one 360Giving ``.json``/``.csv``, or
a set of CSV sheets (ours, or Kumu's Elements and Connections), given as several files or as
one ``.zip``. JSON with a top-level ``grants`` list is 360Giving; a CSV is told by its header.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

from app.domain.documents import parse_document
from app.domain.errors import InvalidData, Problem, TooLarge
from app.domain.models import Document, Organization
from app.io.documents import parse_text
from app.io.iati import import_activities
from app.io.kumu import read_kumu
from app.io.matching import ImportReport
from app.io.sheets import read_sheets
from app.io.threesixtygiving import import_grants_csv, import_grants_json

Upload = tuple[str, bytes]
"""A file to import: its name (the suffix says its format) and its bytes."""
Importer = Callable[[bytes, str, Sequence[Organization]], tuple[Document, ImportReport]]
KINDS = (
    "interchange .json/.yaml/.yml",
    "CSV sheets (organizations and relationships, or Kumu Elements and Connections)",
    "IATI activities .xml",
    "360Giving grants .json/.csv",
    "a .zip of CSV sheets",
)
CSV_LAYOUTS = (
    "our sheets (an 'id' column)",
    "Kumu ('Label', or 'From' and 'To')",
    "360Giving ('Identifier' and 'Amount Awarded')",
)
MAX_ZIP_MEMBERS = 20


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _is_grants_package(data: bytes) -> bool:
    try:
        value = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False
    return isinstance(value, dict) and "grants" in value


def _unzipped(files: Sequence[Upload], max_bytes: int) -> list[Upload]:
    """Uploads with every ``.zip`` replaced by its files, refusing archives that unpack too big."""
    found: list[Upload] = []
    for name, data in files:
        if _suffix(name) != ".zip":
            found.append((name, data))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) > MAX_ZIP_MEMBERS:
                    problem = Problem(
                        name, "(file)", f"holds {len(members)} files", ("at most 20",)
                    )
                    raise InvalidData([problem])
                if sum(m.file_size for m in members) > max_bytes:
                    raise TooLarge(f"{name} unpacks to more than {max_bytes} bytes")
                found += [(f"{name}/{m.filename}", archive.read(m)) for m in members]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as error:
            raise InvalidData([Problem(name, "(file)", f"not a readable ZIP: {error}")]) from None
    return found


def _csv_layout(name: str, data: bytes) -> str | None:
    """``sheets``, ``kumu`` or ``grants``, from a CSV file's header row; ``None`` if unknown."""
    first = data.decode("utf-8-sig", errors="replace").splitlines()[:1]
    header = {title.strip() for title in next(csv.reader(first), [])}
    folded = {title.lower() for title in header}
    if "label" in folded or {"from", "to"} <= folded:
        return "kumu"
    if {"Identifier", "Amount Awarded"} <= header:
        return "grants"
    if "id" in header:
        return "sheets"
    return None


def _map_name(names: Sequence[str]) -> str:
    """What to call a set of sheets in citations: their ZIP archive, else their file names."""
    archives = {name.rsplit("/", 1)[0] for name in names if ".zip/" in name}
    if len(archives) == 1:
        return PurePath(archives.pop()).name
    return " + ".join(PurePath(name).name for name in names)


def _read_csvs(
    files: Sequence[Upload], known: Sequence[Organization]
) -> tuple[Document, ImportReport | None]:
    layouts = {name: _csv_layout(name, data) for name, data in files}
    unknown = [
        Problem(n, "(header)", "unknown CSV layout", CSV_LAYOUTS)
        for n, k in layouts.items()
        if k is None
    ]
    if unknown:
        raise InvalidData(unknown)
    kinds = set(layouts.values())
    if len(kinds) > 1:
        shown = ", ".join(f"{n} ({k})" for n, k in layouts.items())
        raise InvalidData(
            [Problem("upload", "(files)", f"mixes CSV layouts: {shown}", CSV_LAYOUTS)]
        )
    sheets = dict(files)
    if kinds == {"sheets"}:
        return read_sheets(sheets), None
    if kinds == {"kumu"}:
        return read_kumu(sheets, _map_name(list(sheets))), None
    if len(files) > 1:
        raise InvalidData([Problem("upload", "(files)", "import one 360Giving CSV at a time")])
    name, data = files[0]
    return import_grants_csv(data, name, known)


def _read_one(
    name: str, data: bytes, known: Sequence[Organization]
) -> tuple[Document, ImportReport | None]:
    suffix = _suffix(name)
    if suffix == ".xml":
        return import_activities(data, name, known)
    if suffix == ".json" and _is_grants_package(data):
        return import_grants_json(data, name, known)
    if suffix in (".json", ".yaml", ".yml"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidData([Problem(name, "(file)", f"not UTF-8 text: {error}")]) from None
        return parse_document(parse_text(text, "json" if suffix == ".json" else "yaml", name)), None
    raise InvalidData([Problem(name, "(file)", "unknown file type", KINDS)])


def read_files(
    files: Sequence[Upload], known: Sequence[Organization] = (), max_bytes: int = 200_000_000
) -> tuple[Document, ImportReport | None]:
    """The document an upload holds and, for open-data formats, the importer's report.

    ``known`` are the organisations already stored; an open-data import reuses those it
    names rather than making them again. Raises ``InvalidData`` naming every problem.
    """
    files = _unzipped(files, max_bytes)
    if not files:
        raise InvalidData([Problem("upload", "(files)", "no file to import", KINDS)])
    csvs = [f for f in files if _suffix(f[0]) == ".csv"]
    if csvs and len(csvs) == len(files):
        return _read_csvs(csvs, known)
    if len(files) > 1:
        names = ", ".join(name for name, _ in files)
        problem = Problem(
            "upload", "(files)", f"several files ({names}) that are not CSV sheets", KINDS
        )
        raise InvalidData([problem])
    return _read_one(*files[0], known)


def read_paths(
    paths: Sequence[Path], known: Sequence[Organization] = ()
) -> tuple[Document, ImportReport | None]:
    """:func:`read_files` of files on disk, each named by its path."""
    uploads: list[Upload] = []
    for path in paths:
        try:
            uploads.append((str(path), path.read_bytes()))
        except OSError as error:
            raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
    return read_files(uploads, known)
