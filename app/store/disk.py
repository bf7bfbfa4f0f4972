"""Durable, multi-process record storage for the embedded store, on SQLite in WAL mode.

SQLite gives the embedded store what a server would: a write is acknowledged only after it
is committed with a full sync (so it survives ``kill -9``), a failed load rolls back whole,
and several worker processes share one file, each seeing the others' commits. Records are
kept as their interchange JSON; the graph itself lives in memory (see ``memory.py``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from app.domain.errors import StoreUnavailable
from app.domain.models import Organization, Relationship

_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relationships (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', 0);
"""

FILE_NAME = "solgraph.sqlite3"


class Disk:
    """The record file of one data folder; safe to share between threads and processes."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the data folder {data_dir}: {error}") from None
        self._lock = threading.RLock()

    def meta(self, key: str) -> int | None:
        """A number kept beside the records: ``version`` (of the graph) or ``schema_version``."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def version(self) -> int:
        """The graph version committed last, by any process."""
        return self.meta("version") or 0

    def read_all(self) -> tuple[int, list[Organization], list[Relationship]]:
        """A consistent snapshot: the version and every record, read in one transaction."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                version = self._db.execute("SELECT value FROM meta WHERE key = 'version'")
                number = int(version.fetchone()[0])
                orgs = [
                    Organization.model_validate_json(body)
                    for (body,) in self._db.execute("SELECT body FROM organizations")
                ]
                rels = [
                    Relationship.model_validate_json(body)
                    for (body,) in self._db.execute("SELECT body FROM relationships")
                ]
            finally:
                self._db.execute("COMMIT")
        return number, orgs, rels

    @contextmanager
    def writing(self) -> Iterator[Writer]:
        """A write transaction that holds the file's write lock; rolled back on any error."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Writer(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


class Writer:
    """Writes inside one transaction of :meth:`Disk.writing`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def stored_types(self) -> dict[str, str]:
        """Every stored organisation id with its type, as the transaction sees them."""
        return dict(self._db.execute("SELECT id, type FROM organizations").fetchall())

    def organizations(self, ids: Sequence[str]) -> dict[str, Organization]:
        """The stored organisations among ``ids``."""
        return {
            o.id: o
            for o in map(Organization.model_validate_json, self._bodies("organizations", ids))
        }

    def relationships(self, ids: Sequence[str]) -> dict[str, Relationship]:
        """The stored relationships among ``ids``."""
        return {
            r.id: r
            for r in map(Relationship.model_validate_json, self._bodies("relationships", ids))
        }

    def _bodies(self, table: str, ids: Sequence[str]) -> list[str]:
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM wanted")
        self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in ids))
        query = {
            "organizations": "SELECT body FROM organizations JOIN wanted USING (id)",
            "relationships": "SELECT body FROM relationships JOIN wanted USING (id)",
        }[table]
        return [body for (body,) in self._db.execute(query)]

    def put_organizations(self, orgs: Sequence[Organization]) -> None:
        """Insert or replace organisations by id."""
        self._db.executemany(
            "INSERT OR REPLACE INTO organizations (id, type, body) VALUES (?, ?, ?)",
            ((o.id, o.type, o.model_dump_json()) for o in orgs),
        )

    def put_relationships(self, rels: Sequence[Relationship]) -> None:
        """Insert or replace relationships by id."""
        self._db.executemany(
            "INSERT OR REPLACE INTO relationships (id, body) VALUES (?, ?)",
            ((r.id, r.model_dump_json()) for r in rels),
        )

    def clear(self) -> None:
        """Delete every record."""
        self._db.execute("DELETE FROM relationships")
        self._db.execute("DELETE FROM organizations")

    def set_schema_version(self, number: int) -> None:
        """Record the schema version the file was set up with."""
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (number,)
        )

    def bump_version(self) -> None:
        """Mark the graph as changed, so every process rebuilds its in-memory copy."""
        self._db.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
