"""The embedded store patches its in-memory outline after its own writes instead of re-reading.

The patched outline must equal what a second process, reading the file afresh, builds from disk:
a second ``MemoryStore`` on the same folder is that independent reader.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.domain.edits import Edit
from app.store.disk import Reader
from app.store.memory import MemoryStore, _Outline
from app.store.protocol import GraphStore, OrganizationFilter, RelationshipFilter
from tests.factories import org, rel, small_ecosystem

TYPES = ["ENABLES", "FUNDS", "ESTABLISHED", "ADVOCATES_TO", "PARTNERS_WITH"]


def view(store: GraphStore) -> object:
    """Every answer of the graph reads, for comparing two stores."""
    ids = [o.id for o in store.list_organizations(OrganizationFilter(), 0, 100).items]
    return (
        store.export(),
        store.counts(),
        [store.adjacent([i], TYPES, "both") for i in ids],
        [store.ego_network(i, 2) for i in ids],
        store.list_relationships(RelationshipFilter(), 0, 100),
    )


def test_own_writes_patch_the_graph_as_a_fresh_read_would(tmp_path: Path) -> None:
    writer = MemoryStore(tmp_path)
    writer.load(small_ecosystem())
    writer.counts()  # the writer's graph is now current, so its next writes patch it
    edits = [
        Edit("t", "add", relationships=(rel("ngo-partners-coop", "PARTNERS_WITH", "ngo", "coop"),)),
        Edit(
            "t",
            "move",
            relationships=(rel("union-established-coop", "ESTABLISHED", "ngo", "coop"),),
        ),
        Edit(
            "t",
            "retype",
            organizations=(org("coop", "Coop", type="social_enterprise", movement="sse"),),
        ),
        Edit("t", "cascade", delete_organizations=("ngo",), cascade=True),
        Edit("t", "delete", delete_relationships=("union-advocates-ministry",)),
    ]
    for edit in edits:
        writer.apply(edit)
        reader = MemoryStore(tmp_path)
        assert view(writer) == view(reader), edit.action
        reader.close()
    writer.close()


def test_concurrent_writes_and_reads_never_rebuild_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 17's soak: two writers and a reader of one process made every read after an
    # overlapping write rebuild the whole graph from disk (0.4 s at 5,000 organisations).
    store = MemoryStore(tmp_path)
    store.load(small_ecosystem())
    store.counts()
    rebuilds: list[int] = []
    rebuild = _Outline.of

    def counted(reader: Reader, keep: int) -> _Outline:
        rebuilds.append(1)
        return rebuild(reader, keep)

    monkeypatch.setattr(_Outline, "of", counted)
    stop = threading.Event()

    def write(worker: int) -> None:
        for n in range(25):
            store.apply(Edit("t", "add", organizations=(org(f"org-{worker}-{n}"),)))

    def read() -> None:
        while not stop.is_set():
            store.get_organization("ngo")

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(w,)) for w in range(3)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert rebuilds == []
    # And the graph the writes patched is the one a fresh reader builds from disk.
    monkeypatch.undo()
    assert view(store) == view(MemoryStore(tmp_path))
