"""Bulk import and export over HTTP, on both backends.

Samples are the shared files in ../shared/data (see its SOURCES.md); expected counts are read
from the files themselves or from the seed, never from what the importer printed.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.keys import new_key
from app.domain.models import Document
from app.settings import Settings
from app.store.protocol import ChangeFilter, GraphStore
from tests.api.conftest import _Unclosable

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SAMPLES = [
    DATA / "iati" / "example_203_file.xml",
    DATA / "iati" / "datastore-fixtures-1.0x" / "many_activities.xml",
    DATA / "360giving" / "grantnav-20180903134856.json",
    DATA / "360giving" / "fundingproviders_grants_2_grants.csv",
]


def app_over(store: GraphStore, **settings: object) -> TestClient:
    app = create_app(lambda: _Unclosable(store), Settings(**settings))  # type: ignore[arg-type, return-value]
    return TestClient(app)


@pytest.fixture
def editor(store: GraphStore) -> dict[str, str]:
    key, token = new_key("importer", "editor", "test", datetime.now(UTC))
    store.add_key(key)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(store: GraphStore, seed: Document) -> Iterator[TestClient]:
    store.load(seed)
    with app_over(store) as client:
        yield client


def trail(store: GraphStore) -> int:
    return store.changes(ChangeFilter(), 0, 1).total


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_a_sample_imports_with_a_report_and_again_changes_nothing(
    api: TestClient, store: GraphStore, editor: dict[str, str], sample: Path
) -> None:
    url = f"/api/import?filename={sample.name}"
    first = api.post(url, content=sample.read_bytes(), headers=editor)
    assert first.status_code == 200, first.text
    result = first.json()
    made = result["organizations"]["created"] + result["relationships"]["created"]
    assert made > 0, "each sample names organisations and at least one funding tie"
    assert result["importer"]["created"], "the report lists the organisations it made"
    assert len(result["importer"]["created"]) == result["organizations"]["created"]
    exported, entries = store.export(), trail(store)
    second = api.post(url, content=sample.read_bytes(), headers=editor).json()
    assert second["organizations"]["created"] == second["organizations"]["updated"] == 0
    assert second["relationships"]["created"] == second["relationships"]["updated"] == 0
    assert len(second["importer"]["matched"]) >= len(result["importer"]["created"]), (
        "the second time, every organisation the first import made is matched"
    )
    assert store.export() == exported and trail(store) == entries


def test_the_360giving_csv_funds_carry_the_grant(
    api: TestClient, store: GraphStore, editor: dict[str, str]
) -> None:
    """The sample's first grant (its first data row) is 152505 GBP, awarded 24/07/2014."""
    sample = DATA / "360giving" / "fundingproviders_grants_2_grants.csv"
    api.post(f"/api/import?filename={sample.name}", content=sample.read_bytes(), headers=editor)
    funds = [
        r
        for r in store.export().relationships
        if r.reference == "360G-fundingprovidersuk-000001/X/00/X"
    ]
    assert [(f.type, f.amount, f.currency, str(f.awarded)) for f in funds] == [
        ("FUNDS", 152505.0, "GBP", "2014-07-24")
    ]


ORGANIZATIONS = (
    "id,name,type,movement,source_citations\n"
    "good-union,Good Union,trade_union,labour,Field notes\n"
    "{second},Second Union,{kind},labour,Field notes\n"
)
RELATIONSHIPS = (
    "id,type,source,target,source_citations\n"
    "good-partners,PARTNERS_WITH,good-union,{target},Notes\n"
)


