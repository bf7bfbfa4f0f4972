"""Opens the backend that the settings name; the Neo4j driver is imported only when asked for."""

from __future__ import annotations

from app.settings import Settings
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """The GraphStore chosen by ``SOLGRAPH_STORE``; raises ``StoreUnavailable`` if unreachable."""
    if settings.store == "neo4j":
        from app.store.neo4j.store import Neo4jStore

        return Neo4jStore.connect(settings)
    return MemoryStore(settings.data_dir, settings.kept_records)
