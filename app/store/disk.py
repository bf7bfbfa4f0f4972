"""Durable, multi-process record storage for the embedded store, on SQLite in WAL mode.

SQLite gives the embedded store what a server would: a write is acknowledged only after it
is committed with a full sync (so it survives ``kill -9``), a failed load rolls back whole,
and several worker processes share one file, each seeing the others' commits. Records are
kept as their interchange JSON; the graph itself lives in memory (see ``memory.py``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from app.domain.edits import Change, timestamp
from app.domain.errors import Conflict, StoreUnavailable
from app.domain.imports import ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Organization, Relationship
from app.store.planning import Entry
from app.store.protocol import ChangeFilter, Page

_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relationships (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', 0);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, change TEXT NOT NULL,
    before TEXT, after TEXT
);
CREATE INDEX IF NOT EXISTS changes_entity_id ON changes (entity_id);
CREATE INDEX IF NOT EXISTS changes_at ON changes (at);
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (id TEXT PRIMARY KEY, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS imports_at ON imports (at, id);
"""

_COUNT_CHANGES = """
SELECT count(*) FROM changes
WHERE (? IS NULL OR at >= ?) AND (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)
"""
_LIST_CHANGES = """
SELECT seq, at, actor, action, entity, entity_id, change, before, after FROM changes
WHERE (? IS NULL OR at >= ?) AND (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)
ORDER BY seq LIMIT ? OFFSET ?
"""
"""The audit trail's filters (``ChangeFilter``); each value is given twice, for its null test."""

_ENDS = """
ALTER TABLE relationships ADD COLUMN source TEXT;
ALTER TABLE relationships ADD COLUMN target TEXT;
UPDATE relationships SET source = json_extract(body, '$.source'),
    target = json_extract(body, '$.target');
"""
"""Migration of files made before relationships kept their ends in columns of their own."""

