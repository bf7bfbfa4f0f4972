"""GraphML and GEXF files, read back with networkx and compared field by field with the document.

The expected attributes are computed here from each record's fields by the rule the module
docstring states (scalars as themselves, lists and sources as JSON text under ``<field>_json``),
not taken from the writer. Both files are validated with lxml against the published schemas in
``../shared/data/schemas`` (see ``../shared/data/SOURCES.md``).
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from app.domain.models import Document, Organization, Relationship
from app.io.graphfiles import to_gexf, to_graphml
from tests.conftest import SHARED
from tests.factories import org, rel, small_ecosystem
from tests.unit.io.test_sheets import AWKWARD, documents

SCHEMAS = SHARED / "data" / "schemas"
GEXF_SCHEMAS = {
    ("http://www.gexf.net/1.2draft", "1.2"): SCHEMAS / "gexf-1.2draft" / "gexf.xsd",
    ("http://gexf.net/1.3", "1.3"): SCHEMAS / "gexf-1.3" / "gexf.xsd",
}
"""The XSD of each GEXF namespace and version a file may declare."""
GRAPHML_SCHEMA = SCHEMAS / "graphml" / "graphml.xsd"

XML_SAFE = st.characters(
    codec="utf-8", exclude_categories=["Cc"], exclude_characters="\ufffe\uffff"
) | st.sampled_from([c for c in AWKWARD if c != "\r"])
"""Characters an XML file holds as they are: no control characters but tab and line feed."""


def expected_attributes(record: Organization | Relationship) -> dict[str, Any]:
    """Every field but the ids and ends, as the files should hold it, from the record itself."""
    skip = {"id"} if isinstance(record, Organization) else {"id", "source", "target"}
    found: dict[str, Any] = {}
    for field in type(record).model_fields:
        value = getattr(record, field)
        name = (
            "relationship_type" if isinstance(record, Relationship) and field == "type" else field
        )
        if field in skip or value is None:
            continue
        if field == "sources":
            # Every part of a source, as the interchange JSON has it (module docstring).
            found["sources_json"] = [
                {
                    "citation": s.citation,
                    "locator": s.locator,
                    "url": s.url,
                    "basis": s.basis,
                    "quote": s.quote,
                    "reason": s.reason,
                    "year": s.year,
                    "fields": list(s.fields),
                }
                for s in value
            ]
        elif isinstance(value, list):
            found[f"{name}_json"] = list(value)
        elif isinstance(value, date):
            found[name] = value.isoformat()
        else:
            found[name] = value
    return found


def decoded(attributes: dict[str, Any]) -> dict[str, Any]:
    """Attributes read from a file, JSON texts parsed, to compare with the expected values."""
    return {k: json.loads(v) if k.endswith("_json") else v for k, v in attributes.items()}


def read_graphml(data: bytes) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(data), force_multigraph=True)


def read_gexf(data: bytes) -> nx.MultiDiGraph:
    """A GEXF file as a multigraph keyed by GEXF edge id (networkx drops keys of simple graphs)."""
    graph = nx.read_gexf(io.BytesIO(data))
    multigraph = nx.MultiDiGraph()
    multigraph.add_nodes_from(graph.nodes(data=True))
    for source, target, attributes in graph.edges(data=True):
        fields = dict(attributes)
        key = fields.pop("id")
        multigraph.add_edge(source, target, key=key, **fields)
    return multigraph


READERS = {"graphml": (to_graphml, read_graphml), "gexf": (to_gexf, read_gexf)}


def assert_same_graph(doc: Document, graph: nx.MultiDiGraph) -> None:
    assert sorted(graph.nodes) == sorted(o.id for o in doc.organizations)
    for organization in doc.organizations:
        attributes = dict(graph.nodes[organization.id])
        assert attributes.pop("label") == organization.short_name()
        assert decoded(attributes) == expected_attributes(organization)
    edges = {key: (u, v, data) for u, v, key, data in graph.edges(keys=True, data=True)}
    assert sorted(edges) == sorted(r.id for r in doc.relationships)
    for relationship in doc.relationships:
        source, target, data = edges[relationship.id]
        assert (source, target) == (relationship.source, relationship.target)
        attributes = dict(data)
        assert attributes.pop("label") == relationship.type
        assert decoded(attributes) == expected_attributes(relationship)


def funds_document() -> Document:
    doc = small_ecosystem()
    grant = rel(
        "grant",
        "FUNDS",
        "funder",
        "ngo",
        amount=25000.5,
        currency="GBP",
        awarded="2020-01-31",
        programme='Care "first" & <dignity>',
        reference="360G-1",
    )
    # A second tie between the same two organisations: the files must keep both.
    return doc.model_copy(update={"relationships": [*doc.relationships, grant]})


@pytest.mark.parametrize("fmt", READERS)
def test_the_seed_reads_back_attribute_for_attribute(fmt: str, seed: Document) -> None:
    write, read = READERS[fmt]
    assert_same_graph(seed, read(write(seed)))


@pytest.mark.parametrize("fmt", READERS)
def test_funds_fields_and_parallel_ties_read_back(fmt: str) -> None:
    write, read = READERS[fmt]
    doc = funds_document()
    graph = read(write(doc))
    assert_same_graph(doc, graph)
    # Both ties from funder to ngo (FUNDS "funder-funds-ngo" and "grant") are there.
    assert sorted(graph["funder"]["ngo"]) == ["funder-funds-ngo", "grant"]
    grant = graph["funder"]["ngo"]["grant"]
    assert (grant["amount"], grant["awarded"]) == (25000.5, "2020-01-31")


@settings(max_examples=60, deadline=None)
@given(doc=documents(XML_SAFE))
@pytest.mark.parametrize("fmt", READERS)
def test_awkward_documents_read_back(fmt: str, doc: Document) -> None:
    write, read = READERS[fmt]
    assert_same_graph(doc, read(write(doc)))


@pytest.mark.parametrize("fmt", READERS)
def test_text_xml_cannot_hold_is_replaced_as_documented(fmt: str) -> None:
    write, read = READERS[fmt]
    doc = Document(organizations=[org("x", "A\x0bB", description="one\r\ntwo\rthree\x00")])
    node = read(write(doc)).nodes["x"]
    # The module docstring: line ends become \n, characters XML 1.0 forbids become U+FFFD.
    assert node["name"] == "A\ufffdB"
    assert node["description"] == "one\ntwo\nthree\ufffd"


def test_the_files_are_standard_graphml_and_gexf_1_2(seed: Document) -> None:
    graphml = ET.fromstring(to_graphml(seed))
    assert graphml.tag == "{http://graphml.graphdrawing.org/xmlns}graphml"
    gexf = ET.fromstring(to_gexf(seed))
    assert gexf.tag == "{http://www.gexf.net/1.2draft}gexf"
    assert gexf.get("version") == "1.2"
    graph = gexf.find("{http://www.gexf.net/1.2draft}graph")
    assert graph is not None
    assert graph.get("defaultedgetype") == "directed"
    # Gephi shows the GEXF label: an organisation's short name (UTRASD in the seed).
    labels = {n.get("id"): n.get("label") for n in graph.iter("{http://www.gexf.net/1.2draft}node")}
    assert labels["utrasd"] == "UTRASD"


def test_numbers_keep_their_types_in_both_files() -> None:
    doc = funds_document()
    for write, read in READERS.values():
        graph = read(write(doc))
        assert isinstance(graph.nodes["coop"]["founded"], int)
        assert isinstance(graph["funder"]["ngo"]["grant"]["amount"], float)


def schema_errors(data: bytes, xsd: Path) -> list[str]:
    """What the XSD at ``xsd`` finds wrong with the file, one line per error; empty if valid."""
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    return [] if schema.validate(etree.fromstring(data)) else str(schema.error_log).splitlines()


def declared_gexf_schema(data: bytes) -> Path:
    """The XSD of the GEXF version the file declares, by its namespace and version."""
    root = etree.fromstring(data)
    return GEXF_SCHEMAS[etree.QName(root).namespace or "", root.get("version", "")]


VALIDATED: dict[str, Callable[[Document], Document]] = {
    "seed": lambda seed: seed,
    "funds fields and parallel ties": lambda _: funds_document(),
    "empty": lambda _: Document(),
}
"""The documents whose files are validated, made from the seed or not."""


@pytest.mark.parametrize("name", VALIDATED)
def test_the_graphml_file_is_valid_graphml(name: str, seed: Document) -> None:
    assert schema_errors(to_graphml(VALIDATED[name](seed)), GRAPHML_SCHEMA) == []


@pytest.mark.parametrize("name", VALIDATED)
def test_the_gexf_file_is_valid_against_the_schema_it_declares(name: str, seed: Document) -> None:
    data = to_gexf(VALIDATED[name](seed))
    assert declared_gexf_schema(data) == SCHEMAS / "gexf-1.2draft" / "gexf.xsd"
    assert schema_errors(data, declared_gexf_schema(data)) == []


@settings(max_examples=30, deadline=None)
@given(doc=documents(XML_SAFE))
def test_awkward_documents_give_valid_files(doc: Document) -> None:
    assert schema_errors(to_graphml(doc), GRAPHML_SCHEMA) == []
    data = to_gexf(doc)
    assert schema_errors(data, declared_gexf_schema(data)) == []


def test_the_schemas_catch_what_networkx_writes() -> None:
    # The check above is worth something: networkx's own GEXF writes graph/@name, which the
    # 1.2draft XSD does not allow.
    buffer = io.BytesIO()
    nx.write_gexf(nx.MultiDiGraph([("a", "b")]), buffer)
    errors = schema_errors(buffer.getvalue(), declared_gexf_schema(buffer.getvalue()))
    assert any("'name': The attribute 'name' is not allowed" in error for error in errors)


def test_no_edge_carries_a_networkx_key(seed: Document) -> None:
    for data in (to_graphml(seed), to_gexf(seed)):
        assert b"networkx_key" not in data
    graph = ET.fromstring(to_gexf(seed)).find("{http://www.gexf.net/1.2draft}graph")
    assert graph is not None
    assert "name" not in graph.attrib


def test_edge_ids_are_relationship_ids_in_both_files(seed: Document) -> None:
    expected = [r.id for r in seed.relationships]
    graphml = ET.fromstring(to_graphml(seed))
    assert [e.get("id") for e in graphml.iter("{http://graphml.graphdrawing.org/xmlns}edge")] == (
        expected
    )
    gexf = ET.fromstring(to_gexf(seed))
    assert [e.get("id") for e in gexf.iter("{http://www.gexf.net/1.2draft}edge")] == expected


def test_the_same_document_gives_the_same_bytes(seed: Document) -> None:
    # No timestamp, and attributes declared in field order whatever order records use them.
    reordered = seed.model_copy(update={"organizations": seed.organizations[::-1]})
    for write in (to_graphml, to_gexf):
        assert write(seed) == write(seed)
        # Everything before the first node: GraphML's keys, GEXF's attribute declarations.
        assert write(seed).split(b"<node ")[0] == write(reordered).split(b"<node ")[0]
