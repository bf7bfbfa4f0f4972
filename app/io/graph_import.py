"""Read GraphML and GEXF files, ours or other tools' (Gephi, yEd, networkx), as a document.

Our own exports (:mod:`app.io.graphfiles`) read back losslessly: every field has its attribute,
lists and sources come from the ``<field>_json`` texts, and ids are kept (unless every
relationship id merely numbers, like "e1", as below). Other files are read
through this mapping, attribute names being compared after folding case, accents and runs of
other characters into ``_`` ("Relationship Type" is ``relationship_type``):

============================================  ==============================================
In the file                                   In the document
============================================  ==============================================
node id                                       organisation id; slugified
                                              (:func:`app.io.ids.slugify`) when not a slug,
                                              with a hash added where two would be one; the
                                              name's slug when every id only numbers its
                                              node ("0", "n0", as Gephi and yEd write)
``name``, else ``label`` (GEXF's node         name; else the node id
label, yEd's node label), else the id
``type``, else ``category``, else ``kind``    organisation type: a vocabulary key as the key
                                              or in words ("Trade union"), or a word of
                                              :mod:`app.io.kumu_terms` ("Co-op", "NGO")
``movement``                                  movement; else the type family's default
                                              (:data:`app.io.kumu_terms.FAMILY_MOVEMENTS`)
``countries`` or ``country``                  countries: ISO 3166-1 alpha-2 codes or English
                                              names, separated by ``,`` ``;`` or ``|``
``sectors`` or ``sector``                     sectors, as keys or in words, separated so
``description``, ``founded``, ``status``      the fields of those names
edge id                                       relationship id (slugified if need be); for
                                              an edge without one, and for every edge of a
                                              file whose edge ids only number them (Gephi,
                                              networkx: 0, 1, ...; yEd: e0, e1, ...; ids
                                              that would clash with other files'),
                                              "<source>-<type>-<target>", then "-2", ...
edge source and target                        the organisations of those nodes
``relationship_type``, else                   relationship type: a key as the key or in
``relationship``, else ``type`` (an           words ("partners with"), or a word of
attribute, not GEXF's edge direction;         :mod:`app.io.kumu_terms` ("Funding", "Member")
but a GEXF edge ``type`` that is no
direction is one, as networkx writes it),
else ``kind`` (GEXF 1.3), else ``label``
``mode``, ``level``, ``status``, ``since``,   the fields of those names; ``mechanisms`` and
``until``, ``amount``, ``currency``,          ``mechanism`` as keys or in words
``awarded``, ``programme``, ``reference``
``description``                               the tie's one activity
``sources_json``                              sources, as they are; else one
                                              ``imported`` source citing the file, "GraphML
                                              file <name>" or "GEXF file <name>", with the
                                              node or edge id as locator
============================================  ==============================================

An ENABLES tie without a mode is ``indirect`` when its source's type is one of the vocabulary's
indirect enablers and ``direct`` otherwise. Other attributes (Gephi's "Modularity Class",
networkx's ``weight``) are not read, each reported once in a note; nor are layout and colours
(GEXF ``viz``, yEd graphics other than its labels).

**Refused whole**, with InvalidData: XML that is not well-formed (naming the line), any DTD or
entity declaration (in whatever encoding), a root that is not ``<graphml>`` or ``<gexf>``, and a
file whose nodes have no attribute that could give an organisation type, or whose edges have
none that could give a relationship type (naming the attributes accepted).

**Skipped**, each with an item in the report: a node without a type or with one that names no
organisation type, or that the model refuses; an edge without a type or with one that names
no relationship type, an edge whose end is a skipped or unknown node, an undirected (or GEXF
``mutual``) edge of a type that reads one way (only the types the vocabulary marks symmetric,
PARTNERS_WITH and AGREEMENT_WITH, may be undirected), a tie of an organisation to itself, and a
tie the vocabulary forbids between the two organisation types. Undirected means GraphML
``directed="false"`` or ``edgedefault="undirected"``, GEXF ``type="undirected"`` or
``defaultedgetype="undirected"``; a file that does not say reads undirected, as the GEXF
primer and networkx read it. A value that cannot be read for an optional field (a country
that is no country, a year that is no number) is left out with a note.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring
from pydantic import ValidationError

from app.domain.documents import check_document, validation_problems
from app.domain.errors import InvalidData, Problem
from app.domain.models import SLUG_PATTERN, Document, Organization, Relationship
from app.domain.vocabulary import vocabulary
from app.io.documents import MAX_DEPTH, json_too_deep
from app.io.ids import MAX_ID, MAX_TEXT, allocate_ids, clip, slugify
from app.io.kumu_terms import (
    default_movement,
    normalised,
    organization_type,
    relationship_type,
    term_key,
    unmapped_reason,
)
from app.io.provenance import file_citation, imported_source
from app.io.report import ImportReport, Issue

RECORD_KIND = "node and edge"
NAME_ATTRIBUTES = ("name", "label")
NODE_TYPE_ATTRIBUTES = ("type", "category", "kind")
EDGE_TYPE_ATTRIBUTES = ("relationship_type", "relationship", "type", "kind", "label")
COUNTRY_ATTRIBUTES = ("countries", "country")
SECTOR_ATTRIBUTES = ("sectors", "sector")
MECHANISM_ATTRIBUTES = ("mechanisms", "mechanism")
JSON_SUFFIX = "_json"
NODE_FIELDS = ("movement", "founded", "status", "description")
EDGE_FIELDS = (
    "mode",
    "since",
    "until",
    "status",
    "level",
    "amount",
    "currency",
    "awarded",
    "programme",
    "reference",
    "description",
)
NODE_LISTS = ("aliases", "countries", "sectors", "identifiers", "sources")
EDGE_LISTS = ("mechanisms", "activities", "sources")
READ_ON_NODES = frozenset(
    {
        *NAME_ATTRIBUTES,
        *NODE_TYPE_ATTRIBUTES,
        *COUNTRY_ATTRIBUTES,
        *SECTOR_ATTRIBUTES,
        *NODE_FIELDS,
        *(f"{name}{JSON_SUFFIX}" for name in NODE_LISTS),
    }
)
READ_ON_EDGES = frozenset(
    {
        *EDGE_TYPE_ATTRIBUTES,
        *MECHANISM_ATTRIBUTES,
        *EDGE_FIELDS,
        *(f"{name}{JSON_SUFFIX}" for name in EDGE_LISTS),
    }
)
REQUIRED_FIELDS = frozenset({"id", "name", "type", "movement", "source", "target", "sources"})
"""Fields a record cannot do without: a value the model refuses there skips the record."""
LIST_SEPARATORS = re.compile(r"[,;|]")
NUMBERED = re.compile(r"[A-Za-z]?[0-9]+")
"""Edge ids that only number edges, as Gephi and networkx ("0") and yEd ("e0") write them."""
TWO_WAY = ("undirected", "mutual")
DIRECTIONS = ("directed", *TWO_WAY)
MAX_DESCRIPTION = 5000
YED_LABELS = {"nodegraphics": "NodeLabel", "edgegraphics": "EdgeLabel"}
"""yEd keeps a node's or edge's label inside the graphics data of these keys."""


@dataclass(frozen=True)
class _Item:
    """A node or an edge as read: its id, ends and direction, and attribute texts by name."""

    kind: str
    number: int
    xml_id: str
    values: Mapping[str, str]
    source: str = ""
    target: str = ""
    direction: str = "directed"

    @property
    def record(self) -> str:
        """How the report names it: by id, else by position; an edge with its ends."""
        name = f"{self.kind} '{self.xml_id}'" if self.xml_id else f"{self.kind} #{self.number}"
        return name if self.kind == "node" else f"{name} ({self.source} -> {self.target})"

    @property
    def locator(self) -> str:
        return self.xml_id or f"{self.kind} #{self.number}"

    def get(self, name: str) -> str | None:
        """The attribute's text, trimmed (as the models trim it); None if absent or blank."""
        text = self.values.get(name, "").strip()
        return text or None

    def first(self, names: Iterable[str]) -> str:
        """The first of ``names`` that the item fills, trimmed; empty if none."""
        return next((text for text in map(self.get, names) if text), "")


