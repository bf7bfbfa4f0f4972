"""Neo4j going away and coming back, transient errors, and the database's own constraints.

These tests start their own local Neo4j (scripts/neo4j_local.py) so that they can stop it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import neo4j_local
import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as neo4j_errors
from pydantic import SecretStr

from app.api.main import create_app
from app.domain.errors import InvalidData
from app.settings import Settings
from app.store.neo4j import store as neo4j_module
from app.store.neo4j.store import Neo4jStore
from tests.factories import org, small_ecosystem

pytestmark = pytest.mark.neo4j

TIMEOUT = 3.0
"""SOLGRAPH_NEO4J_TIMEOUT for these tests: how long the driver may wait or retry."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[neo4j_local.Neo4jServer]:
    with neo4j_local.start(tmp_path_factory.mktemp("neo4j-faults")) as running:
        yield running


@pytest.fixture
def settings(server: neo4j_local.Neo4jServer) -> Settings:
    if not server.is_running():
        server.start()
    return Settings(
        store="neo4j",
        neo4j_uri=server.uri,
        neo4j_user=server.user,
        neo4j_password=server.password,
        neo4j_timeout=TIMEOUT,
    )


def test_api_answers_503_while_neo4j_is_down_then_recovers(
    server: neo4j_local.Neo4jServer, settings: Settings
) -> None:
    app = create_app(lambda: Neo4jStore.connect(settings))
    with TestClient(app) as client:
        client.app.state.store.load(small_ecosystem())  # type: ignore[attr-defined]
        assert client.get("/api/organizations/union").status_code == 200
        server.stop()
        for path in ("/api/organizations/union", "/api/organizations", "/readyz"):
            started = time.monotonic()
            response = client.get(path)
            elapsed = time.monotonic() - started
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/problem+json"
            assert int(response.headers["retry-after"]) > 0
            assert "unavailable" in response.json()["detail"]
            # Liveness, not speed: with a 3 s timeout the request must not hang.
            assert elapsed < 10 * TIMEOUT, f"{path} took {elapsed:.1f}s"
        assert client.get("/healthz").status_code == 200, "the process itself stays alive"
        server.restart()
        deadline = time.monotonic() + 60
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the API did not recover"
            time.sleep(0.5)
        body = client.get("/api/organizations/union").json()
        assert body["name"] == "Unión de Trabajadoras", "data from before the outage is kept"


def test_transient_error_is_retried_and_lands_exactly_once(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Neo4jStore.connect(settings)
    store.clear()
    version = store.version()
    real_run = neo4j_module._run
    failures = {"left": 2}

    def flaky_run(tx: ManagedTransaction, name: str, **parameters: Any) -> list[dict[str, Any]]:
        rows = real_run(tx, name, **parameters)
        if name == "merge_organizations" and failures["left"]:
            failures["left"] -= 1
            # The same error the driver raises when the server reports a deadlock.
            raise neo4j_errors.TransientError._hydrate_neo4j(
                code="Neo.TransientError.Transaction.DeadlockDetected", message="injected"
            )
        return rows

    monkeypatch.setattr(neo4j_module, "_run", flaky_run)
    report = store.load(small_ecosystem())
    monkeypatch.undo()
    assert failures["left"] == 0, "both injected failures were hit"
    assert report.organizations.created == 5
    assert store.counts().organizations == 5, "the retried write landed exactly once"
    assert store.version() == version + 1
    store.close()


def test_non_retryable_error_is_not_retried(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Neo4jStore.connect(settings)
    store.clear()
    calls = {"n": 0}

    def failing_run(tx: ManagedTransaction, name: str, **parameters: Any) -> list[dict[str, Any]]:
        calls["n"] += 1
        raise InvalidData([])

    monkeypatch.setattr(neo4j_module, "_run", failing_run)
    with pytest.raises(InvalidData):
        store.load(small_ecosystem())
    monkeypatch.undo()
    assert calls["n"] == 1
    assert store.counts().organizations == 0
    store.close()


def test_database_refuses_duplicate_ids_itself(settings: Settings) -> None:
    store = Neo4jStore.connect(settings)
    store.clear()
    store.load(small_ecosystem())
    store.close()
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        with pytest.raises(neo4j_errors.ConstraintError, match="union"):
            driver.execute_query("CREATE (:Organization {id: 'union'})")
        with pytest.raises(neo4j_errors.ConstraintError, match="funder-funds-ngo"):
            driver.execute_query(
                "MATCH (a:Organization {id: 'union'}), (b:Organization {id: 'coop'}) "
                "CREATE (a)-[:FUNDS {id: 'funder-funds-ngo'}]->(b)"
            )


def test_duplicate_ids_in_a_document_are_a_422_naming_them(settings: Settings) -> None:
    store = Neo4jStore.connect(settings)
    store.clear()
    with pytest.raises(InvalidData, match=r"organization 'twin'.*appears 2 times"):
        store.load(small_ecosystem().model_copy(update={"organizations": [org("twin")] * 2}))
    assert store.counts().organizations == 0
    store.close()


def test_wrong_password_is_a_clear_error_without_the_secret(settings: Settings) -> None:
    wrong = settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    with pytest.raises(Exception, match="refused the credentials") as caught:
        Neo4jStore.connect(wrong)
    assert "not-the-password" not in str(caught.value)
