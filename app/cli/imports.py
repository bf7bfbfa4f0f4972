"""``solgraph import``: import files all or nothing, print the report, and review name matches,
in the reader's language (``--lang``, else the locale); what the importers and the matching
say of a record (headings, evidence) stays as they say it."""

from __future__ import annotations

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
from app.cli.reports import changes_table
from app.curation.imports import all_imports, decide, run_import
from app.domain.imports import Decision, ImportRecord, ReviewCandidate
from app.domain.languages import Language
from app.domain.messages import N_, Sentence, gettext, ngettext
from app.io.importers import uploads_of
from app.store.protocol import GraphStore

CHOICES: dict[str, Decision] = {"a": "accepted", "r": "rejected"}
"""The answers to the review's question, by their first letter, in every language."""
DECISIONS: dict[Decision, str] = {"accepted": N_("accepted"), "rejected": N_("rejected")}
"""Each decision as the review says it."""


def _said(message: str, lang: Language, **values: str | int) -> str:
    """A marked message in ``lang``, its places filled (numbers as ``lang`` writes them)."""
    return Sentence(message, tuple(values.items())).say(lang)


def _counted(message: str, count: int, lang: Language) -> str:
    """A message already in ``lang``'s plural form for ``count``, the number as ``lang`` writes
    it."""
    return message.format(count=format_decimal(count, locale=lang))


def _pending(store: GraphStore, import_id: str | None) -> list[ImportRecord]:
    """The import named, or every import that still has candidates pending, oldest first."""
    if import_id is not None:
        return [store.get_import(import_id)]
    records = all_imports(store)
    return [r for r in records if any(c.status == "pending" for c in r.candidates)][::-1]


def _show(record: ImportRecord, candidate: ReviewCandidate, lang: Language) -> None:
    """A candidate match as the review shows it: both records and the evidence, labelled in
    ``lang``."""
    score = round(candidate.score)
    names = _said(N_("names {score}/100"), lang, score=score)
    out.print(f"\n{record.id} {candidate.id} ({record.origin}), {names}")
    rows = [
        (N_("imported"), f"{candidate.imported_name} ({candidate.imported})"),
        (N_("stored"), f"{candidate.stored_name} ({candidate.stored})"),
        *((N_("for"), line) for line in candidate.evidence_for),
        *((N_("against"), line) for line in candidate.evidence_against),
    ]
    width = max(len(gettext(heading, lang)) for heading, _ in rows) + 2
    for heading, words in rows:
        out.print(f"  {(gettext(heading, lang) + ':').ljust(width)}{words}")


def review(store: GraphStore, import_id: str | None, lang: Language) -> None:
    """Ask, for each pending candidate, whether to accept (merge), reject or skip it."""
    records = _pending(store, import_id)
    waiting = [(r, c) for r in records for c in r.candidates if c.status == "pending"]
    if not waiting:
        out.print(gettext(N_("no name matches await review"), lang))
        return
    out.print(
        _counted(
            ngettext(
                "{count} name match awaits review",
                "{count} name matches await review",
                len(waiting),
                lang,
            ),
            len(waiting),
            lang,
        )
    )
    question = gettext(N_("accept (a, merges them), reject (r) or skip (s)?"), lang)
    for record, candidate in waiting:
        _show(record, candidate, lang)
        answer = typer.prompt(f"  {question}", default="s")
        decision = CHOICES.get(answer.strip().lower()[:1])
        if decision is None:
            continue
        with errors_to_exit():
            _, merged = decide(store, record.id, candidate.id, decision, actor())
        kept = _said(N_("; merged into {id}"), lang, id=merged.id) if merged else ""
        out.print(f"  {gettext(DECISIONS[decision], lang)}{kept}")


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
    lang: LanguageOption = None,
) -> None:
    """Import files all or nothing (importing them again changes nothing), or review matches.

    Organisations are matched to stored ones by org-id, or by name when a shared country
    confirms it; other name matches wait for review: ``solgraph import --review``.
    """
    said = reader_language(lang)
    with configured_store() as (_, store):
        if not paths:
            if not review_queue:
                err.print("error: name files to import, or use --review")
                raise typer.Exit(2)
            review(store, import_id, said)
            return
        with errors_to_exit():
            outcome = run_import(store, uploads_of(paths), actor(), dry_run)
        out.print(outcome.report.as_text(lang=said))
        out.print(changes_table(outcome.organizations, outcome.relationships, said))
        if outcome.record is None:
            out.print(gettext(N_("dry run: valid against the store; nothing written"), said))
            return
        pending = len(outcome.record.candidates)
        out.print(_said(N_("import id: {id}"), said, id=outcome.record.id))
        if pending and review_queue:
            review(store, outcome.record.id, said)
        elif pending:
            waiting = ngettext(
                "{count} name match awaits review: solgraph import --review",
                "{count} name matches await review: solgraph import --review",
                pending,
                said,
            )
            out.print(_counted(waiting, pending, said))
