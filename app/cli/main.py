"""The ``solgraph`` root command: serve, load, import, validate, export, info, backup, restore,
``db``, ``keys``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from babel.numbers import format_decimal
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from app import __version__
from app.cli.analyse import analyse_cli
from app.cli.backup import backup_command, restore_command
from app.cli.bench import bench_cli
from app.cli.common import (
    LanguageOption,
    actor,
    configured_store,
    err,
    errors_to_exit,
    out,
    reader_language,
    seed_if_empty,
)
from app.cli.db import db_cli
from app.cli.imports import import_command
from app.cli.keys import keys_cli
from app.cli.reports import KINDS, changes_table
from app.domain.languages import Language
from app.domain.messages import N_, gettext
from app.domain.models import Document
from app.domain.terms import label
from app.io.documents import read_document
from app.io.exporters import FORMATS as EXPORT_FORMATS
from app.io.streaming import DocumentParts
from app.maps.encoding import relationship_label
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


def _print_report(report: LoadReport, lang: Language) -> None:
    """What a load did, in ``lang``."""
    out.print(changes_table(report.organizations, report.relationships, lang))


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
            _print_report(report, reader_language(None))
        out.print(f"store: {store.describe()}")
    run(host, port, workers)


@cli.command()
def load(
    path: Annotated[Path, typer.Argument(help="A .json or .yaml interchange document.")],
    lang: LanguageOption = None,
) -> None:
    """Validate a document, then load it in one transaction (insert or replace by id).

    A JSON file is parsed as it is read and its records validated and written in parts, so
    documents of millions of records load without holding them all in memory; any problem
    rolls the whole load back.
    """
    said = reader_language(lang)
    with errors_to_exit():
        parts = DocumentParts(path)
    with configured_store() as (_, store):
        with errors_to_exit(), Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"loading {path.name}", total=None)
            report = store.apply_parts(
                parts.edits(actor(), f"load {path.name}"),
                progress=lambda n: bar.advance(task, n),
            )
        _print_report(report, said)


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
    lang: LanguageOption = None,
) -> None:
    """Report every problem loading a document would meet, given the store; load nothing."""
    said = reader_language(lang)
    with errors_to_exit():
        document = read_document(path)
    with configured_store() as (_, store):
        _check(store, document)
    valid = gettext(N_("valid: {organizations} organizations, {relationships} relationships"), said)
    out.print(
        valid.format(
            organizations=format_decimal(len(document.organizations), locale=said),
            relationships=format_decimal(len(document.relationships), locale=said),
        )
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
def info(lang: LanguageOption = None) -> None:
    """Show the store in use, its record counts and the versions."""
    said = reader_language(lang)

    def number(n: int) -> str:
        return format_decimal(n, locale=said)

    with configured_store() as (_, store):
        counts = store.counts()
        out.print(f"solidarity-graph {__version__}")
        out.print(gettext(N_("store: {store}"), said).format(store=store.describe()))
        out.print(gettext(N_("graph version: {version}"), said).format(version=counts.version))
        columns = (N_("kind"), N_("type"), N_("count"))
        table = Table(*(gettext(column, said) for column in columns))
        every = gettext(N_("(all)"), said)
        table.add_row(gettext(KINDS[0], said), every, number(counts.organizations))
        for key, n in counts.organization_types.items():
            table.add_row("", label("organization_types", key, said), number(n))
        table.add_row(gettext(KINDS[1], said), every, number(counts.relationships))
        for key, n in counts.relationship_types.items():
            table.add_row("", relationship_label(key, said), number(n))
        out.print(table)


def main() -> None:
    """Entry point of the ``solgraph`` console script."""
    cli()
