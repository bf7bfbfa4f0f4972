"""Every ``curl`` example in README.md, replayed against the seed; the answer must match.

Reads replay against an unchanged seed; writes (``-X``, ``--json``) replay in the order the
README gives them, on a store of their own, with ``$KEY`` an editor key named alice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.keys import new_key
from app.io.documents import seed_document
from app.store.memory import MemoryStore

README = Path(__file__).resolve().parents[2] / "README.md"
CURL = re.compile(r"^\$ curl -s '127\.0\.0\.1:8000(?P<path>[^']+)'$")
WRITE = re.compile(
    r"^\$ curl -s (?:-X (?P<method>[A-Z]+) )?'127\.0\.0\.1:8000(?P<path>[^']+)'"
    r"(?P<headers>(?: -H (?:'[^']*'|\"[^\"]*\"))*)(?: --json '(?P<body>[^']*)')?$"
)
HEADER = re.compile(r"""-H (?:'([^']*)'|"([^"]*)")""")


def examples() -> list[tuple[str, str]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    found = []
    for line, answer in pairwise(lines):
        match = CURL.match(line)
        if match:
            found.append((match["path"], answer))
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    def seeded() -> MemoryStore:
        store = MemoryStore(tmp_path_factory.mktemp("readme"))
        store.load(seed_document())
        return store

    with TestClient(create_app(seeded), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


def writes() -> list[tuple[re.Match[str], str]]:
    lines = README.read_text(encoding="utf-8").splitlines()
    found = []
    for line, answer in pairwise(lines):
        match = WRITE.match(line)
        if match and (match["method"] or match["body"] is not None):
            found.append((match, answer))
    return found


def test_readme_has_examples() -> None:
    assert len(examples()) >= 3
    assert len(writes()) >= 5


def test_readme_write_examples_answer_as_shown(tmp_path_factory: pytest.TempPathFactory) -> None:
    store = MemoryStore(tmp_path_factory.mktemp("readme-writes"))
    store.load(seed_document())
    key, token = new_key("alice", "editor", "test", datetime.now(UTC))
    store.add_key(key)
    with TestClient(create_app(lambda: store)) as client:
        for match, answer in writes():
            headers = {
                name.strip(): value.strip().replace("$KEY", token)
                for quoted in HEADER.findall(match["headers"])
                for name, _, value in [(quoted[0] or quoted[1]).partition(":")]
            }
            method = match["method"] or "POST"
            body = match["body"]
            if body is not None:
                headers["Content-Type"] = "application/json"
            response = client.request(method, match["path"], content=body, headers=headers)
            assert response.json() == json.loads(answer), match.string


@pytest.mark.parametrize(("path", "answer"), examples())
def test_readme_example_answers_as_shown(client: TestClient, path: str, answer: str) -> None:
    assert client.get(path).json() == json.loads(answer)
