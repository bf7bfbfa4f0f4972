"""Evidence survives: every part of every source through both stores and every format.

A source's ``basis``, ``quote``, ``reason``, ``year`` and ``fields`` must come back from each
store and from each format that carries sources (JSON, YAML, CSV sheets alone and zipped, an
XLSX workbook of the sheets, GraphML, GEXF, and the Cypher script run in Neo4j), read back
through the importer that an upload of the file goes through; YAML both as PyYAML writes it
with every character as itself and with non-ASCII escaped, so that the characters YAML 1.1
counts as line breaks (NEL, U+2028, U+2029) and JSON does not are kept. A document written
before sources had bases reads as ``stated``. In Neo4j every organisation carries its family and
movement labels, and nodes and ties their citations and bases, after every kind of write and
after start-up on a database written before them.

Expected values are the documents written (round trips), and the labels are those the
README's table names (tests/contract/test_readme_cypher.py checks that table against the
vocabulary); properties are computed here from the records' sources.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver, GraphDatabase
from openpyxl import Workbook

from app.domain.documents import parse_document
from app.domain.edits import Edit
from app.domain.errors import InvalidData
from app.domain.models import Document, Organization, Relationship, Source
from app.io.cypher_script import to_cypher
from app.io.documents import to_json
from app.io.exporters import FORMATS
from app.io.importers import read_files
from app.io.sheets import to_sheets
from app.settings import Settings
from app.store.protocol import GraphStore
from tests.factories import org, rel, with_evidence
from tests.unit.io.test_cypher_script import by_id, run_script
from tests.unit.io.test_graphfiles import XML_SAFE
from tests.unit.io.test_sheets import MIXED, documents, texts

STATED = {
    "citation": "UTRASD et al. 2020",
    "locator": "Box 3",
    "url": "https://example.org/brief",
    "quote": "set up a worker-led social enterprise",
    "year": 2020,
}
IMPORTED = {
    "citation": "IATI file activities.xml, published by A Funder",
    "locator": "activity XM-1-2",
    "basis": "imported",
    "year": 2019,
}
INFERRED = {
    "citation": "UTRASD et al. 2020",
    "locator": "Box 3",
    "basis": "inferred",
    "reason": "the year the box dates the launch, read as the founding year",
    "year": 2020,
    "fields": ["founded", "sectors"],
}


def evidence_document() -> Document:
    """Two organisations and a tie whose sources use every basis and every part of a source."""
    return Document(
        organizations=[
            org("union", "Union", sources=[STATED, INFERRED]),
            org(
                "coop",
                "Cooperative",
                type="cooperative",
                movement="sse",
                founded=2021,
                sectors=["care_work"],
                sources=[IMPORTED, INFERRED],
            ),
        ],
        relationships=[
            rel(
                "union-established-coop",
                "ESTABLISHED",
                "union",
                "coop",
                since=2021,
                sources=[STATED, {**INFERRED, "fields": ["since"]}, IMPORTED],
            ),
        ],
    )


# --- both stores ----------------------------------------------------------------------------


def test_every_part_of_a_source_comes_back_from_the_store(store: GraphStore) -> None:
    doc = evidence_document()
    store.load(doc)
    assert store.export() == by_id(doc)
    assert store.get_organization("coop") == doc.organizations[1]
    assert store.get_relationship("union-established-coop") == doc.relationships[0]
    [tie] = store.adjacent(["coop"], ["ESTABLISHED"], "in")
    assert tie.sources == doc.relationships[0].sources
    assert store.load(doc).organizations.unchanged == 2, "reloading changes nothing"


def test_a_document_without_bases_reads_as_stated(store: GraphStore) -> None:
    # An interchange document written before sources had a basis, a year or fields.
    raw = {
        "organizations": [
            {
                "id": "union",
                "name": "Union",
                "type": "trade_union",
                "movement": "labour",
                "sources": [{"citation": "ILO 2019", "locator": "Box 6"}],
            }
        ]
    }
    store.load(parse_document(raw))
    [source] = store.get_organization("union").sources
    assert (source.basis, source.year, source.fields) == ("stated", None, ())
    assert (source.quote, source.reason) == (None, None)


def test_a_source_s_fields_and_year_are_kept_apart_per_record(store: GraphStore) -> None:
    store.load(evidence_document())
    union = store.get_organization("union")
    assert [s.basis for s in union.sources] == ["stated", "inferred"]
    assert union.sources[1].fields == ("founded", "sectors")
    tie = store.get_relationship("union-established-coop")
    assert [s.fields for s in tie.sources] == [(), ("since",), ()]
    assert [s.year for s in tie.sources] == [2020, 2020, 2019]


# --- every format ---------------------------------------------------------------------------


def workbook_of(doc: Document) -> bytes:
    """The two CSV sheets as worksheets of one .xlsx, every cell as text."""
    book = Workbook()
    for index, (name, data) in enumerate(to_sheets(doc).items()):
        sheet = book.worksheets[0] if index == 0 else book.create_sheet()
        sheet.title = name.removesuffix(".csv")
        for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def yaml_of(doc: Document, allow_unicode: bool) -> bytes:
    """The interchange document as PyYAML writes it: with ``allow_unicode``, every character
    as itself (how YAML holding accented names is usually written), else non-ASCII escaped."""
    value = doc.model_dump(mode="json")
    return yaml.safe_dump(value, allow_unicode=allow_unicode).encode("utf-8")


Upload = Callable[[Document], list[tuple[str, bytes]]]
UPLOADS: dict[str, Upload] = {
    "json": lambda doc: [("graph.json", to_json(doc).encode("utf-8"))],
    "yaml": lambda doc: [("graph.yaml", yaml_of(doc, allow_unicode=True))],
    "yaml-escaped": lambda doc: [("graph.yaml", yaml_of(doc, allow_unicode=False))],
    "csv": lambda doc: list(to_sheets(doc).items()),
    "zip": lambda doc: [("graph.zip", FORMATS["csv"].write(doc))],
    "xlsx": lambda doc: [("graph.xlsx", workbook_of(doc))],
    "graphml": lambda doc: [("graph.graphml", FORMATS["graphml"].write(doc))],
    "gexf": lambda doc: [("graph.gexf", FORMATS["gexf"].write(doc))],
}
"""Each format that carries sources, as the files an upload of it would be."""
XML_FORMATS = {"xlsx", "graphml", "gexf"}
"""Formats that cannot hold every character, drawn from XML-safe text only."""


def read_back(fmt: str, doc: Document) -> Document:
    read, _ = read_files(UPLOADS[fmt](doc))
    return read


@pytest.mark.parametrize("fmt", sorted(UPLOADS))
def test_the_evidence_document_reads_back_from_every_format(fmt: str) -> None:
    doc = evidence_document()
    assert read_back(fmt, doc) == doc


@pytest.mark.parametrize("fmt", sorted(UPLOADS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_drawn_sources_read_back_from_every_format(fmt: str, data: st.DataObject) -> None:
    characters = XML_SAFE if fmt in XML_FORMATS else MIXED
    doc = data.draw(with_evidence(documents(characters), texts(characters)))
    assert read_back(fmt, doc) == doc


YAML_1_1_BREAKS = {"nel": "\x85", "line-separator": "\u2028", "paragraph-separator": "\u2029"}
"""Characters YAML 1.1 counts as line breaks, but JSON and YAML 1.2 as ordinary characters."""


@pytest.mark.parametrize("fmt", ["yaml", "yaml-escaped"])
@pytest.mark.parametrize("char", YAML_1_1_BREAKS.values(), ids=YAML_1_1_BREAKS.keys())
def test_yaml_keeps_the_characters_yaml_1_1_counts_as_line_breaks(fmt: str, char: str) -> None:
    # Inside a text (the model strips them at its ends, as str.strip does), once and twice.
    quote = f"Box 3{char}set up a{char}{char}social enterprise"
    citation = f"UTRASD{char}et al. 2020"
    doc = Document(
        organizations=[
            org("union", "Union", sources=[{**STATED, "citation": citation, "quote": quote}])
        ]
    )
    [source] = read_back(fmt, doc).organizations[0].sources
    assert (source.citation, source.quote) == (citation, quote)


@pytest.mark.parametrize("char", YAML_1_1_BREAKS.values(), ids=YAML_1_1_BREAKS.keys())
def test_hand_written_yaml_keeps_the_characters_yaml_1_1_counts_as_line_breaks(
    char: str,
) -> None:
    # Bare inside a single-quoted and a double-quoted text, as an editor saves them.
    text = (
        "organizations:\n"
        "- id: union\n"
        "  name: Union\n"
        "  type: trade_union\n"
        "  movement: labour\n"
        "  sources:\n"
        f"  - citation: 'UTRASD{char}et al. 2020'\n"
        f'    quote: "set up a{char}social enterprise"\n'
    )
    doc, _ = read_files([("graph.yaml", text.encode("utf-8"))])
    [source] = doc.organizations[0].sources
    assert (source.citation, source.quote) == (
        f"UTRASD{char}et al. 2020",
        f"set up a{char}social enterprise",
    )


def test_sheets_written_before_bases_read_as_stated() -> None:
    # The three source columns sheets had before sources had bases.
    organizations = (
        "id,name,type,movement,source_citations,source_locators,source_urls\r\n"
        "union,Union,trade_union,labour,ILO 2019|Chen 2020,Box 6|,\r\n"
    )
    doc, _ = read_files([("organizations.csv", organizations.encode("utf-8"))])
    assert [s.model_dump() for s in doc.organizations[0].sources] == [
        Source(citation="ILO 2019", locator="Box 6").model_dump(),
        Source(citation="Chen 2020").model_dump(),
    ]
    assert {s.basis for s in doc.organizations[0].sources} == {"stated"}


def test_a_bad_year_in_the_sheets_is_named_by_column_and_item() -> None:
    organizations = (
        "id,name,type,movement,source_citations,source_years\r\n"
        "union,Union,trade_union,labour,ILO 2019|Chen 2020,2019|twenty\r\n"
    )
    with pytest.raises(InvalidData) as caught:
        read_files([("organizations.csv", organizations.encode("utf-8"))])
    assert [(p.record, p.field) for p in caught.value.problems] == [
        ("organizations.csv row 2", "source_years (item 2)")
    ]


# --- Neo4j: the Cypher script, labels and evidence properties -----------------------------


@pytest.fixture(scope="module")
def driver(neo4j_settings: Settings) -> Iterator[Driver]:
    auth = (neo4j_settings.neo4j_user, neo4j_settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth) as opened:
        yield opened


def cypher(driver: Driver, settings: Settings, query: str, **parameters: Any) -> list[Any]:
    with driver.session(database=settings.neo4j_database) as session:
        return session.run(query, parameters).data()


def labels_of(driver: Driver, settings: Settings) -> dict[str, set[str]]:
    rows = cypher(driver, settings, "MATCH (o:Organization) RETURN o.id AS id, labels(o) AS l")
    return {row["id"]: set(row["l"]) for row in rows}


def evidence_of(driver: Driver, settings: Settings) -> dict[str, dict[str, Any]]:
    """Each node's and tie's citations, bases and basis, by record id."""
    nodes = cypher(
        driver,
        settings,
        "MATCH (o:Organization) RETURN o.id AS id, o.citations AS c, o.bases AS b, o.basis AS s",
    )
    ties = cypher(
        driver,
        settings,
        "MATCH (:Organization)-[r]->(:Organization) "
        "RETURN r.id AS id, r.citations AS c, r.bases AS b, r.basis AS s",
    )
    return {
        row["id"]: {"citations": row["c"], "bases": row["b"], "basis": row["s"]}
        for row in [*nodes, *ties]
    }


def expected_evidence(record: Organization | Relationship) -> dict[str, Any]:
    """Citations once each in order; bases strongest first; the record's own basis is the
    strongest of the sources naming no field (stated, then imported, then inferred)."""
    order = ["stated", "imported", "inferred"]
    whole = {s.basis for s in record.sources if not s.fields}
    return {
        "citations": list(dict.fromkeys(s.citation for s in record.sources)),
        "bases": [b for b in order if b in {s.basis for s in record.sources}],
        "basis": next(b for b in order if b in whole),
    }


@pytest.mark.neo4j
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_cypher_script_keeps_every_part_of_a_source(
    data: st.DataObject, neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    doc = data.draw(with_evidence(documents(), texts(MIXED)))
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(doc))
    assert neo4j_store.export() == by_id(doc)


@pytest.mark.neo4j
def test_nodes_and_ties_carry_citations_and_bases(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    doc = evidence_document()
    neo4j_store.clear()
    neo4j_store.load(doc)
    records: list[Organization | Relationship] = [*doc.organizations, *doc.relationships]
    assert evidence_of(driver, neo4j_settings) == {r.id: expected_evidence(r) for r in records}
    inferred = cypher(
        driver,
        neo4j_settings,
        "MATCH ()-[r]->() WHERE 'inferred' IN r.bases AND r.basis <> 'inferred' RETURN r.id AS id",
    )
    assert inferred == [{"id": "union-established-coop"}]
    # The script writes the same labels and properties as the store.
    loaded = (labels_of(driver, neo4j_settings), evidence_of(driver, neo4j_settings))
    neo4j_store.clear()
    run_script(driver, neo4j_settings, to_cypher(doc))
    assert (labels_of(driver, neo4j_settings), evidence_of(driver, neo4j_settings)) == loaded


@pytest.mark.neo4j
def test_labels_follow_every_write(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    neo4j_store.clear()
    neo4j_store.load(evidence_document())
    assert labels_of(driver, neo4j_settings) == {
        "union": {"Organization", "TradeUnion", "Labour"},
        "coop": {"Organization", "SSEUnit", "SSE"},
    }
    # An update of type and movement moves both labels, leaving none of the old ones.
    renamed = org(
        "union", "Union", type="informal_workers_organisation", movement="informal_workers"
    )
    neo4j_store.apply(Edit(actor="test", action="update", organizations=(renamed,)))
    assert labels_of(driver, neo4j_settings)["union"] == {
        "Organization",
        "InformalWorkersOrganisation",
        "InformalWorkers",
    }
    # A merge: the survivor is written again, the other organisation and its ties deleted.
    neo4j_store.load(Document(organizations=[org("ngo", "NGO", type="ngo", movement="enabler")]))
    survivor = org("ngo", "NGO", type="ngo", movement="enabler", aliases=["Union"])
    neo4j_store.apply(
        Edit(
            actor="test",
            action="merge",
            organizations=(survivor,),
            delete_organizations=("union",),
            cascade=True,
        )
    )
    assert labels_of(driver, neo4j_settings) == {
        "coop": {"Organization", "SSEUnit", "SSE"},
        "ngo": {"Organization", "EnablingPartner", "Enabler"},
    }
    # A delete leaves no labelled node behind.
    neo4j_store.apply(Edit(actor="test", action="delete", delete_organizations=("coop", "ngo")))
    counts = cypher(
        driver,
        neo4j_settings,
        "MATCH (n) WHERE n:TradeUnion OR n:SSEUnit OR n:EnablingPartner RETURN count(n) AS n",
    )
    assert counts == [{"n": 0}]


@pytest.mark.neo4j
def test_start_up_brings_a_database_written_before_labels_up_to_date(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    doc = evidence_document()
    neo4j_store.clear()
    neo4j_store.load(doc)
    labelled = labels_of(driver, neo4j_settings)
    evidence = evidence_of(driver, neo4j_settings)
    version = neo4j_store.version()
    # The database as an older version left it: no secondary labels, no evidence properties.
    cypher(
        driver,
        neo4j_settings,
        "MATCH (o:Organization) REMOVE o:TradeUnion:SSEUnit:Labour:SSE, "
        "o.citations, o.bases, o.basis",
    )
    cypher(driver, neo4j_settings, "MATCH ()-[r]->() REMOVE r.citations, r.bases, r.basis")
    cypher(driver, neo4j_settings, "MATCH (m:GraphMeta) REMOVE m.layout")
    assert labels_of(driver, neo4j_settings) == {o.id: {"Organization"} for o in doc.organizations}
    neo4j_store.init_schema()
    assert labels_of(driver, neo4j_settings) == labelled
    assert evidence_of(driver, neo4j_settings) == evidence
    assert neo4j_store.version() == version, "the records themselves did not change"
    assert neo4j_store.export() == by_id(doc)


@pytest.mark.neo4j
def test_start_up_leaves_a_database_already_up_to_date_alone(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    neo4j_store.clear()
    neo4j_store.load(evidence_document())
    # A label set by hand stays: start-up only rewrites a database of an older layout.
    cypher(driver, neo4j_settings, "MATCH (o:Organization {id: 'coop'}) SET o:TradeUnion")
    neo4j_store.init_schema()
    assert "TradeUnion" in labels_of(driver, neo4j_settings)["coop"]
