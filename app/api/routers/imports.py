"""``/api/import`` and ``/api/imports``: import one file all or nothing, then review its matches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.actors import Actors
from app.api.auth import Editor
from app.api.deps import Limit, Offset, SettingsDep, StoreDep
from app.api.problems import WRITE_RESPONSES, documented
from app.curation.imports import decide, run_import
from app.domain.errors import InvalidData, NotFound, Problem, TooLarge
from app.domain.imports import IMPORT_ID, Decision, ImportRecord, ReviewCandidate
from app.domain.models import Organization
from app.io.importers import KINDS
from app.io.report import ImportReport
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
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/graphml+xml": ".graphml",
    "application/gexf+xml": ".gexf",
}
"""The file type a body is read as when no ``filename`` says otherwise."""
BINARY = {"type": "string", "format": "binary"}
FILENAME = r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}\.(json|yaml|yml|xml|csv|zip|xlsx|graphml|gexf)$"
ImportId = Annotated[str, Path(pattern=IMPORT_ID, description="An import's id, imp-<12 hex>.")]
CandidateId = Annotated[str, Path(pattern=r"^c[0-9]{1,6}$", description="c1, c2, ...")]


class Item(BaseModel):
    """An input item the importer left out, or kept with a caveat, and why."""

    item: str
    message: str


class Matched(BaseModel):
    """An organisation the file names that was found among the stored ones."""

    imported: str
    id: str


class ReasonCount(BaseModel):
    """How many items share one reason."""

    reason: str
    count: int


class Summary(BaseModel):
    """The counts a report opens with: created, matched, for review, skipped by reason."""

    records_read: int
    created: int
    matched: int
    candidates: int
    relationships: int
    skipped: list[ReasonCount]
    notes: list[ReasonCount]


class Group(BaseModel):
    """The items of a report that share one reason."""

    reason: str
    skipped: bool
    items: list[Item]


class CandidateMatch(BaseModel):
    """A name match left for review: the organisation imported and the stored one it may be;
    ``id`` (c1, c2, ...) names it under the import's id, none for a dry run."""

    id: str | None = None
    imported: str
    imported_name: str
    stored: str
    stored_name: str
    score: float
    evidence_for: list[str]
    evidence_against: list[str]


class ImporterReport(BaseModel):
    """What an import read, made, matched, left for review and skipped: the summary first,
    then the details grouped by reason (``skipped`` and ``notes`` list them flat)."""

    origin: str
    record_kind: str
    summary: Summary
    records_read: int
    created: list[str]
    matched: list[Matched]
    candidates: list[CandidateMatch]
    groups: list[Group]
    skipped: list[Item]
    notes: list[Item]

    @classmethod
    def of(cls, report: ImportReport) -> ImporterReport:
        """The API view of an importer's report."""
        return cls.model_validate(
            {
                **report.as_json(),
                "records_read": report.records_read,
                "skipped": [{"item": i.item, "message": i.message} for i in report.skipped],
                "notes": [{"item": i.item, "message": i.message} for i in report.notes],
            }
        )


class ImportResult(BaseModel):
    """What the import wrote (or, in a dry run, would write) per kind of record, its report,
    and the id under which its review queue is kept (none for a dry run)."""

    dry_run: bool
    import_id: str | None = None
    organizations: Changes
    relationships: Changes
    importer: ImporterReport


class ImportView(BaseModel):
    """One import as listed: when, by whom, which file, its summary and what awaits review."""

    id: str
    at: datetime
    actor: str
    origin: str
    summary: Summary
    pending: int


class ImportPage(BaseModel):
    """A page of imports, newest first."""

    items: list[ImportView]
    total: int
    offset: int
    limit: int


class CandidatePage(BaseModel):
    """The review candidates of one import with the status asked for."""

    import_id: str
    items: list[ReviewCandidate]
    total: int


