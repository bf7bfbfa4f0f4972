"""Large documents read in parts and loaded in one transaction, on both backends.

Expected values come from the same document loaded whole with ``load`` (the reference), and
from the records the test breaks on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import app.io.streaming as streaming
from app.domain.documents import parse_document
from app.domain.errors import InvalidData
from app.io.documents import to_json
from app.io.streaming import DocumentParts
from app.io.synthetic import document
from app.store.memory import MemoryStore
from app.store.protocol import ChangeFilter, GraphStore


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 100 records, so that a small document spans many of them."""
    monkeypatch.setattr(streaming, "PART", 100)


def test_a_load_in_parts_equals_a_whole_load(store: GraphStore, tmp_path: Path) -> None:
    doc = document(300, seed=11)
    path = tmp_path / "eco.json"
    path.write_text(to_json(doc), encoding="utf-8")
    report = store.apply_parts(DocumentParts(path).edits("tester", "load"))
    assert report.organizations.created == 300
    assert report.relationships.created == len(doc.relationships)
    streamed = store.export()
    reference = MemoryStore(tmp_path / "reference")
    reference.load(doc)
    assert streamed == reference.export()
    again = store.apply_parts(DocumentParts(path).edits("tester", "load"))
    assert again.organizations.unchanged == 300 and again.relationships.created == 0


def test_every_problem_is_reported_and_nothing_written(store: GraphStore, tmp_path: Path) -> None:
    raw = json.loads(to_json(document(300, seed=11)))
    raw["organizations"][5]["movement"] = "workers"
    raw["organizations"][250]["id"] = raw["organizations"][3]["id"]
    raw["relationships"][-1]["type"] = "LIKES"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        store.apply_parts(DocumentParts(path).edits("tester", "load"))
    found = {(p.record.split(" ")[0], p.field) for p in caught.value.problems}
    assert found == {("organization", "movement"), ("organization", "id"), ("relationship", "type")}
    assert store.counts().organizations == 0
    assert store.changes(ChangeFilter(), 0, 1).total == 0


def test_relationships_written_before_the_organisations_load_all_the_same(
    store: GraphStore, tmp_path: Path
) -> None:
    doc = document(300, seed=11)
    raw = json.loads(to_json(doc))
    path = tmp_path / "reversed.json"
    path.write_text(json.dumps({"relationships": raw["relationships"], **raw}), encoding="utf-8")
    assert next(iter(json.loads(path.read_text(encoding="utf-8")))) == "relationships"
    store.apply_parts(DocumentParts(path).edits("tester", "load"))
    reference = MemoryStore(tmp_path / "reference")
    reference.load(doc)
    assert store.export() == reference.export()


@pytest.mark.parametrize(
    "outline",
    [
        [],
        "organizations",
        {"organizations": [], "people": []},
        {"organizations": {"id": "x"}},
        {"relationships": 3},
    ],
)
def test_a_misshapen_document_is_refused_as_a_whole_read_refuses_it(
    store: GraphStore, tmp_path: Path, outline: object
) -> None:
    # The reference is the problem list of the whole-document validation (parse_document),
    # which read the parsed file before loads were streamed.
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(outline), encoding="utf-8")
    with pytest.raises(InvalidData) as whole:
        parse_document(outline)
    with pytest.raises(InvalidData) as streamed:
        store.apply_parts(DocumentParts(path).edits("tester", "load"))
    assert streamed.value.problems == whole.value.problems
    assert store.counts().organizations == 0


def test_malformed_json_is_refused_naming_the_file(store: GraphStore, tmp_path: Path) -> None:
    text = to_json(document(30, seed=11))
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(InvalidData) as caught:
        store.apply_parts(DocumentParts(path).edits("tester", "load"))
    [problem] = caught.value.problems
    assert problem.record == str(path) and "not valid JSON" in problem.message
    assert store.counts().organizations == 0
