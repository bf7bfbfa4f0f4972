"""``solgraph backup`` and ``solgraph restore``: a copy of the store, and putting one back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from app.cli.common import actor, configured_store, err, errors_to_exit
from app.domain.edits import Edit
from app.domain.errors import Conflict
from app.domain.models import Document
from app.io.documents import FORMATS as DOCUMENT_SUFFIXES
from app.io.documents import read_document, to_json
from app.settings import load_settings
from app.store.backup import Contents, back_up, restore, write_whole

NEO4J_FILE = (
    "a Neo4j store is backed up as an interchange document: name the file .json "
    "(for a full backup, with API keys and the audit trail, see neo4j-admin in the README)"
)


def _replacing(current: Document, backup: Document, who: str, action: str) -> Edit:
    """One edit that makes the graph ``backup``: each of its records put, every other deleted."""
    kept_orgs = {o.id for o in backup.organizations}
    kept_rels = {r.id for r in backup.relationships}
    return Edit(
        actor=who,
        action=action,
        organizations=tuple(backup.organizations),
        relationships=tuple(backup.relationships),
        delete_organizations=tuple(o.id for o in current.organizations if o.id not in kept_orgs),
        delete_relationships=tuple(r.id for r in current.relationships if r.id not in kept_rels),
        cascade=True,
    )


def _copying(label: str, copy: Callable[[Callable[[int, int], None]], Contents]) -> Contents:
    """Run ``copy`` with a progress bar it updates with (pages done, pages in all)."""
    with errors_to_exit(), Progress(console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)
        return copy(lambda done, total: bar.update(task, completed=done, total=total))


def backup_command(
    file: Annotated[
        Path,
        typer.Argument(help="The file to write: a store file, or a .json interchange document."),
    ],
) -> None:
    """Back the store up to FILE, which is replaced only once the copy is whole and checked.

    The embedded store is copied as its SQLite file, with SQLite's online backup API, while
    the server runs: the copy holds everything (records, API keys, audit trail, import
    reviews) and is checked with SQLite's integrity_check. A FILE ending in .json gets the
    interchange document instead, the graph only; that is how a Neo4j store is backed up.
    """
    with errors_to_exit():
        settings = load_settings()
    if file.suffix.lower() == ".json":
        with configured_store() as (_, store):
            document = store.export()
        with errors_to_exit():
            write_whole(file, to_json(document).encode("utf-8"))
        err.print(
            f"backed up {len(document.organizations)} organisations and "
            f"{len(document.relationships)} relationships to {file} (interchange document)"
        )
        return
    if settings.store == "neo4j":
        err.print(f"error: {NEO4J_FILE}")
        raise typer.Exit(2)
    contents = _copying(
        f"backing up to {file.name}",
        lambda progress: back_up(settings.data_dir, file, progress=progress),
    )
    err.print(f"backed up {contents} to {file}")


def _restore_document(file: Path, force: bool) -> None:
    """Make the graph that of the interchange document ``file``, in one transaction."""
    with errors_to_exit():
        document = read_document(file)
    with configured_store() as (_, store):
        current = store.export()
        if current.organizations and not force:
            raise Conflict(
                f"the store holds {len(current.organizations)} organisations and "
                f"{len(current.relationships)} relationships; a restore replaces them (back "
                "them up first with `solgraph backup`), so pass --force to go ahead"
            )
        edit = _replacing(current, document, actor(), f"restore {file.name}")
        with Progress(console=err, transient=True) as bar:
            total = len(edit.organizations) + len(edit.relationships)
            task = bar.add_task(f"restoring {file.name}", total=total)
            report = store.apply(edit, progress=lambda n: bar.advance(task, n))
    orgs, rels = report.organizations, report.relationships
    err.print(
        f"restored {len(document.organizations)} organisations and "
        f"{len(document.relationships)} relationships from {file}: "
        f"{orgs.created + rels.created} created, {orgs.updated + rels.updated} updated, "
        f"{orgs.deleted + rels.deleted} deleted, {orgs.unchanged + rels.unchanged} unchanged"
    )


def restore_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="A store file made by `solgraph backup`, or an interchange document "
            "(.json, .yaml)."
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a store that holds records.")
    ] = False,
) -> None:
    """Put a backup back, all or nothing.

    A store file replaces the embedded store's file whole, API keys and audit trail
    included: stop the server first (a store another process has open is refused). An
    interchange document replaces the graph, on either backend, in one transaction; API
    keys and the audit trail stay, and the trail records the restore. A store that holds
    records is replaced only with --force; a damaged one always.
    """
    with errors_to_exit():
        settings = load_settings()
    if file.suffix.lower() in DOCUMENT_SUFFIXES:
        _restore_document(file, force)
        return
    if settings.store == "neo4j":
        err.print(f"error: a store file restores the embedded store only; {NEO4J_FILE}")
        raise typer.Exit(2)
    contents = _copying(
        f"restoring {file.name}",
        lambda progress: restore(settings.data_dir, file, force=force, progress=progress),
    )
    err.print(f"restored {contents} from {file} into {settings.data_dir}")