@dataclass(frozen=True)
class _Graph:
    """What a file holds, whatever its format: nodes, edges and the attribute names in use."""

    file_kind: str
    nodes: tuple[_Item, ...]
    edges: tuple[_Item, ...]
    node_names: frozenset[str]
    edge_names: frozenset[str]


@dataclass
class _Reading:
    """What reading collects: every issue, noted or skipped."""

    issues: list[Issue] = field(default_factory=list)

    def note(self, record: str, message: str, reason: str) -> None:
        self.issues.append(Issue(record, message, reason=reason))

    def skip(self, record: str, message: str, reason: str) -> None:
        self.issues.append(Issue(record, message, skipped=True, reason=reason))


def _parse(data: bytes, origin: str, root_name: str, file_kind: str) -> ET.Element:
    """The root element, or InvalidData: not well-formed (with the line), a DTD, a wrong root."""
    try:
        root = defused_fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        message = (
            "XML DTDs and entity declarations (<!DOCTYPE ...>, <!ENTITY ...>) are not accepted; "
            f"a {file_kind} file needs neither"
        )
        raise InvalidData([Problem(origin, "(file)", message)]) from None
    except ET.ParseError as error:
        line, column = error.position
        message = f"not well-formed XML: {str(error).split(': line')[0]}"
        raise InvalidData([Problem(origin, f"line {line}, column {column}", message)]) from None
    if _local(root.tag) != root_name:
        message = f"root element <{_local(root.tag)}> is not a {file_kind} file"
        raise InvalidData([Problem(origin, "(root element)", message, (f"<{root_name}>",))])
    return root


