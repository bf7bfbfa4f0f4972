"""The graph as GraphML and GEXF 1.2 files, for Gephi, yEd, Cytoscape and networkx.

Both files hold one directed multigraph: a node per organisation, whose node id is the
organisation id, and an edge per relationship from its source to its target, whose edge id is
the relationship id. Attributes:

* every other field under its own name, except that an edge's ``type`` is called
  ``relationship_type``, since GEXF keeps ``type`` for an edge's direction;
* ``label``: what Gephi shows, a node's short name and an edge's relationship type (in GEXF
  the ``label`` of the ``<node>`` or ``<edge>`` element, in GraphML a ``label`` key);
* scalars as themselves (years as ``long``, ``amount`` as a ``double``, ``awarded`` as ISO
  date text), with fields that are not given left out;
* lists and ``sources`` as JSON text, under the field name plus ``_json`` (``aliases_json``,
  ``sources_json``: a list of sources as the interchange JSON has them, ``{citation,
  locator, url, basis, quote, reason, year, fields}``).

Only the attributes some record uses are declared, in the models' field order, so the same
document always gives the same bytes. Both files are valid against their schemas: GraphML 1.0
(``graphml.xsd``) and GEXF 1.2draft (``gexf.xsd``), the one each file declares.
:mod:`app.io.graph_import` reads them back into the same document.

XML cannot hold every character, so all text is written as :func:`xml_text` makes it: line
ends become ``\\n`` (XML readers fold ``\\r\\n`` anyway) and characters XML 1.0 forbids
(control characters other than tab and line ends, lone surrogates) become U+FFFD.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from app.domain.models import Document, Organization, Relationship

JSON_SUFFIX = "_json"
EDGE_ENDS = {"id", "source", "target"}
RENAMED = {"type": "relationship_type"}
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_XSD = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_XSD = "http://www.gexf.net/1.2draft/gexf.xsd"
CREATOR = "Solidarity Graph"


def xml_text(text: str) -> str:
    """``text`` as an XML 1.0 file can hold it: ``\\n`` line ends, forbidden characters U+FFFD."""
    return XML_FORBIDDEN.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def _attributes(record: Organization | Relationship, skip: set[str]) -> dict[str, Any]:
    """A record's fields as attribute values: scalars as themselves, lists as JSON text."""
    values = record.model_dump(mode="json", exclude=skip)
    attributes: dict[str, Any] = {}
    for field, value in values.items():
        name = RENAMED.get(field, field) if isinstance(record, Relationship) else field
        if isinstance(value, list):
            attributes[name + JSON_SUFFIX] = xml_text(json.dumps(value, ensure_ascii=False))
        elif isinstance(value, str):
            attributes[name] = xml_text(value)
        elif value is not None:
            attributes[name] = value
    return attributes


def _node(org: Organization) -> dict[str, Any]:
    return {"label": xml_text(org.short_name()), **_attributes(org, {"id"})}


def _edge(rel: Relationship) -> dict[str, Any]:
    return {"label": rel.type, **_attributes(rel, EDGE_ENDS)}


def _value_type(value: Any) -> str:
    """The attribute type both formats call a value's type by: long, double or string."""
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _value_text(value: Any) -> str:
    """A value as attribute text; ``repr`` gives the shortest text that reads back as the float."""
    return repr(value) if isinstance(value, float) else str(value)


def _declared(
    rows: Sequence[dict[str, Any]], model: type[Organization | Relationship]
) -> list[tuple[str, str]]:
    """The (name, type) of each attribute some row uses, ``label`` first, then in field order."""
    order = {"label": -1}
    for index, field in enumerate(model.model_fields):
        name = RENAMED.get(field, field) if model is Relationship else field
        order[name] = order[name + JSON_SUFFIX] = index
    types: dict[str, str] = {}
    for row in rows:
        for name, value in row.items():
            types.setdefault(name, _value_type(value))
    return sorted(types.items(), key=lambda pair: order[pair[0]])


def _rows(doc: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [_node(o) for o in doc.organizations], [_edge(r) for r in doc.relationships]


def _root(tag: str, namespace: str, schema: str, **attributes: str) -> ET.Element:
    """The root element, declaring the format's namespace as the default one.

    ElementTree's ``default_namespace`` option refuses attributes without a namespace, which
    both formats use everywhere, so the declaration is written as an attribute.
    """
    location = {f"{{{XSI}}}schemaLocation": f"{namespace} {schema}"}
    return ET.Element(tag, {"xmlns": namespace, **location, **attributes})


def _serialised(root: ET.Element) -> bytes:
    """The file's bytes: UTF-8 with its declaration, indented for people reading it."""
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue()


def to_graphml(doc: Document) -> bytes:
    """The document as a GraphML file (UTF-8); edge ids are relationship ids."""
    nodes, edges = _rows(doc)
    root = _root("graphml", GRAPHML_NS, GRAPHML_XSD)
    keys: dict[tuple[str, str], str] = {}
    for kind, rows, model in (("node", nodes, Organization), ("edge", edges, Relationship)):
        for name, value_type in _declared(rows, model):
            keys[kind, name] = key = f"d{len(keys)}"
            attributes = {"id": key, "for": kind, "attr.name": name, "attr.type": value_type}
            ET.SubElement(root, "key", attributes)
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "directed"})

    def add_data(element: ET.Element, kind: str, row: dict[str, Any]) -> None:
        for name, value in row.items():
            ET.SubElement(element, "data", {"key": keys[kind, name]}).text = _value_text(value)

    for org, row in zip(doc.organizations, nodes, strict=True):
        add_data(ET.SubElement(graph, "node", {"id": org.id}), "node", row)
    for rel, row in zip(doc.relationships, edges, strict=True):
        ends = {"id": rel.id, "source": rel.source, "target": rel.target}
        add_data(ET.SubElement(graph, "edge", ends), "edge", row)
    return _serialised(root)


def to_gexf(doc: Document) -> bytes:
    """The document as a GEXF 1.2 file (UTF-8); edge ids are relationship ids."""
    nodes, edges = _rows(doc)
    root = _root("gexf", GEXF_NS, GEXF_XSD, version="1.2")
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = CREATOR
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    for kind, rows, model in (("node", nodes, Organization), ("edge", edges, Relationship)):
        declared = ET.SubElement(graph, "attributes", {"class": kind, "mode": "static"})
        for name, value_type in _declared(rows, model):
            if name != "label":
                attributes = {"id": name, "title": name, "type": value_type}
                ET.SubElement(declared, "attribute", attributes)

    def add_values(element: ET.Element, row: dict[str, Any]) -> None:
        values = ET.SubElement(element, "attvalues")
        for name, value in row.items():
            if name != "label":
                ET.SubElement(values, "attvalue", {"for": name, "value": _value_text(value)})

    node_list = ET.SubElement(graph, "nodes")
    for org, row in zip(doc.organizations, nodes, strict=True):
        add_values(ET.SubElement(node_list, "node", {"id": org.id, "label": row["label"]}), row)
    edge_list = ET.SubElement(graph, "edges")
    for rel, row in zip(doc.relationships, edges, strict=True):
        ends = {"id": rel.id, "source": rel.source, "target": rel.target, "label": row["label"]}
        add_values(ET.SubElement(edge_list, "edge", ends), row)
    return _serialised(root)
