"""``solgraph bench``: helpers for benchmarks and load tests, such as synthetic ecosystems."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import err
from app.io.synthetic import DEFAULT_SEED, MAX_ORGANIZATIONS, write_document

bench_cli = typer.Typer(help="Benchmark helpers: synthetic ecosystems.", no_args_is_help=True)


def _size(value: int) -> int:
    """Refuse an ecosystem size outside 1..MAX_ORGANIZATIONS, saying the range."""
    if not 1 <= value <= MAX_ORGANIZATIONS:
        raise typer.BadParameter(f"must be between 1 and {MAX_ORGANIZATIONS:,}, not {value:,}")
    return value


@bench_cli.command("generate")
def generate(
    orgs: Annotated[
        int,
        typer.Option(
            "--orgs",
            callback=_size,
            help=f"How many organisations (1 to {MAX_ORGANIZATIONS:,}); about 3 ties each.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", dir_okay=False, help="The JSON file to write.")
    ],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same file.")] = (
        DEFAULT_SEED
    ),
) -> None:
    """Write a seeded synthetic ecosystem as an interchange JSON document, streaming."""
    started = time.perf_counter()
    try:
        written = write_document(output, orgs, seed)
    except OSError as error:
        err.print(f"error: cannot write {output}: {error.strerror or error}")
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - started
    err.print(
        f"wrote {output}: {written.organizations:,} organisations, "
        f"{written.relationships:,} relationships, {written.bytes / 1e6:,.1f} MB "
        f"(seed {seed}) in {seconds:.1f} s",
        soft_wrap=True,
    )