def _local(tag: str) -> str:
    """A tag without its namespace: files of every GEXF version and none read alike."""
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())


@dataclass(frozen=True)
class _Key:
    """A GraphML ``<key>``: the attribute name it stands for, what it is for, its default."""

    name: str
    domain: str
    default: str | None
    yed_label: str | None

    def applies_to(self, kind: str) -> bool:
        return self.domain in (kind, "all")


def _graphml_keys(root: ET.Element) -> dict[str, _Key]:
    keys: dict[str, _Key] = {}
    for key in _children(root, "key"):
        key_id = key.get("id", "")
        yed_label = YED_LABELS.get(key.get("yfiles.type", ""))
        name = "label" if yed_label else normalised(key.get("attr.name") or key_id)
        default = next((_text(d) for d in _children(key, "default")), None)
        keys[key_id] = _Key(name, key.get("for", "all"), default, yed_label)
    return keys


def _yed_label(data: ET.Element, label: str) -> str | None:
    """The text of the first yEd label element inside graphics data, if it has one."""
    for element in data.iter():
        if _local(element.tag) == label and (element.text or "").strip():
            return (element.text or "").strip()
    return None


def _graphml_values(element: ET.Element, kind: str, keys: Mapping[str, _Key]) -> dict[str, str]:
    """A node's or edge's data by attribute name, key defaults filling what it lacks."""
    values: dict[str, str] = {}
    for data in _children(element, "data"):
        key = keys.get(data.get("key", ""))
        if key is None:
            name, text = normalised(data.get("key", "")), _text(data)
        elif key.yed_label:
            name, text = key.name, _yed_label(data, key.yed_label) or ""
        else:
            name, text = key.name, _text(data)
        if name and name not in values:
            values[name] = text
    for key in keys.values():
        if key.applies_to(kind) and key.default is not None:
            values.setdefault(key.name, key.default)
    return values


def _graphml_items(
    graph: ET.Element, keys: Mapping[str, _Key], nodes: list[_Item], edges: list[_Item]
) -> None:
    """Collect the nodes and edges of ``graph`` and of the graphs nested in its nodes."""
    default = "directed" if graph.get("edgedefault") == "directed" else "undirected"
    for element in graph:
        tag = _local(element.tag)
        if tag == "node":
            values = _graphml_values(element, "node", keys)
            nodes.append(_Item("node", len(nodes) + 1, element.get("id", ""), values))
            for nested in _children(element, "graph"):
                _graphml_items(nested, keys, nodes, edges)
        elif tag == "edge":
            flag = element.get("directed")
            direction = default if flag is None else "directed" if flag == "true" else "undirected"
            edges.append(
                _Item(
                    "edge",
                    len(edges) + 1,
                    element.get("id", ""),
                    _graphml_values(element, "edge", keys),
                    element.get("source", ""),
                    element.get("target", ""),
                    direction,
                )
            )


def _graphml(root: ET.Element, origin: str) -> _Graph:
    keys = _graphml_keys(root)
    graphs = _children(root, "graph")
    if not graphs:
        raise InvalidData([Problem(origin, "(file)", "holds no <graph> element")])
    nodes: list[_Item] = []
    edges: list[_Item] = []
    for graph in graphs:
        _graphml_items(graph, keys, nodes, edges)
    return _Graph(
        "GraphML",
        tuple(nodes),
        tuple(edges),
        _names(nodes, (k.name for k in keys.values() if k.applies_to("node"))),
        _names(edges, (k.name for k in keys.values() if k.applies_to("edge"))),
    )


