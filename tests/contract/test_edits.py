"""Conformance of edits, the audit trail and API keys (GraphStore.apply, changes, *_key).

Expected values follow from the small ecosystem of tests/factories.py (funder FUNDS ngo,
ngo ENABLES union, union ESTABLISHED coop, union ADVOCATES_TO ministry) and from the edit
each test makes; the type rules quoted come from graph_schema/vocabulary.yaml.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.edits import Edit, Expect, etag
from app.domain.errors import Conflict, InvalidData, NotFound, PreconditionFailed
from app.domain.keys import new_key
from app.store.protocol import ChangeFilter, GraphStore, RelationshipFilter
from tests.factories import org, rel, small_ecosystem

ALL = ChangeFilter()


def edit(**fields: object) -> Edit:
    return Edit(actor="tester", action="test", **fields)  # type: ignore[arg-type]


def unchanged(store: GraphStore, before: tuple[int, int, int]) -> bool:
    """Whether the graph version, the export and the trail length are as they were."""
    return (store.version(), len(store.export().organizations), store.changes(ALL, 0, 1).total) == (
        before
    )


def state(store: GraphStore) -> tuple[int, int, int]:
    return store.version(), len(store.export().organizations), store.changes(ALL, 0, 1).total


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    store.load(small_ecosystem(), actor="seeder")
    return store


def test_a_load_leaves_one_created_entry_per_record(loaded: GraphStore) -> None:
    page = loaded.changes(ALL, 0, 100)
    assert page.total == 5 + 4, "five organisations and four relationships were created"
    assert {c.change for c in page.items} == {"created"}
    assert {c.actor for c in page.items} == {"seeder"}
    assert [c.seq for c in page.items] == sorted(c.seq for c in page.items)
    union = next(c for c in page.items if c.id == "union")
    assert union.before is None and union.after is not None
    assert union.after["name"] == "Unión de Trabajadoras"


def test_an_update_records_before_and_after(loaded: GraphStore) -> None:
    old = loaded.get_organization("union")
    new = old.model_copy(update={"name": "Unión Renamed"})
    report = loaded.apply(
        edit(organizations=(new,), expect=(Expect("organization", "union", {etag(old)}),))
    )
    assert report.organizations.updated == 1
    [entry] = loaded.changes(ChangeFilter(id="union", entity="organization"), 1, 10).items
    assert (entry.change, entry.actor, entry.action) == ("updated", "tester", "test")
    assert entry.before is not None and entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == ("Unión de Trabajadoras", "Unión Renamed")
    assert loaded.get_organization("union") == new


def test_a_stale_etag_is_refused_and_writes_nothing(loaded: GraphStore) -> None:
    old = loaded.get_organization("union")
    first = old.model_copy(update={"name": "First Writer"})
    loaded.apply(
        edit(organizations=(first,), expect=(Expect("organization", "union", {etag(old)}),))
    )
    before = state(loaded)
    second = old.model_copy(update={"name": "Second Writer"})
    with pytest.raises(PreconditionFailed) as caught:
        loaded.apply(
            edit(organizations=(second,), expect=(Expect("organization", "union", {etag(old)}),))
        )
    assert caught.value.current == etag(first), "the refusal names the ETag stored now"
    assert unchanged(loaded, before)
    assert loaded.get_organization("union").name == "First Writer", "no lost update"


def test_concurrent_writers_with_one_etag_cannot_both_win(loaded: GraphStore) -> None:
    old = loaded.get_organization("coop")
    outcomes: list[str] = []

    def write(name: str) -> None:
        new = old.model_copy(update={"name": name})
        try:
            loaded.apply(
                edit(organizations=(new,), expect=(Expect("organization", "coop", {etag(old)}),))
            )
            outcomes.append(name)
        except PreconditionFailed:
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(f"Writer {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "refused"]
    assert len(winners) == 1 and outcomes.count("refused") == 3
    assert loaded.get_organization("coop").name == winners[0]


def test_create_of_a_taken_id_is_a_conflict(loaded: GraphStore) -> None:
    before = state(loaded)
    with pytest.raises(Conflict, match="'union' already exists"):
        loaded.apply(
            edit(
                organizations=(org("union", "Other"),),
                expect=(Expect("organization", "union", absent=True),),
            )
        )
    assert unchanged(loaded, before)


def test_missing_records_are_not_found(loaded: GraphStore) -> None:
    assert loaded.get_relationship("union-established-coop").target == "coop"
    with pytest.raises(NotFound, match="no relationship with id 'nope'"):
        loaded.get_relationship("nope")
    with pytest.raises(NotFound, match="no relationship with id 'nope'"):
        loaded.apply(edit(delete_relationships=("nope",), expect=(Expect("relationship", "nope"),)))


def test_a_tie_to_an_unknown_organisation_names_it(loaded: GraphStore) -> None:
    before = state(loaded)
    with pytest.raises(InvalidData) as caught:
        loaded.apply(edit(relationships=(rel("x", "PARTNERS_WITH", "union", "ghost"),)))
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == ("relationship 'x'", "target")
    assert "'ghost'" in problem.message
    assert unchanged(loaded, before)


def test_retyping_an_organisation_checks_its_existing_ties(loaded: GraphStore) -> None:
    """ADVOCATES_TO's source must be a union, worker, SSE or enabler type (vocabulary.yaml)."""
    before = state(loaded)
    union = loaded.get_organization("union")
    retyped = union.model_copy(update={"type": "public_body", "movement": "public"})
    with pytest.raises(InvalidData) as caught:
        loaded.apply(edit(organizations=(retyped,)))
    assert ("relationship 'union-advocates-ministry'", "source") in {
        (p.record, p.field) for p in caught.value.problems
    }
    assert unchanged(loaded, before)


