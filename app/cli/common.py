"""What every ``solgraph`` command shares: consoles, error reporting, the configured store."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import TypeAdapter
from rich.console import Console
from rich.text import Text

from app.domain.errors import SolGraphError
from app.io.documents import seed_document
from app.settings import Settings, load_settings
from app.store.factory import open_store
from app.store.protocol import GraphStore, LoadReport

out = Console(markup=False, highlight=False)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
"""Markup is off: printed text may quote data, which must never be read as markup. Messages
on stderr are never wrapped: a path or a problem stays on one line, to copy or to grep."""


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Show a project error as one readable message and exit 1, instead of a stack trace.

    Messages are printed as plain text: they may quote data, which must not be read as markup.
    """
    try:
        yield
    except SolGraphError as error:
        err.print(Text("error: ", style="red") + Text(str(error)))
        for problem in getattr(error, "problems", [])[:50]:
            err.print(Text(f"  - {problem}"))
        raise typer.Exit(1) from None


@contextmanager
def configured_store() -> Iterator[tuple[Settings, GraphStore]]:
    """The store the ``SOLGRAPH_*`` settings name, closed when the command ends."""
    with errors_to_exit():
        settings = load_settings()
        store = open_store(settings)
        try:
            yield settings, store
        finally:
            store.close()


def print_json(value: Any) -> None:
    """Print dataclasses and models as indented JSON on stdout."""
    data = TypeAdapter(type(value)).dump_python(value, mode="json")
    out.print_json(json.dumps(data, ensure_ascii=False))


def actor() -> str:
    """Who the audit trail names for a command-line change: ``cli:<login name>``.

    Operators need the login name, so it is recorded; callers without an API key see only
    ``command line`` (``app.api.actors``).
    """
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def seed_if_empty(store: GraphStore) -> LoadReport | None:
    """Load the brief's ecosystem (the shipped seed) into ``store`` if it holds no
    organisation, as ``serve`` and ``analyse`` do on a fresh data folder; the load's report,
    or ``None`` if the store already held data."""
    if store.counts().organizations:
        return None
    return store.load(seed_document(), actor=actor())
