"""Damaged store files, ``solgraph backup`` and ``solgraph restore``, run as real processes.

Every damaged file must stop every command with one line naming the file and what to do,
exit 1 and no traceback, and be left as it was. Backups and restores are checked by what
the store holds afterwards (its export, keys and audit trail), and by killing them midway:
the slowed runs below copy one page at a time, so the kill lands during the copy.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from importlib.resources import files
from pathlib import Path

import pytest

from app.domain.errors import StoreUnavailable
from app.domain.models import Document
from app.io.documents import seed_document, to_json
from app.settings import Settings
from app.store.disk import FILE_NAME
from app.store.memory import MemoryStore
from app.store.protocol import ChangeFilter, GraphStore
from tests.factories import org, small_ecosystem

SOLGRAPH = str(Path(sys.executable).with_name("solgraph"))
SEED_FILE = str(files("seed_data").joinpath("ecosystem.yaml"))

SLOWED = """
import sys, time
from app.store import backup

backup.STEP_PAGES = 1


def slowed(function):
    def run(*args, progress=None, **kwargs):
        def step(done, total):
            print("copied", done, "of", total, flush=True)
            time.sleep(0.05)

        return function(*args, progress=step, **kwargs)

    return run


backup.back_up = slowed(backup.back_up)
backup.restore = slowed(backup.restore)
from app.cli.main import main

sys.argv[0] = "solgraph"
main()
"""
"""``solgraph`` with every copy one page a step and a pause after each, saying each step on
stdout: the real commands, patched before the command line imports them."""

HOLDER = """
import sys
from pathlib import Path
from app.store.memory import MemoryStore

