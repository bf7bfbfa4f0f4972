"""The Neo4j store through a routing URI (``neo4j://``, how a cluster or Aura is reached) as
well as a direct one (``bolt://``), on the local server of the tests.

A routing driver first asks the server for a routing table and then sends reads and writes
where that table says, so this exercises the server's routing answer and the store's use of
``execute_read``/``execute_write``. The expected records are the seed's own (the brief's
ecosystem), and a write made through one URI is read back through the other.
"""

from __future__ import annotations

import pytest
from neo4j import BoltDriver, Neo4jDriver

from app.domain.edits import Edit
from app.domain.models import Document
from app.settings import Settings
from app.store.neo4j.store import Neo4jStore
from app.store.protocol import GraphStore

DRIVERS = {"bolt": BoltDriver, "neo4j": Neo4jDriver}


def _with_scheme(uri: str, scheme: str) -> str:
    """``uri`` with its scheme made ``scheme``, keeping a ``+s``/``+ssc`` security suffix."""
    current, rest = uri.split("://", 1)
    suffix = current[current.index("+") :] if "+" in current else ""
    return f"{scheme}{suffix}://{rest}"


@pytest.mark.neo4j
@pytest.mark.parametrize("scheme", sorted(DRIVERS))
def test_load_read_and_write_through_direct_and_routing_uris(
    neo4j_store: GraphStore, neo4j_settings: Settings, seed: Document, scheme: str
) -> None:
    neo4j_store.clear()
    uri = _with_scheme(neo4j_settings.neo4j_uri, scheme)
    settings = neo4j_settings.model_copy(update={"neo4j_uri": uri})
    store = Neo4jStore.connect(settings)
    try:
        assert isinstance(store._driver, DRIVERS[scheme])
        report = store.load(seed)
        assert report.organizations.created == len(seed.organizations)
        assert report.relationships.created == len(seed.relationships)
        exported = store.export()
        assert exported.organizations == sorted(seed.organizations, key=lambda o: o.id)
        assert exported.relationships == sorted(seed.relationships, key=lambda r: r.id)

        first = exported.organizations[0]
        renamed = first.model_copy(update={"name": f"{first.name} (renamed)"})
        store.apply(Edit(actor="test", action="rename", organizations=(renamed,)))
        assert store.get_organization(first.id) == renamed
        assert neo4j_store.get_organization(first.id) == renamed
        assert store.counts().version == neo4j_store.counts().version
    finally:
        store.close()
