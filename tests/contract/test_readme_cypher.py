"""The README's Cypher section, run as written against the real Neo4j.

The three worked queries are read out of README.md and run on the store's own database, once
holding the seed and once a small graph made here whose answers are plain to see. Every
answer is checked against networkx over the same document, computed from the vocabulary and
the records, not from the store. The section's lists of enabling types and labels are checked
against the vocabulary and against the labels Neo4j actually holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from neo4j import Driver, GraphDatabase

from app.domain.models import Document, Relationship
from app.domain.vocabulary import vocabulary
from app.settings import Settings
from app.store.protocol import GraphStore
from tests.factories import org, rel

pytestmark = pytest.mark.neo4j

README = Path(__file__).resolve().parents[2] / "README.md"
HEADING = "## Cypher in Neo4j"
TARGET = "ima-limpia"
"""The organisation the first query names (Box 3's social enterprise)."""
INFERRED = {
    "citation": "Test fixture",
    "basis": "inferred",
    "reason": "read into the fixture's words for the test",
}


def section() -> str:
    """The README's Cypher section, from its heading to the next one."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n{HEADING}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def queries() -> list[str]:
    """The section's fenced ``cypher`` blocks, in order."""
    return re.findall(r"```cypher\n(.*?)```", section(), flags=re.DOTALL)


def label_table() -> tuple[dict[str, str], dict[str, str]]:
    """The section's table: family key to label, and movement key to label."""
    families: dict[str, str] = {}
    movements: dict[str, str] = {}
    for line in section().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`") and not cells[0].startswith("family"):
            family = re.match(r"`([a-z_]+)`", cells[0])
            assert family, line
            families[family.group(1)] = cells[1].strip("`")
            movements[cells[2].strip("`")] = cells[3].strip("`")
    return families, movements


def small_graph() -> Document:
    """Answers by construction: IMA Limpia is enabled by the union (1 hop), the NGO (2), the
    funder (3) and by no one further or over an ended tie; the lonely cooperative has no
    enabler; the NGO and the second cooperative share the funder, and their other shared
    funder gave money only by our inference."""
    sse = {"type": "cooperative", "movement": "sse"}
    return Document(
        organizations=[
            org(TARGET, "IMA Limpia", type="social_enterprise", movement="sse"),
            org("union", "Union"),
            org("ngo", "NGO", type="ngo", movement="enabler"),
            org("funder", "Funder", type="funder", movement="enabler"),
            org("funder-2", "Second funder", type="funder", movement="enabler"),
            org("far", "Far funder", type="funder", movement="enabler"),
            org("old-ngo", "Old NGO", type="ngo", movement="enabler"),
            org("coop", "Second cooperative", **sse),
            org("lonely", "Lonely cooperative", **sse),
        ],
        relationships=[
            rel("union-established-ima", "ESTABLISHED", "union", TARGET),
            rel("ngo-enables-union", "ENABLES", "ngo", "union"),
            rel("funder-funds-ngo", "FUNDS", "funder", "ngo"),
            rel("far-funds-funder", "FUNDS", "far", "funder"),
            rel("old-enables-ima", "ENABLES", "old-ngo", TARGET, status="ended", until=2010),
            rel("funder-funds-coop", "FUNDS", "funder", "coop"),
            rel("funder-2-funds-ngo", "FUNDS", "funder-2", "ngo", sources=[INFERRED]),
            rel("funder-2-funds-coop", "FUNDS", "funder-2", "coop"),
            rel("lonely-partners-coop", "PARTNERS_WITH", "lonely", "coop"),
        ],
    )


def enabling(rel: Relationship) -> bool:
    return rel.type in vocabulary().enabling_types


def stated(rel: Relationship) -> bool:
    """Whether a source bearing on the whole tie states it (or an open-data file publishes it)."""
    return any(s.basis != "inferred" for s in rel.sources if not s.fields)


def expected_enablers(doc: Document) -> list[dict[str, Any]]:
    graph = nx.DiGraph()
    graph.add_nodes_from(o.id for o in doc.organizations)
    graph.add_edges_from(
        (r.source, r.target) for r in doc.relationships if enabling(r) and r.status == "active"
    )
    hops = nx.shortest_path_length(graph, target=TARGET)
    found = [(n, d) for n, d in hops.items() if n != TARGET and d <= 3]
    return [{"enabler": n, "hops": d} for n, d in sorted(found, key=lambda p: (p[1], p[0]))]


def expected_unenabled(doc: Document) -> list[dict[str, Any]]:
    sse_types = vocabulary().families["sse_units"]
    enabled = {r.target for r in doc.relationships if enabling(r)}
    units = [o for o in doc.organizations if o.type in sse_types and o.id not in enabled]
    return [{"unit": o.id, "name": o.name} for o in sorted(units, key=lambda o: o.id)]


def expected_shared_funders(doc: Document) -> list[dict[str, Any]]:
    funded: dict[str, set[str]] = {}
    for r in doc.relationships:
        if r.type == "FUNDS" and stated(r):
            funded.setdefault(r.source, set()).add(r.target)
    pairs: dict[tuple[str, str], set[str]] = {}
    for funder, targets in funded.items():
        for pair in combinations(sorted(targets), 2):
            pairs.setdefault(pair, set()).add(funder)
    return [
        {"first": a, "second": b, "funders": sorted(funders)}
        for (a, b), funders in sorted(pairs.items())
    ]


@pytest.fixture(scope="module")
def driver(neo4j_settings: Settings) -> Iterator[Driver]:
    auth = (neo4j_settings.neo4j_user, neo4j_settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(neo4j_settings.neo4j_uri, auth=auth) as opened:
        yield opened


def answers(driver: Driver, settings: Settings) -> list[list[dict[str, Any]]]:
    with driver.session(database=settings.neo4j_database) as session:
        return [session.run(query).data() for query in queries()]


def test_the_section_has_three_worked_queries() -> None:
    found = queries()
    assert len(found) == 3
    assert "'ima-limpia'" in found[0] and ":SSEUnit" in found[1] and ":FUNDS" in found[2]


def test_the_enabling_types_listed_are_the_vocabulary_s() -> None:
    line = next(
        line for line in section().split("\n\n") if line.startswith("Enabling relationship types")
    )
    listed = set(re.findall(r"`([A-Z_]+)`", line))
    assert listed == vocabulary().enabling_types
    for query in queries()[:2]:
        typed = re.search(r"\[:([A-Z_|]+)", query)
        assert typed and set(typed.group(1).split("|")) == listed


def test_the_label_table_names_every_family_and_movement_once() -> None:
    families, movements = label_table()
    assert set(families) == set(vocabulary().families)
    assert set(movements) == set(vocabulary().movements)
    labels = [*families.values(), *movements.values()]
    assert len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"[A-Z][A-Za-z]*", label) for label in labels)


