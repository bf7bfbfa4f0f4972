"""Durable, multi-process record storage for the embedded store, on SQLite in WAL mode.

SQLite gives the embedded store what a server would: a write is acknowledged only after it
is committed with a full sync (so it survives ``kill -9``), a failed load rolls back whole,
and several worker processes share one file, each seeing the others' commits. Records are
kept as their interchange JSON, beside the columns that lists filter and sort on; the graph's
outline (ids, types, ends) lives in memory too (see ``memory.py``).

A new store file is made only where there is no file at all, built aside and linked into
place whole. An existing file is checked before anything is written to it (a SQLite header,
the store's tables, SQLite's ``quick_check``): an emptied, truncated or foreign file is
refused with ``DamagedStore``, never taken for a new store.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal, TypeVar

from app.domain.edits import Change, timestamp
from app.domain.errors import Conflict, DamagedStore, StoreUnavailable
from app.domain.imports import ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Organization, Relationship
from app.domain.rejections import RejectedPair
from app.domain.sessions import BrowserSession
from app.domain.text import fold
from app.store.planning import Entry
from app.store.protocol import ChangeFilter, OrganizationFilter, Page, RelationshipFilter

T = TypeVar("T")

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
CREATE TABLE IF NOT EXISTS publications (
    kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY, expires TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS imports_at ON imports (at, id);
CREATE TABLE IF NOT EXISTS rejected_pairs (
    first TEXT NOT NULL, second TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (first, second)
);
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

_LISTED = """
ALTER TABLE relationships ADD COLUMN type TEXT;
UPDATE relationships SET type = json_extract(body, '$.type');
ALTER TABLE organizations ADD COLUMN name_key TEXT;
ALTER TABLE organizations ADD COLUMN movement TEXT;
ALTER TABLE organizations ADD COLUMN search_keys TEXT;
UPDATE organizations SET name_key = solgraph_fold(json_extract(body, '$.name')),
    movement = json_extract(body, '$.movement'), search_keys = solgraph_search_keys(body);
"""
"""Migration of files made before the columns that lists filter and sort on: a relationship's
type, an organisation's folded name (``fold``), movement and search keys (a JSON list)."""

_LISTED_INDEXES = """
CREATE INDEX IF NOT EXISTS organizations_listed ON organizations (name_key, id);
"""

FILE_NAME = "solgraph.sqlite3"
BULK_CACHE_KIB = 256 * 1024
"""SQLite's page cache during a bulk write, in KiB (otherwise SQLite's default, 2 MiB). A load
of a million organisations updates indexes of several hundred MB at random places; with the
default cache each of those writes reads its pages again through the operating system."""

_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""
_HEADER = 100
"""Bytes in a SQLite database file's header: page size at 16, page count at 28 (big-endian)."""
_REQUIRED = ("meta", "organizations", "relationships")
"""Tables every store file has had since the first version; later ones are added on opening."""
_DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
"""SQLite's answers for a file whose content is broken, as opposed to one that is busy."""
ADVICE = (
    "restore a backup with `solgraph restore BACKUP` (stop the server first), "
    "or move the file away to start an empty store"
)


def sidecar(path: Path, suffix: str) -> Path:
    """SQLite's file beside a database: ``-wal`` (its write-ahead log) or ``-shm``."""
    return path.with_name(path.name + suffix)


def sync_file(path: Path) -> None:
    """Flush a file, or a folder's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def new_file_beside(target: Path, suffix: str, mode: int = 0o644) -> Path:
    """A new, empty file with a random name in ``target``'s folder, so that renaming it over
    ``target`` is atomic; its mode is ``mode`` less the umask, as SQLite makes its files."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}{suffix}")
    os.close(os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
    return temp


def file_problem(path: Path) -> str | None:
    """What makes ``path`` no SQLite database at all, read from its first bytes; else ``None``.

    A file that cannot be read raises ``StoreUnavailable``: that is for permissions to mend.
    """
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER)
            size = os.fstat(file.fileno()).st_size
    except IsADirectoryError:
        return "is a directory, not a file"
    except FileNotFoundError:
        return "cannot be found (a broken link?)"
    except OSError as error:
        raise StoreUnavailable(
            f"cannot read {path}: {error.strerror or error}; give the user running solgraph "
            "read and write access to it and to its folder"
        ) from None
    if not header:
        return "is empty (0 bytes): a store file never is, so it was truncated or replaced"
    if not header.startswith(_MAGIC):
        return "is not a SQLite database (its first bytes are not SQLite's header)"
    return _size_problem(path, header, size)


