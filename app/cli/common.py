"""What every ``solgraph`` command shares: consoles, error reporting, the configured store."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from babel import parse_locale
from pydantic import TypeAdapter
from rich.console import Console
from rich.text import Text

from app.domain.errors import SolGraphError
from app.domain.languages import DEFAULT, LANGUAGES, Language, language
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


LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of the table: en, es, fr or pt (default: the one LANGUAGE, LC_ALL, "
        "LC_MESSAGES or LANG names, if ours, else en).",
    ),
]


def reader_language(asked: str | None) -> Language:
    """``--lang`` if given, else the first of ours that the environment names, as gettext
    reads it (``LANGUAGE``, a list, then ``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English;
    an unknown ``--lang`` ends the command naming ours."""
    if asked is not None:
        try:
            return language(asked)
        except ValueError as refused:
            err.print(f"error: --lang {refused}")
            raise typer.Exit(2) from None
    named = os.environ.get("LANGUAGE", "").split(":")
    named += [next((v for v in map(os.environ.get, LOCALE_VARIABLES) if v), "")]
    for name in named:
        if name and name not in ("C", "POSIX") and not name.startswith("C."):
            try:
                wanted = parse_locale(name.split(".")[0].split("@")[0])[0]
            except ValueError:  # not a locale name: look further
                continue
            if wanted in LANGUAGES:
                return language(wanted)
    return DEFAULT


LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
"""After ``LANGUAGE``'s list, the first of these that is set names the locale."""
