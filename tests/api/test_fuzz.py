"""Schemathesis against the app's own OpenAPI schema, in process: every operation, default
checks (no server error, responses match the schema, bad input refused). A fast profile; the
long one belongs to the adversarial suite.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from app.api.main import create_app
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore

FOLDER = Path(tempfile.mkdtemp(prefix="solgraph-fuzz-"))


def seeded_store() -> MemoryStore:
    store = MemoryStore(FOLDER)
    store.load(seed_document())
    return store


APP = create_app(seeded_store, Settings(data_dir=FOLDER))
CLIENT = TestClient(APP)
CLIENT.__enter__()  # the lifespan opens the store; closed by the fixture below
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def close_app() -> Iterator[None]:
    yield
    CLIENT.__exit__(None, None, None)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
