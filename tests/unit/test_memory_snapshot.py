"""The embedded store patches its in-memory graph after its own writes instead of re-reading.

The patched graph must equal what a second process, reading the file afresh, builds from disk:
a second ``MemoryStore`` on the same folder is that independent reader.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.edits import Edit
from app.store.memory import MemoryStore
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
