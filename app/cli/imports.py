"""``solgraph import``: import files all or nothing, print the report, and review name matches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.cli.common import actor, configured_store, err, errors_to_exit, out
from app.curation.imports import all_imports, decide, run_import
from app.domain.imports import Decision, ImportRecord, ReviewCandidate
from app.io.importers import uploads_of
from app.store.protocol import GraphStore

CHOICES: dict[str, Decision] = {"a": "accepted", "r": "rejected"}


def _pending(store: GraphStore, import_id: str | None) -> list[ImportRecord]:
    """The import named, or every import that still has candidates pending, oldest first."""
    if import_id is not None:
        return [store.get_import(import_id)]
    records = all_imports(store)
    return [r for r in records if any(c.status == "pending" for c in r.candidates)][::-1]


def _show(record: ImportRecord, candidate: ReviewCandidate) -> None:
    out.print(f"\n{record.id} {candidate.id} ({record.origin}), names {candidate.score:.0f}/100")
    out.print(f"  imported: {candidate.imported_name} ({candidate.imported})")
    out.print(f"  stored:   {candidate.stored_name} ({candidate.stored})")
    for line in candidate.evidence_for:
        out.print(f"  for:      {line}")
    for line in candidate.evidence_against:
        out.print(f"  against:  {line}")


def review(store: GraphStore, import_id: str | None) -> None:
    """Ask, for each pending candidate, whether to accept (merge), reject or skip it."""
    records = _pending(store, import_id)
    waiting = [(r, c) for r in records for c in r.candidates if c.status == "pending"]
    if not waiting:
        out.print("no name matches await review")
        return
    out.print(f"{len(waiting)} name match(es) await review")
    for record, candidate in waiting:
        _show(record, candidate)
        answer = typer.prompt("  accept (a, merges them), reject (r) or skip (s)?", default="s")
        decision = CHOICES.get(answer.strip().lower()[:1])
        if decision is None:
            continue
        with errors_to_exit():
            _, merged = decide(store, record.id, candidate.id, decision, actor())
        kept = f"; merged into {merged.id}" if merged else ""
        out.print(f"  {decision}{kept}")


def import_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Interchange .json/.yaml, CSV sheets (ours or Kumu's), an .xlsx workbook, a "
            ".zip of sheets, IATI .xml, 360Giving .json/.csv, Kumu .json, .graphml or .gexf."
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only; write nothing.")] = False,
    review_queue: Annotated[
        bool,
        typer.Option(
            "--review", help="Then decide the name matches waiting for review, one by one."
        ),
    ] = False,
    import_id: Annotated[
        str | None, typer.Option("--id", help="With --review and no file: only this import.")
    ] = None,
) -> None:
    """Import files all or nothing (importing them again changes nothing), or review matches.

    Organisations are matched to stored ones by org-id, or by name when a shared country
    confirms it; other name matches wait for review: ``solgraph import --review``.
    """
    with configured_store() as (_, store):
        if not paths:
            if not review_queue:
                err.print("error: name files to import, or use --review")
                raise typer.Exit(2)
            review(store, import_id)
            return
        with errors_to_exit():
            outcome = run_import(store, uploads_of(paths), actor(), dry_run)
        out.print(outcome.report.as_text())
        table = Table("records", "created", "updated", "unchanged")
        for name, changes in (
            ("organizations", outcome.organizations),
            ("relationships", outcome.relationships),
        ):
            table.add_row(name, str(changes.created), str(changes.updated), str(changes.unchanged))
        out.print(table)
        if outcome.record is None:
            out.print("dry run: valid against the store; nothing written")
            return
        pending = len(outcome.record.candidates)
        out.print(f"import id: {outcome.record.id}")
        if pending and review_queue:
            review(store, outcome.record.id)
        elif pending:
            out.print(f"{pending} name match(es) await review: solgraph import --review")
