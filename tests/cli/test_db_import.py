"""``solgraph db import``: a database built by Neo4j's bulk importer holds what a load stores.

The expected database is the one ``Neo4jStore.apply`` writes for the same document into an
empty database (the store under test elsewhere); the imported one is built by the command
with Neo4j's own importer (the launcher's ``admin`` mode, ``scripts/neo4j_local.py``) and
read back through a second ``Neo4jStore``. Nodes and ties are compared property by property
and label by label, as Cypher sees them, so the files carry what the store writes.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
import typing
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

import app.io.streaming as streaming
from app.domain.edits import Edit
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship
from app.io.documents import to_json
from app.io.streaming import DocumentParts
from app.io.synthetic import document as synthetic_document
from app.settings import Settings
from app.store.neo4j.bulk import (
    ARRAY_DELIMITERS,
    ImportFiles,
    Table,
    TableWriter,
    csv_field,
    write_import_files,
)
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
    list separators the importer might use (the preferred one inside a list item, so the
    files are written a second time with the next), line breaks, non-Latin script, and empty
    lists."""
    first = document.organizations[0]
    odd = [
        org(
            "quoted",
            'The "Quoted", Union; of\nTwo Lines',
            aliases=["A;B", "C,D", 'E"F', f"G{ARRAY_DELIMITERS[0]}H"],
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


def _write(path: Path, folder: Path) -> ImportFiles:
    """The import files of the document at ``path``, read as ``db import`` reads it."""
    return write_import_files(
        lambda: DocumentParts(path).edits(ACTOR, "db import"), folder, datetime.now(UTC)
    )


def _organization_rows(files: ImportFiles) -> list[dict[str, str]]:
    """The organisation file read back by Python's CSV reader, its header from its own file."""
    text = files.organizations.header.read_text("utf-8") + files.organizations.rows.read_text(
        "utf-8"
    )
    return list(csv.DictReader(text.splitlines(keepends=True)))


def test_a_list_item_holding_the_preferred_delimiter_moves_lists_to_the_next(
    tmp_path: Path,
) -> None:
    first, second = ARRAY_DELIMITERS[:2]
    plain = Document(organizations=[org("plain", aliases=["A;B", "C"])])
    odd = Document(
        organizations=[org("plain", aliases=["A;B", "C"]), org("odd", aliases=[f"x{first}y", "z"])]
    )
    for name, document in (("plain", plain), ("odd", odd)):
        (tmp_path / f"{name}.json").write_text(to_json(document), encoding="utf-8")

    assert _write(tmp_path / "plain.json", tmp_path / "plain").array_delimiter == first
    files = _write(tmp_path / "odd.json", tmp_path / "odd")
    assert files.array_delimiter == second
    split = {
        row["id:ID(Organization)"]: row["aliases:string[]"].split(second)
        for row in _organization_rows(files)
    }
    assert split == {o.id: o.aliases for o in odd.organizations}
    assert sorted(p.name for p in (tmp_path / "odd").iterdir()) == sorted(
        p.name for p in files.paths()
    )


def test_no_free_delimiter_is_refused_and_leaves_no_files(tmp_path: Path) -> None:
    document = Document(organizations=[org("odd", aliases=[f"x{c}" for c in ARRAY_DELIMITERS])])
    path = tmp_path / "odd.json"
    path.write_text(to_json(document), encoding="utf-8")
    with pytest.raises(InvalidData) as refused:
        _write(path, tmp_path / "csv")
    assert refused.value.problems == [
        Problem("document", "lists", "every list separator the importer could use occurs")
    ]
    assert not (tmp_path / "csv").exists()


def _late_problems(document: Document) -> Document:
    """``document`` with two relationships naming an organisation it lacks: one amid the
    relationships, and the very last record."""
    ties = list(document.relationships)
    first = document.organizations[0].id
    ties.insert(len(ties) // 2, rel("amid", "PARTNERS_WITH", first, "nowhere"))
    ties.append(rel("last", "PARTNERS_WITH", "elsewhere", first))
    return Document(organizations=document.organizations, relationships=ties)


def test_a_problem_late_in_the_file_is_named_and_leaves_no_files(tmp_path: Path) -> None:
    document = _late_problems(synthetic_document(60, seed=7))
    path = tmp_path / "graph.json"
    path.write_text(to_json(document), encoding="utf-8")
    result = solgraph(
        "db", "import", str(path), "--to", str(tmp_path / "csv"), "--no-run", env={}
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert "relationship 'amid'" in said
    assert "no organization with id 'nowhere' in the document or the store" in said
    assert "relationship 'last'" in said
    assert "no organization with id 'elsewhere' in the document or the store" in said
    assert not (tmp_path / "csv").exists()


def test_parts_written_before_a_late_problem_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "PART", 25)
    document = _late_problems(synthetic_document(60, seed=7))
    assert len(document.relationships) > 4 * streaming.PART
    path = tmp_path / "graph.json"
    path.write_text(to_json(document), encoding="utf-8")
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "kept.txt").write_text("an earlier file", encoding="utf-8")
    with pytest.raises(InvalidData) as refused:
        _write(path, folder)
    missing = "no organization with id '{}' in the document or the store"
    assert refused.value.problems == [
        Problem("relationship 'amid'", "target", missing.format("nowhere")),
        Problem("relationship 'last'", "source", missing.format("elsewhere")),
    ]
    assert [p.name for p in folder.iterdir()] == ["kept.txt"]


def test_fields_follow_the_importers_csv_rules() -> None:
    # The rules of the Operations Manual's import format: quotes doubled inside a quoted
    # field, an empty field is no property, numbers bare.
    assert csv_field('say "hi", then go', "\x1f") == '"say ""hi"", then go"'
    assert csv_field(None, "\x1f") == ""
    assert csv_field([], "\x1f") == ""
    assert csv_field(["a", "b"], "\x1f") == '"a\x1fb"'
    assert csv_field(2019, "\x1f") == "2019"
    assert csv_field(25000.5, "\x1f") == "25000.5"


def test_a_table_writes_each_value_as_csv_field_does_and_types_columns_by_value(
    tmp_path: Path,
) -> None:
    rows: list[dict[str, Any]] = [
        {"a": 1, "b": None, "c": ["x", 'y"z'], "d": 2.5, "e": 'say "hi",\nthen', "f": True},
        {"a": None, "b": None, "c": [], "d": None, "e": None, "f": False},
    ]
    writer = TableWriter(Table(tmp_path / "h.csv", tmp_path / "r.csv"), ["id"], "\x1f")
    writer.add((f'"{n}"', row) for n, row in enumerate(rows))
    writer.close()
    assert writer.problems == []
    assert writer.table.header.read_text("utf-8") == (
        "id,a:long,b:string,c:string[],d:double,e:string,f:boolean\n"
    )
    assert writer.table.rows.read_text("utf-8") == "".join(
        ",".join([f'"{n}"', *(csv_field(v, "\x1f") for v in row.values())]) + "\n"
        for n, row in enumerate(rows)
    )


def test_a_table_refuses_a_column_of_mixed_types_and_lists_of_anything_but_text(
    tmp_path: Path,
) -> None:
    writer = TableWriter(Table(tmp_path / "h.csv", tmp_path / "r.csv"), ["id"], "\x1f")
    writer.add([('"1"', {"n": 1, "l": ["a"]}), ('"2"', {"n": 2.5, "l": [3]})])
    writer.close()
    assert writer.problems == [
        Problem("document", "n", "values of mixed types (float, int)"),
        Problem("document", "l", "lists must hold text"),
    ]


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
