"""Reading GraphML and GEXF: our own exports losslessly, other tools' files through the mapping.

Other tools' files are the two in ``tests/data/graphs`` (see its README: Gephi 0.10's GEXF 1.3
and yEd's GraphML) or are written here by networkx from graphs built in the test. Expected
values are read off those files by hand, as each comment says, not taken from the reader.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings

from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Source
from app.io.graph_import import read_gexf, read_graphml
from app.io.graphfiles import to_gexf, to_graphml
from app.io.report import ImportReport, Issue
from tests.unit.io.test_graphfiles import XML_SAFE, funds_document
from tests.unit.io.test_sheets import documents

GRAPHS = Path(__file__).resolve().parents[2] / "data" / "graphs"

Reader = Callable[[bytes, str], tuple[Document, ImportReport]]
FORMATS: dict[str, tuple[Callable[[Document], bytes], Reader]] = {
    "graphml": (to_graphml, read_graphml),
    "gexf": (to_gexf, read_gexf),
}
NX_WRITERS: dict[str, tuple[Callable[[nx.Graph, io.BytesIO], None], Reader]] = {
    "graphml": (nx.write_graphml, read_graphml),
    "gexf": (nx.write_gexf, read_gexf),
}


def networkx_file(fmt: str, graph: nx.Graph) -> bytes:
    """``graph`` as networkx itself writes it in ``fmt``."""
    buffer = io.BytesIO()
    NX_WRITERS[fmt][0](graph, buffer)
    return buffer.getvalue()


def read_networkx(fmt: str, graph: nx.Graph) -> tuple[Document, ImportReport]:
    return NX_WRITERS[fmt][1](networkx_file(fmt, graph), f"uploads/sewa.{fmt}")


def sewa_graph() -> nx.DiGraph:
    """A directed graph as a networkx user builds one: names as node ids, types in words."""
    graph = nx.DiGraph()
    graph.add_node(
        "SEWA", label="Self-Employed Women's Association", type="Trade union", country="India"
    )
    graph.add_node("SEWA Bank", type="savings_credit_cooperative", country="IN")
    graph.add_node("WIEGO", category="Network", countries="GB; India")
    graph.add_edge("SEWA", "SEWA Bank", relationship="established", since=1974)
    graph.add_edge("SEWA", "WIEGO", relationship="Member of")
    return graph


def skipped(report: ImportReport) -> dict[str, str]:
    """Each skipped item with the heading it is grouped under."""
    return {issue.item: issue.heading for issue in report.skipped}


def problems_of(read: Reader, data: bytes) -> list[Problem]:
    with pytest.raises(InvalidData) as caught:
        read(data, "uploads/graph")
    return caught.value.problems


# Our own files


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_seed_reads_back_losslessly(fmt: str, seed: Document) -> None:
    write, read = FORMATS[fmt]
    doc, report = read(write(seed), f"exports/seed.{fmt}")
    assert doc == seed
    assert report.issues == ()
    assert report.records_read == len(seed.organizations) + len(seed.relationships)
    assert report.created == tuple(org.id for org in seed.organizations)


@pytest.mark.parametrize("fmt", FORMATS)
def test_funds_fields_and_parallel_ties_read_back(fmt: str) -> None:
    write, read = FORMATS[fmt]
    doc = funds_document()
    assert read(write(doc), f"funds.{fmt}")[0] == doc


@settings(max_examples=40, deadline=None)
@given(doc=documents(XML_SAFE))
@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_documents_read_back(fmt: str, doc: Document) -> None:
    write, read = FORMATS[fmt]
    read_doc, report = read(write(doc), f"awkward.{fmt}")
    assert read_doc == doc
    assert report.skipped == ()


# Gephi


def test_a_gephi_gexf_1_3_file_is_read_through_the_mapping() -> None:
    data = (GRAPHS / "gephi-1.3.gexf").read_bytes()
    doc, report = read_gexf(data, "uploads/gephi-1.3.gexf")
    orgs = {org.id: org for org in doc.organizations}
    # Four of the file's five nodes; the ids are the slugs of the node ids "UTRASD",
    # "Ima Limpia", "ILO", "MinTrabajo" (María Pérez is a "Person", below).
    assert list(orgs) == ["utrasd", "ima-limpia", "ilo", "mintrabajo"]
    utrasd = orgs["utrasd"]
    # Name from the node label, type "Trade union", country "Colombia"; movement by family.
    assert utrasd.name == "Unión de Trabajadoras del Servicio Doméstico"
    assert (utrasd.type, utrasd.movement, utrasd.countries) == ("trade_union", "labour", ["CO"])
    # Another tool's file is mapped, not checked: its sources are imported (README).
    assert utrasd.sources == [
        Source(citation="GEXF file gephi-1.3.gexf", locator="UTRASD", basis="imported")
    ]
    limpia = orgs["ima-limpia"]
    assert (limpia.type, limpia.movement, limpia.countries) == ("social_enterprise", "sse", ["CO"])
    assert limpia.description == "Worker-led cleaning company set up by domestic workers"
    assert (orgs["ilo"].type, orgs["ilo"].movement) == ("international_institution", "enabler")
    assert (orgs["mintrabajo"].type, orgs["mintrabajo"].movement) == ("public_body", "public")
    # Edges 0, 1 and 3 (labels Established, Partners with, Advocates to); Gephi numbers edges,
    # so ids are made from the tie, and the edge number is the locator.
    ties = {rel.id: rel for rel in doc.relationships}
    assert list(ties) == [
        "utrasd-established-ima-limpia",
        "utrasd-partners-with-ilo",
        "utrasd-advocates-to-mintrabajo",
    ]
    established = ties["utrasd-established-ima-limpia"]
    # Since is a double column in the file: "2021.0".
    assert (established.type, established.since) == ("ESTABLISHED", 2021)
    assert established.sources == [
        Source(citation="GEXF file gephi-1.3.gexf", locator="0", basis="imported")
    ]
    # Edge 1 is undirected, which PARTNERS_WITH may be.
    assert ties["utrasd-partners-with-ilo"].type == "PARTNERS_WITH"
    assert skipped(report) == {
        "node 'Maria'": "unknown organisation type",
        # Undirected, but FUNDS reads one way.
        "edge '2' (ILO -> UTRASD)": "undirected edge of a one-way type",
        # FUNDS into a public body.
        "edge '4' (ILO -> MinTrabajo)": "tie the vocabulary forbids",
        "edge '5' (Maria -> UTRASD)": "edge of a skipped node",
        "edge '6' (Ima Limpia -> ILO)": "unknown relationship type",
    }
    # "Modularity Class" is Gephi's own column; the report says it was not read.
    assert (
        Issue(
            "node attribute 'modularity_class'",
            "the node attribute 'modularity_class' means nothing in the data model; not read",
            reason="attribute not read",
        )
        in report.notes
    )
    assert (report.records_read, report.organizations, report.relationships) == (12, 4, 3)


def test_an_unknown_type_value_is_a_skipped_item_naming_it() -> None:
    data = (GRAPHS / "gephi-1.3.gexf").read_bytes()
    _, report = read_gexf(data, "gephi-1.3.gexf")
    [issue] = [i for i in report.skipped if i.item == "node 'Maria'"]
    assert issue.reason == "unknown organisation type"
    assert issue.message.startswith(
        "'Person' is not a known organisation type (people are not organisations); allowed: "
    )


# yEd


def test_a_yed_graphml_file_reads_labels_from_its_graphics() -> None:
    data = (GRAPHS / "yed.graphml").read_bytes()
    doc, report = read_graphml(data, "uploads/yed.graphml")
    # Labels SEWA and SEWA Bank are in the y:NodeLabel elements; n1 has no category data,
    # so the key's default, Cooperative, is its type.
    # yEd numbers its nodes n0, n1, ...: ids come from the names, so that two files both
    # numbering from n0 never name one organisation (issue 16: never merge different ones).
    assert [(o.id, o.name, o.type) for o in doc.organizations] == [
        ("sewa", "SEWA", "trade_union"),
        ("sewa-bank", "SEWA Bank", "cooperative"),
    ]
    # n0's description data is empty: no description.
    assert [o.description for o in doc.organizations] == [None, "Women's cooperative bank"]
    # yEd names edges e0, e1, ...; the id is made from the tie.
    assert [(r.id, r.type) for r in doc.relationships] == [
        ("sewa-established-sewa-bank", "ESTABLISHED")
    ]
    assert report.skipped == ()


# networkx


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_a_networkx_graph_is_read_through_the_mapping(fmt: str) -> None:
    doc, report = read_networkx(fmt, sewa_graph())
    # Node ids "SEWA", "SEWA Bank", "WIEGO" as slugs; SEWA named by its label, the others
    # by their ids; "Network" given as category; "GB; India" is two countries.
    assert [(o.id, o.name, o.type, o.countries) for o in doc.organizations] == [
        ("sewa", "Self-Employed Women's Association", "trade_union", ["IN"]),
        ("sewa-bank", "SEWA Bank", "savings_credit_cooperative", ["IN"]),
        ("wiego", "WIEGO", "network", ["GB", "IN"]),
    ]
    assert [o.movement for o in doc.organizations] == ["labour", "sse", "enabler"]
    assert [(r.id, r.type, r.since) for r in doc.relationships] == [
        ("sewa-established-sewa-bank", "ESTABLISHED", 1974),
        ("sewa-member-of-wiego", "MEMBER_OF", None),
    ]
    citation = "GraphML file sewa.graphml" if fmt == "graphml" else "GEXF file sewa.gexf"
    assert doc.organizations[1].sources == [
        Source(citation=citation, locator="SEWA Bank", basis="imported")
    ]
    assert report.skipped == ()


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_a_file_without_a_type_attribute_is_refused_naming_it(fmt: str) -> None:
    graph = nx.DiGraph()
    graph.add_node("SEWA", sector="Street vending")
    graph.add_node("WIEGO", sector="Home-based work")
    graph.add_edge("SEWA", "WIEGO", weight=2.0)
    [nodes, edges] = problems_of(NX_WRITERS[fmt][1], networkx_file(fmt, graph))
    # networkx writes a GEXF label for every node (its id when it has no label).
    has = "sector" if fmt == "graphml" else "label, sector"
    assert nodes == Problem(
        "uploads/graph",
        "node attribute",
        "missing: no node has a type, category or kind attribute to give its organisation "
        f"type; the file's nodes have {has}",
        ("type", "category", "kind"),
    )
    assert edges.field == "edge attribute"
    assert edges.allowed == ("relationship_type", "relationship", "type", "kind", "label")


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_an_unknown_type_is_skipped_with_its_edges(fmt: str) -> None:
    graph = sewa_graph()
    graph.add_node("Party", type="Political party")
    graph.add_edge("SEWA", "Party", relationship="Advocates to")
    doc, report = read_networkx(fmt, graph)
    assert "party" not in {o.id for o in doc.organizations}
    # The third edge: networkx gives it no id in GraphML, and id "2" in GEXF.
    edge = "edge #3 (SEWA -> Party)" if fmt == "graphml" else "edge '2' (SEWA -> Party)"
    assert skipped(report) == {
        "node 'Party'": "unknown organisation type",
        edge: "edge of a skipped node",
    }


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_undirected_edges_are_only_for_symmetric_types(fmt: str) -> None:
    graph = nx.Graph()  # networkx writes edgedefault="undirected" / defaultedgetype="undirected"
    graph.add_node("SEWA", type="Trade union")
    graph.add_node("WIEGO", type="network")
    graph.add_node("HomeNet", type="network")
    graph.add_edge("SEWA", "WIEGO", relationship="partners with")
    graph.add_edge("SEWA", "HomeNet", relationship="member of")
    doc, report = read_networkx(fmt, graph)
    # PARTNERS_WITH is symmetric in the vocabulary, MEMBER_OF is not.
    assert [(r.source, r.type, r.target) for r in doc.relationships] == [
        ("sewa", "PARTNERS_WITH", "wiego")
    ]
    [issue] = report.skipped
    assert issue.reason == "undirected edge of a one-way type"
    assert issue.item.endswith("(SEWA -> HomeNet)")
    assert "MEMBER_OF reads one way" in issue.message


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_node_ids_that_are_no_slugs_become_unique_slugs(fmt: str) -> None:
    graph = nx.DiGraph()
    graph.add_node("sewa", type="trade_union")
    graph.add_node("SEWA", type="trade_union", label="Another SEWA")
    graph.add_node("Ñandú Coop", type="cooperative")
    doc, report = read_networkx(fmt, graph)
    [sewa, other, coop] = [o.id for o in doc.organizations]
    # "sewa" is a slug and keeps its id; "SEWA" slugifies to the same, so gets a hash added.
    assert sewa == "sewa"
    assert other.startswith("sewa-") and other != "sewa"
    assert coop == "nandu-coop"
    assert [n.heading for n in report.notes] == ["node id replaced"] * 2


@pytest.mark.parametrize("fmt", NX_WRITERS)
def test_an_enables_tie_without_a_mode_gets_its_source_types_default(fmt: str) -> None:
    graph = nx.DiGraph()
    graph.add_node("Fund", type="funder")
    graph.add_node("NGO", type="ngo")
    graph.add_node("Coop", type="cooperative")
    # networkx writes an edge's "type" in GEXF as the edge's type (direction) attribute.
    graph.add_edge("Fund", "Coop", type="enables")
    graph.add_edge("NGO", "Coop", type="enables")
    doc, _ = read_networkx(fmt, graph)
    # Funders are among the vocabulary's indirect enablers; NGOs are not.
    assert [(r.source, r.mode) for r in doc.relationships] == [
        ("fund", "indirect"),
        ("ngo", "direct"),
    ]


# Refusals


BOMB_GRAPHML = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE graphml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
    '<node id="a"><data key="d0">&lol2;</data></node></graph></graphml>'
)
BOMB_GEXF = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE gexf [<!ENTITY lol "lol">]>\n'
    '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph><nodes>'
    '<node id="a" label="&lol;"/></nodes><edges/></graph></gexf>'
)


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16", "UTF-16-LE"])
@pytest.mark.parametrize(("read", "text"), [(read_graphml, BOMB_GRAPHML), (read_gexf, BOMB_GEXF)])
def test_entity_declarations_are_refused_in_any_encoding(
    read: Reader, text: str, encoding: str
) -> None:
    # UTF-16 with its byte order mark; UTF-16-LE without one, as the declaration says.
    data = text.format(encoding=encoding.removesuffix("-LE")).encode(encoding.lower())
    assert b"<!ENTITY" not in data or encoding == "UTF-8"
    [problem] = problems_of(read, data)
    assert problem.field == "(file)"
    assert "entity declarations" in problem.message
    assert "are not accepted" in problem.message


@pytest.mark.parametrize("read", [read_graphml, read_gexf])
def test_xml_that_is_not_well_formed_is_refused_naming_the_line(read: Reader) -> None:
    # Line 3 closes <graph> while <node> is open.
    data = b'<?xml version="1.0"?>\n<graphml><graph><node id="a">\n</graph></graphml>'
    [problem] = problems_of(read, data)
    assert problem.field == "line 3, column 2"
    assert problem.message == "not well-formed XML: mismatched tag"


def test_a_file_of_the_other_format_is_refused() -> None:
    [problem] = problems_of(read_graphml, to_gexf(Document()))
    assert problem.message == "root element <gexf> is not a GraphML file"
    [problem] = problems_of(read_gexf, to_graphml(Document()))
    assert problem.message == "root element <graphml> is not a GEXF file"