def test_the_seed_carries_the_labels_the_table_names(
    seed: Document, neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    families, movements = label_table()
    vocab = vocabulary()
    neo4j_store.clear()
    neo4j_store.load(seed)
    with driver.session(database=neo4j_settings.neo4j_database) as session:
        rows = session.run("MATCH (o:Organization) RETURN o.id AS id, labels(o) AS labels")
        found = {row["id"]: set(row["labels"]) for row in rows}
    assert found == {
        o.id: {"Organization", families[vocab.family_of(o.type)], movements[o.movement]}
        for o in seed.organizations
    }


@pytest.mark.parametrize("graph", ["seed", "small"])
def test_the_queries_answer_as_networkx_does(
    graph: str,
    seed: Document,
    neo4j_store: GraphStore,
    neo4j_settings: Settings,
    driver: Driver,
) -> None:
    doc = seed if graph == "seed" else small_graph()
    neo4j_store.clear()
    neo4j_store.load(doc)
    enablers, unenabled, shared = answers(driver, neo4j_settings)
    assert enablers == expected_enablers(doc)
    assert unenabled == expected_unenabled(doc)
    assert shared == expected_shared_funders(doc)


def test_the_small_graph_gives_the_answers_it_was_built_for(
    neo4j_store: GraphStore, neo4j_settings: Settings, driver: Driver
) -> None:
    # The answers stated in small_graph's docstring, so that networkx is checked too.
    neo4j_store.clear()
    neo4j_store.load(small_graph())
    enablers, unenabled, shared = answers(driver, neo4j_settings)
    assert [(r["enabler"], r["hops"]) for r in enablers] == [
        ("union", 1),
        ("ngo", 2),
        ("funder", 3),
        ("funder-2", 3),
    ]
    assert [r["unit"] for r in unenabled] == ["lonely"]
    assert shared == [{"first": "coop", "second": "ngo", "funders": ["funder"]}]