def _size_problem(path: Path, header: bytes, size: int) -> str | None:
    """Whether the file is shorter than its header says: cut off mid-page, or pages short.

    The header's page count is checked only with no write-ahead log waiting to be applied,
    which may hold pages not yet copied into the file.
    """
    if len(header) < _HEADER:
        return f"is truncated ({size} bytes, less than SQLite's header)"
    page = int.from_bytes(header[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or size % page:
        return f"is truncated ({size} bytes, not a whole number of {page}-byte pages)"
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]
    log = sidecar(path, "-wal")
    if counted and size < pages * page and not (log.exists() and log.stat().st_size > 0):
        return f"is truncated ({size // page} pages where its header counts {pages})"
    return None


def store_problem(db: sqlite3.Connection, thorough: bool = False) -> str | None:
    """What makes an open SQLite database no sound store, if anything; it only reads.

    ``thorough`` runs SQLite's full ``integrity_check`` instead of the linear ``quick_check``.
    SQLite's own errors (a malformed file) propagate, for :func:`sqlite_problem`.
    """
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = [name for name in _REQUIRED if name not in tables]
    if missing:
        return f"is a SQLite database but no Solidarity Graph store (no {', '.join(missing)} table)"
    if db.execute("SELECT count(*) FROM meta WHERE key = 'version'").fetchone()[0] != 1:
        return "has no graph version in its meta table"
    check = "integrity_check" if thorough else "quick_check"
    found = [str(row[0]) for row in db.execute(f"PRAGMA {check}(3)")]
    if found != ["ok"]:
        lines = [line for row in found for line in row.splitlines() if not line.startswith("*")]
        return f"fails SQLite's {check}: {'; '.join(lines)}"
    return None


def sqlite_problem(error: sqlite3.Error) -> str | None:
    """The damage an error of SQLite reports, or ``None`` if it is not about the content."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return f"is damaged (SQLite: {error})" if code in _DAMAGE_CODES else None


def open_checked(
    path: Path, role: str, advice: str, thorough: bool = False, read_only: bool = False
) -> sqlite3.Connection:
    """A connection to the existing database file ``path``, once it is checked to be a store.

    Never creates a file and writes nothing. Refused as ``DamagedStore("<role> <path> <what is
    wrong>; <advice>")``, or ``StoreUnavailable`` if the file cannot be read or is busy.
    """
    problem = file_problem(path)
    if problem is None:
        mode = "ro" if read_only else "rw"
        try:
            db = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode={mode}",
                uri=True,
                timeout=30,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot open {role} {path}: {error}") from None
        try:
            problem = store_problem(db, thorough)
        except sqlite3.Error as error:
            problem = sqlite_problem(error)
            if problem is None:
                db.close()
                raise StoreUnavailable(f"cannot read {role} {path}: {error}") from None
        if problem is None:
            return db
        db.close()
    raise DamagedStore(f"{role} {path} {problem}; {advice}")


def _create(path: Path) -> None:
    """Make a new, empty store file at ``path``: built aside, then linked into place whole.

    So no process ever meets a half-made store file, and an existing one, even an empty one,
    is never replaced. A write-ahead log left without its database is refused: SQLite would
    apply it to the new file.
    """
    log = sidecar(path, "-wal")
    if log.exists() and log.stat().st_size > 0:
        raise DamagedStore(
            f"the store file {path} is missing but its write-ahead log {log.name} is not; "
            f"restore a backup with `solgraph restore BACKUP`, or move {log.name} away to "
            "start an empty store"
        )
    temp = new_file_beside(path, ".new")
    try:
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        finally:
            db.close()
        sync_file(temp)
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another process made the store at the same moment: both use its file
        except OSError:  # a file system without hard links; a rename is atomic too
            if not os.path.lexists(path):
                os.replace(temp, path)
        sync_file(path.parent)
    finally:
        temp.unlink(missing_ok=True)


class Disk:
    """The record file of one data folder; safe to share between threads and processes."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(self.path):
                _create(self.path)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the data folder {data_dir}: {error}") from None
        self._db = open_checked(self.path, "the store file", ADVICE)
        self._db.create_function("solgraph_fold", 1, fold, deterministic=True)
        self._db.create_function("solgraph_search_keys", 1, _search_keys, deterministic=True)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._migrate()
        except sqlite3.Error as error:
            self._db.close()
            problem = sqlite_problem(error)
            if problem is not None:
                raise DamagedStore(f"the store file {self.path} {problem}; {ADVICE}") from None
            raise StoreUnavailable(f"cannot open the data folder {data_dir}: {error}") from None
        self._lock = threading.RLock()

    def _migrate(self) -> None:
        """Bring a file made by an older version up to the current tables, once."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(relationships)")}
            script = (_ENDS if "source" not in columns else "") + _ENDS_INDEXES
            script += (_LISTED if "type" not in columns else "") + _LISTED_INDEXES
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

    def version_nowait(self) -> int | None:
        """:meth:`version`, or ``None`` if this process's connection is busy (a write or a
        long read holds it) rather than waiting for it."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            self._lock.release()
        return 0 if row is None else int(row[0])

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A read transaction: every read through the reader sees one committed version.

        It holds this connection (so the caller's own in-memory state can be kept in step with
        what it reads), never the file: other processes write meanwhile.
        """
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield Reader(self._db)
            finally:
                self._db.execute("COMMIT")

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

    def publication(self, kind: str, publication_id: str) -> str | None:
        """The stored JSON of the view or story with this id, if any."""
        with self._lock:
            return _publication(self._db, kind, publication_id)

    def publications(self, kind: str, offset: int, limit: int) -> tuple[list[str], int]:
        """The stored JSON of views or stories in id order, from ``offset``, and their count."""
        with self._lock:
            total = self._db.execute(
                "SELECT count(*) FROM publications WHERE kind = ?", (kind,)
            ).fetchone()[0]
            rows = self._db.execute(
                "SELECT body FROM publications WHERE kind = ? ORDER BY id LIMIT ? OFFSET ?",
                (kind, limit, offset),
            ).fetchall()
        return [body for (body,) in rows], int(total)

    def session(self, hashed: str) -> BrowserSession | None:
        """The browser session whose token has this hash, if any."""
        with self._lock:
            row = self._db.execute("SELECT body FROM sessions WHERE token_hash = ?", (hashed,))
            found = row.fetchone()
        return None if found is None else BrowserSession.model_validate_json(found[0])

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

    def rejected_pairs(self) -> list[RejectedPair]:
        """Every rejected duplicate pair, ordered by first id, then second."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM rejected_pairs ORDER BY first, second"
            ).fetchall()
        return [RejectedPair.model_validate_json(body) for (body,) in rows]

    @contextmanager
    def writing(self, bulk: bool = False) -> Iterator[Writer]:
        """A write transaction that holds the file's write lock; rolled back on any error.

        A ``bulk`` one (a load of many records) has a page cache of :data:`BULK_CACHE_KIB`,
        given back when it ends.
        """
        with self._lock:
            cache = int(self._db.execute("PRAGMA cache_size").fetchone()[0])
            self._db.execute(f"PRAGMA cache_size={-BULK_CACHE_KIB if bulk else cache}")
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield Writer(self._db)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                self._db.execute(f"PRAGMA cache_size={cache}")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


