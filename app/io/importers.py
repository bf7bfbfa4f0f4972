"""Which importer reads an upload, told by the file's bytes and name, and the report of each.

One upload is one interchange JSON/YAML document, one IATI ``.xml``, one 360Giving
``.json``/``.csv``, one Kumu JSON export, one GraphML or GEXF file, one ``.xlsx`` workbook, or a
set of CSV sheets (ours, or Kumu's Elements and Connections) given as several files or as one
ZIP. A ZIP is known by its first bytes whatever its name; a JSON file by its top-level keys
(``grants``: 360Giving; ``elements``/``connections``: Kumu; ``organizations``/``relationships``:
ours); a CSV by its header row. Every importer's answer comes with an
:class:`~app.io.report.ImportReport`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

from app.domain.documents import parse_document
from app.domain.errors import InvalidData, Problem, TooLarge
from app.domain.models import Document, Organization
from app.io.documents import parse_text
from app.io.graph_import import read_gexf, read_graphml
from app.io.iati import import_activities
from app.io.kumu import read_kumu
from app.io.kumu_json import is_kumu_json, read_kumu_json
from app.io.matching import NO_DECISIONS, Decisions, settle_ids
from app.io.report import ImportReport
from app.io.sheets import read_sheets
from app.io.threesixtygiving import import_grants_csv, import_grants_json

Upload = tuple[str, bytes]
"""A file to import: its name (the suffix says its format) and its bytes."""
KINDS = (
    "interchange .json/.yaml/.yml",
    "CSV sheets (organizations and relationships, or Kumu Elements and Connections)",
    "an .xlsx workbook of those sheets",
    "IATI activities .xml",
    "360Giving grants .json/.csv",
    "a Kumu JSON export .json",
    "GraphML .graphml and GEXF .gexf",
    "a .zip of CSV sheets",
)
JSON_LAYOUTS = (
    "interchange document: an object with 'organizations' and 'relationships' lists",
    "360Giving package: an object with a 'grants' list",
    "Kumu export: an object with 'elements' and 'connections' lists",
)
CSV_LAYOUTS = (
    "our sheets (an 'id' column)",
    "Kumu ('Label', or 'From' and 'To')",
    "360Giving ('Identifier' and 'Amount Awarded')",
)
MAX_ZIP_MEMBERS = 20
ZIP_MAGIC = b"PK\x03\x04"
XLSX = ".xlsx"


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def _unzipped(files: Sequence[Upload], max_bytes: int) -> list[Upload]:
    """Uploads with every ZIP archive (known by its bytes, not its name) replaced by its files.

    A workbook is a ZIP too, and is kept whole. Archives that unpack too big are refused.
    """
    found: list[Upload] = []
    for name, data in files:
        if _suffix(name) == ".zip" and not data.startswith(ZIP_MAGIC):
            message = "not a readable ZIP: it does not start as a ZIP archive does"
            raise InvalidData([Problem(name, "(file)", message)])
        if not data.startswith(ZIP_MAGIC) or _suffix(name) == XLSX:
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


def _csv_layout(data: bytes) -> str | None:
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


def _map_name(names: Sequence[str], archives: Sequence[str]) -> str:
    """What to call a set of sheets in citations: their one archive, else their file names."""
    holding = {a for a in archives if all(name.startswith(f"{a}/") for name in names)}
    if len(holding) == 1:
        return PurePath(holding.pop()).name
    return " + ".join(PurePath(name).name for name in names)


def document_report(
    origin: str, kind: str, document: Document, known: Sequence[Organization]
) -> ImportReport:
    """The report of a document read whole (ours, or a Kumu map): its records by stored id.

    Such a document names organisations by id, so an organisation is matched when a stored one
    has its id, and created otherwise.
    """
    stored = {org.id for org in known}
    return ImportReport(
        origin=origin,
        record_kind=kind,
        records_read=len(document.organizations) + len(document.relationships),
        organizations=len(document.organizations),
        relationships=len(document.relationships),
        created=tuple(org.id for org in document.organizations if org.id not in stored),
        matched=tuple((org.name, org.id) for org in document.organizations if org.id in stored),
    )


def _settled(
    read: tuple[Document, ImportReport],
    origin: str,
    known: Sequence[Organization],
    decisions: Decisions,
) -> tuple[Document, ImportReport]:
    """A document whose ids were made from labels, kept off stored records (see
    :func:`app.io.matching.settle_ids`), with its report told what moved or matched."""
    document, report = read
    settled, matched, candidates, issues = settle_ids(document, known, origin, decisions)
    stored = {org.id for org in known}
    report = replace(
        report,
        organizations=len(settled.organizations),
        created=tuple(o.id for o in settled.organizations if o.id not in stored),
        matched=(*report.matched, *matched),
        candidates=(*report.candidates, *candidates),
        issues=(*report.issues, *issues),
    )
    return settled, report


def _read_csvs(
    files: Sequence[Upload],
    archives: Sequence[str],
    known: Sequence[Organization],
    decisions: Decisions,
) -> tuple[Document, ImportReport]:
    layouts = {name: _csv_layout(data) for name, data in files}
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
    origin = _map_name(list(sheets), archives)
    if kinds == {"sheets"}:
        document = read_sheets(sheets)
        return document, document_report(origin, "sheet row", document, known)
    if kinds == {"kumu"}:
        document = read_kumu(sheets, origin)
        return _settled(
            (document, document_report(origin, "Kumu row", document, known)),
            origin,
            known,
            decisions,
        )
    if len(files) > 1:
        raise InvalidData([Problem("upload", "(files)", "import one 360Giving CSV at a time")])
    name, data = files[0]
    return import_grants_csv(data, name, known, decisions)


def _json_value(name: str, data: bytes, fmt: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidData(
            [
                Problem(
                    name,
                    "(file)",
                    f"not UTF-8 text (save it as UTF-8, e.g. 'CSV UTF-8' in Excel): {error}",
                )
            ]
        ) from None
    return parse_text(text, fmt, name)


def _read_json(
    name: str, data: bytes, known: Sequence[Organization], decisions: Decisions
) -> tuple[Document, ImportReport]:
    """A JSON or YAML file by its top-level keys: 360Giving, Kumu, or our interchange."""
    fmt = "json" if _suffix(name) == ".json" else "yaml"
    value = _json_value(name, data, fmt)
    if fmt == "json" and isinstance(value, dict) and isinstance(value.get("grants"), list):
        return import_grants_json(data, name, known, decisions)
    if is_kumu_json(value):
        return _settled(read_kumu_json(value, name), name, known, decisions)
    if isinstance(value, dict) and ({"organizations", "relationships"} & set(value)):
        document = parse_document(value)
        return document, document_report(name, "record", document, known)
    got = (
        f"top-level keys {', '.join(sorted(map(str, value))[:8]) or '(none)'}"
        if isinstance(value, dict)
        else f"a {type(value).__name__}"
    )
    message = f"a {fmt.upper()} file of an unknown layout ({got})"
    raise InvalidData([Problem(name, "(file)", message, JSON_LAYOUTS)])


def _read_one(
    name: str, data: bytes, known: Sequence[Organization], decisions: Decisions
) -> tuple[Document, ImportReport]:
    suffix = _suffix(name)
    if suffix == ".xml":
        return import_activities(data, name, known, decisions)
    if suffix == ".graphml":
        return _settled(read_graphml(data, name), name, known, decisions)
    if suffix == ".gexf":
        return _settled(read_gexf(data, name), name, known, decisions)
    if suffix in (".json", ".yaml", ".yml"):
        return _read_json(name, data, known, decisions)
    raise InvalidData([Problem(name, "(file)", "unknown file type", KINDS)])


def _expand_workbooks(files: Sequence[Upload]) -> list[Upload]:
    """Uploads with every ``.xlsx`` workbook replaced by one CSV file per sheet.

    The workbook reader is imported here: openpyxl (and the numpy it pulls in) costs a third
    of a second, which every ``solgraph`` command would otherwise pay at start-up."""
    from app.io.workbook import read_workbook

    found: list[Upload] = []
    for name, data in files:
        if _suffix(name) == XLSX:
            found += list(read_workbook(data, name).items())
        else:
            found.append((name, data))
    return found


def read_files(
    files: Sequence[Upload],
    known: Sequence[Organization] = (),
    max_bytes: int = 200_000_000,
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, ImportReport]:
    """The document an upload holds and the importer's report.

    ``known`` are the organisations already stored: an import reuses those it names rather
    than making them again; ``decisions`` are curators' verdicts on earlier name matches.
    Raises ``InvalidData`` naming every problem.
    """
    archives = [name for name, data in files if _suffix(name) == XLSX or data.startswith(ZIP_MAGIC)]
    files = _expand_workbooks(_unzipped(files, max_bytes))
    if not files:
        raise InvalidData([Problem("upload", "(files)", "no file to import", KINDS)])
    csvs = [f for f in files if _suffix(f[0]) == ".csv"]
    if csvs and len(csvs) == len(files):
        return _read_csvs(csvs, archives, known, decisions)
    if len(files) > 1:
        names = ", ".join(name for name, _ in files)
        problem = Problem(
            "upload", "(files)", f"several files ({names}) that are not CSV sheets", KINDS
        )
        raise InvalidData([problem])
    return _read_one(*files[0], known, decisions)


def uploads_of(paths: Sequence[Path]) -> list[Upload]:
    """Files on disk as uploads, each named by its path; InvalidData for one unreadable."""
    uploads: list[Upload] = []
    for path in paths:
        try:
            uploads.append((str(path), path.read_bytes()))
        except OSError as error:
            raise InvalidData([Problem(str(path), "(file)", f"cannot read: {error}")]) from None
    return uploads


def read_paths(
    paths: Sequence[Path],
    known: Sequence[Organization] = (),
    decisions: Decisions = NO_DECISIONS,
) -> tuple[Document, ImportReport]:
    """:func:`read_files` of files on disk, each named by its path."""
    return read_files(uploads_of(paths), known, decisions=decisions)