_ENDS_INDEXES = """
CREATE INDEX IF NOT EXISTS relationships_source ON relationships (source);
CREATE INDEX IF NOT EXISTS relationships_target ON relationships (target);
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
            self._migrate()
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the data folder {data_dir}: {error}") from None
        self._lock = threading.RLock()

    def _migrate(self) -> None:
        """Bring a file made by an older version up to the current tables, once."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(relationships)")}
            script = (_ENDS if "source" not in columns else "") + _ENDS_INDEXES
            for statement in script.split(";"):
                if statement.strip():
                    self._db.execute(statement)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

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

    def changes(self, where: ChangeFilter, offset: int, limit: int) -> Page[Change]:
        """Audit entries matching ``where``, oldest first."""
        since = None if where.since is None else timestamp(where.since)
        values = (since, since, where.entity, where.entity, where.id, where.id)
        with self._lock:
            self._db.execute("BEGIN")
            try:
                total = self._db.execute(_COUNT_CHANGES, values).fetchone()[0]
                rows = self._db.execute(_LIST_CHANGES, (*values, limit, offset)).fetchall()
            finally:
                self._db.execute("COMMIT")
        items = [
            Change(
                seq=seq,
                at=datetime.fromisoformat(at),
                actor=actor,
                action=action,
                entity=entity,
                id=entity_id,
                change=change,
                before=None if before is None else json.loads(before),
                after=None if after is None else json.loads(after),
            )
            for seq, at, actor, action, entity, entity_id, change, before, after in rows
        ]
        return Page(items, int(total), offset, limit)

    def keys(self) -> list[ApiKey]:
        """Every stored API key, ordered by name."""
        with self._lock:
            rows = self._db.execute("SELECT body FROM api_keys ORDER BY name").fetchall()
        return [ApiKey.model_validate_json(body) for (body,) in rows]

    def key(self, key_id: str) -> ApiKey | None:
        """The API key with this key id, if any."""
        with self._lock:
            row = self._db.execute("SELECT body FROM api_keys WHERE key_id = ?", (key_id,))
            found = row.fetchone()
        return None if found is None else ApiKey.model_validate_json(found[0])

    def import_record(self, import_id: str) -> ImportRecord | None:
        """The import record with this id, if any."""
        with self._lock:
            row = self._db.execute("SELECT body FROM imports WHERE id = ?", (import_id,))
            found = row.fetchone()
        return None if found is None else ImportRecord.model_validate_json(found[0])

    def imports(self, offset: int, limit: int) -> Page[ImportRecord]:
        """Import records, newest first (by ``at``, then id, both descending)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                total = self._db.execute("SELECT count(*) FROM imports").fetchone()[0]
                rows = self._db.execute(
                    "SELECT body FROM imports ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
                    (limit, offset),
                ).fetchall()
            finally:
                self._db.execute("COMMIT")
        items = [ImportRecord.model_validate_json(body) for (body,) in rows]
        return Page(items, int(total), offset, limit)

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

    def organizations(self, ids: Collection[str]) -> dict[str, Organization]:
        """The stored organisations among ``ids``."""
        return {
            o.id: o
            for o in map(Organization.model_validate_json, self._bodies("organizations", ids))
        }

    def relationships(self, ids: Collection[str]) -> dict[str, Relationship]:
        """The stored relationships among ``ids``."""
        return {
            r.id: r
            for r in map(Relationship.model_validate_json, self._bodies("relationships", ids))
        }

    def attached(self, organization_ids: Collection[str]) -> list[Relationship]:
        """Stored relationships with either end among ``organization_ids``."""
        return list(
            map(Relationship.model_validate_json, self._bodies("attached", organization_ids))
        )

    def _bodies(self, table: str, ids: Collection[str]) -> list[str]:
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM wanted")
        self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in ids))
        query = {
            "organizations": "SELECT body FROM organizations JOIN wanted USING (id)",
            "relationships": "SELECT body FROM relationships JOIN wanted USING (id)",
            "attached": "SELECT body FROM relationships WHERE source IN wanted "
            "UNION SELECT body FROM relationships WHERE target IN wanted",
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
            "INSERT OR REPLACE INTO relationships (id, source, target, body) VALUES (?, ?, ?, ?)",
            ((r.id, r.source, r.target, r.model_dump_json()) for r in rels),
        )

    def delete_organizations(self, ids: Sequence[str]) -> None:
        """Delete organisations by id (their relationships are deleted first by the caller)."""
        self._db.executemany("DELETE FROM organizations WHERE id = ?", ((i,) for i in ids))

    def delete_relationships(self, ids: Sequence[str]) -> None:
        """Delete relationships by id."""
        self._db.executemany("DELETE FROM relationships WHERE id = ?", ((i,) for i in ids))

    def add_changes(self, entries: Sequence[Entry], at: datetime, actor: str, action: str) -> None:
        """Append audit entries, numbered in order, all stamped with one instant."""
        stamp = timestamp(at)
        self._db.executemany(
            "INSERT INTO changes (at, actor, action, entity, entity_id, change, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    stamp,
                    actor,
                    action,
                    e.entity,
                    e.id,
                    e.change,
                    e.before,
                    e.after,
                )
                for e in entries
            ),
        )

    def put_key(self, key: ApiKey, new: bool) -> None:
        """Insert a new key (``Conflict`` if its name or key id is taken) or replace one."""
        verb = "INSERT" if new else "INSERT OR REPLACE"
        try:
            self._db.execute(
                f"{verb} INTO api_keys (name, key_id, body) VALUES (?, ?, ?)",
                (key.name, key.key_id, key.model_dump_json()),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"an API key named '{key.name}' already exists") from None

    def key_named(self, name: str) -> ApiKey | None:
        """The API key with this name, if any, as the transaction sees it."""
        row = self._db.execute("SELECT body FROM api_keys WHERE name = ?", (name,)).fetchone()
        return None if row is None else ApiKey.model_validate_json(row[0])

    def put_import(self, record: ImportRecord, new: bool) -> None:
        """Insert a new import record (``Conflict`` if its id is taken) or replace one."""
        verb = "INSERT" if new else "INSERT OR REPLACE"
        try:
            self._db.execute(
                f"{verb} INTO imports (id, at, body) VALUES (?, ?, ?)",
                (record.id, timestamp(record.at), record.model_dump_json()),
            )
        except sqlite3.IntegrityError:
            raise Conflict(f"an import with id '{record.id}' already exists") from None

    def import_record(self, import_id: str) -> ImportRecord | None:
        """The import record with this id, if any, as the transaction sees it."""
        row = self._db.execute("SELECT body FROM imports WHERE id = ?", (import_id,)).fetchone()
        return None if row is None else ImportRecord.model_validate_json(row[0])

    def clear(self) -> None:
        """Delete every record, audit entry, API key and import record."""
        self._db.execute("DELETE FROM relationships")
        self._db.execute("DELETE FROM organizations")
        self._db.execute("DELETE FROM changes")
        self._db.execute("DELETE FROM api_keys")
        self._db.execute("DELETE FROM imports")

    def version(self) -> int:
        """The graph version as this transaction sees it."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0])

    def set_schema_version(self, number: int) -> None:
        """Record the schema version the file was set up with."""
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (number,)
        )

    def bump_version(self) -> int:
        """Mark the graph as changed (every process rebuilds its copy); return the new version."""
        self._db.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
        return self.version()
