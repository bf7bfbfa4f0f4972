"""Property-based differential test: random ecosystems, loaded into both backends, give
identical answers to every read query. The embedded store is the reference for Neo4j; each
is also checked against a plain-Python computation of the filters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.analysis.gaps import gaps
from app.analysis.snapshot import SnapshotCache
from app.analysis.traversal import enabled, enablers, shortest_routes
from app.analysis.typology import partnerships
from app.domain.documents import check_document
from app.domain.models import Document, Organization, Relationship
from app.domain.text import fold
from app.domain.vocabulary import vocabulary
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore, OrganizationFilter, RelationshipFilter

pytestmark = pytest.mark.neo4j

VOCAB = vocabulary()
NAME_ALPHABET = "abcAeéÉnñÑuüU -"
COUNTRIES = ["CO", "KE", "BR"]
SECTORS = ["domestic_work", "waste_picking", "street_vending"]
SOURCE = {"citation": "Generated", "locator": "hypothesis"}
name_text = st.text(NAME_ALPHABET, min_size=1, max_size=10).filter(lambda s: s.strip())


@st.composite
def organizations(draw: st.DrawFn, index: int) -> Organization:
    return Organization.model_validate(
        {
            "id": f"org-{index}",
            "name": draw(name_text),
            "aliases": draw(st.lists(name_text, max_size=2)),
            "type": draw(st.sampled_from(sorted(VOCAB.organization_types))),
            "movement": draw(st.sampled_from(sorted(VOCAB.movements))),
            "countries": draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2)),
            "sectors": draw(st.lists(st.sampled_from(SECTORS), unique=True, max_size=2)),
            "founded": draw(st.none() | st.integers(1900, 2025)),
            "sources": [SOURCE],
        }
    )


@st.composite
def ecosystems(draw: st.DrawFn) -> Document:
    size = draw(st.integers(1, 10))
    orgs = [draw(organizations(i)) for i in range(size)]
    types = {o.id: o.type for o in orgs}
    rels = []
    for index in range(draw(st.integers(0, 2 * size))):
        rel_type = draw(st.sampled_from(sorted(VOCAB.relationship_types)))
        rule = VOCAB.relationship_types[rel_type]
        sources = [o.id for o in orgs if o.type in rule.source_types]
        targets = [o.id for o in orgs if o.type in rule.target_types]
        if not sources or not targets:
            continue
        source, target = draw(st.sampled_from(sources)), draw(st.sampled_from(targets))
        if source == target:
            continue
        rels.append(
            Relationship.model_validate(
                {
                    "id": f"rel-{index}",
                    "type": rel_type,
                    "source": source,
                    "target": target,
                    "mode": draw(st.sampled_from(["direct", "indirect"]))
                    if rel_type == "ENABLES"
                    else None,
                    "since": draw(st.none() | st.integers(1990, 2025)),
                    "status": draw(st.sampled_from(["active", "active", "ended", "planned"])),
                    "sources": [SOURCE],
                }
            )
        )
    doc = Document(organizations=orgs, relationships=rels)
    assert check_document(doc, {}) == [], "the strategy only builds valid ecosystems"
    assert all(t in VOCAB.organization_types for t in types.values())
    return doc


def filters(doc: Document) -> st.SearchStrategy[OrganizationFilter]:
    names = [n for o in doc.organizations for n in (o.name, *o.aliases)]
    fragments = st.sampled_from(names).flatmap(
        lambda n: st.integers(0, len(n)).flatmap(lambda i: st.just(n[i : i + 3]))
    )
    return st.builds(
        OrganizationFilter,
        q=st.none() | fragments | st.sampled_from(["É", "nu", "zzz"]),
        type=st.none() | st.sampled_from(sorted(VOCAB.organization_types)),
        movement=st.none() | st.sampled_from(sorted(VOCAB.movements)),
        country=st.none() | st.sampled_from(COUNTRIES),
        sector=st.none() | st.sampled_from(SECTORS),
    )


def expected_ids(doc: Document, where: OrganizationFilter) -> list[str]:
    """The filter, computed independently of both stores from the protocol's wording."""
    hits = [
        o
        for o in doc.organizations
        if (where.type is None or o.type == where.type)
        and (where.movement is None or o.movement == where.movement)
        and (where.country is None or where.country in o.countries)
        and (where.sector is None or where.sector in o.sectors)
        and (where.q is None or any(fold(where.q) in fold(n) for n in (o.name, *o.aliases)))
    ]
    return [o.id for o in sorted(hits, key=lambda o: (fold(o.name), o.id))]


@pytest.fixture(scope="module")
def memory_store() -> Iterator[MemoryStore]:
    with TemporaryDirectory() as folder:
        store = MemoryStore(Path(folder))
        yield store
        store.close()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), doc=ecosystems())
def test_both_backends_answer_alike(
    data: st.DataObject, doc: Document, memory_store: MemoryStore, neo4j_store: GraphStore
) -> None:
    stores: list[GraphStore] = [memory_store, neo4j_store]
    for store in stores:
        store.clear()
        store.load(doc)
    memory, neo4j = stores
    assert memory.export() == neo4j.export()
    assert memory.counts().organization_types == neo4j.counts().organization_types
    assert memory.counts().relationship_types == neo4j.counts().relationship_types
    for _ in range(5):
        where = data.draw(filters(doc))
        offset, limit = data.draw(st.integers(0, 5)), data.draw(st.integers(1, 6))
        answers = [s.list_organizations(where, offset, limit) for s in stores]
        assert answers[0] == answers[1]
        wanted = expected_ids(doc, where)
        assert [o.id for o in answers[0].items] == wanted[offset : offset + limit]
        assert answers[0].total == len(wanted)
    for _ in range(3):
        ids = [o.id for o in doc.organizations]
        rel_where = RelationshipFilter(
            type=data.draw(st.none() | st.sampled_from(sorted(VOCAB.relationship_types))),
            source=data.draw(st.none() | st.sampled_from(ids)),
            target=data.draw(st.none() | st.sampled_from(ids)),
        )
        assert memory.list_relationships(rel_where, 0, 50) == neo4j.list_relationships(
            rel_where, 0, 50
        )
    centre = data.draw(st.sampled_from(doc.organizations)).id
    depth = data.draw(st.integers(1, 3))
    assert memory.ego_network(centre, depth) == neo4j.ego_network(centre, depth)
    year = data.draw(st.none() | st.integers(1990, 2025))
    assert enablers(memory, centre, depth, year) == enablers(neo4j, centre, depth, year)
    assert enabled(memory, centre, depth, year) == enabled(neo4j, centre, depth, year)
    other = data.draw(st.sampled_from(doc.organizations)).id
    types = sorted(VOCAB.relationship_types)
    assert shortest_routes(memory, centre, other, 3, types, year) == shortest_routes(
        neo4j, centre, other, 3, types, year
    )
    snapshots = [SnapshotCache(s).get(year) for s in stores]
    assert partnerships(snapshots[0]) == partnerships(snapshots[1])
    assert gaps(snapshots[0]) == gaps(snapshots[1])