def test_deleting_an_organisation_with_ties_needs_cascade(loaded: GraphStore) -> None:
    before = state(loaded)
    with pytest.raises(Conflict, match="3 relationship"):
        loaded.apply(edit(delete_organizations=("union",)))
    assert unchanged(loaded, before)
    report = loaded.apply(edit(delete_organizations=("union",), cascade=True))
    assert (report.organizations.deleted, report.relationships.deleted) == (1, 3)
    assert loaded.list_relationships(RelationshipFilter(), 0, 10).total == 1
    with pytest.raises(NotFound):
        loaded.get_organization("union")
    history = loaded.changes(ChangeFilter(id="union"), 0, 10).items
    assert [c.change for c in history] == ["created", "deleted"], "history outlives the record"
    assert history[-1].after is None and history[-1].before is not None


def test_moving_every_tie_then_deleting_needs_no_cascade(loaded: GraphStore) -> None:
    """A merge re-points ties in the same edit that deletes their old end."""
    moved = [
        r.model_copy(update={"source": "ngo"} if r.source == "union" else {"target": "ngo"})
        for r in loaded.adjacent(["union"], ["ENABLES", "ESTABLISHED", "ADVOCATES_TO"], "both")
        if r.source != "ngo"
    ]
    assert len(moved) == 2, "union ESTABLISHED coop and union ADVOCATES_TO ministry"
    with pytest.raises(Conflict, match="ngo-enables-union"):
        loaded.apply(edit(relationships=tuple(moved), delete_organizations=("union",)))
    report = loaded.apply(
        edit(
            relationships=tuple(moved),
            delete_organizations=("union",),
            delete_relationships=("ngo-enables-union",),
        )
    )
    assert (report.relationships.updated, report.relationships.deleted) == (2, 1)
    assert {
        r.source for r in loaded.list_relationships(RelationshipFilter(target="coop"), 0, 5).items
    } == {"ngo"}


def test_dry_run_counts_but_writes_nothing(loaded: GraphStore) -> None:
    before = state(loaded)
    report = loaded.apply(edit(organizations=(org("new-union"),)), dry_run=True)
    assert report.organizations.created == 1
    assert unchanged(loaded, before)


def test_an_edit_that_changes_nothing_leaves_no_trace(loaded: GraphStore) -> None:
    before = state(loaded)
    report = loaded.apply(edit(organizations=(loaded.get_organization("union"),)))
    assert report.organizations.unchanged == 1
    assert unchanged(loaded, before)


def test_changes_filter_by_time_kind_and_record(loaded: GraphStore) -> None:
    mark = datetime.now(UTC)
    loaded.apply(edit(relationships=(rel("ngo-partners-coop", "PARTNERS_WITH", "ngo", "coop"),)))
    recent = loaded.changes(ChangeFilter(since=mark), 0, 10).items
    assert [(c.entity, c.id, c.change) for c in recent] == [
        ("relationship", "ngo-partners-coop", "created")
    ]
    assert loaded.changes(ChangeFilter(since=mark + timedelta(days=1)), 0, 10).total == 0
    assert loaded.changes(ChangeFilter(entity="relationship"), 0, 10).total == 5
    assert loaded.changes(ChangeFilter(entity="organization"), 0, 10).total == 5
    assert (
        loaded.changes(ChangeFilter(), 3, 2).items[0].seq
        < loaded.changes(ChangeFilter(), 5, 2).items[0].seq
    )


def test_api_keys_are_stored_found_listed_and_revoked(store: GraphStore) -> None:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    editor, _ = new_key("alice", "editor", "cli", now)
    admin, _ = new_key("root", "admin", "cli", now)
    store.add_key(editor)
    store.add_key(admin)
    assert store.find_key(editor.key_id) == editor
    assert store.find_key("000000000000") is None
    assert [k.name for k in store.list_keys()] == ["alice", "root"]
    again, _ = new_key("alice", "reader", "cli", now)
    with pytest.raises(Conflict, match="'alice' already exists"):
        store.add_key(again)
    revoked = store.revoke_key("alice", now + timedelta(hours=1))
    assert revoked.revoked == now + timedelta(hours=1)
    assert store.revoke_key("alice", now + timedelta(hours=2)).revoked == revoked.revoked
    assert store.find_key(editor.key_id) == revoked
    with pytest.raises(NotFound):
        store.revoke_key("nobody", now)
