"""The ``solgraph`` command: a thin shell over the domain, the store and the API."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from app import __version__
from app.domain.errors import SolGraphError
from app.io.documents import read_document, seed_document, to_json
from app.settings import Settings, load_settings
from app.store.factory import open_store
from app.store.protocol import GraphStore, LoadReport

cli = typer.Typer(
    help="Solidarity Graph: organisations supporting informal economy workers, and their ties.",
    no_args_is_help=True,
    add_completion=False,
)
db_cli = typer.Typer(help="Database schema and status.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
out = Console()
err = Console(stderr=True)


@contextmanager
def _errors_to_exit() -> Iterator[None]:
    """Show a project error as one readable message and exit 1, instead of a stack trace."""
    try:
        yield
    except SolGraphError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False, markup=True)
        for problem in getattr(error, "problems", [])[:50]:
            err.print(f"  - {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from None


@contextmanager
def _store() -> Iterator[tuple[Settings, GraphStore]]:
    with _errors_to_exit():
        settings = load_settings()
        store = open_store(settings)
        try:
            yield settings, store
        finally:
            store.close()


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
    """Serve the API (docs at /docs); an empty store gets the seed ecosystem first."""
    import uvicorn

    with _store() as (_, store):
        if seed and store.counts().organizations == 0:
            _print_report(store.load(seed_document()))
        out.print(f"store: {store.describe()}", highlight=False)
    uvicorn.run("app.api.main:create_app", factory=True, host=host, port=port, workers=workers)


@cli.command()
def load(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
) -> None:
    """Validate a document, then load it in one transaction (insert or replace by id)."""
    with _errors_to_exit():
        document = read_document(path)
    total = len(document.organizations) + len(document.relationships)
    with _store() as (_, store), Progress(console=err, transient=True) as bar:
        task = bar.add_task(f"loading {path.name}", total=total)
        report = store.load(document, progress=lambda n: bar.advance(task, n))
    _print_report(report)


@cli.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
) -> None:
    """Report every problem loading a document would meet, given the store; load nothing."""
    with _errors_to_exit():
        document = read_document(path)
    with _store() as (_, store):
        problems = store.check(document)
    if problems:
        err.print(f"[red]invalid:[/red] {len(problems)} problem(s)", highlight=False)
        for problem in problems:
            err.print(f"  - {problem}", highlight=False, markup=False)
        raise typer.Exit(1)
    out.print(
        f"valid: {len(document.organizations)} organizations, "
        f"{len(document.relationships)} relationships",
        highlight=False,
    )


@cli.command()
def export(
    format: Annotated[str, typer.Option("--format", help="Only json for now.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
) -> None:
    """Write the whole graph as an interchange document (to stdout unless -o is given)."""
    if format != "json":
        err.print(f"error: unknown format '{format}'; allowed: json", highlight=False)
        raise typer.Exit(2)
    with _store() as (_, store):
        text = to_json(store.export())
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}", highlight=False)


@cli.command()
def info() -> None:
    """Show the store in use, its record counts and the versions."""
    with _store() as (_, store):
        counts = store.counts()
        out.print(f"solidarity-graph {__version__}", highlight=False)
        out.print(f"store: {store.describe()}", highlight=False)
        out.print(f"graph version: {counts.version}", highlight=False)
        table = Table("kind", "type", "count")
        table.add_row("organizations", "(all)", str(counts.organizations))
        for key, n in counts.organization_types.items():
            table.add_row("", key, str(n))
        table.add_row("relationships", "(all)", str(counts.relationships))
        for key, n in counts.relationship_types.items():
            table.add_row("", key, str(n))
        out.print(table)


@db_cli.command("init")
def db_init() -> None:
    """Apply the named constraints and indexes of graph_schema (safe to run again)."""
    with _store() as (_, store):
        store.init_schema()
        out.print(
            f"schema version {store.schema_version()} applied to {store.describe()}",
            highlight=False,
        )


@db_cli.command("status")
def db_status() -> None:
    """Show the store, its schema version and its record counts."""
    with _store() as (_, store):
        counts = store.counts()
        out.print(f"store: {store.describe()}", highlight=False)
        out.print(f"schema version: {store.schema_version()}", highlight=False)
        out.print(f"graph version: {counts.version}", highlight=False)
        out.print(f"organizations: {counts.organizations}", highlight=False)
        out.print(f"relationships: {counts.relationships}", highlight=False)


def main() -> None:
    """Entry point of the ``solgraph`` console script."""
    cli()
