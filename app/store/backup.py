"""Backups and restores of the embedded store's file, with SQLite's online backup API.

A backup copies the store file from one read transaction, so it is one consistent version
even while the server writes (WAL lets writers go on). The copy is made beside its
destination, checked with ``integrity_check``, synced, and only then renamed over it: a
backup killed part-way leaves the destination as it was.

A restore copies and checks the backup the same way inside the data folder, then renames
it over the store file in one step: killed at any moment, the store is the old one or the
new one, whole. The swap needs the store to be in use by no other process; the old file's
write-ahead log is emptied into it first, so no log of the old file is ever applied to the
new one.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from app.domain.errors import Conflict, DamagedStore, InvalidData, Problem, StoreUnavailable
from app.domain.imports import ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Organization, Relationship
from app.store.disk import (
    ADVICE,
    FILE_NAME,
    new_file_beside,
    open_checked,
    sidecar,
    sqlite_problem,
    store_problem,
    sync_file,
)

PRIVATE = 0o600
"""The mode of a backup file: it holds API key hashes and the audit trail's names."""
STEP_PAGES = 1024
"""Pages copied between two progress reports (4 MB at SQLite's default page size)."""
DEAD_MAN_BYTE = 128
"""The byte of a WAL database's ``-shm`` file that every process with the database open holds
a shared lock on (``UNIX_SHM_DMS`` in SQLite's ``os_unix.c``): an exclusive lock on it is
granted only when no other process has the store open, and while it is held none can open it.
"""

Progress = Callable[[int, int], None]
"""Called after each step of a copy with the pages copied so far and the pages in all."""

_BODIES: dict[str, tuple[str, Callable[[str], object]]] = {
    "organizations": ("SELECT rowid, body FROM organizations", Organization.model_validate_json),
    "relationships": ("SELECT rowid, body FROM relationships", Relationship.model_validate_json),
    "api_keys": ("SELECT rowid, body FROM api_keys", ApiKey.model_validate_json),
    "imports": ("SELECT rowid, body FROM imports", ImportRecord.model_validate_json),
}
"""The tables whose records a restore reads back with the models, before it uses the file."""
_COUNTS = {
    "organizations": "SELECT count(*) FROM organizations",
    "relationships": "SELECT count(*) FROM relationships",
    "api_keys": "SELECT count(*) FROM api_keys",
    "changes": "SELECT count(*) FROM changes",
}


@dataclass(frozen=True)
class Contents:
    """What a store file holds: its graph version and how many records of each kind."""

    version: int
    organizations: int
    relationships: int
    keys: int
    changes: int

    def __str__(self) -> str:
        return (
            f"{self.organizations} organisation(s), {self.relationships} relationship(s), "
            f"{self.keys} API key(s), {self.changes} audit entries (graph version {self.version})"
        )


def _contents(db: sqlite3.Connection) -> Contents:
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def count(table: str) -> int:
        if table not in tables:
            return 0  # a file made before the table was added
        return int(db.execute(_COUNTS[table]).fetchone()[0])

    version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
    return Contents(
        int(version),
        count("organizations"),
        count("relationships"),
        count("api_keys"),
        count("changes"),
    )


def _cannot_write(path: Path, error: OSError) -> InvalidData:
    reason = error.strerror or str(error)
    return InvalidData([Problem(str(path), "(file)", f"cannot be written: {reason}")])


@contextmanager
def _aside(target: Path, suffix: str, mode: int) -> Iterator[Path]:
    """A new file beside ``target`` (see ``new_file_beside``), removed at the end unless it
    was renamed. A process killed meanwhile leaves it behind, named ``.<target>.*<suffix>``."""
    try:
        temp = new_file_beside(target, suffix, mode)
    except OSError as error:
        raise _cannot_write(target, error) from None
    try:
        yield temp
    finally:
        for leftover in (temp, sidecar(temp, "-wal"), sidecar(temp, "-shm")):
            leftover.unlink(missing_ok=True)


def write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all: beside it, synced, then renamed."""
    with _aside(target, ".part", PRIVATE) as temp:
        try:
            temp.write_bytes(data)
            sync_file(temp)
            os.replace(temp, target)
            sync_file(target.parent)
        except OSError as error:
            raise _cannot_write(target, error) from None


def _copy(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """Copy the database of ``source`` into the file ``target``, as of one read transaction.

    Holding the transaction across steps keeps one snapshot, so writes made meanwhile by
    other processes neither restart the copy nor show in it.
    """
    with closing(sqlite3.connect(target, isolation_level=None)) as copy:
        source.execute("BEGIN")
        try:
            source.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            source.backup(
                copy,
                pages=STEP_PAGES,
                progress=None
                if progress is None
                else lambda _, remaining, total: progress(total - remaining, total),
            )
        finally:
            source.execute("COMMIT")


def _seal(path: Path, journal: str, records: bool, origin: str, advice: str) -> Contents:
    """Check a copy whole, set its journal mode, and flush it to the disk; what it holds.

    ``records``: also read back every record with the models, so a restored store is one
    the server can load. A copy that fails raises ``DamagedStore("<origin> <what>; <advice>")``.
    """
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        try:
            problem = store_problem(db, thorough=True)
            if problem is None and records:
                problem = _record_problem(db)
            if problem is None:
                db.execute(f"PRAGMA journal_mode={journal}")
                contents = _contents(db)
        except sqlite3.Error as error:
            problem = sqlite_problem(error) or f"cannot be read ({error})"
    if problem is not None:
        raise DamagedStore(f"{origin} {problem}; {advice}")
    sync_file(path)
    return contents


def _record_problem(db: sqlite3.Connection) -> str | None:
    """The first stored record the models cannot read, if any."""
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table, (query, parse) in _BODIES.items():
        if table not in tables:
            continue
        for key, body in db.execute(query):
            try:
                parse(body)
            except ValidationError as error:
                first = error.errors()[0]["msg"]
                return f"holds an unreadable record (row {key} of {table}: {first})"
    return None


@contextmanager
def _sqlite_errors(failed: str) -> Iterator[None]:
    """Report an error of SQLite met while copying (a full disk, a page found broken)."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreUnavailable(f"{failed}: {error}") from None