class Decided(BaseModel):
    """A candidate as decided and, when accepted, the organisation the two became."""

    candidate: ReviewCandidate
    organization: Organization | None = None


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
    outcome = run_import(store, [(name, data)], actor, dry_run, limit)
    report = ImporterReport.of(outcome.report)
    if outcome.record is not None:
        for view, queued in zip(report.candidates, outcome.record.candidates, strict=True):
            view.id = queued.id
    return ImportResult(
        dry_run=dry_run,
        import_id=outcome.record.id if outcome.record else None,
        organizations=outcome.organizations,
        relationships=outcome.relationships,
        importer=report,
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
    nothing. Organisations are matched to stored ones by org-id, or by name when a shared
    country confirms it; other name matches wait for review under the returned ``import_id``.
    """
    limit = settings.max_upload_bytes
    name = _file_name(request, filename)
    data = await _body(request, limit)
    return await run_in_threadpool(_import, store, name, data, caller.name, dry_run, limit)


def _view(record: ImportRecord) -> ImportView:
    return ImportView(
        id=record.id,
        at=record.at,
        actor=record.actor,
        origin=record.origin,
        summary=Summary.model_validate(record.report["summary"]),
        pending=sum(c.status == "pending" for c in record.candidates),
    )


@router.get("/imports", response_model=ImportPage)
def list_imports(
    store: StoreDep, actors: Actors, offset: Offset = 0, limit: Limit = 50
) -> ImportPage:
    """Every import, newest first, with its summary and how many matches await review.

    Callers without a key see who ran each import as a role, as in ``/api/changes``.
    """
    page = store.list_imports(offset, limit)
    items = [_view(actors.import_record(r)) for r in page.items]
    return ImportPage(items=items, total=page.total, offset=offset, limit=limit)


@router.get("/imports/{import_id}", response_model=ImportRecord)
def get_import(store: StoreDep, actors: Actors, import_id: ImportId) -> ImportRecord:
    """One import: who ran it and when, its whole report, and its review queue."""
    return actors.import_record(store.get_import(import_id))


@router.get("/imports/{import_id}/candidates", response_model=CandidatePage)
def list_candidates(
    store: StoreDep,
    actors: Actors,
    import_id: ImportId,
    status: Annotated[
        Decision | None, Query(description="Only candidates with this status (default: all).")
    ] = None,
) -> CandidatePage:
    """The name matches an import left for review, each with the evidence for and against."""
    record = actors.import_record(store.get_import(import_id))
    items = [c for c in record.candidates if status is None or c.status == status]
    return CandidatePage(import_id=import_id, items=items, total=len(items))


def _decide(
    store: GraphStore, import_id: str, candidate_id: str, decision: Decision, actor: str
) -> Decided:
    record, merged = decide(store, import_id, candidate_id, decision, actor)
    candidate = record.candidate(candidate_id)
    if candidate is None:
        raise NotFound("review candidate", candidate_id)
    return Decided(candidate=candidate, organization=merged)


@router.post(
    "/imports/{import_id}/candidates/{candidate_id}/accept",
    response_model=Decided,
    responses=WRITE_RESPONSES,
)
def accept_candidate(
    store: StoreDep, caller: Editor, import_id: ImportId, candidate_id: CandidateId
) -> Decided:
    """Accept a pending match (editors): the imported organisation is merged into the stored
    one, as an audited merge. A candidate already decided answers 409."""
    return _decide(store, import_id, candidate_id, "accepted", caller.name)


@router.post(
    "/imports/{import_id}/candidates/{candidate_id}/reject",
    response_model=Decided,
    responses=WRITE_RESPONSES,
)
def reject_candidate(
    store: StoreDep, caller: Editor, import_id: ImportId, candidate_id: CandidateId
) -> Decided:
    """Reject a pending match (editors): the two stay separate organisations, and later
    imports do not ask again. A candidate already decided answers 409."""
    return _decide(store, import_id, candidate_id, "rejected", caller.name)