def _names(items: Sequence[_Item], declared: Iterable[str]) -> frozenset[str]:
    """Attribute names a kind of element declares or uses."""
    return frozenset(declared) | {name for item in items for name in item.values}


def _gexf_attributes(graph: ET.Element) -> dict[str, dict[str, tuple[str, str | None]]]:
    """Per class (node, edge), each declared attribute id's name and default."""
    declared: dict[str, dict[str, tuple[str, str | None]]] = {"node": {}, "edge": {}}
    for attributes in _children(graph, "attributes"):
        by_id = declared.setdefault(attributes.get("class", ""), {})
        for attribute in _children(attributes, "attribute"):
            attribute_id = attribute.get("id", "")
            name = normalised(attribute.get("title") or attribute_id)
            default = next((_text(d) for d in _children(attribute, "default")), None)
            by_id[attribute_id] = (name, default)
    return declared


def _gexf_values(
    element: ET.Element, own: Mapping[str, str], declared: Mapping[str, tuple[str, str | None]]
) -> dict[str, str]:
    """An element's ``label`` (and an edge's ``kind``), then its attvalues, defaults last."""
    values = {name: text for name, text in own.items()}
    for attvalues in _children(element, "attvalues"):
        for attvalue in _children(attvalues, "attvalue"):
            key = attvalue.get("for") or attvalue.get("id") or ""
            name = declared[key][0] if key in declared else normalised(key)
            if name and name not in values:
                values[name] = attvalue.get("value", "")
    for name, default in declared.values():
        if default is not None:
            values.setdefault(name, default)
    return values


def _gexf_elements(graph: ET.Element, name: str) -> Iterator[ET.Element]:
    """The nodes or edges of a graph, those nested in nodes (GEXF hierarchies) included."""
    for element in graph.iter():
        if _local(element.tag) == name:
            yield element


def _gexf(root: ET.Element, origin: str) -> _Graph:
    graph = next(iter(_children(root, "graph")), None)
    if graph is None:
        raise InvalidData([Problem(origin, "(file)", "holds no <graph> element")])
    declared = _gexf_attributes(graph)
    given = graph.get("defaultedgetype") or "undirected"
    default = given if given in TWO_WAY else "directed"
    nodes = []
    for number, element in enumerate(_gexf_elements(graph, "node"), start=1):
        own = {"label": element.get("label")}
        values = _gexf_values(element, _given(own), declared["node"])
        nodes.append(_Item("node", number, element.get("id", ""), values))
    edges = []
    for number, element in enumerate(_gexf_elements(graph, "edge"), start=1):
        # networkx writes an edge's own "type" attribute as GEXF's direction: read it as such.
        given_type = element.get("type")
        direction = given_type if given_type in DIRECTIONS else default
        own = {
            "label": element.get("label"),
            "kind": element.get("kind"),
            "type": None if given_type in DIRECTIONS else given_type,
        }
        values = _gexf_values(element, _given(own), declared["edge"])
        edges.append(
            _Item(
                "edge",
                number,
                element.get("id", ""),
                values,
                element.get("source", ""),
                element.get("target", ""),
                direction,
            )
        )
    return _Graph(
        "GEXF",
        tuple(nodes),
        tuple(edges),
        _names(nodes, (name for name, _ in declared["node"].values())),
        _names(edges, (name for name, _ in declared["edge"].values())),
    )


def _given(values: Mapping[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in values.items() if value is not None}


def _refuse_missing(graph: _Graph, origin: str) -> None:
    """InvalidData if no node attribute can give a type, or no edge attribute a relationship's."""
    problems = []
    wanted = (
        ("node", graph.nodes, graph.node_names, NODE_TYPE_ATTRIBUTES, "organisation type"),
        ("edge", graph.edges, graph.edge_names, EDGE_TYPE_ATTRIBUTES, "relationship type"),
    )
    for kind, items, names, accepted, what in wanted:
        if items and not names & set(accepted):
            has = f"; the file's {kind}s have {', '.join(sorted(names))}" if names else ""
            message = (
                f"missing: no {kind} has a {', '.join(accepted[:-1])} or {accepted[-1]} "
                f"attribute to give its {what}{has}"
            )
            problems.append(Problem(origin, f"{kind} attribute", message, accepted))
    if problems:
        raise InvalidData(problems)


def _json_list(item: _Item, name: str, reading: _Reading) -> list[Any] | None:
    """The list a ``<name>_json`` attribute holds, None if absent; unreadable ones are noted."""
    text = item.get(name + JSON_SUFFIX)
    if text is None:
        return None
    if json_too_deep(text):
        message = f"{name}{JSON_SUFFIX} nests past the limit of {MAX_DEPTH} levels; not read"
        reading.note(item.record, message, "attribute not readable")
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, list):
        return value
    message = f"{name}{JSON_SUFFIX} is not a JSON list; not read"
    reading.note(item.record, message, "attribute not readable")
    return None


