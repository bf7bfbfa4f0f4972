"""The Cypher script, run in the test suite's real Neo4j, recreates the graph the store keeps.

Run against an empty database, the script must give back the document through the store's own
``export`` and leave the very node and relationship properties that the store's ``load``
writes. Literals are also checked here one by one against the Cypher manual's escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from neo4j import Driver, GraphDatabase

from app.domain.errors import InvalidData
from app.domain.models import Document, Relationship, Source
from app.io.cypher_script import BATCH, literal, statements, to_cypher
from app.settings import Settings
from app.store.protocol import GraphStore
from tests.factories import SOURCE, org, rel, small_ecosystem
from tests.unit.io.test_sheets import documents

NASTY = [
    "it's",
    'say "hi"',
    "back\\slash\\",
    "ends with \\'",
    "*/ closes a comment",
    "// starts one",
    "/* opens one",
    "semi;\nnext line",
    "tab\tand\r\nwindows",
    "Ñandú São Paulo 中文 😀",
    "zero\u200bwidth",
    "tag\U000e0001beyond the basic plane",
    "line\u2028separator",
    "`backtick` $param {map}",
    "null",
]


@pytest.fixture(scope="module")
def driver(neo4j_settings: Settings) -> Iterator[Driver]:
    auth = (neo4j_settings.neo4j_user, neo4j_settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth) as opened:
        yield opened


def run_script(driver: Driver, settings: Settings, script: str) -> None:
    """Run each statement on its own, as cypher-shell does with a file."""
    parts = [part for part in script.split(";\n") if part.strip()]
    with driver.session(database=settings.neo4j_database) as session:
        for statement in parts:
            session.run(statement).consume()


def stored_graph(driver: Driver, settings: Settings) -> dict[str, Any]:
    """Every organisation node and tie between them, with labels, types and all properties."""
    with driver.session(database=settings.neo4j_database) as session:
        nodes = session.run(
            "MATCH (o:Organization) RETURN labels(o) AS labels, properties(o) AS p ORDER BY o.id"
        ).data()
        ties = session.run(
            "MATCH (s:Organization)-[r]->(t:Organization) "
            "RETURN type(r) AS type, s.id AS source, t.id AS target, properties(r) AS p "
            "ORDER BY r.id"
        ).data()
    return {"nodes": nodes, "ties": ties}


def by_id(doc: Document) -> Document:
    """The document in the order the store exports it: records sorted by id."""
    return Document(
        organizations=sorted(doc.organizations, key=lambda o: o.id),
        relationships=sorted(doc.relationships, key=lambda r: r.id),
    )


def nasty_document() -> Document:
    """Every nasty string in names, aliases, descriptions, activities, citations and FUNDS text."""
    sources = [{"citation": text, "locator": text} for text in NASTY]
    return Document(
        organizations=[
            org("a", NASTY[0], aliases=NASTY[1:], description="\n".join(NASTY), sources=sources),
            org("b", NASTY[2], type="ngo", movement="enabler", identifiers=NASTY[3:6]),
        ],
        relationships=[
            rel(
                "b-funds-a",
                "FUNDS",
                "b",
                "a",
                activities=NASTY,
                amount=1.5e20,
                currency="USD",
                awarded="1999-12-31",
                programme=NASTY[4],
                reference=NASTY[5],
                mechanisms=["finance"],
                sources=sources,
            ),
            rel("b-enables-a", "ENABLES", "b", "a", mode="indirect", since=2001, until=2002),
        ],
    )


@pytest.mark.neo4j
@pytest.mark.parametrize("make", [small_ecosystem, nasty_document], ids=["small", "nasty"])
def test_the_script_recreates_the_document(
    make: Callable[[], Document], neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    doc = make()
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(doc))
    assert neo4j_store.export() == by_id(doc)


@pytest.mark.neo4j
def test_the_seed_has_the_layout_the_store_writes(
    seed: Document, neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    """Labels, relationship types and every property equal those of the store's own load."""
    neo4j_store.clear()
    neo4j_store.load(seed)
    loaded = stored_graph(driver, neo4j_settings)
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(seed))
    assert stored_graph(driver, neo4j_settings) == loaded
    assert neo4j_store.export() == by_id(seed)
    assert len(loaded["nodes"]) == len(seed.organizations)
    assert len(loaded["ties"]) == len(seed.relationships)


@pytest.mark.neo4j
def test_nasty_strings_have_the_layout_the_store_writes(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    doc = nasty_document()
    neo4j_store.clear()
    neo4j_store.load(doc)
    loaded = stored_graph(driver, neo4j_settings)
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(doc))
    assert stored_graph(driver, neo4j_settings) == loaded


@pytest.mark.neo4j
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents())
def test_awkward_documents_are_recreated(
    doc: Document, neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(doc))
    assert neo4j_store.export() == by_id(doc)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("it's", "'it\\'s'"),
        ("a\\b", "'a\\\\b'"),
        ("two\nlines\r\n", "'two\\nlines\\r\\n'"),
        ("tab\there", "'tab\\there'"),
        ("Ñandú 😀", "'Ñandú 😀'"),
        ("\u2028\u200b\x00", "'\\u2028\\u200b\\u0000'"),
        # U+E0001 (a format character beyond U+FFFF) as its UTF-16 surrogate pair.
        ("\U000e0001", "'\\udb40\\udc01'"),
        ("*/ // /*", "'*/ // /*'"),
        (None, "null"),
        (True, "true"),
        (2021, "2021"),
        (25000.0, "25000.0"),
        (1.5e20, "1.5e20"),
        (1e-05, "1e-05"),
        (["a", 1], "['a', 1]"),
        ({"id": "x", "odd key": [None]}, "{id: 'x', `odd key`: [null]}"),
    ],
)
def test_literals_follow_the_cypher_escapes(value: object, text: str) -> None:
    assert literal(value) == text


def test_no_literal_breaks_a_statement_apart() -> None:
    # A newline inside a value is escaped, so ";\n" only ever ends a statement.
    script = to_cypher(nasty_document())
    assert script.count(";\n") == len(statements(nasty_document()))


def test_rows_are_batched() -> None:
    size = 2 * BATCH + 7
    doc = Document(organizations=[org(f"o-{n}") for n in range(size)])
    script = to_cypher(doc)
    assert script.count("MERGE (o:Organization") == 3
    assert script.count("{id: 'o-") == size


def test_ties_are_written_one_type_per_statement(seed: Document) -> None:
    script = to_cypher(seed)
    types = {r.type for r in seed.relationships}
    assert {t for t in types if f"MERGE (s)-[r:{t} {{id: row.id}}]->(t)" in script} == types
    assert script.count("MERGE (s)-[r:") == len(types)


def test_a_type_outside_the_vocabulary_is_never_written() -> None:
    doc = small_ecosystem()
    bad = Relationship.model_construct(
        id="evil",
        type="KNOWS]->() DETACH DELETE (n) //",
        source="ngo",
        target="union",
        mechanisms=[],
        activities=[],
        sources=[Source.model_validate(SOURCE)],
    )
    doc = Document.model_construct(organizations=doc.organizations, relationships=[bad])
    with pytest.raises(InvalidData) as caught:
        to_cypher(doc)
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == ("relationship 'evil'", "type")


def test_a_document_that_does_not_stand_alone_is_refused() -> None:
    doc = Document(organizations=[org("a")], relationships=[rel("a-b", "MEMBER_OF", "a", "b")])
    with pytest.raises(InvalidData) as caught:
        to_cypher(doc)
    assert [(p.record, p.field) for p in caught.value.problems] == [
        ("relationship 'a-b'", "target")
    ]
