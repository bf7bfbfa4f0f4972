"""Neo4j going away and coming back, transient errors, and the database's own constraints.

These tests start their own local Neo4j (scripts/neo4j_local.py) so that they can stop it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import neo4j_local
import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase, ManagedTransaction, Result
from neo4j import exceptions as neo4j_errors
from pydantic import SecretStr

from app.api.main import create_app
from app.domain.errors import InvalidData
from app.domain.keys import new_key
from app.settings import Settings
from app.store.neo4j import store as neo4j_module
from app.store.neo4j.store import Neo4jStore
from tests.factories import org, small_ecosystem
from tests.reliability.profile import count, scaled

pytestmark = pytest.mark.neo4j

TIMEOUT = 3.0
"""SOLGRAPH_NEO4J_TIMEOUT for these tests: how long the driver may wait or retry."""
HANG = 3 * TIMEOUT
"""The longest a request may take while Neo4j is away. A write makes two store calls (its key,
then the edit); each retries for half the timeout and may sleep once past that."""


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
            assert elapsed < HANG, f"{path} took {elapsed:.1f}s"
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
    # A longer timeout than the outage tests', so that a slow machine still fits three tries
    # into the driver's retry window.
    store = Neo4jStore.connect(settings.model_copy(update={"neo4j_timeout": 20.0}))
    store.clear()
    version = store.version()
    real_send = neo4j_module._send
    failures = {"left": 2}

    def flaky_send(tx: ManagedTransaction, name: str, /, **parameters: Any) -> Result:
        sent = real_send(tx, name, **parameters)
        # The organisations' write: created in an empty database, merged otherwise.
        if name in {"create_organizations", "merge_organizations"} and failures["left"]:
            failures["left"] -= 1
            count("faults injected")
            # The same error the driver raises when the server reports a deadlock.
            raise neo4j_errors.TransientError._hydrate_neo4j(
                code="Neo.TransientError.Transaction.DeadlockDetected", message="injected"
            )
        return sent

    monkeypatch.setattr(neo4j_module, "_send", flaky_send)
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
        count("faults injected")
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


@dataclass
class Traffic:
    """Readers and writers hitting the API from threads until told to stop.

    Each answer is kept with how long it took; writers create organisations with fresh ids,
    so that which writes were acknowledged (201) can be checked against the store later.
    """

    client: TestClient
    token: str
    stop: threading.Event = field(default_factory=threading.Event)
    answers: list[tuple[str, int, float, float, dict[str, str]]] = field(default_factory=list)
    """(what, status, when it was sent, how long it took, headers) of every answer."""
    acknowledged: list[str] = field(default_factory=list)
    conflicted: list[str] = field(default_factory=list)
    attempted: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _timed(self, label: str, call: Callable[[], Any]) -> int:
        started = time.monotonic()
        response = call()
        took = time.monotonic() - started
        with self.lock:
            self.answers.append(
                (label, response.status_code, started, took, dict(response.headers))
            )
        status: int = response.status_code
        return status

    def read(self) -> None:
        while not self.stop.is_set():
            self._timed("read one", lambda: self.client.get("/api/organizations/union"))
            self._timed("list", lambda: self.client.get("/api/organizations?limit=5"))

    def write(self, writer: int) -> None:
        auth = {"Authorization": f"Bearer {self.token}"}
        n = 0
        while not self.stop.is_set():
            new_id = f"traffic-{writer}-{n}"
            n += 1
            with self.lock:
                self.attempted.append(new_id)
            body = org(new_id).model_dump(mode="json")
            post = partial(self.client.post, "/api/organizations", json=body, headers=auth)
            status = self._timed("write", post)
            with self.lock:
                if status == 201:
                    self.acknowledged.append(new_id)
                elif status == 409:
                    self.conflicted.append(new_id)
            time.sleep(0.05)

    def run(self, readers: int, writers: int) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.read) for _ in range(readers)]
        threads += [threading.Thread(target=self.write, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        return threads


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_outage_under_traffic_answers_503_recovers_and_keeps_acknowledged_writes(
    server: neo4j_local.Neo4jServer, settings: Settings, how: str
) -> None:
    """Neo4j shut down cleanly (``stop``) or crashed (``kill``, SIGKILL) while three readers
    and two writers keep going, then started again on the same data."""
    store = Neo4jStore.connect(settings)
    store.clear()
    store.load(small_ecosystem())
    key, token = new_key("traffic", "editor", "tests/reliability", datetime.now(UTC))
    store.add_key(key)
    store.close()
    app = create_app(lambda: Neo4jStore.connect(settings))
    outages = scaled(1, 3)
    down: list[tuple[float, float]] = []
    """Spans in which Neo4j was wholly away: from its exit until a timeout before its start."""
    with TestClient(app) as client:
        traffic = Traffic(client, token)
        threads = traffic.run(readers=3, writers=2)
        for _ in range(outages):
            time.sleep(2)
            server.kill() if how == "kill" else server.stop()
            count("faults injected")
            gone = time.monotonic()
            time.sleep(3 * TIMEOUT)  # long enough for requests to time out against nothing
            down.append((gone, time.monotonic() - TIMEOUT))
            server.start()
            count("faults injected")
            deadline = time.monotonic() + 60
            while client.get("/readyz").status_code != 200:
                assert time.monotonic() < deadline, "the API did not recover by itself"
                time.sleep(0.5)
        time.sleep(2)
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads), "every request was answered"
        statuses = {status for _, status, _, _, _ in traffic.answers}
        assert statuses <= {200, 201, 409, 503}, statuses
        during = [a for a in traffic.answers if any(s <= a[2] < e for s, e in down)]
        assert {status for _, status, _, _, _ in during} == {503}, "down means 503"
        for _, _, _, _, headers in during:
            assert headers["content-type"] == "application/problem+json"
            assert int(headers["retry-after"]) > 0
        slowest = max(during, key=lambda a: a[3])
        assert slowest[3] < HANG, f"a {slowest[0]} sent while Neo4j was down took {slowest[3]:.1f}s"
        assert any(a[1] == 201 for a in traffic.answers if a[2] > down[-1][1]), "writes resumed"
        stored = {o.id for o in client.app.state.store.export().organizations}  # type: ignore[attr-defined]
        assert set(traffic.acknowledged) <= stored, "no acknowledged write is lost"
        created = stored - {o.id for o in small_ecosystem().organizations}
        assert created <= set(traffic.attempted), "nothing was written that nobody sent"
        # A 409 on a fresh id means the driver retried a write whose commit had landed
        # before the connection broke: stored, though the client was not told so.
        assert set(traffic.conflicted) <= stored


def test_an_edit_recreates_the_write_lock_node_if_it_went_missing(settings: Settings) -> None:
    """``write_lock`` locks the GraphMeta node; a database emptied by hand has none."""
    store = Neo4jStore.connect(settings)
    store.clear()
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        driver.execute_query("MATCH (m:GraphMeta) DELETE m")
    report = store.load(small_ecosystem())
    assert report.organizations.created == 5
    assert store.version() == 1
    store.close()