def sheets_zip(second_type: str, target: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "organizations.csv", ORGANIZATIONS.format(second="second", kind=second_type)
        )
        archive.writestr("relationships.csv", RELATIONSHIPS.format(target=target))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("second_type", "target", "record", "field", "words"),
    [
        ("union", "second", "sheets.zip/organizations.csv row 3", "type", "'union'"),
        ("trade_union", "nobody-here", "relationship 'good-partners'", "target", "'nobody-here'"),
    ],
    ids=["bad vocabulary in row 3", "tie to an unknown organisation"],
)
def test_a_bad_row_rejects_the_whole_file(
    api: TestClient,
    store: GraphStore,
    editor: dict[str, str],
    second_type: str,
    target: str,
    record: str,
    field: str,
    words: str,
) -> None:
    before, entries = store.export(), trail(store)
    upload = sheets_zip(second_type, target)
    answer = api.post("/api/import?filename=sheets.zip", content=upload, headers=editor)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert any(
        e["record"] == record and e["field"] == field and words in e["message"] for e in errors
    ), errors
    assert store.export() == before and trail(store) == entries
    good = api.post(
        "/api/import?filename=sheets.zip",
        content=sheets_zip("trade_union", "second"),
        headers=editor,
    )
    assert good.json()["organizations"]["created"] == 2, "the same sheets, corrected, import"


def test_dry_run_reports_and_writes_nothing(
    api: TestClient, store: GraphStore, editor: dict[str, str]
) -> None:
    sample = DATA / "iati" / "example_203_file.xml"
    before, entries = store.export(), trail(store)
    answer = api.post(
        f"/api/import?filename={sample.name}&dry_run=true",
        content=sample.read_bytes(),
        headers=editor,
    ).json()
    assert answer["dry_run"] is True and answer["organizations"]["created"] > 0
    assert store.export() == before and trail(store) == entries


def test_uploads_past_the_limit_are_413(store: GraphStore, editor: dict[str, str]) -> None:
    with app_over(store, max_upload_bytes=1_000) as client:
        answer = client.post(
            "/api/import?filename=big.json", content=b" " * 2_000 + b"{}", headers=editor
        )
    assert answer.status_code == 413
    assert "1000 bytes" in answer.json()["detail"]
    assert trail(store) == 0


def test_a_reader_cannot_import(api: TestClient, store: GraphStore) -> None:
    key, token = new_key("looker", "reader", "test", datetime.now(UTC))
    store.add_key(key)
    answer = api.post(
        "/api/import?filename=x.json", content=b"{}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_store_is_lossless(
    api: TestClient, store: GraphStore, seed: Document, editor: dict[str, str], fmt: str
) -> None:
    exported = api.get(f"/api/export?format={fmt}")
    assert exported.status_code == 200
    name = "graph.json" if fmt == "json" else "graph.zip"
    store.clear()
    key, token = new_key("restorer", "editor", "test", datetime.now(UTC))
    store.add_key(key)
    answer = api.post(
        f"/api/import?filename={name}",
        content=exported.content,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    assert store.export() == seed.model_copy(
        update={
            "organizations": sorted(seed.organizations, key=lambda o: o.id),
            "relationships": sorted(seed.relationships, key=lambda r: r.id),
        }
    )


@pytest.mark.parametrize(("fmt", "read"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_exports_open_in_networkx_with_every_record(
    api: TestClient, seed: Document, tmp_path: Path, fmt: str, read: object
) -> None:
    answer = api.get(f"/api/export?format={fmt}")
    assert answer.headers["content-disposition"].startswith("attachment")
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(answer.content)
    graph = read(path)  # type: ignore[operator]
    assert sorted(graph.nodes) == sorted(o.id for o in seed.organizations)
    assert graph.number_of_edges() == len(seed.relationships)
    union = graph.nodes["utrasd"]
    assert union.get("name", union.get("label")) == next(
        o.name for o in seed.organizations if o.id == "utrasd"
    )


def test_an_unknown_export_format_lists_the_allowed(api: TestClient) -> None:
    answer = api.get("/api/export?format=xlsx")
    assert answer.status_code == 422
    assert answer.json()["allowed"] == sorted(["json", "csv", "graphml", "gexf", "cypher"])
    assert json.loads(api.get("/api/export").text)["organizations"]