def _terms(
    item: _Item,
    names: Sequence[str],
    keys: Iterable[str],
    what: str,
    reading: _Reading,
    key_of: Callable[[str], str | None] | None = None,
) -> list[str] | None:
    """The vocabulary keys a separated list attribute names; others are noted and left out."""
    text = item.first(names)
    if not text:
        return None
    found: list[str] = []
    for part in LIST_SEPARATORS.split(text.strip("[]")):
        word = part.strip().strip("'\"")
        if not word:
            continue
        key = key_of(word) if key_of else term_key(word, keys)
        if key is None:
            message = f"'{word}' is not a known {what}; left out"
            reading.note(item.record, message, f"{what} not known")
        else:
            found.append(key)
    return list(dict.fromkeys(found))


def _listed(
    item: _Item,
    name: str,
    attributes: Sequence[str],
    what: str,
    keys: Iterable[str],
    reading: _Reading,
    key_of: Callable[[str], str | None] | None = None,
) -> list[Any] | None:
    """A list field: our ``<name>_json`` if the file has it, else the separated attribute."""
    if name + JSON_SUFFIX in item.values:
        return _json_list(item, name, reading)
    return _terms(item, attributes, keys, what, reading, key_of)


def _term(value: str | None, keys: Iterable[str]) -> str | None:
    """The vocabulary key a text names, else the text itself, for the model to judge."""
    if value is None:
        return None
    return term_key(value, keys) or value


def _number(value: str | None) -> Any:
    """A year as an integer, also when a tool wrote it as a double ("2004.0")."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else value


def _sources(item: _Item, file_kind: str, origin: str, reading: _Reading) -> list[Any]:
    """The item's ``sources_json`` (ours, kept as they are), else one ``imported`` source
    citing the file with the item's id."""
    given = _json_list(item, "sources", reading)
    if given:
        return given
    return [imported_source(file_citation(f"{file_kind} file", origin), item.locator)]


def _problems_text(error: ValidationError) -> str:
    found = validation_problems(error, lambda loc: ("", ".".join(str(p) for p in loc)))
    return "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in found)


def _validated(
    model: type[Organization] | type[Relationship],
    data: Mapping[str, Any],
    item: _Item,
    reading: _Reading,
) -> Organization | Relationship | None:
    """The record, leaving out (with a note) optional fields the model refuses; else None."""
    given = {name: value for name, value in data.items() if value is not None}
    try:
        return model.model_validate(given)
    except ValidationError as error:
        fields = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        whole = any(not e["loc"] for e in error.errors())
        if whole or fields & REQUIRED_FIELDS:
            reading.skip(item.record, _problems_text(error), f"invalid {item.kind}")
            return None
        message = f"{_problems_text(error)}; left out"
        reading.note(item.record, message, "value not read")
        kept = {name: value for name, value in given.items() if name not in fields}
        try:
            return model.model_validate(kept)
        except ValidationError as again:
            reading.skip(item.record, _problems_text(again), f"invalid {item.kind}")
            return None


def _is_slug(text: str) -> bool:
    return len(text) <= MAX_ID and re.fullmatch(SLUG_PATTERN, text) is not None


def _node_slug(node: _Item, numbered: bool) -> str:
    """The slug a node's organisation id is made from: its name when the file only numbers
    its nodes, else its id; failing either, the other, else "node"."""
    named, own = slugify(node.first(NAME_ATTRIBUTES)), slugify(node.xml_id)
    return (named or own if numbered else own or named) or "node"


