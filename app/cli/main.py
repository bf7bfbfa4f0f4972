"""The ``solgraph`` root command: serve, load, import, validate, export, info, backup, restore,
``db``, ``keys``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from app import __version__
from app.cli.analyse import analyse_cli
from app.cli.backup import backup_command, restore_command
from app.cli.bench import bench_cli
from app.cli.common import actor, configured_store, err, errors_to_exit, out, seed_if_empty
from app.cli.db import db_cli
from app.cli.imports import import_command
from app.cli.keys import keys_cli
from app.domain.models import Document
from app.io.documents import read_document
from app.io.exporters import FORMATS as EXPORT_FORMATS
from app.io.streaming import DocumentParts
from app.maps.encoding import relationship_label, term_label
from app.store.protocol import GraphStore, LoadReport

cli = typer.Typer(
    help="Solidarity Graph: organisations supporting informal economy workers, and their ties.",
    no_args_is_help=True,
    add_completion=False,
)
cli.add_typer(db_cli, name="db")
cli.add_typer(analyse_cli, name="analyse")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(bench_cli, name="bench")
cli.command("import")(import_command)
cli.command("backup")(backup_command)
cli.command("restore")(restore_command)


def _print_report(report: LoadReport) -> None:
    table = Table("records", "created", "updated", "unchanged")
    for name, changes in (
        ("organizations", report.organizations),
        ("relationships", report.relationships),
    ):
        table.add_row(name, str(changes.created), str(changes.updated), str(changes.unchanged))
    out.print(table)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    seed: Annotated[
        bool, typer.Option(help="Load the brief's ecosystem into an empty store.")
    ] = True,
) -> None:
    """Serve the API (docs at /docs); an empty store gets the seed ecosystem first.

    Slow clients are cut off and connections capped per process by the settings
    SOLGRAPH_HEADER_TIMEOUT, SOLGRAPH_BODY_TIMEOUT and SOLGRAPH_MAX_CONNECTIONS.
    """
    from app.api.server import run

    with configured_store() as (_, store):
        report = seed_if_empty(store) if seed else None
        if report is not None:
            _print_report(report)
        out.print(f"store: {store.describe()}")
    run(host, port, workers)


@cli.command()
def load(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
) -> None:
    """Validate a document, then load it in one transaction (insert or replace by id).

    A JSON file is parsed as it is read and its records validated and written in parts, so
    documents of millions of records load without holding them all in memory; any problem
    rolls the whole load back.
    """
    with errors_to_exit():
        parts = DocumentParts(path)
    with configured_store() as (_, store):
        with errors_to_exit(), Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"loading {path.name}", total=None)
            report = store.apply_parts(
                parts.edits(actor(), f"load {path.name}"),
                progress=lambda n: bar.advance(task, n),
            )
        _print_report(report)


def _check(store: GraphStore, document: Document) -> None:
    """Print every problem loading ``document`` would meet and exit 1, if there is any."""
    problems = store.check(document)
    if problems:
        err.print(Text("invalid: ", style="red") + Text(f"{len(problems)} problem(s)"))
        for problem in problems:
            err.print(f"  - {problem}")
        raise typer.Exit(1)


@cli.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
) -> None:
    """Report every problem loading a document would meet, given the store; load nothing."""
    with errors_to_exit():
        document = read_document(path)
    with configured_store() as (_, store):
        _check(store, document)
    out.print(
        f"valid: {len(document.organizations)} organizations, "
        f"{len(document.relationships)} relationships"
    )


@cli.command()
def export(
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help=f"One of: {', '.join(EXPORT_FORMATS)}; by default the -o file's suffix says "
            "(.zip is csv), else json.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Write the whole graph (to stdout unless -o is given; csv is a ZIP of two sheets).

    The file's suffix must be the format's (``.zip`` for csv), so no file is misnamed.
    """
    if format is None:
        by_suffix = {f".{fmt.suffix}": name for name, fmt in EXPORT_FORMATS.items()}
        format = by_suffix.get(output.suffix.lower(), "json") if output else "json"
    chosen = EXPORT_FORMATS.get(format)
    if chosen is None:
        err.print(f"error: unknown format '{format}'; allowed: {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    if output is not None and output.suffix.lower() != f".{chosen.suffix}":
        err.print(
            f"error: a {format} export is {chosen.description}; name the file "
            f"{output.with_suffix('.' + chosen.suffix).name}, not {output.name}"
        )
        raise typer.Exit(2)
    with configured_store() as (_, store):
        data = chosen.write(store.export())
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"wrote {output}")


@cli.command()
def info() -> None:
    """Show the store in use, its record counts and the versions."""
    with configured_store() as (_, store):
        counts = store.counts()
        out.print(f"solidarity-graph {__version__}")
        out.print(f"store: {store.describe()}")
        out.print(f"graph version: {counts.version}")
        table = Table("kind", "type", "count")
        table.add_row("organizations", "(all)", str(counts.organizations))
        for key, n in counts.organization_types.items():
            table.add_row("", term_label(key), str(n))
        table.add_row("relationships", "(all)", str(counts.relationships))
        for key, n in counts.relationship_types.items():
            table.add_row("", relationship_label(key), str(n))
        out.print(table)


def main() -> None:
    """Entry point of the ``solgraph`` console script."""
    cli()
