"""Running an import and deciding its review queue: the steps the API and the CLI share.

An import reads the upload against the stored organisations and earlier review decisions,
applies the document as one audited edit, and keeps an :class:`ImportRecord` with its report and
the name matches it left for review. Accepting a candidate merges the imported organisation into
the stored one (an audited merge); rejecting it keeps the two.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.curation.merging import merge
from app.domain.edits import Edit
from app.domain.imports import Decision, ImportRecord, ReviewCandidate
from app.domain.models import Organization
from app.domain.names import name_key
from app.io.importers import Upload, read_files
from app.io.matching import Decisions, reuse_relationship_ids
from app.io.report import ImportReport
from app.store.protocol import Changes, GraphStore

PAGE = 200


@dataclass(frozen=True)
class ImportOutcome:
    """What an import wrote (or would write), its report, and the record kept of it."""

    organizations: Changes
    relationships: Changes
    report: ImportReport
    record: ImportRecord | None


def all_imports(store: GraphStore) -> list[ImportRecord]:
    """Every stored import record, newest first, read a page at a time."""
    records: list[ImportRecord] = []
    while True:
        page = store.list_imports(len(records), PAGE)
        records += page.items
        if not page.items or len(records) >= page.total:
            return records


def decisions(store: GraphStore) -> Decisions:
    """Every decided review candidate: (name key of the imported name, stored id) -> accepted."""
    found: dict[tuple[str, str], bool] = {}
    for record in all_imports(store):
        for candidate in record.candidates:
            if candidate.status != "pending":
                key = (name_key(candidate.imported_name), candidate.stored)
                found.setdefault(key, candidate.status == "accepted")
    return found


def _record(report: ImportReport, actor: str) -> ImportRecord:
    return ImportRecord(
        id=f"imp-{secrets.token_hex(6)}",
        at=datetime.now(UTC),
        actor=actor,
        origin=report.origin,
        report=report.as_json(),
        candidates=[
            ReviewCandidate(
                id=f"c{number}",
                imported=c.imported,
                imported_name=c.imported_name,
                stored=c.stored,
                stored_name=c.stored_name,
                score=c.score,
                evidence_for=list(c.evidence_for),
                evidence_against=list(c.evidence_against),
            )
            for number, c in enumerate(report.candidates, start=1)
        ],
    )


def run_import(
    store: GraphStore,
    files: Sequence[Upload],
    actor: str,
    dry_run: bool = False,
    max_bytes: int = 200_000_000,
) -> ImportOutcome:
    """Read ``files``, apply them all or nothing, and keep the import's record and queue.

    A dry run writes nothing and keeps no record. Raises ``InvalidData`` naming every problem
    of the upload, before anything is written.
    """
    graph = store.export()
    document, report = read_files(files, graph.organizations, max_bytes, decisions(store))
    document = reuse_relationship_ids(document, graph.relationships)
    names = ", ".join(name for name, _ in files)
    changes = store.apply(Edit.of_document(document, actor, f"import {names}"), dry_run=dry_run)
    record = None
    if not dry_run:
        record = _record(report, actor)
        store.add_import(record)
    return ImportOutcome(changes.organizations, changes.relationships, report, record)


def decide(
    store: GraphStore, import_id: str, candidate_id: str, decision: Decision, actor: str
) -> tuple[ImportRecord, Organization | None]:
    """Accept or reject a pending candidate; accepting merges the imported organisation.

    The decision is taken first, so two curators never both act on one candidate; if the
    merge then fails (the organisation was deleted or changed meanwhile) the candidate goes
    back to pending and the error is raised. Returns the record and the merged organisation.
    """
    record = store.decide_candidate(
        import_id, candidate_id, decision, actor, datetime.now(UTC), expected="pending"
    )
    if decision != "accepted":
        return record, None
    candidate = record.candidate(candidate_id)
    assert candidate is not None  # decide_candidate raised NotFound otherwise
    try:
        merged = merge(store, candidate.stored, candidate.imported, actor)
    except Exception:
        store.decide_candidate(
            import_id, candidate_id, "pending", actor, datetime.now(UTC), expected="accepted"
        )
        raise
    return record, merged
