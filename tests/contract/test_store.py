"""The GraphStore conformance suite: every behaviour of protocol.py, on every backend.

Expected values come from the small ecosystem in tests/factories.py, whose shape is stated
in its docstring (funder -> ngo -> union -> coop, union -> ministry).
"""

from __future__ import annotations

import pytest

from app.domain.errors import InvalidData, NotFound
from app.domain.models import Document
from app.store.protocol import GraphStore, OrganizationFilter, RelationshipFilter
from tests.factories import org, rel, small_ecosystem

ALL = OrganizationFilter()


def ids(records: list) -> list[str]:  # type: ignore[type-arg]
    return [r.id for r in records]


def test_an_empty_store_has_nothing(store: GraphStore) -> None:
    assert store.counts().organizations == 0
    assert store.export() == Document()
    store.ping()


def test_load_creates_then_is_idempotent(store: GraphStore) -> None:
    doc = small_ecosystem()
    first = store.load(doc)
    assert (first.organizations.created, first.relationships.created) == (5, 4)
    version = store.version()
    again = store.load(doc)
    assert (again.organizations.unchanged, again.relationships.unchanged) == (5, 4)
    assert (again.organizations.created, again.organizations.updated) == (0, 0)
    assert store.version() == version, "a load that changes nothing keeps the version"
    assert store.counts().organizations == 5


def test_load_replaces_changed_records_by_id(store: GraphStore) -> None:
    store.load(small_ecosystem())
    before = store.version()
    report = store.load(Document(organizations=[org("union", "Renamed Union")]))
    assert report.organizations.updated == 1
    assert store.version() > before
    assert store.get_organization("union").name == "Renamed Union"
    assert store.get_organization("union").aliases == [], "a load replaces the whole record"


def test_relationship_that_changes_type_or_ends_is_replaced(store: GraphStore) -> None:
    store.load(small_ecosystem())
    moved = rel("ngo-enables-union", "FUNDS", "funder", "union", mechanisms=["finance"])
    store.load(Document(relationships=[moved]))
    page = store.list_relationships(RelationshipFilter(), 0, 50)
    assert page.total == 4
    assert [r for r in page.items if r.id == "ngo-enables-union"] == [moved]


def test_get_organization_returns_what_was_loaded(store: GraphStore) -> None:
    doc = small_ecosystem()
    store.load(doc)
    for expected in doc.organizations:
        assert store.get_organization(expected.id) == expected


def test_unknown_organization_is_not_found_by_name(store: GraphStore) -> None:
    with pytest.raises(NotFound, match="no-such-org"):
        store.get_organization("no-such-org")
    with pytest.raises(NotFound, match="no-such-org"):
        store.ego_network("no-such-org", 1)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        # Ordered by name with accents folded: Cooperativa, Fundación, Helping, Ministry, Unión.
        (ALL, ["coop", "funder", "ngo", "ministry", "union"]),
        (OrganizationFilter(q="union"), ["union"]),  # "Unión" folds to "union"
        (OrganizationFilter(q="ÑANDÚ"), ["funder"]),  # upper case and accents ignored
        (OrganizationFilter(q="hh"), ["ngo"]),  # alias
        (OrganizationFilter(q="lab"), ["ministry"]),
        (OrganizationFilter(type="cooperative"), ["coop"]),
        (OrganizationFilter(movement="enabler"), ["funder", "ngo"]),
        (OrganizationFilter(country="CO"), ["coop", "ministry", "union"]),
        (OrganizationFilter(sector="care_work"), ["coop"]),
        (OrganizationFilter(country="CO", sector="domestic_work"), ["coop", "union"]),
        (OrganizationFilter(country="KE"), []),
    ],
)
def test_list_organizations_filters_and_orders(
    store: GraphStore, where: OrganizationFilter, expected: list[str]
) -> None:
    store.load(small_ecosystem())
    page = store.list_organizations(where, 0, 50)
    assert ids(page.items) == expected
    assert page.total == len(expected)


def test_list_organizations_pages(store: GraphStore) -> None:
    store.load(small_ecosystem())
    page = store.list_organizations(ALL, 1, 2)
    assert ids(page.items) == ["funder", "ngo"]
    assert (page.total, page.offset, page.limit) == (5, 1, 2)
    assert store.list_organizations(ALL, 10, 2).items == []


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (
            RelationshipFilter(),
            [
                "funder-funds-ngo",
                "ngo-enables-union",
                "union-advocates-ministry",
                "union-established-coop",
            ],
        ),
        (RelationshipFilter(type="FUNDS"), ["funder-funds-ngo"]),
        (
            RelationshipFilter(source="union"),
            ["union-advocates-ministry", "union-established-coop"],
        ),
        (RelationshipFilter(target="union"), ["ngo-enables-union"]),
        (
            RelationshipFilter(type="ESTABLISHED", source="union", target="coop"),
            ["union-established-coop"],
        ),
        (RelationshipFilter(source="nobody"), []),
    ],
)
def test_list_relationships_filters_and_orders(
    store: GraphStore, where: RelationshipFilter, expected: list[str]
) -> None:
    doc = small_ecosystem()
    store.load(doc)
    page = store.list_relationships(where, 0, 50)
    assert ids(page.items) == expected
    by_id = {r.id: r for r in doc.relationships}
    assert page.items == [by_id[i] for i in expected], "relationships come back unchanged"