def _publication(db: sqlite3.Connection, kind: str, publication_id: str) -> str | None:
    row = db.execute(
        "SELECT body FROM publications WHERE kind = ? AND id = ?", (kind, publication_id)
    ).fetchone()
    return None if row is None else str(row[0])


def _search_keys(body: str) -> str:
    """The stored organisation's ``search_keys`` as a JSON list, for its column; SQLite's
    function ``solgraph_search_keys`` (used when a file of an older layout is migrated)."""
    return json.dumps(Organization.model_validate_json(body).search_keys(), ensure_ascii=False)


def _in_ids(ids: Collection[str]) -> str:
    """``ids`` as the one parameter of ``IN (SELECT value FROM json_each(?))``."""
    return json.dumps(list(ids))


_ORGANIZATION_FILTERS = {
    "type": "type = ?",
    "movement": "movement = ?",
    "country": "EXISTS (SELECT 1 FROM json_each(body, '$.countries') WHERE value = ?)",
    "sector": "EXISTS (SELECT 1 FROM json_each(body, '$.sectors') WHERE value = ?)",
    "q": "EXISTS (SELECT 1 FROM json_each(search_keys) WHERE instr(value, ?) > 0)",
}
"""SQL for each filter of ``OrganizationFilter``, the same test as its ``matches``."""
_RELATIONSHIP_FILTERS = {"type": "type = ?", "source": "source = ?", "target": "target = ?"}
"""SQL for each filter of ``RelationshipFilter``."""


