"""Every ``curl`` example in README.md, replayed against the seed; the answer must match."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.io.documents import seed_document
from app.store.memory import MemoryStore

README = Path(__file__).resolve().parents[2] / "README.md"
CURL = re.compile(r"^\$ curl -s '127\.0\.0\.1:8000(?P<path>[^']+)'$")


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

    with TestClient(create_app(seeded)) as test_client:
        yield test_client


def test_readme_has_examples() -> None:
    assert len(examples()) >= 3


@pytest.mark.parametrize(("path", "answer"), examples())
def test_readme_example_answers_as_shown(client: TestClient, path: str, answer: str) -> None:
    assert client.get(path).json() == json.loads(answer)
