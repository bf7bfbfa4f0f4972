"""Loading Neo4j: the store's batched ``UNWIND`` against one statement per record.

    .venv/bin/python bench/run.py --neo4j-orgs 20000 --only neo4j

The store's ``load`` (planning, ``UNWIND $rows`` batches of ``BATCH`` rows, the audit trail,
one transaction) is timed on the whole document. The baseline runs the same Cypher one record
at a time (its MERGE and CREATE with plain parameters) in one transaction with the driver, on a
subset of about 5,000 rows (a slice of the relationships plus the organisations they join);
its rate is taken to hold for the full size, which the printout says. The store's load of
that same subset is timed too, for a like-for-like ratio. ``BATCH`` is swept first, on a
subset of ``--sweep-rows`` records (a full-size load per batch size takes too long here).

Then ``solgraph db import``'s path for an empty database: the import files written by
``app.store.neo4j.bulk`` and Neo4j's own importer (``neo4j-admin database import full``, run
from the launcher's Maven Central jars) into a fresh store directory, against the store's load
rate of the same run; the first start's schema and list fill (``Neo4jStore.connect``) is timed
beside it. It always uses a local Neo4j, whatever ``SOLGRAPH_NEO4J_URI`` says.

Neo4j is the server named by ``SOLGRAPH_NEO4J_URI`` (with ``_USER``/``_PASSWORD``), or a
local Neo4j 5.26 started by ``scripts/neo4j_local.py`` in a temporary directory.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import BENCH, Result, say, timed
from neo4j import Driver, GraphDatabase, ManagedTransaction

import app.store.neo4j.store as neo4j_store
from app.domain.models import Document, Organization, Relationship
from app.io.documents import to_json
from app.io.streaming import DocumentParts
from app.settings import Settings
from app.store.neo4j.bulk import write_import_files
from app.store.neo4j.store import Neo4jStore

sys.path.insert(0, str(BENCH.parent / "scripts"))

import neo4j_local  # lives in scripts/, not in the package

RATIO = 20.0
RATE = 10_000.0
IMPORT_RATE = 100_000.0
SWEEP = (500, 1000, 5000, 10000)
NEAR_BEST = 0.10

_MERGE_ORGANIZATION = """
MERGE (o:Organization {id: $id})
SET o += $properties
"""
_CREATE_RELATIONSHIP = """
MATCH (s:Organization {id: $source}), (t:Organization {id: $target})
CREATE (s)-[r:$($type) {id: $id}]->(t)
SET r += $properties
"""
"""``merge_organizations.cypher`` and ``create_relationships.cypher`` without the ``UNWIND``."""


@dataclass(frozen=True)
class Connection:
    """A running Neo4j: the settings for the store and a driver for hand-written Cypher."""

    settings: Settings
    driver: Driver
    described: str


@contextlib.contextmanager
def connection(heap: str) -> Iterator[Connection]:
    """The Neo4j named in the environment, else a local one in a temporary directory."""
    with contextlib.ExitStack() as stack:
        if os.environ.get("SOLGRAPH_NEO4J_URI"):
            settings = Settings(store="neo4j")
            described = f"Neo4j at {settings.neo4j_uri} (from SOLGRAPH_NEO4J_URI)"
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="solgraph-neo4j-"))
            server = stack.enter_context(neo4j_local.start(Path(folder), heap=heap))
            settings = Settings(
                store="neo4j",
                neo4j_uri=server.uri,
                neo4j_user=server.user,
                neo4j_password=server.password,
            )
            described = f"local Neo4j {neo4j_local.neo4j_version()}, heap {heap}"
        auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
        driver = stack.enter_context(GraphDatabase.driver(settings.neo4j_uri, auth=auth))
        yield Connection(settings, driver, described)


def subset(document: Document, rows: int) -> Document:
    """The first relationships, with the organisations they join, to about ``rows`` records."""
    orgs = {o.id: o for o in document.organizations}
    kept_orgs: dict[str, Organization] = {}
    kept_rels: list[Relationship] = []
    for rel in document.relationships:
        if len(kept_orgs) + len(kept_rels) >= rows:
            break
        kept_rels.append(rel)
        kept_orgs.update((i, orgs[i]) for i in (rel.source, rel.target))
    return Document(organizations=list(kept_orgs.values()), relationships=kept_rels)


def per_row(driver: Driver, document: Document, database: str) -> None:
    """Write ``document`` one statement per record, in one transaction."""

    def work(tx: ManagedTransaction) -> None:
        for org in document.organizations:
            row: dict[str, Any] = neo4j_store._organization_row(org)
            tx.run(_MERGE_ORGANIZATION, row).consume()
        for rel in document.relationships:
            row = neo4j_store._relationship_row(rel)
            tx.run(_CREATE_RELATIONSHIP, row).consume()

    with driver.session(database=database) as session:
        session.execute_write(work)


def _rows(document: Document) -> int:
    return len(document.organizations) + len(document.relationships)


def run(
    connected: Connection,
    store: Neo4jStore,
    document: Document,
    per_row_rows: int,
    sweep_rows: int,
) -> list[Result]:
    """The batch-size sweep and the load rates; leaves ``document`` loaded in ``store``."""
    database = connected.settings.neo4j_database
    warm = subset(document, 300)
    for _ in range(2):  # compile both plans, warm the JVM up
        store.clear()
        per_row(connected.driver, warm, database)
        store.clear()
        store.load(warm)
    swept = sweep(store, document, sweep_rows)
    part = subset(document, per_row_rows)
    store.clear()
    slow = timed(lambda: per_row(connected.driver, part, database))
    store.clear()
    fast_part = timed(lambda: store.load(part))
    store.clear()
    fast = timed(lambda: store.load(document))
    assert store.counts().relationships == len(document.relationships)
    slow_rate, part_rate = _rows(part) / slow, _rows(part) / fast_part
    rate = _rows(document) / fast
    n = f"{len(document.organizations):,} orgs + {len(document.relationships):,} rels"
    results = [
        say(
            Result(
                f"neo4j store.load, UNWIND batches of {neo4j_store.BATCH} ({n})",
                rate,
                slow_rate,
                "rows/s",
                f">= {RATIO:g}x per-row and >= {RATE:,.0f} rows/s",
                rate >= RATIO * slow_rate and rate >= RATE,
                f"{fast:.1f} s; baseline: per-row statements measured on {_rows(part):,} rows "
                f"({slow:.1f} s), rate assumed to hold at full size",
            )
        ),
        say(
            Result(
                f"neo4j store.load on the per-row subset ({_rows(part):,} rows)",
                part_rate,
                slow_rate,
                "rows/s",
                f">= {RATIO:g}x per-row",
                part_rate >= RATIO * slow_rate,
                "like for like: same rows, same empty database",
            )
        ),
    ]
    return [*results, *swept, bulk_import(document, rate)]


def bulk_import(document: Document, load_rate: float) -> Result:
    """``solgraph db import`` of ``document``: its files, streamed from a JSON file as the
    command streams it (writing that file is not timed), then Neo4j's importer into a fresh
    store directory, in rows (organisations plus relationships) per second of the two."""
    with tempfile.TemporaryDirectory(prefix="solgraph-import-") as folder:
        where = Path(folder)
        path = where / "graph.json"
        path.write_text(to_json(document), encoding="utf-8")
        started = time.perf_counter()
        files = write_import_files(
            lambda: DocumentParts(path).edits("bench", "db import"),
            where / "csv",
            datetime.now(UTC),
        )
        written = time.perf_counter() - started
        command = neo4j_local.admin_command(where / "neo4j", files.arguments("neo4j"))
        importing = timed(
            lambda: subprocess.run(command, check=True, capture_output=True, text=True)
        )
        with neo4j_local.start(where / "neo4j") as server:
            settings = Settings(
                store="neo4j",
                neo4j_uri=server.uri,
                neo4j_user=server.user,
                neo4j_password=server.password,
            )
            started = time.perf_counter()
            store = Neo4jStore.connect(settings)
            first_start = time.perf_counter() - started
            try:
                assert store.counts().relationships == len(document.relationships)
            finally:
                store.close()
    rate = files.rows / (written + importing)
    return say(
        Result(
            f"neo4j bulk import, solgraph db import files + neo4j-admin importer "
            f"({files.rows:,} rows)",
            rate,
            load_rate,
            "rows/s",
            f">= {IMPORT_RATE:,.0f} rows/s",
            rate >= IMPORT_RATE,
            f"files {written:.1f} s, importer {importing:.1f} s (a JVM start included; "
            f"{files.rows / importing:,.0f} rows/s alone); baseline: store.load above; "
            f"first start after it (constraints, indexes, empty lists) {first_start:.1f} s",
        )
    )


def sweep(store: Neo4jStore, document: Document, rows: int, rounds: int = 2) -> list[Result]:
    """Load time of about ``rows`` records at each batch size, best of ``rounds`` rounds.

    Rounds alternate the order of the sizes, so that drift in the machine's load (other
    processes) does not favour one size; is the default within 10% of the best?
    """
    part = subset(document, rows)
    default = neo4j_store.BATCH
    seconds: dict[int, float] = {}
    try:
        for round_ in range(rounds):
            for size in SWEEP if round_ % 2 == 0 else reversed(SWEEP):
                neo4j_store.BATCH = size
                store.clear()
                took = timed(lambda: store.load(part))
                seconds[size] = min(took, seconds.get(size, took))
                print(f"  BATCH={size}: {took:.2f} s", flush=True)
    finally:
        neo4j_store.BATCH = default
    best = min(seconds, key=seconds.__getitem__)
    mine = seconds.get(default)
    if mine is None:
        store.clear()
        mine = timed(lambda: store.load(part))
    listing = ", ".join(f"{k}: {v:.2f} s" for k, v in seconds.items())
    return [
        say(
            Result(
                f"neo4j load of {_rows(part):,} rows, default BATCH={default} against the best "
                f"({best})",
                mine,
                seconds[best],
                "s",
                f"within {NEAR_BEST:.0%} of the best",
                mine <= (1 + NEAR_BEST) * seconds[best],
                f"best of {rounds} per size: {listing}",
            )
        )
    ]