def _node_ids(nodes: Sequence[_Item], reading: _Reading) -> dict[str, str]:
    """Organisation id of each node id: itself if a slug, else its slug, unique either way.

    When every node id only numbers the nodes ("0", "n0", as Gephi and yEd write them), ids
    come from names: two files both numbering from 0 must not name one organisation.
    """
    numbered = bool(nodes) and all(NUMBERED.fullmatch(node.xml_id) for node in nodes)
    slugs = set() if numbered else {n.xml_id for n in nodes if _is_slug(n.xml_id)}
    others = [node for node in nodes if node.xml_id not in slugs]
    bases = [(node.xml_id, _node_slug(node, numbered)) for node in others]
    ids = {slug: slug for slug in slugs} | allocate_ids(bases, taken=slugs)
    if numbered:
        message = f"{len(nodes)} node ids only number the nodes; organisation ids are their names"
        reading.note("nodes", message, "node id replaced")
        return ids
    for node in others:
        message = f"node id '{node.xml_id}' is not a slug; organisation id '{ids[node.xml_id]}'"
        reading.note(node.record, message, "node id replaced")
    return ids


def _organization(
    node: _Item, org_id: str, file_kind: str, origin: str, reading: _Reading
) -> Organization | None:
    """The organisation a node describes, or None (reported) if it has none to give."""
    type_text = node.first(NODE_TYPE_ATTRIBUTES)
    if not type_text:
        message = f"has no {', '.join(NODE_TYPE_ATTRIBUTES)} value to give its organisation type"
        reading.skip(node.record, message, "no organisation type")
        return None
    org_type = organization_type(type_text)
    if org_type is None:
        why = unmapped_reason(type_text)
        allowed = ", ".join(sorted(vocabulary().organization_types))
        message = f"'{type_text}' is not a known organisation type" + (f" ({why})" if why else "")
        reading.skip(node.record, f"{message}; allowed: {allowed}", "unknown organisation type")
        return None
    movement = default_movement(org_type)
    given = node.get("movement")
    if given:
        named = term_key(given, vocabulary().movements)
        if named is None:
            message = f"'{given}' is not a movement; read as {movement}, its type's default"
            reading.note(node.record, message, "movement not known")
        movement = named or movement
    vocab = vocabulary()
    name = node.first(NAME_ATTRIBUTES) or node.xml_id
    description = node.get("description")
    if description is not None and len(description) > MAX_DESCRIPTION:
        description = description[: MAX_DESCRIPTION - 3].rstrip() + "..."
        message = f"description shortened to {MAX_DESCRIPTION} characters"
        reading.note(node.record, message, "description shortened")
    data = {
        "id": org_id,
        "name": clip(name) if len(name) > MAX_TEXT else name,
        "aliases": _json_list(node, "aliases", reading),
        "type": org_type,
        "movement": movement,
        "countries": _listed(
            node, "countries", COUNTRY_ATTRIBUTES, "country", (), reading, vocab.country_code
        ),
        "sectors": _listed(node, "sectors", SECTOR_ATTRIBUTES, "sector", vocab.sectors, reading),
        "founded": _number(node.get("founded")),
        "status": _term(node.get("status"), vocab.organization_statuses),
        "description": description,
        "identifiers": _json_list(node, "identifiers", reading),
        "sources": _sources(node, file_kind, origin, reading),
    }
    record = _validated(Organization, data, node, reading)
    return record if isinstance(record, Organization) else None


def _organizations(
    graph: _Graph, origin: str, reading: _Reading
) -> tuple[list[Organization], dict[str, str], set[str]]:
    """The organisations, the organisation id of each node id, and the node ids left out."""
    nodes: list[_Item] = []
    seen: set[str] = set()
    left_out: set[str] = set()
    for node in graph.nodes:
        if not node.xml_id:
            reading.skip(node.record, "has no id", "node without an id")
        elif node.xml_id in seen:
            reading.skip(node.record, "repeats the id of an earlier node", "repeated node id")
        else:
            seen.add(node.xml_id)
            nodes.append(node)
    ids = _node_ids(nodes, reading)
    organizations = []
    for node in nodes:
        org = _organization(node, ids[node.xml_id], graph.file_kind, origin, reading)
        if org is None:
            left_out.add(node.xml_id)
        else:
            organizations.append(org)
    return organizations, ids, left_out


@dataclass(frozen=True)
class _Nodes:
    """What edges resolve their ends against."""

    ids: Mapping[str, str]
    left_out: frozenset[str]
    types: Mapping[str, str]


