"""Conformance of the import log: import records and their review queue (GraphStore.*_import*,
decide_candidate), on every backend.

Each record here queues two candidates, ``c1`` and ``c2``, both pending; the tests state the
decisions they make and the order they expect.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.errors import Conflict, NotFound
from app.domain.imports import ImportRecord, ReviewCandidate
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def candidate(candidate_id: str) -> ReviewCandidate:
    return ReviewCandidate(
        id=candidate_id,
        imported=f"imported-{candidate_id}",
        imported_name="Kenya Cooperative Union",
        stored=f"stored-{candidate_id}",
        stored_name="Kenya Co-operative Union",
        score=91.5,
        evidence_for=["same country"],
        evidence_against=[],
    )


def record(number: int, at: datetime = START) -> ImportRecord:
    """Import number ``number`` (its id in hex) at ``at``, with c1 and c2 pending."""
    return ImportRecord(
        id=f"imp-{number:012x}",
        at=at,
        actor="alice",
        origin="grants.csv",
        report={"created": ["imported-c1", "imported-c2"], "records_read": 2},
        candidates=[candidate("c1"), candidate("c2")],
    )


def test_an_import_is_stored_and_read_back_equal(store: GraphStore) -> None:
    first = record(1)
    store.add_import(first)
    assert store.get_import(first.id) == first
    assert store.list_imports(0, 10).items == [first]


def test_a_taken_import_id_is_a_conflict(store: GraphStore) -> None:
    store.add_import(record(1))
    with pytest.raises(Conflict, match="imp-000000000001"):
        store.add_import(record(1, START + timedelta(days=1)))
    assert store.get_import(record(1).id).at == START


def test_an_unknown_import_is_not_found(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="no import with id 'imp-0000000000ff'"):
        store.get_import("imp-0000000000ff")
    with pytest.raises(NotFound, match="no import with id 'imp-0000000000ff'"):
        store.decide_candidate("imp-0000000000ff", "c1", "accepted", "bob", START, "pending")


def test_imports_are_listed_newest_first_and_paged(store: GraphStore) -> None:
    # 3 and 2 share an instant, so the id (descending) orders them.
    for number, hours in [(1, 0), (2, 5), (3, 5), (4, 2)]:
        store.add_import(record(number, START + timedelta(hours=hours)))
    newest_first = ["imp-000000000003", "imp-000000000002", "imp-000000000004"]
    newest_first.append("imp-000000000001")
    page = store.list_imports(0, 10)
    assert [r.id for r in page.items] == newest_first
    assert (page.total, page.offset, page.limit) == (4, 0, 10)
    second = store.list_imports(1, 2)
    assert [r.id for r in second.items] == newest_first[1:3]
    assert (second.total, second.offset, second.limit) == (4, 1, 2)
    assert store.list_imports(4, 2).items == []


def test_a_decision_records_who_and_when(store: GraphStore) -> None:
    store.add_import(record(1))
    at = START + timedelta(hours=1)
    decided = store.decide_candidate(record(1).id, "c1", "accepted", "bob", at, "pending")
    assert decided == store.get_import(record(1).id)
    c1, c2 = decided.candidates
    assert (c1.status, c1.decided_by, c1.decided_at) == ("accepted", "bob", at)
    assert c2 == candidate("c2"), "the other candidate is left as it was"


def test_a_stale_decision_is_a_conflict_and_changes_nothing(store: GraphStore) -> None:
    store.add_import(record(1))
    first = store.decide_candidate(record(1).id, "c1", "accepted", "bob", START, "pending")
    with pytest.raises(Conflict, match="'c1' of import 'imp-000000000001' is accepted by bob"):
        store.decide_candidate(
            record(1).id, "c1", "rejected", "carol", START + timedelta(hours=1), "pending"
        )
    assert store.get_import(record(1).id) == first


def test_going_back_to_pending_clears_who_and_when(store: GraphStore) -> None:
    store.add_import(record(1))
    store.decide_candidate(record(1).id, "c2", "rejected", "bob", START, "pending")
    reverted = store.decide_candidate(
        record(1).id, "c2", "pending", "carol", START + timedelta(hours=1), "rejected"
    )
    assert reverted.candidates[1] == candidate("c2")
    assert store.get_import(record(1).id) == record(1)


def test_an_unknown_candidate_is_not_found(store: GraphStore) -> None:
    store.add_import(record(1))
    with pytest.raises(NotFound, match="no review candidate with id 'c9'"):
        store.decide_candidate(record(1).id, "c9", "accepted", "bob", START, "pending")
    assert store.get_import(record(1).id) == record(1)


def test_clear_removes_imports(store: GraphStore) -> None:
    store.add_import(record(1))
    store.clear()
    assert store.list_imports(0, 10).total == 0
    with pytest.raises(NotFound):
        store.get_import(record(1).id)
    store.add_import(record(1))
    assert store.get_import(record(1).id) == record(1), "the id is free again"


def test_racing_decisions_on_one_candidate_have_one_winner(store: GraphStore) -> None:
    store.add_import(record(1))
    start = threading.Barrier(8)
    winners: list[str] = []
    refused: list[str] = []

    def decide(actor: str) -> None:
        start.wait()
        try:
            store.decide_candidate(record(1).id, "c1", "accepted", actor, START, "pending")
            winners.append(actor)
        except Conflict:
            refused.append(actor)

    threads = [threading.Thread(target=decide, args=(f"curator {i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1 and len(refused) == 7
    assert store.get_import(record(1).id).candidates[0].decided_by == winners[0]


def test_imports_survive_reopening_the_embedded_store(tmp_path: Path) -> None:
    writer = MemoryStore(tmp_path)
    writer.add_import(record(1))
    decided = writer.decide_candidate(record(1).id, "c1", "accepted", "bob", START, "pending")
    writer.close()
    reader = MemoryStore(tmp_path)
    assert reader.get_import(record(1).id) == decided
    assert reader.list_imports(0, 10).items == [decided]
    reader.close()
