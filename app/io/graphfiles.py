"""The graph as GraphML and GEXF 1.2 files, for Gephi, yEd, Cytoscape and networkx.

Both files hold one directed multigraph: a node per organisation, whose node id is the
organisation id, and an edge per relationship from its source to its target, whose id (the
networkx edge key) is the relationship id. Attributes:

* every other field under its own name, except that an edge's ``type`` is called
  ``relationship_type``, since GEXF keeps ``type`` for an edge's direction;
* ``label``: what Gephi shows, a node's short name and an edge's relationship type;
* scalars as themselves (years as integers, ``amount`` as a double, ``awarded`` as ISO date
  text), with fields that are not given left out;
* lists and ``sources`` as JSON text, under the field name plus ``_json`` (``aliases_json``,
  ``sources_json``: a list of ``{citation, locator, url}``);
* in GEXF only, each edge's id again as ``id`` (the GEXF edge id) and as ``networkx_key``,
  which networkx writes for every multigraph edge.

XML cannot hold every character, so all text is written as :func:`xml_text` makes it: line
ends become ``\\n`` (XML readers fold ``\\r\\n`` anyway) and characters XML 1.0 forbids
(control characters other than tab and line ends, lone surrogates) become U+FFFD.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import networkx as nx

from app.domain.models import Document, Organization, Relationship

JSON_SUFFIX = "_json"
EDGE_ENDS = {"id", "source", "target"}
RENAMED = {"type": "relationship_type"}
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def to_graph(doc: Document) -> nx.MultiDiGraph:
    """The document as a networkx multigraph with the attributes both file formats hold."""
    graph = nx.MultiDiGraph()
    for org in doc.organizations:
        graph.add_node(org.id, **_node(org))
    for rel in doc.relationships:
        graph.add_edge(rel.source, rel.target, key=rel.id, **_edge(rel))
    return graph


def to_graphml(doc: Document) -> bytes:
    """The document as a GraphML file (UTF-8); edge ids are relationship ids."""
    buffer = io.BytesIO()
    nx.write_graphml(to_graph(doc), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(doc: Document) -> bytes:
    """The document as a GEXF 1.2 file (UTF-8); edge ids are relationship ids."""
    graph = to_graph(doc)
    for _, _, key, data in graph.edges(keys=True, data=True):
        data["id"] = key
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
