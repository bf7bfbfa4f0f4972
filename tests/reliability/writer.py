"""The writer that the kill -9 trials run as a child process, and the script of writes it makes.

``python -m tests.reliability.writer DIR`` opens the embedded store in ``DIR``, resumes the
script at the write numbered by the store's version (each write bumps it once), and reports on
stdout, one flushed line each: ``READY`` (imports done), ``START k`` (store open, resuming at
write ``k``), ``BATCH i n`` (the ``n``-th batch of write ``i`` is written, not yet committed),
``ACK i`` (write ``i`` returned) and ``DONE``; then it sleeps until killed.

``--steps N`` runs only the first ``N`` writes; ``--stall-in I`` freezes write ``I`` inside
its transaction, after its first batch. Each write runs as actor ``step-i``, so the audit
trail tells the writes apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.curation import records
from app.domain.edits import Edit, Kind
from app.domain.models import Document, Organization, Relationship
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore, Progress
from tests.factories import org, rel, small_ecosystem


@dataclass(frozen=True)
class Create:
    """A new organisation or relationship, through ``records.create``."""

    record: Organization | Relationship


@dataclass(frozen=True)
class Patch:
    """A merge patch of one organisation, through ``records.patch`` without an ETag."""

    id: str
    fields: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class Delete:
    """The deletion of one record through ``records.delete``; organisations cascade."""

    kind: Kind
    id: str


@dataclass(frozen=True)
class Load:
    """A bulk import: ``store.load`` of a whole document, one transaction."""

    document: Document


@dataclass(frozen=True)
class Import:
    """A bulk import in parts: ``store.apply_parts``, one transaction streamed part by part."""

    parts: tuple[Document, ...]


@dataclass(frozen=True)
class Purge:
    """A bulk delete: one edit deleting many organisations with all their relationships."""

    ids: tuple[str, ...]


Step = Create | Patch | Delete | Load | Import | Purge
BULK = (Load, Import, Purge)
"""The kinds of step that write hundreds or thousands of records in one transaction."""


def _orgs(prefix: str, ids: range, **fields: Any) -> list[Organization]:
    return [org(f"{prefix}-{i:05d}", **fields) for i in ids]


def _chain(prefix: str, ids: range, **fields: Any) -> list[Relationship]:
    """``prefix-i MEMBER_OF prefix-(i+1)`` for each ``i``."""
    return [
        rel(
            f"{prefix}-link-{i:05d}",
            "MEMBER_OF",
            f"{prefix}-{i:05d}",
            f"{prefix}-{i + 1:05d}",
            **fields,
        )
        for i in ids
    ]


def _affiliations(ids: range) -> list[Relationship]:
    """``b-i AFFILIATE_OF a-j``, spread over a-organisations the script never deletes."""
    return [
        rel(f"b-aff-{i:05d}", "AFFILIATE_OF", f"b-{i:05d}", f"a-{1000 + i % 400:05d}") for i in ids
    ]


SCRIPT: tuple[Callable[[], Step], ...] = (
    lambda: Load(small_ecosystem()),
    lambda: Create(org("solo-0", countries=["KE"])),
    lambda: Patch("union", {"aliases": ["UT", "UTD"]}),
    lambda: Load(
        Document(organizations=_orgs("a", range(1500)), relationships=_chain("a", range(800)))
    ),
    lambda: Create(rel("solo-0-member-of-union", "MEMBER_OF", "solo-0", "union")),
    lambda: Patch("a-00007", {"founded": 1999, "countries": ["CO"]}),
    lambda: Delete("relationship", "a-link-00003"),
    lambda: Load(
        Document(
            organizations=_orgs("a", range(1500), description="second load"),
            relationships=_chain("a", range(800), since=2020),
        )
    ),
    lambda: Delete("organization", "a-00010"),
    lambda: Create(org("solo-1", type="cooperative", movement="sse")),
    lambda: Import(
        (
            Document(organizations=_orgs("b", range(400))),
            Document(
                organizations=_orgs("b", range(400, 800)), relationships=_affiliations(range(400))
            ),
            Document(
                organizations=_orgs("b", range(800, 1200)),
                relationships=_affiliations(range(400, 800)),
            ),
        )
    ),
    lambda: Patch("b-00042", {"countries": ["BR"], "aliases": ["B42"]}),
    lambda: Delete("organization", "solo-1"),
    lambda: Purge(tuple(f"a-{i:05d}" for i in range(600, 1000))),
    lambda: Create(org("solo-2")),
    lambda: Patch("solo-2", {"name": "Solo Two", "founded": 2001}),
    lambda: Load(
        Document(organizations=_orgs("c", range(1500)), relationships=_chain("c", range(600)))
    ),
    lambda: Delete("relationship", "solo-0-member-of-union"),
    lambda: Patch("coop", {"sectors": ["care_work"], "founded": None}),
    lambda: Load(Document(organizations=_orgs("a", range(400), description="third load"))),
    lambda: Create(rel("solo-2-partners-c", "PARTNERS_WITH", "solo-2", "c-00001")),
    lambda: Delete("organization", "union"),
)
"""The writes, in order; each builds its records when called, so a child builds only its own."""


def script() -> list[Step]:
    """Every write of the script, built."""
    return [make() for make in SCRIPT]


def perform(store: GraphStore, i: int, step: Step, progress: Progress | None = None) -> None:
    """Make write ``i`` of the script in ``store``."""
    actor = f"step-{i}"
    match step:
        case Create(record):
            kind: Kind = "organization" if isinstance(record, Organization) else "relationship"
            records.create(store, kind, record, actor)
        case Patch(record_id, fields):
            records.patch(store, "organization", record_id, fields, actor, None)
        case Delete(kind, record_id):
            records.delete(store, kind, record_id, actor, None, cascade=kind == "organization")
        case Load(document):
            store.load(document, progress, actor)
        case Import(parts):
            store.apply_parts((Edit.of_document(p, actor, "import") for p in parts), progress)
        case Purge(ids):
            store.apply(Edit(actor, "purge", delete_organizations=ids, cascade=True), progress)


def _say(line: str) -> None:
    print(line, flush=True)


def main(argv: Sequence[str]) -> None:
    """Run the script from where the store's version says, reporting each step on stdout."""
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--steps", type=int, default=len(SCRIPT))
    parser.add_argument("--stall-in", type=int, default=-1)
    args = parser.parse_args(argv)
    _say("READY")
    store = MemoryStore(args.data_dir)
    start = store.version()
    _say(f"START {start}")
    for i in range(start, args.steps):
        batches = 0

        def progress(n: int, i: int = i) -> None:
            nonlocal batches
            batches += 1
            _say(f"BATCH {i} {batches}")
            if i == args.stall_in:
                time.sleep(3600)

        perform(store, i, SCRIPT[i](), progress)
        _say(f"ACK {i}")
    _say("DONE")
    time.sleep(3600)


if __name__ == "__main__":
    main(sys.argv[1:])
