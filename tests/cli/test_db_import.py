"""``solgraph db import``: a database built by Neo4j's bulk importer holds what a load stores.

The expected database is the one ``Neo4jStore.apply`` writes for the same document into an
empty database (the store under test elsewhere); the imported one is built by the command
with Neo4j's own importer (the launcher's ``admin`` mode, ``scripts/neo4j_local.py``) and
read back through a second ``Neo4jStore``. Nodes and ties are compared property by property
and label by label, as Cypher sees them, so the files carry what the store writes.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

from app.domain.edits import Edit
from app.domain.models import Document, Organization, Relationship
from app.io.documents import to_json
from app.io.synthetic import document as synthetic_document
from app.settings import Settings
from app.store.neo4j.bulk import ARRAY_DELIMITERS, array_delimiter, column_types, csv_field
from app.store.neo4j.queries import query
from app.store.neo4j.store import Neo4jStore
from app.store.protocol import ChangeFilter, GraphStore
from tests.cli.test_cli import solgraph
from tests.factories import org, rel

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import neo4j_local  # lives in scripts/, not in the package

NEO4J_LOCAL = Path(neo4j_local.__file__).resolve()
ACTOR = "cli:tester"

_NODES = "MATCH (n) WHERE NOT n:GraphMeta RETURN labels(n) AS labels, properties(n) AS p"
_TIES = (
    "MATCH (s)-[r]->(t) RETURN type(r) AS type, s.id AS source, t.id AS target, properties(r) AS p"
)


def _awkward(document: Document) -> Document:
    """``document`` plus records whose text a CSV file could mangle: quotes, commas, the
    list separators the importer might use, line breaks, non-Latin script, and empty lists."""
    first = document.organizations[0]
    odd = [
        org(
            "quoted",
            'The "Quoted", Union; of\nTwo Lines',
            aliases=["A;B", "C,D", 'E"F'],
            description='Line one\nLine two, with ; and "quotes"\r\nand a CRLF',
            identifiers=["id:1", "Ünïcödé 統一"],
        ),
        org("bare", "Bare", countries=[], sectors=[]),
    ]
    ties = [
        rel("quoted-member-of-bare", "MEMBER_OF", "quoted", "bare", activities=["x;y", "z"]),
        rel(f"bare-partners-with-{first.id}", "PARTNERS_WITH", "bare", first.id),
    ]
    return Document(
        organizations=[*document.organizations, *odd],
        relationships=[*document.relationships, *ties],
    )


def _graph(settings: Settings) -> tuple[list[Any], list[Any]]:
    """Every node but the meta node, and every tie, with labels and properties, sorted; the
    trail's ``at``, ``action`` and ``seq`` are left out (they differ by construction: the
    shared test database numbers its trail on from earlier tests)."""
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        nodes = [r.data() for r in driver.execute_query(_NODES).records]
        ties = [r.data() for r in driver.execute_query(_TIES).records]
    for node in nodes:
        node["labels"] = sorted(node["labels"])
        for key in ("at", "action", "seq"):
            node["p"].pop(key, None)
    return sorted(nodes, key=repr), sorted(ties, key=repr)


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[tuple[Document, Path]]:
    """A small synthetic document with awkward records, written as JSON."""
    document = _awkward(synthetic_document(60, seed=7))
    path = tmp_path / "graph.json"
    path.write_text(to_json(document), encoding="utf-8")
    yield document, path


@pytest.mark.neo4j
def test_db_import_builds_the_database_a_load_builds(
    neo4j_store: GraphStore,
    neo4j_settings: Settings,
    imported: tuple[Document, Path],
    tmp_path: Path,
) -> None:
    document, path = imported
    assert isinstance(neo4j_store, Neo4jStore)
    neo4j_store.clear()
    neo4j_store.apply(Edit.of_document(document, ACTOR, "load"))
    home = tmp_path / "imported-neo4j"
    admin = f"{sys.executable} {NEO4J_LOCAL} admin --data-dir {home} --"
    result = solgraph(
        "db", "import", str(path), "--to", str(tmp_path / "csv"), "--admin", admin,
        env={"USER": "tester", "LOGNAME": "tester"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported into database neo4j" in result.stdout

    with neo4j_local.start(home) as server:
        settings = Settings(
            store="neo4j",
            neo4j_uri=server.uri,
            neo4j_user=server.user,
            neo4j_password=server.password,
        )
        store = Neo4jStore.connect(settings)
        try:
            assert store.export() == neo4j_store.export()
            loaded = dataclasses.replace(neo4j_store.counts(), version=1)
            assert store.counts() == loaded
            assert store.schema_version() == neo4j_store.schema_version()
            ours = store.changes(ChangeFilter(), 0, 10_000).items
            theirs = neo4j_store.changes(ChangeFilter(), 0, 10_000).items
            assert [c.seq for c in ours] == list(range(1, len(theirs) + 1))
            same = {"at", "action", "seq"}
            assert [c.model_dump(exclude=same) for c in ours] == [
                c.model_dump(exclude=same) for c in theirs
            ]
            assert {c.action for c in ours} == {"db import graph.json"}
            assert _graph(settings) == _graph(neo4j_settings)
            store.apply(Edit(actor=ACTOR, action="edit", organizations=(org("after-import"),)))
            assert store.get_organization("after-import").name == "AFTER-IMPORT"
            assert store.counts().version == 2
        finally:
            store.close()


def test_the_array_delimiter_avoids_every_character_a_list_item_holds() -> None:
    assert array_delimiter([["a;b"], ["c"]]) == ARRAY_DELIMITERS[0]
    assert array_delimiter([[f"x{ARRAY_DELIMITERS[0]}y"]]) == ARRAY_DELIMITERS[1]


def test_fields_follow_the_importers_csv_rules() -> None:
    # The rules of the Operations Manual's import format: quotes doubled inside a quoted
    # field, an empty field is no property, numbers bare.
    assert csv_field('say "hi", then go', "\x1f") == '"say ""hi"", then go"'
    assert csv_field(None, "\x1f") == ""
    assert csv_field([], "\x1f") == ""
    assert csv_field(["a", "b"], "\x1f") == '"a\x1fb"'
    assert csv_field(2019, "\x1f") == "2019"
    assert csv_field(25000.5, "\x1f") == "25000.5"
    assert column_types([{"a": 1, "b": None, "c": ["x"], "d": 2.5}]) == {
        "a": "long",
        "b": "string",
        "c": "string[]",
        "d": "double",
    }


def test_fill_lists_names_every_list_field_of_the_models() -> None:
    # Neo4j's importer stores no empty list; fill_lists must write each list field of the
    # records (the models' own annotations say which are lists).
    text = query("fill_lists")
    for model, var in ((Organization, "o"), (Relationship, "r")):
        lists = {
            name
            for name, info in model.model_fields.items()
            if typing.get_origin(info.annotation) is list and name != "sources"
        }
        for name in lists:
            assert f"{var}.{name} = coalesce({var}.{name}, [])" in text, name
