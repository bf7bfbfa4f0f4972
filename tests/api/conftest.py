"""An API client over a store of each backend, loaded with the seed ecosystem."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.models import Document
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