def _ends(edge: _Item, nodes: _Nodes, reading: _Reading) -> tuple[str, str] | None:
    """The organisations an edge joins, or None (reported) if it cannot join two."""
    ends = []
    for end, node_id in (("source", edge.source), ("target", edge.target)):
        if node_id in nodes.left_out:
            message = f"its {end} node '{node_id}' is left out of the import"
            reading.skip(edge.record, message, "edge of a skipped node")
            return None
        if node_id not in nodes.ids:
            reading.skip(
                edge.record, f"its {end} '{node_id}' is no node of the file", "unknown node"
            )
            return None
        ends.append(nodes.ids[node_id])
    if ends[0] == ends[1]:
        reading.skip(edge.record, "joins a node to itself", "tie of an organisation to itself")
        return None
    return ends[0], ends[1]


def _mode(edge: _Item, rel_type: str, source_type: str) -> str | None:
    """The mode attribute, else for ENABLES the default for the source's type."""
    given = edge.get("mode")
    if given:
        return _term(given, vocabulary().modes)
    if rel_type != "ENABLES":
        return None
    return "indirect" if source_type in vocabulary().indirect_enabler_types else "direct"


def _fields_for_type(data: dict[str, Any], edge: _Item, rel_type: str, reading: _Reading) -> None:
    """Leave out (with a note) fields the vocabulary keeps for other relationship types."""
    for name, types in sorted(vocabulary().relationship_fields.items()):
        if data.get(name) not in (None, []) and rel_type not in types:
            message = f"{name} not read: it is only for {', '.join(sorted(types))} relationships"
            reading.note(edge.record, message, "field of another relationship type")
            data[name] = None


def _relationship(
    edge: _Item, rel_id: str, nodes: _Nodes, file_kind: str, origin: str, reading: _Reading
) -> Relationship | None:
    """The relationship an edge describes, or None (reported) if it cannot be one."""
    rules = vocabulary().relationship_types
    type_text = edge.first(EDGE_TYPE_ATTRIBUTES)
    if not type_text:
        message = f"has no {', '.join(EDGE_TYPE_ATTRIBUTES)} value to give its relationship type"
        reading.skip(edge.record, message, "no relationship type")
        return None
    rel_type = relationship_type(type_text)
    if rel_type is None:
        message = f"'{type_text}' is not a known relationship type; allowed: {', '.join(rules)}"
        reading.skip(edge.record, message, "unknown relationship type")
        return None
    ends = _ends(edge, nodes, reading)
    if ends is None:
        return None
    if edge.direction in TWO_WAY and not rules[rel_type].symmetric:
        symmetric = ", ".join(key for key, rule in rules.items() if rule.symmetric)
        message = (
            f"is {edge.direction}, but {rel_type} reads one way, from source to target; "
            f"only {symmetric} ties may be {edge.direction}"
        )
        reading.skip(edge.record, message, "undirected edge of a one-way type")
        return None
    source, target = ends
    description = edge.get("description")
    activities = _json_list(edge, "activities", reading)
    if activities is None and description:
        activities = [clip(description)]
    vocab = vocabulary()
    data: dict[str, Any] = {
        "id": rel_id or slugify(f"{source}-{rel_type}-{target}"),
        "type": rel_type,
        "source": source,
        "target": target,
        "mode": _mode(edge, rel_type, nodes.types[source]),
        "mechanisms": _listed(
            edge, "mechanisms", MECHANISM_ATTRIBUTES, "mechanism", vocab.mechanisms, reading
        ),
        "since": _number(edge.get("since")),
        "until": _number(edge.get("until")),
        "status": _term(edge.get("status"), vocab.relationship_statuses),
        "level": _term(edge.get("level"), vocab.levels),
        "activities": activities,
        "amount": edge.get("amount"),
        "currency": edge.get("currency"),
        "awarded": edge.get("awarded"),
        "programme": edge.get("programme"),
        "reference": edge.get("reference"),
        "sources": _sources(edge, file_kind, origin, reading),
    }
    _fields_for_type(data, edge, rel_type, reading)
    record = _validated(Relationship, data, edge, reading)
    if not isinstance(record, Relationship):
        return None
    forbidden = check_document(Document(relationships=[record]), nodes.types)
    if forbidden:
        message = "; ".join(
            p.message + (f" (allowed: {', '.join(p.allowed)})" if p.allowed else "")
            for p in forbidden
        )
        reading.skip(edge.record, message, "tie the vocabulary forbids")
        return None
    return record


