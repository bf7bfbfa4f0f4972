"""A store file written before the embedded store read its lists from SQLite opens and answers
as one written now.

The old file is made by hand in the first layout (records as JSON, no ends, types or folded
names in columns); the expected answers are those of a store loaded with the same records
through ``load`` (the reference).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.store.disk import FILE_NAME
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore, OrganizationFilter, RelationshipFilter
from tests.factories import small_ecosystem

FIRST_LAYOUT = """
CREATE TABLE organizations (id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE relationships (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta (key, value) VALUES ('version', 1);
"""


def answers(store: GraphStore) -> object:
    """What lists, counts and traversals answer, for comparing two stores."""
    ids = [o.id for o in store.export().organizations]
    return (
        store.export(),
        store.counts().organization_types,
        store.counts().relationship_types,
        store.list_organizations(OrganizationFilter(), 0, 100),
        store.list_organizations(OrganizationFilter(q="UNION"), 0, 100),
        store.list_organizations(OrganizationFilter(movement="enabler", country="ES"), 0, 100),
        store.list_relationships(RelationshipFilter(type="FUNDS"), 0, 100),
        store.list_relationships(RelationshipFilter(source="union"), 0, 100),
        [store.adjacent([i], ["ENABLES", "FUNDS", "ESTABLISHED"], "both") for i in ids],
    )


def test_a_file_of_the_first_layout_answers_as_a_new_one(tmp_path: Path) -> None:
    document = small_ecosystem()
    old = tmp_path / "old"
    old.mkdir()
    db = sqlite3.connect(old / FILE_NAME)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(FIRST_LAYOUT)
    db.executemany(
        "INSERT INTO organizations VALUES (?, ?, ?)",
        [(o.id, o.type, o.model_dump_json()) for o in document.organizations],
    )
    db.executemany(
        "INSERT INTO relationships VALUES (?, ?)",
        [(r.id, r.model_dump_json()) for r in document.relationships],
    )
    db.commit()
    db.close()
    reference = MemoryStore(tmp_path / "new")
    reference.load(document)
    migrated = MemoryStore(old)
    assert answers(migrated) == answers(reference)
    migrated.close()
    reference.close()