def _where(filters: dict[str, str], given: dict[str, str | None]) -> tuple[str, list[str]]:
    """The ``WHERE`` clause of the filters given a value (fixed SQL), and its parameters."""
    chosen = [(filters[name], value) for name, value in given.items() if value is not None]
    clause = " AND ".join(sql for sql, _ in chosen)
    return (f"WHERE {clause}" if clause else ""), [value for _, value in chosen]


def _select(what: str, table: str, clause: str, tail: str = "") -> str:
    """A query put together from this module's fixed fragments, never from input: values
    are always parameters."""
    return f"SELECT {what} FROM {table} {clause} {tail}"  # noqa: S608 (fixed fragments)


class Reader:
    """Reads inside one transaction of :meth:`Disk.reading`; records come back validated
    (``model_validate_json`` of the JSON the store wrote)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def version(self) -> int:
        """The graph version this transaction sees."""
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])

    def organization_rows(self) -> Iterator[tuple[str, str]]:
        """Every organisation's id and type."""
        yield from self._db.execute("SELECT id, type FROM organizations")

    def relationship_rows(self) -> Iterator[tuple[str, str, str, str]]:
        """Every relationship's id, type, source and target."""
        yield from self._db.execute("SELECT id, type, source, target FROM relationships")

    def organizations(self, ids: Collection[str]) -> list[Organization]:
        """The stored organisations among ``ids``, ordered by id."""
        return [Organization.model_validate_json(b) for b in self._bodies("organizations", ids)]

    def relationships(self, ids: Collection[str]) -> list[Relationship]:
        """The stored relationships among ``ids``, ordered by id."""
        return [Relationship.model_validate_json(b) for b in self._bodies("relationships", ids)]

    def _bodies(
        self, table: Literal["organizations", "relationships"], ids: Collection[str]
    ) -> list[str]:
        """The stored JSON bodies of the records of ``table`` among ``ids``, ordered by id."""
        rows = self._db.execute(
            f"SELECT body FROM {table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",  # noqa: S608 (a literal table)
            (_in_ids(ids),),
        )
        return [body for (body,) in rows]

    def every_organization(self) -> Iterator[Organization]:
        """Every organisation, ordered by id."""
        for (body,) in self._db.execute("SELECT body FROM organizations ORDER BY id"):
            yield Organization.model_validate_json(body)

    def every_relationship(self) -> Iterator[Relationship]:
        """Every relationship, ordered by id."""
        for (body,) in self._db.execute("SELECT body FROM relationships ORDER BY id"):
            yield Relationship.model_validate_json(body)

    def list_organizations(
        self, where: OrganizationFilter, offset: int, limit: int
    ) -> Page[Organization]:
        """Organisations matching ``where``, ordered by folded name, then id."""
        needle = None if where.q is None else fold(where.q)
        clause, values = _where(
            _ORGANIZATION_FILTERS,
            {
                "type": where.type,
                "movement": where.movement,
                "country": where.country,
                "sector": where.sector,
                "q": needle,
            },
        )
        read = Organization.model_validate_json
        return self._page("organizations", clause, values, "name_key, id", offset, limit, read)

    def list_relationships(
        self, where: RelationshipFilter, offset: int, limit: int
    ) -> Page[Relationship]:
        """Relationships matching ``where``, ordered by id."""
        clause, values = _where(
            _RELATIONSHIP_FILTERS,
            {"type": where.type, "source": where.source, "target": where.target},
        )
        read = Relationship.model_validate_json
        return self._page("relationships", clause, values, "id", offset, limit, read)

    def _page(
        self,
        table: str,
        clause: str,
        values: list[str],
        order: str,
        offset: int,
        limit: int,
        read: Callable[[str], T],
    ) -> Page[T]:
        """One page of ``table``'s records matching ``clause``, in ``order`` (fixed fragments
        of this module), each read from its stored JSON, with how many match in all."""
        total = self._db.execute(_select("count(*)", table, clause), values).fetchone()
        rows = self._db.execute(
            _select("body", table, clause, f"ORDER BY {order} LIMIT ? OFFSET ?"),
            (*values, limit, offset),
        )
        return Page([read(body) for (body,) in rows], int(total[0]), offset, limit)


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

    def organization_types(self, ids: Collection[str]) -> dict[str, str]:
        """The type of each stored organisation among ``ids``."""
        self._want(ids)
        return dict(self._db.execute("SELECT id, type FROM organizations WHERE id IN wanted"))

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
        """The stored JSON of the records ``ids`` name (``attached``: ties with an end there).

        ``IN wanted`` looks each id up in the table's index; a join with the temporary table
        was planned as a scan of the whole table (SQLite has no statistics on it), once for
        every part of a load, which made a load of a million organisations quadratic.
        """
        self._want(ids)
        query = {
            "organizations": "SELECT body FROM organizations WHERE id IN wanted",
            "relationships": "SELECT body FROM relationships WHERE id IN wanted",
            "attached": "SELECT body FROM relationships WHERE source IN wanted "
            "UNION SELECT body FROM relationships WHERE target IN wanted",
        }[table]
        return [body for (body,) in self._db.execute(query)]

    def _want(self, ids: Collection[str]) -> None:
        """Fill the temporary table ``wanted`` with ``ids``, for ``IN wanted``."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM wanted")
        self._db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((i,) for i in ids))

    def put_organizations(self, orgs: Sequence[Organization]) -> None:
        """Insert or replace organisations by id."""
        self._db.executemany(
            "INSERT OR REPLACE INTO organizations "
            "(id, type, name_key, movement, search_keys, body) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    o.id,
                    o.type,
                    fold(o.name),
                    o.movement,
                    json.dumps(o.search_keys(), ensure_ascii=False),
                    o.model_dump_json(),
                )
                for o in orgs
            ),
        )

    def put_relationships(self, rels: Sequence[Relationship]) -> None:
        """Insert or replace relationships by id."""
        self._db.executemany(
            "INSERT OR REPLACE INTO relationships (id, type, source, target, body) "
            "VALUES (?, ?, ?, ?, ?)",
            ((r.id, r.type, r.source, r.target, r.model_dump_json()) for r in rels),
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

    def publication(self, kind: str, publication_id: str) -> str | None:
        """The stored JSON of a view or story, as the transaction sees it."""
        return _publication(self._db, kind, publication_id)

    def put_publication(self, kind: str, publication_id: str, body: str | None) -> None:
        """Store the JSON of a view or story, or delete it (``None``)."""
        if body is None:
            self._db.execute(
                "DELETE FROM publications WHERE kind = ? AND id = ?", (kind, publication_id)
            )
        else:
            self._db.execute(
                "INSERT OR REPLACE INTO publications (kind, id, body) VALUES (?, ?, ?)",
                (kind, publication_id, body),
            )

    def put_session(self, session: BrowserSession) -> None:
        """Insert a new session and delete those that expired by its creation."""
        self._db.execute("DELETE FROM sessions WHERE expires <= ?", (timestamp(session.created),))
        self._db.execute(
            "INSERT INTO sessions (token_hash, expires, body) VALUES (?, ?, ?)",
            (session.token_hash, timestamp(session.expires), session.model_dump_json()),
        )

    def end_session(self, hashed: str) -> None:
        """Delete the session whose token has this hash, if any."""
        self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (hashed,))

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

    def reject_pair(self, pair: RejectedPair) -> RejectedPair:
        """Keep ``pair`` unless it is kept already; the pair as kept."""
        self._db.execute(
            "INSERT OR IGNORE INTO rejected_pairs (first, second, body) VALUES (?, ?, ?)",
            (pair.first, pair.second, pair.model_dump_json()),
        )
        row = self._db.execute(
            "SELECT body FROM rejected_pairs WHERE first = ? AND second = ?", pair.key
        ).fetchone()
        return RejectedPair.model_validate_json(row[0])

    def clear(self) -> None:
        """Delete every record, audit entry, API key, session, view, story, import record and
        rejected pair."""
        self._db.execute("DELETE FROM relationships")
        self._db.execute("DELETE FROM organizations")
        self._db.execute("DELETE FROM changes")
        self._db.execute("DELETE FROM api_keys")
        self._db.execute("DELETE FROM imports")
        self._db.execute("DELETE FROM sessions")
        self._db.execute("DELETE FROM publications")
        self._db.execute("DELETE FROM rejected_pairs")

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