store = MemoryStore(Path(sys.argv[1]))
store.counts()
print("open", flush=True)
sys.stdin.read()
store.close()
"""
"""A process that keeps the store open until its stdin closes, as a running server does."""


def solgraph(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SOLGRAPH, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def succeeds(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = solgraph(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result


def refused_once(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The one line of a refusal: exit 1, nothing on stdout, no traceback; it names each needle."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def env_for(data_dir: Path) -> dict[str, str]:
    return {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(data_dir),
        "COLUMNS": "2000",
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def env(data_dir: Path) -> dict[str, str]:
    return env_for(data_dir)


def store_of(data_dir: Path, *documents: Document) -> Document:
    """Load the documents into the store of ``data_dir`` (made if new); its export."""
    store = MemoryStore(data_dir)
    try:
        for document in documents:
            store.load(document)
        return store.export()
    finally:
        store.close()


def export_of(data_dir: Path) -> Document:
    return store_of(data_dir)


def files_of(data_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(data_dir.iterdir()) if path.is_file()}


def page_size(data: bytes) -> int:
    """A SQLite file's page size, from its header (offset 16, big-endian; 1 means 65536)."""
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def other_database(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        db.execute("INSERT INTO notes (text) VALUES ('not a store')")
        db.commit()


def overwrite_a_page(path: Path, good: bytes) -> None:
    """The store with its third page replaced by noise: SQLite's check finds it broken."""
    size = page_size(good)
    noise = random.Random(3).randbytes(size)
    path.write_bytes(good[: 2 * size] + noise + good[3 * size :])


DAMAGE: dict[str, Callable[[Path, bytes], object]] = {
    "empty": lambda path, good: path.write_bytes(b""),
    "random bytes": lambda path, good: path.write_bytes(random.Random(7).randbytes(len(good))),
    "cut mid-page": lambda path, good: path.write_bytes(good[: len(good) // 2 + 100]),
    "cut by whole pages": lambda path, good: path.write_bytes(good[: -2 * page_size(good)]),
    "a page of noise": overwrite_a_page,
    "another SQLite database": lambda path, good: other_database(path),
    "a directory": lambda path, good: path.mkdir(),
}
"""Ways a store file (or a backup) can be broken, given the bytes of a sound one."""


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a sound store file holding the seed, closed cleanly (no write-ahead log)."""
    folder = tmp_path_factory.mktemp("good")
    store_of(folder, seed_document())
    assert sorted(p.name for p in folder.iterdir()) == [FILE_NAME]
    return (folder / FILE_NAME).read_bytes()


def damaged(folder: Path, how: str, good: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    DAMAGE[how](path, good)
    return path


def snapshot(path: Path) -> bytes | str:
    return "a directory" if path.is_dir() else path.read_bytes()


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_store_file_stops_info_with_one_line(
    how: str, good_store: bytes, data_dir: Path, env: dict[str, str]
) -> None:
    path = damaged(data_dir, how, good_store)
    before = snapshot(path)
    result = solgraph("info", env=env)
    refused_once(result, f"the store file {path}", "solgraph restore")
    assert snapshot(path) == before


@pytest.mark.parametrize("how", ["empty", "random bytes"])
@pytest.mark.parametrize(
    "command",
    [["serve", "--port", "0"], ["load", SEED_FILE], ["export"], ["keys", "list"], ["db", "init"]],
    ids=lambda command: command[0],
)
def test_every_command_refuses_a_damaged_store_file(
    how: str, command: list[str], good_store: bytes, data_dir: Path, env: dict[str, str]
) -> None:
    """Finding 8: an emptied file used to be taken for a new store, seeded by ``serve``."""
    path = damaged(data_dir, how, good_store)
    before = path.read_bytes()
    refused_once(solgraph(*command, env=env), str(path))
    assert path.read_bytes() == before


def test_a_write_ahead_log_without_its_store_is_refused(
    data_dir: Path, env: dict[str, str]
) -> None:
    """A new store is made only where nothing is: SQLite would apply a stray log to it."""
    data_dir.mkdir()
    log = data_dir / f"{FILE_NAME}-wal"
    log.write_bytes(b"\x37\x7f\x06\x82" + bytes(60))
    refused_once(solgraph("info", env=env), f"{FILE_NAME}-wal")
    assert not (data_dir / FILE_NAME).exists()


def test_an_unreadable_store_file_says_to_fix_its_access(
    good_store: bytes, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests run as root here, which reads any file, so the refusal to read is simulated."""
    path = damaged(data_dir, "empty", good_store)
    path.write_bytes(good_store)
    opened = Path.open

    def refusing(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(path))
        return opened(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", refusing)
    with pytest.raises(StoreUnavailable) as refusal:
        MemoryStore(data_dir)
    assert str(refusal.value).startswith(f"cannot read {path}: Permission denied")
    assert "read and write access" in str(refusal.value)


def test_a_new_store_is_made_where_no_file_is(data_dir: Path, env: dict[str, str]) -> None:
    succeeds("info", env=env)
    assert sorted(p.name for p in data_dir.iterdir()) == [FILE_NAME]
    with closing(sqlite3.connect(data_dir / FILE_NAME)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == (0,)


def trail_size(data_dir: Path) -> int:
    store = MemoryStore(data_dir)
    try:
        return store.changes(ChangeFilter(), 0, 1).total
    finally:
        store.close()


def test_backup_and_restore_round_trip(tmp_path: Path, data_dir: Path, env: dict[str, str]) -> None:
    seed = seed_document()
    succeeds("load", SEED_FILE, env=env)
    succeeds("keys", "create", "--name", "ana", "--role", "admin", env=env)
    original, keys = export_of(data_dir), succeeds("keys", "list", env=env)
    trail = trail_size(data_dir)
    backup = tmp_path / "monday.sqlite3"

    made = succeeds("backup", str(backup), env=env)
    counts = f"{len(seed.organizations)} organisation(s), {len(seed.relationships)} relationship(s)"
    assert counts in made.stderr
    assert "1 API key(s)" in made.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "monday.sqlite3"]
    with closing(sqlite3.connect(backup)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    changed = tmp_path / "changed.json"
    changed.write_text(to_json(small_ecosystem()), encoding="utf-8")
    succeeds("load", str(changed), env=env)
    succeeds("keys", "revoke", "ana", env=env)
    after_change = export_of(data_dir)

    refused_once(solgraph("restore", str(backup), env=env), "--force")
    assert export_of(data_dir) == after_change

    succeeds("restore", str(backup), "--force", env=env)
    assert export_of(data_dir) == original
    assert succeeds("keys", "list", env=env).stdout == keys.stdout
    assert trail_size(data_dir) == trail

    elsewhere = tmp_path / "new-home"
    succeeds("restore", str(backup), env=env_for(elsewhere))
    assert export_of(elsewhere) == original


def writing(data_dir: Path, stop: threading.Event, versions: list[int]) -> None:
    """Add one organisation per write until stopped, noting the graph version after each."""
    store = MemoryStore(data_dir)
    try:
        number = 0
        while not stop.is_set():
            number += 1
            store.load(Document(organizations=[org(f"writer-{number}")]))
            versions.append(store.version())
    finally:
        store.close()


def test_a_backup_taken_while_a_writer_writes_is_one_version(
    tmp_path: Path, data_dir: Path, env: dict[str, str]
) -> None:
    base = len(store_of(data_dir, seed_document()).organizations)
    with closing(MemoryStore(data_dir)) as store:
        base_version = store.version()
    backup = tmp_path / "busy.sqlite3"
    stop, versions = threading.Event(), list[int]()
    writer = threading.Thread(target=writing, args=(data_dir, stop, versions))
    writer.start()
    try:
        copy = subprocess.run(
            [sys.executable, "-c", SLOWED, "backup", str(backup)],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=240,
        )
        written_during = len(versions)
    finally:
        stop.set()
        writer.join()
    assert copy.returncode == 0, copy.stderr
    assert copy.stdout.count("copied") > 20, "the copy was not made in many steps"
    assert written_during > 20, "the writer did not write during the backup"
    with closing(sqlite3.connect(backup)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        (version,) = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        (count,) = db.execute("SELECT count(*) FROM organizations").fetchone()
    assert count == base + (version - base_version), "organisations of another version"
    restored = tmp_path / "restored"
    succeeds("restore", str(backup), env=env_for(restored))
    assert len(export_of(restored).organizations) == count


def test_a_document_restore_replaces_the_graph_and_keeps_keys(
    tmp_path: Path, data_dir: Path, env: dict[str, str]
) -> None:
    succeeds("load", SEED_FILE, env=env)
    succeeds("keys", "create", "--name", "ana", env=env)
    original = export_of(data_dir)
    backup = tmp_path / "graph.json"
    succeeds("backup", str(backup), env=env)
    assert Document.model_validate(json.loads(backup.read_text("utf-8"))) == original

    renamed = original.organizations[0].model_copy(update={"name": "Renamed"})
    changed = Document(
        organizations=[renamed, *small_ecosystem().organizations],
        relationships=small_ecosystem().relationships,
    )
    store_of(data_dir, changed)
    refused_once(solgraph("restore", str(backup), env=env), "--force")

    result = succeeds("restore", str(backup), "--force", env=env)
    assert (
        f"{len(small_ecosystem().organizations) + len(small_ecosystem().relationships)} deleted"
        in (result.stderr)
    )
    assert export_of(data_dir) == original
    assert "ana" in succeeds("keys", "list", env=env).stdout
    store = MemoryStore(data_dir)
    try:
        last = store.changes(ChangeFilter(), trail_size(data_dir) - 1, 1).items[0]
    finally:
        store.close()
    assert last.action == "restore graph.json"


@pytest.mark.parametrize("how", [*DAMAGE, "a record that no longer reads"])
def test_a_damaged_backup_is_refused_and_the_store_left_as_it_was(
    how: str, tmp_path: Path, good_store: bytes, data_dir: Path, env: dict[str, str]
) -> None:
    store_of(data_dir, small_ecosystem())
    before = files_of(data_dir)
    if how == "a record that no longer reads":
        backup = tmp_path / "bad" / FILE_NAME
        backup.parent.mkdir()
        backup.write_bytes(good_store)
        with closing(sqlite3.connect(backup)) as db:
            db.execute("UPDATE organizations SET body = '{\"id\": 1}' WHERE rowid = 1")
            db.commit()
        needles = ["unreadable record", "row 1 of organizations"]
    else:
        backup = damaged(tmp_path / "bad", how, good_store)
        needles = []
    needles += [f"the backup {backup}", "nothing was restored"]
    refused_once(solgraph("restore", str(backup), "--force", env=env), *needles)
    assert files_of(data_dir) == before
    assert not [p.name for p in data_dir.iterdir() if p.name.startswith(".")]


def test_a_store_another_process_has_open_is_not_restored(
    tmp_path: Path, good_store: bytes, data_dir: Path, env: dict[str, str]
) -> None:
    ours = store_of(data_dir, small_ecosystem())
    backup = tmp_path / "seed.sqlite3"
    backup.write_bytes(good_store)
    with holding(data_dir):
        result = solgraph("restore", str(backup), "--force", env=env)
    refused_once(result, "in use by another process", "stop it")
    assert export_of(data_dir) == ours


@contextmanager
def holding(data_dir: Path) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        yield
    finally:
        holder.communicate("", timeout=60)


def killed_midway(args: list[str], env: dict[str, str], steps: int) -> None:
    """Run slowed ``solgraph <args>`` and SIGKILL it once it has copied ``steps`` pages."""
    with subprocess.Popen(
        [sys.executable, "-c", SLOWED, *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as run:
        try:
            assert run.stdout is not None
            for _ in range(steps):
                line = run.stdout.readline()
                assert line.startswith("copied"), f"stopped before {steps} steps: {line!r}"
            assert run.poll() is None, "it finished before it could be killed"
        finally:
            run.send_signal(signal.SIGKILL)
            run.wait(timeout=60)
    assert run.returncode == -signal.SIGKILL


@pytest.mark.parametrize("previous", [False, True], ids=["no previous backup", "a previous one"])
def test_a_backup_killed_midway_leaves_the_file_as_it_was(
    previous: bool, tmp_path: Path, data_dir: Path, env: dict[str, str]
) -> None:
    backup = tmp_path / "nightly.sqlite3"
    first = store_of(data_dir, seed_document())
    if previous:
        succeeds("backup", str(backup), env=env)
        kept = backup.read_bytes()
        store_of(data_dir, small_ecosystem())

    killed_midway(["backup", str(backup)], env, steps=5)

    leftovers = [p.name for p in tmp_path.glob(".nightly.sqlite3.*.part")]
    assert len(leftovers) == 1, "the kill did not land during the copy"
    if not previous:
        assert not backup.exists()
        return
    assert backup.read_bytes() == kept
    restored = tmp_path / "restored"
    succeeds("restore", str(backup), env=env_for(restored))
    assert export_of(restored) == first


@pytest.mark.parametrize("steps", [3, "all"])
def test_a_restore_killed_midway_leaves_one_whole_store(
    steps: int | str, tmp_path: Path, good_store: bytes, data_dir: Path, env: dict[str, str]
) -> None:
    old = store_of(data_dir, seed_document(), small_ecosystem())
    backup = tmp_path / "seed.sqlite3"
    backup.write_bytes(good_store)
    new = store_of(tmp_path / "new", seed_document())
    pages = len(good_store) // page_size(good_store)

    count = pages if isinstance(steps, str) else steps
    killed_midway(["restore", str(backup), "--force"], env, count)

    assert export_of(data_dir) in (old, new)
    if steps != "all":
        assert export_of(data_dir) == old
        assert len(list(data_dir.glob(f".{FILE_NAME}.*.restore"))) == 1
    with closing(sqlite3.connect(data_dir / FILE_NAME)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    succeeds("restore", str(backup), "--force", env=env)
    assert export_of(data_dir) == new


def neo4j_env(settings: Settings) -> dict[str, str]:
    return {
        "SOLGRAPH_STORE": "neo4j",
        "SOLGRAPH_NEO4J_URI": settings.neo4j_uri,
        "SOLGRAPH_NEO4J_USER": settings.neo4j_user,
        "SOLGRAPH_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "SOLGRAPH_NEO4J_DATABASE": settings.neo4j_database,
        "COLUMNS": "2000",
    }


@pytest.mark.neo4j
def test_neo4j_backup_and_restore_round_trip(
    neo4j_store: GraphStore, neo4j_settings: Settings, tmp_path: Path, good_store: bytes
) -> None:
    env = neo4j_env(neo4j_settings)
    neo4j_store.clear()
    try:
        neo4j_store.load(seed_document())
        original = neo4j_store.export()
        backup = tmp_path / "neo4j.json"
        succeeds("backup", str(backup), env=env)
        assert Document.model_validate(json.loads(backup.read_text("utf-8"))) == original
        named_wrong = solgraph("backup", str(tmp_path / "neo4j.sqlite3"), env=env)
        assert named_wrong.returncode == 2 and ".json" in named_wrong.stderr

        renamed = original.organizations[0].model_copy(update={"name": "Renamed"})
        neo4j_store.load(Document(organizations=[renamed, *small_ecosystem().organizations]))
        refused_once(solgraph("restore", str(backup), env=env), "--force")

        succeeds("restore", str(backup), "--force", env=env)
        assert neo4j_store.export() == original

        store_file = tmp_path / FILE_NAME
        store_file.write_bytes(good_store)
        assert solgraph("restore", str(store_file), "--force", env=env).returncode == 2
        assert neo4j_store.export() == original
    finally:
        neo4j_store.clear()
