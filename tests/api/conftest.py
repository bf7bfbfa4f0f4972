"""An API client over a store of each backend, loaded with the seed ecosystem."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.keys import Role, new_key
from app.domain.models import Document
from app.settings import Settings
from app.store.protocol import GraphStore


class _Unclosable:
    """Lends a shared store to an app without letting the app's shutdown close it."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)

    def close(self) -> None:
        """The fixture that made the store closes it."""


@pytest.fixture
def client(store: GraphStore, seed: Document) -> Iterator[TestClient]:
    store.load(seed)
    app = create_app(lambda: _Unclosable(store))  # type: ignore[arg-type, return-value]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def private_client(store: GraphStore, client: TestClient, tmp_path: Path) -> Iterator[TestClient]:
    """A second app over the same seeded store, with reads that need a key."""
    settings = Settings(public_read=False, data_dir=tmp_path)
    app = create_app(lambda: _Unclosable(store), settings)  # type: ignore[arg-type, return-value]
    with TestClient(app) as private:
        yield private


KEY_NAMES: dict[Role, str] = {
    "reader": "Rita Reader",
    "editor": "Eddie Editor",
    "admin": "Ada Admin",
}
"""The name of the key each role's token belongs to; writes record it as the actor."""


@dataclass(frozen=True)
class Keys:
    """One stored API key per role: its name (the audit trail's actor) and its bearer token."""

    names: dict[Role, str]
    tokens: dict[Role, str]

    def auth(self, role: Role) -> dict[str, str]:
        """The ``Authorization`` header of the key with ``role``."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def keys(store: GraphStore, client: TestClient) -> Keys:
    """A reader, an editor and an admin key, stored in the store that ``client`` serves."""
    tokens: dict[Role, str] = {}
    for role, name in KEY_NAMES.items():
        record, token = new_key(name, role, "tests/api/conftest.py", datetime.now(UTC))
        store.add_key(record)
        tokens[role] = token
    return Keys(dict(KEY_NAMES), tokens)


def graph_state(client: TestClient) -> tuple[Any, int]:
    """The whole graph (``GET /api/export``) and the audit trail's length (``/api/changes``).

    Two equal states mean no record and no audit entry was written in between.
    """
    exported = client.get("/api/export")
    assert exported.status_code == 200, exported.text
    trail = client.get("/api/changes", params={"limit": 1})
    assert trail.status_code == 200, trail.text
    total: int = trail.json()["total"]
    return exported.json(), total
