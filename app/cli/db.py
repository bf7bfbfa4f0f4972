"""``solgraph db``: the database's schema and status, and a bulk import into an empty Neo4j."""

from __future__ import annotations

import shlex
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from babel.numbers import format_decimal

from app.cli.common import (
    LanguageOption,
    actor,
    configured_store,
    err,
    errors_to_exit,
    out,
    reader_language,
)
from app.domain.messages import N_, gettext
from app.io.streaming import DocumentParts
from app.store.neo4j.bulk import write_import_files

db_cli = typer.Typer(help="Database schema and status.", no_args_is_help=True)


@db_cli.command("init")
def db_init(lang: LanguageOption = None) -> None:
    """Apply the named constraints and indexes of graph_schema (safe to run again)."""
    said = reader_language(lang)
    with configured_store() as (_, store):
        store.init_schema()
        applied = gettext(N_("schema version {version} applied to {store}"), said)
        out.print(applied.format(version=store.schema_version(), store=store.describe()))


@db_cli.command("status")
def db_status(lang: LanguageOption = None) -> None:
    """Show the store, its schema version and its record counts."""
    said = reader_language(lang)
    with configured_store() as (_, store):
        counts = store.counts()
        lines = (
            (N_("store: {value}"), store.describe()),
            (N_("schema version: {value}"), store.schema_version()),
            (N_("graph version: {value}"), counts.version),
            (N_("organizations: {value}"), format_decimal(counts.organizations, locale=said)),
            (N_("relationships: {value}"), format_decimal(counts.relationships, locale=said)),
        )
        for line, value in lines:
            out.print(gettext(line, said).format(value=value))


@db_cli.command("import")
def db_import(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
    to: Annotated[Path, typer.Option("--to", help="Folder for the CSV files (created).")],
    database: Annotated[str, typer.Option(help="The Neo4j database to create.")] = "neo4j",
    admin: Annotated[
        str,
        typer.Option(
            help="The command line that runs neo4j-admin, e.g. 'python scripts/neo4j_local.py "
            "admin --data-dir DIR --' for the local Neo4j of the tests."
        ),
    ] = "neo4j-admin",
    run: Annotated[
        bool, typer.Option(help="Run Neo4j's importer; else only write the files.")
    ] = True,
    overwrite: Annotated[
        bool, typer.Option(help="Replace the database if it exists (the importer's own flag).")
    ] = False,
) -> None:
    """Build a Neo4j database from a document with Neo4j's bulk importer, far faster than load.

    The document is read as a stream, as `solgraph load` reads it, and checked as that load
    into an empty store would check it (a refused document leaves no files); the files hold
    what that load would store (labels, properties, the audit trail, the graph version) and
    go to `neo4j-admin database import full`, which needs Neo4j stopped. Start Neo4j
    afterwards: the store's first start applies the constraints and indexes.
    """
    with errors_to_exit():
        who, action = actor(), f"db import {path.name}"
        files = write_import_files(
            lambda: DocumentParts(path).edits(who, action), to, datetime.now(UTC)
        )
    command = [*shlex.split(admin), *files.arguments(database, overwrite)]
    out.print(
        f"wrote {files.report.organizations.created} organizations, "
        f"{files.report.relationships.created} relationships and their audit trail to {to}",
        soft_wrap=True,
    )
    if not run:
        out.print(shlex.join(command), soft_wrap=True)
        return
    started = time.perf_counter()
    try:
        # The operator's own command line (--admin), run without a shell.
        finished = subprocess.run(command, check=False, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        err.print(f"error: cannot run '{command[0]}'; name neo4j-admin with --admin")
        raise typer.Exit(1) from None
    took = time.perf_counter() - started
    if finished.returncode != 0:
        err.print(finished.stdout[-4000:] + finished.stderr[-4000:])
        err.print(f"error: the importer failed (exit {finished.returncode})")
        raise typer.Exit(1)
    out.print(
        f"imported into database {database} in {took:.1f} s "
        f"({files.rows / took:,.0f} records/s, importer included)"
    )