def _edge_ids(edges: Sequence[_Item], reading: _Reading) -> dict[int, str]:
    """The relationship id of each edge (by number): its id or that id's slug while unique;
    "" to make it from the tie, for an edge without an id or when all ids only number edges."""
    if all(not edge.xml_id or NUMBERED.fullmatch(edge.xml_id) for edge in edges):
        return {edge.number: "" for edge in edges}
    taken = {edge.xml_id for edge in edges if _is_slug(edge.xml_id)}
    ids: dict[int, str] = {}
    for edge in edges:
        if not edge.xml_id:
            ids[edge.number] = ""
            continue
        if _is_slug(edge.xml_id):
            ids[edge.number] = edge.xml_id
            continue
        slug = slugify(edge.xml_id)
        ids[edge.number] = "" if not slug or slug in taken else slug
        taken.add(slug)
        made = f"relationship id '{slug}'" if ids[edge.number] else "its id made from the tie"
        message = f"edge id '{edge.xml_id}' is not a slug; {made}"
        reading.note(edge.record, message, "edge id made a slug")
    return ids


def _relationships(
    graph: _Graph, nodes: _Nodes, origin: str, reading: _Reading
) -> list[Relationship]:
    """The relationships of the edges that can be read, ids unique."""
    relationships: list[Relationship] = []
    seen: set[str] = set()
    edges = []
    for edge in graph.edges:
        if edge.xml_id and edge.xml_id in seen:
            reading.skip(edge.record, "repeats the id of an earlier edge", "repeated edge id")
            continue
        seen.add(edge.xml_id)
        edges.append(edge)
    given = _edge_ids(edges, reading)
    used = {rel_id for rel_id in given.values() if rel_id}
    for edge in edges:
        relationship = _relationship(
            edge, given[edge.number], nodes, graph.file_kind, origin, reading
        )
        if relationship is None:
            continue
        if not given[edge.number]:
            rel_id, repeat = relationship.id, 2
            while rel_id in used:
                suffix = f"-{repeat}"
                rel_id, repeat = relationship.id[: MAX_ID - len(suffix)] + suffix, repeat + 1
            used.add(rel_id)
            relationship = relationship.model_copy(update={"id": rel_id})
        relationships.append(relationship)
    return relationships


def _unread_attributes(graph: _Graph) -> list[Issue]:
    """One note per attribute the file has that the mapping does not read."""
    notes = []
    for kind, names, read in (
        ("node", graph.node_names, READ_ON_NODES),
        ("edge", graph.edge_names, READ_ON_EDGES),
    ):
        for name in sorted(names - read):
            message = f"the {kind} attribute '{name}' means nothing in the data model; not read"
            notes.append(Issue(f"{kind} attribute '{name}'", message, reason="attribute not read"))
    return notes


def _read(graph: _Graph, origin: str) -> tuple[Document, ImportReport]:
    _refuse_missing(graph, origin)
    reading = _Reading()
    organizations, ids, left_out = _organizations(graph, origin, reading)
    nodes = _Nodes(ids, frozenset(left_out), {org.id: org.type for org in organizations})
    relationships = _relationships(graph, nodes, origin, reading)
    document = Document(organizations=organizations, relationships=relationships)
    report = ImportReport(
        origin=origin,
        record_kind=RECORD_KIND,
        records_read=len(graph.nodes) + len(graph.edges),
        organizations=len(organizations),
        relationships=len(relationships),
        issues=tuple([*reading.issues, *_unread_attributes(graph)]),
        created=tuple(org.id for org in organizations),
    )
    return document, report


def read_graphml(data: bytes, origin: str) -> tuple[Document, ImportReport]:
    """The document a GraphML file describes, and the report of what it left out and why.

    ``origin`` names the file in reports and in the citation of records without sources.
    Raises InvalidData for a file that cannot be read at all (see the module docstring).
    """
    return _read(_graphml(_parse(data, origin, "graphml", "GraphML"), origin), origin)


def read_gexf(data: bytes, origin: str) -> tuple[Document, ImportReport]:
    """The document a GEXF file (1.1 to 1.3) describes, and the report of what it left out.

    ``origin`` names the file in reports and in the citation of records without sources.
    Raises InvalidData for a file that cannot be read at all (see the module docstring).
    """
    return _read(_gexf(_parse(data, origin, "gexf", "GEXF"), origin), origin)