def test_ego_network_follows_ties_both_ways(store: GraphStore) -> None:
    store.load(small_ecosystem())
    one = store.ego_network("union", 1)
    assert ids(one.organizations) == ["coop", "ministry", "ngo", "union"]
    assert one.distances == {"coop": 1, "ministry": 1, "ngo": 1, "union": 0}
    assert ids(one.relationships) == [
        "ngo-enables-union",
        "union-advocates-ministry",
        "union-established-coop",
    ]
    two = store.ego_network("union", 2)
    assert two.distances["funder"] == 2
    assert len(two.relationships) == 4
    alone = store.ego_network("coop", 1)
    assert ids(alone.organizations) == ["coop", "union"]


def test_export_then_load_into_an_empty_store_is_lossless(
    store: GraphStore, tmp_path: object
) -> None:
    doc = small_ecosystem()
    store.load(doc)
    exported = store.export()
    assert exported.organizations == sorted(doc.organizations, key=lambda o: o.id)
    assert exported.relationships == sorted(doc.relationships, key=lambda r: r.id)
    store.clear()
    assert store.counts().organizations == 0
    store.load(exported)
    assert store.export() == exported


def test_invalid_load_changes_nothing_and_names_every_problem(store: GraphStore) -> None:
    store.load(small_ecosystem())
    before, version = store.export(), store.version()
    bad = Document(
        organizations=[org("new-coop", type="cooperative", movement="sse")],
        relationships=[
            rel("to-nowhere", "FUNDS", "funder", "ghost"),
            rel("bad-rule", "ADVOCATES_TO", "union", "coop"),
        ],
    )
    with pytest.raises(InvalidData) as caught:
        store.load(bad)
    text = str(caught.value)
    assert "ghost" in text
    assert "ADVOCATES_TO" in text and "public_body" in text
    assert store.export() == before
    assert store.version() == version


def test_check_reports_without_writing(store: GraphStore) -> None:
    store.load(small_ecosystem())
    extra = Document(relationships=[rel("ngo-funds-coop", "FUNDS", "ngo", "coop")])
    assert store.check(extra) == [], "references to stored organisations are fine"
    assert store.check(Document(relationships=[rel("x", "FUNDS", "ngo", "ghost")]))
    assert store.counts().relationships == 4


def test_counts_per_type(store: GraphStore) -> None:
    store.load(small_ecosystem())
    counts = store.counts()
    assert (counts.organizations, counts.relationships) == (5, 4)
    assert counts.organization_types == {
        "cooperative": 1,
        "funder": 1,
        "ngo": 1,
        "public_body": 1,
        "trade_union": 1,
    }
    assert counts.relationship_types == {
        "ADVOCATES_TO": 1,
        "ENABLES": 1,
        "ESTABLISHED": 1,
        "FUNDS": 1,
    }


def test_clear_empties_and_moves_the_version(store: GraphStore) -> None:
    store.load(small_ecosystem())
    version = store.version()
    store.clear()
    assert store.counts().organizations == 0
    assert store.version() > version


def test_get_organizations_skips_unknown_ids(store: GraphStore) -> None:
    store.load(small_ecosystem())
    found = store.get_organizations(["union", "ghost", "coop", "union"])
    assert ids(found) == ["coop", "union"]


@pytest.mark.parametrize(
    ("direction", "types", "expected"),
    [
        # Into the union: only ngo ENABLES union.
        ("in", ["ENABLES", "FUNDS", "ESTABLISHED"], ["ngo-enables-union"]),
        # Out of the union: it ESTABLISHED coop and ADVOCATES_TO ministry.
        (
            "out",
            ["ESTABLISHED", "ADVOCATES_TO"],
            ["union-advocates-ministry", "union-established-coop"],
        ),
        ("out", ["ESTABLISHED"], ["union-established-coop"]),
        (
            "both",
            ["ENABLES", "ESTABLISHED", "FUNDS", "ADVOCATES_TO"],
            ["ngo-enables-union", "union-advocates-ministry", "union-established-coop"],
        ),
        ("in", ["FUNDS"], []),
    ],
)
def test_adjacent_follows_direction_and_types(
    store: GraphStore, direction: str, types: list[str], expected: list[str]
) -> None:
    store.load(small_ecosystem())
    assert ids(store.adjacent(["union"], types, direction)) == expected  # type: ignore[arg-type]


def test_adjacent_of_several_organisations_lists_each_tie_once(store: GraphStore) -> None:
    store.load(small_ecosystem())
    found = store.adjacent(["ngo", "union", "ghost"], ["ENABLES", "FUNDS"], "both")
    assert ids(found) == ["funder-funds-ngo", "ngo-enables-union"]
