"""``/api/import``: bulk import of one file, all or nothing, with the importer's report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.auth import Editor
from app.api.deps import SettingsDep, StoreDep
from app.api.problems import WRITE_RESPONSES, documented
from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem, TooLarge
from app.io.importers import KINDS, read_files
from app.io.matching import ImportReport
from app.store.protocol import Changes, GraphStore

router = APIRouter(prefix="/api", tags=["import"])

MEDIA_SUFFIXES = {
    "application/json": ".json",
    "application/yaml": ".yaml",
    "text/yaml": ".yaml",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/csv": ".csv",
    "application/zip": ".zip",
}
"""The file type a body is read as when no ``filename`` says otherwise."""
BINARY = {"type": "string", "format": "binary"}
FILENAME = r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}\.(json|yaml|yml|xml|csv|zip)$"


class Skipped(BaseModel):
    """An input item the importer left out, or kept with a caveat, and why."""

    item: str
    message: str


class Matched(BaseModel):
    """An organisation the file names that was found among the stored ones."""

    imported: str
    id: str


class ImporterReport(BaseModel):
    """What an open-data importer (IATI, 360Giving) read, made, matched and skipped."""

    origin: str
    record_kind: str
    records_read: int
    created: list[str]
    matched: list[Matched]
    skipped: list[Skipped]
    notes: list[Skipped]

    @classmethod
    def of(cls, report: ImportReport) -> ImporterReport:
        """The API view of an importer's report."""
        return cls(
            origin=report.origin,
            record_kind=report.record_kind,
            records_read=report.records_read,
            created=list(report.created),
            matched=[Matched(imported=name, id=key) for name, key in report.matched],
            skipped=[Skipped(item=i.item, message=i.message) for i in report.skipped],
            notes=[Skipped(item=i.item, message=i.message) for i in report.notes],
        )


class ImportResult(BaseModel):
    """What the import wrote (or, in a dry run, would write) per kind of record."""

    dry_run: bool
    organizations: Changes
    relationships: Changes
    importer: ImporterReport | None = None


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the upload is {declared} bytes; the limit is {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the upload passes the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _file_name(request: Request, filename: str | None) -> str:
    if filename is not None:
        return filename
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in MEDIA_SUFFIXES:
        problem = Problem(
            "upload",
            "Content-Type",
            f"'{media or '(none)'}' does not say what the file is; name it with ?filename=",
            tuple(MEDIA_SUFFIXES),
        )
        raise InvalidData([problem])
    return f"upload{MEDIA_SUFFIXES[media]}"


def _import(
    store: GraphStore, name: str, data: bytes, actor: str, dry_run: bool, limit: int
) -> ImportResult:
    document, report = read_files([(name, data)], store.export().organizations, limit)
    changes = store.apply(Edit.of_document(document, actor, f"import {name}"), dry_run=dry_run)
    return ImportResult(
        dry_run=dry_run,
        organizations=changes.organizations,
        relationships=changes.relationships,
        importer=None if report is None else ImporterReport.of(report),
    )


@router.post(
    "/import",
    response_model=ImportResult,
    responses={**WRITE_RESPONSES, 413: documented("The upload is larger than the limit.")},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One file: " + "; ".join(KINDS) + ".",
            "content": {
                media: {"schema": {"type": "object"} if media == "application/json" else BINARY}
                for media in MEDIA_SUFFIXES
            },
        }
    },
)
async def import_file(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    caller: Editor,
    filename: Annotated[
        str | None,
        Query(pattern=FILENAME, description="The file's name; its suffix says its format."),
    ] = None,
    dry_run: Annotated[bool, Query(description="Check and count; write nothing.")] = False,
) -> ImportResult:
    """Import a file (editors): one bad record refuses it whole, and importing it again changes
    nothing. Open-data organisations are matched to stored ones rather than duplicated.
    """
    limit = settings.max_upload_bytes
    name = _file_name(request, filename)
    data = await _body(request, limit)
    return await run_in_threadpool(_import, store, name, data, caller.name, dry_run, limit)