def back_up(data_dir: Path, target: Path, progress: Progress | None = None) -> Contents:
    """Copy the store of ``data_dir`` to the file ``target``, replacing it only once whole.

    The copy is one file (rollback journal, no ``-wal``), checked with ``integrity_check``.
    Works while other processes read and write the store.
    """
    store = data_dir / FILE_NAME
    if not os.path.lexists(store):
        raise StoreUnavailable(f"there is no store at {store} to back up")
    if target.absolute() == store.absolute():
        raise InvalidData([Problem(str(target), "(file)", "is the store itself")])
    failed = f"the backup failed, and {target} was left as it was"
    with (
        closing(open_checked(store, "the store file", ADVICE)) as source,
        _aside(target, ".part", PRIVATE) as temp,
        _sqlite_errors(failed),
    ):
        _copy(source, temp, progress)
        contents = _seal(temp, "DELETE", False, f"the copy of {store}", failed)
        try:
            os.replace(temp, target)
            sync_file(target.parent)
        except OSError as error:
            raise _cannot_write(target, error) from None
    return contents


def _retire(store: Path) -> Contents | None:
    """Empty the store's write-ahead log into its file and say what it holds; ``None`` if
    there is no store or it is no sound one (its log is then of no use)."""
    if not os.path.lexists(store):
        return None
    try:
        db = open_checked(store, "the store file", ADVICE)
    except DamagedStore:
        return None
    with closing(db), _sqlite_errors(f"cannot read the store file {store}"):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return _contents(db)


def _hold(store: Path) -> int:
    """Lock the store against every other process; the open ``-shm`` file that holds the lock.

    ``StoreUnavailable`` if another process has the store open. Closing any file of the
    store in this process releases the lock (POSIX locks belong to the process), so none is
    opened or closed while it is held.
    """
    fd = os.open(sidecar(store, "-shm"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, DEAD_MAN_BYTE)
    except OSError:
        os.close(fd)
        raise StoreUnavailable(
            f"the store {store} is in use by another process (a running `solgraph serve`?); "
            "stop it, then restore again"
        ) from None
    return fd


@contextmanager
def _sole_user(store: Path, sound: bool) -> Iterator[None]:
    """Hold the store against every other process while its file is swapped.

    The write-ahead log must then be empty: that of a sound store was emptied by
    :func:`_retire`, so a log here means a process wrote since, and the restore stops; that
    of a damaged or missing store is emptied here, so it is never applied to the new file.
    """
    fd = _hold(store)
    try:
        log = sidecar(store, "-wal")
        if log.exists() and log.stat().st_size > 0:
            if sound:
                raise StoreUnavailable(
                    f"the store {store} was written to during the restore; stop every "
                    "process using it, then restore again"
                )
            os.truncate(log, 0)
        yield
    finally:
        os.close(fd)


def _take_over(temp: Path, store: Path) -> None:
    """Give the new store file the old one's mode and, where allowed, its owner, so that the
    server can still open it when the restore runs as another user."""
    try:
        old = store.stat()
    except OSError:
        return
    os.chmod(temp, old.st_mode & 0o777)
    with suppress(PermissionError):  # only the superuser may give a file away
        os.chown(temp, old.st_uid, old.st_gid)


def restore(
    data_dir: Path, backup: Path, force: bool = False, progress: Progress | None = None
) -> Contents:
    """Replace the store of ``data_dir`` with the store file ``backup``: all or nothing.

    The backup must be a sound store (``integrity_check``, its tables, every record readable).
    A sound store that holds records is replaced only with ``force`` (``Conflict`` if not);
    a damaged or missing one always. No other process may have the store open.
    """
    store = data_dir / FILE_NAME
    if backup.absolute() == store.absolute():
        raise InvalidData([Problem(str(backup), "(file)", "is the store itself")])
    refused = "nothing was restored"
    with closing(open_checked(backup, "the backup", refused, read_only=True)) as source:
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"cannot open the data folder {data_dir}: {error}") from None
        if sidecar(store, "-shm").exists():
            os.close(_hold(store))  # refuse a store in use now, before the long copy
        current = _retire(store)
        if current is not None and not force and (current.organizations or current.keys):
            raise Conflict(
                f"the store {store} holds {current}; a restore replaces all of it "
                "(back it up first with `solgraph backup`), so pass --force to go ahead"
            )
        failed = f"the restore failed, and the store {store} was left as it was"
        with _aside(store, ".restore", 0o644) as temp, _sqlite_errors(failed):
            _copy(source, temp, progress)
            contents = _seal(temp, "WAL", True, f"the backup {backup}", refused)
            _take_over(temp, store)
            with _sole_user(store, sound=current is not None):
                os.replace(temp, store)
                sync_file(data_dir)
    return contents
