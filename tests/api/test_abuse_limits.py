"""Abuse limits: capped bodies (413), capped depths, pages and what-ifs (422), writes limited
per key (429 with Retry-After), security headers on every answer, CORS only for configured
origins, and no key or password in any log."""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from typer.testing import CliRunner

from app.api.main import create_app
from app.api.ratelimit import TokenBuckets, retry_after
from app.cli.main import cli
from app.domain.errors import InvalidData, StoreUnavailable
from app.domain.keys import Role, new_key, split_token
from app.io.documents import seed_document
from app.settings import Settings, load_settings
from app.store.memory import MemoryStore
from tests.api.conftest import graph_state
from tests.factories import org
from tests.reliability.profile import count

ORIGIN = "https://allowed.example"
BODY_LIMIT, UPLOAD_LIMIT, BURST = 2_000, 5_000, 3
PASSWORD = "n30j-Pa55word-never-logged"
TOKEN = re.compile(r"sgk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")
KEYS: dict[str, Role] = {"Ada Admin": "admin", "Eddie Editor": "editor", "Erin Editor": "editor"}


@dataclass(frozen=True)
class Limited:
    """A client of an app with small limits, and a bearer token per key name."""

    client: TestClient
    tokens: dict[str, str]

    def auth(self, name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[name]}"}


def limited_app(data_dir: Path, **overrides: str) -> tuple[FastAPI, dict[str, str]]:
    """The seed and three keys in an embedded store, served with small limits."""
    store = MemoryStore(data_dir)
    store.load(seed_document())
    tokens = {}
    for name, role in KEYS.items():
        record, token = new_key(name, role, "tests/api/test_abuse_limits.py", datetime.now(UTC))
        store.add_key(record)
        tokens[name] = token
    settings = Settings(
        data_dir=data_dir,
        max_body_bytes=BODY_LIMIT,
        max_upload_bytes=UPLOAD_LIMIT,
        write_rate=1,
        write_burst=BURST,
        cors_origins=overrides.get("cors_origins", ORIGIN),
    )
    return create_app(lambda: store, settings), tokens


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[Limited]:
    app, tokens = limited_app(tmp_path / "data")
    with TestClient(app) as client:
        yield Limited(client, tokens)


def is_problem(response: httpx.Response, status: int) -> str:
    """Check ``response`` is a problem+json answer of ``status``; return its detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    detail: str = body["detail"]
    return detail


def assert_secured(response: httpx.Response) -> None:
    """The security headers every answer carries."""
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def chunks(size: int) -> Iterator[bytes]:
    """A JSON-ish body of ``size`` bytes sent without Content-Length (chunked)."""
    yield b'{"remove": ["'
    for _ in range(size // 100):
        yield b"a" * 100
    yield b'"]}'


# --- request bodies: 413 ---------------------------------------------------------------------


def test_a_small_body_passes(limited: Limited) -> None:
    answer = limited.client.post("/api/analysis/what-if", json={"remove": ["utrasd"]})
    assert answer.status_code == 200, answer.text


def test_a_declared_body_over_the_cap_is_413_and_changes_nothing(limited: Limited) -> None:
    before = graph_state(limited.client)
    big = org("too-big", description="x" * BODY_LIMIT).model_dump(mode="json")
    count("abuse requests")
    answer = limited.client.post(
        "/api/organizations", json=big, headers=limited.auth("Eddie Editor")
    )
    detail = is_problem(answer, 413)
    assert f"the limit is {BODY_LIMIT} bytes" in detail
    assert "content-length" in answer.request.headers
    assert_secured(answer)
    assert graph_state(limited.client) == before


def test_a_chunked_body_over_the_cap_is_413(limited: Limited) -> None:
    count("abuse requests")
    answer = limited.client.post(
        "/api/analysis/what-if",
        content=chunks(BODY_LIMIT * 2),
        headers={"Content-Type": "application/json"},
    )
    assert "content-length" not in answer.request.headers
    assert answer.request.headers["transfer-encoding"] == "chunked"
    assert is_problem(answer, 413) == f"the request body passes the limit of {BODY_LIMIT} bytes"


def test_an_import_keeps_its_own_larger_cap(limited: Limited) -> None:
    header = {"Content-Type": "application/json", **limited.auth("Eddie Editor")}
    empty = b'{"organizations": [], "relationships": []}'
    between = empty + b" " * (BODY_LIMIT + 1_000)
    answer = limited.client.post("/api/import?dry_run=true", content=between, headers=header)
    assert answer.status_code == 200, answer.text
    count("abuse requests")
    over = empty + b" " * UPLOAD_LIMIT
    answer = limited.client.post("/api/import?dry_run=true", content=over, headers=header)
    detail = is_problem(answer, 413)
    assert detail == f"the upload is {len(over)} bytes; the limit is {UPLOAD_LIMIT} bytes"


# --- depth, page size, what-if size: 422 -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parameter", "allowed"),
    [
        ("/api/organizations/utrasd/network?depth=4", "depth", "1 to 3"),
        ("/api/organizations/utrasd/enablers?depth=5", "depth", "1 to 4"),
        ("/api/organizations/utrasd/enabled?depth=5", "depth", "1 to 4"),
        ("/api/maps/organizations/utrasd?depth=4", "depth", "1 to 3"),
        ("/api/paths?from=utrasd&to=ima-limpia&max_depth=7", "max_depth", "1 to 6"),
        ("/api/organizations?limit=501", "limit", "1 to 500"),
        ("/api/relationships?limit=100000", "limit", "1 to 500"),
        ("/api/organizations/utrasd/enablers?limit=1001", "limit", "1 to 1000"),
        ("/api/organizations/utrasd/peers?limit=101", "limit", "1 to 100"),
        ("/api/paths?from=utrasd&to=ima-limpia&limit=51", "limit", "1 to 50"),
        ("/api/analysis/brokers?top=201", "top", "1 to 200"),
        ("/api/organizations/utrasd/network?depth=0", "depth", "1 to 3"),
    ],
)
def test_depth_and_page_size_are_capped_with_422(
    limited: Limited, url: str, parameter: str, allowed: str
) -> None:
    count("abuse requests")
    detail = is_problem(limited.client.get(url), 422)
    assert detail.startswith(f"query parameter '{parameter}': ")
    assert detail.endswith(f"(allowed: {allowed})")


def test_a_what_if_of_too_many_organisations_is_422(limited: Limited) -> None:
    count("abuse requests")
    answer = limited.client.post("/api/analysis/what-if", json={"remove": ["utrasd"] * 51})
    detail = is_problem(answer, 422)
    assert (
        detail == "body field 'remove': List should have at most 50 items after validation, not 51"
    )
    assert_secured(answer)


# --- writes per key: 429 ---------------------------------------------------------------------


def test_token_buckets_refill_at_the_rate_and_keep_keys_apart() -> None:
    now = [100.0]
    buckets = TokenBuckets(per_minute=60, burst=2, clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0
    now[0] += 0.5
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert buckets.take("a") == 0.0
    now[0] += 3600
    assert [buckets.take("a"), buckets.take("a"), buckets.take("a")] == [0.0, 0.0, 1.0]
    waits = [0.01, 1.0, 1.2, 59.5]
    assert [retry_after(wait) for wait in waits] == [1, 1, 2, 60]


def test_writes_past_the_burst_get_429_and_change_nothing(limited: Limited) -> None:
    client, eddie = limited.client, limited.auth("Eddie Editor")
    for n in range(BURST):
        made = client.post(
            "/api/organizations", json=org(f"burst-{n}").model_dump(mode="json"), headers=eddie
        )
        assert made.status_code == 201, made.text
    before = graph_state(client)
    count("abuse requests")
    refused = client.post(
        "/api/organizations", json=org("one-too-many").model_dump(mode="json"), headers=eddie
    )
    detail = is_problem(refused, 429)
    assert "'Eddie Editor'" in detail
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert_secured(refused)
    count("abuse requests")
    patch = client.patch("/api/organizations/burst-0", json={"founded": 2001}, headers=eddie)
    is_problem(patch, 429)
    assert graph_state(client) == before
    assert client.get("/api/organizations/one-too-many").status_code == 404
    assert client.get("/api/organizations/burst-0", headers=eddie).status_code == 200


def test_the_rate_is_per_key(limited: Limited) -> None:
    client, eddie = limited.client, limited.auth("Eddie Editor")
    answers = [
        client.post("/api/analysis/what-if", json={"remove": ["utrasd"]}, headers=eddie)
        for _ in range(BURST + 1)
    ]
    count("abuse requests")
    assert [a.status_code for a in answers] == [200] * BURST + [429]
    other = client.post(
        "/api/organizations",
        json=org("erins-own").model_dump(mode="json"),
        headers=limited.auth("Erin Editor"),
    )
    assert other.status_code == 201, other.text


def test_every_write_route_documents_429_and_every_route_413(limited: Limited) -> None:
    paths = limited.client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert "413" in operation["responses"], (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "429" in operation["responses"], (method, path)


# --- security headers and CORS ---------------------------------------------------------------


def test_security_headers_on_every_kind_of_answer(limited: Limited) -> None:
    client = limited.client
    answers = {
        200: client.get("/api/organizations"),
        404: client.get("/api/no-such-thing"),
        422: client.get("/api/organizations?limit=0"),
        413: client.post("/api/analysis/what-if", content=b" " * (BODY_LIMIT + 1)),
    }
    for _ in range(BURST):
        client.post(
            "/api/analysis/what-if", json={"remove": ["utrasd"]}, headers=limited.auth("Ada Admin")
        )
    answers[429] = client.post(
        "/api/analysis/what-if", json={"remove": ["utrasd"]}, headers=limited.auth("Ada Admin")
    )
    count("abuse requests", 3)
    for status, answer in answers.items():
        assert answer.status_code == status, answer.text
        assert_secured(answer)
    static = client.get("/static/map.css")
    assert static.status_code == 200
    assert static.headers["content-type"].startswith("text/css")
    assert_secured(static)


def preflight(client: TestClient, origin: str) -> httpx.Response:
    """A browser's CORS preflight of a write to ``/api/organizations`` from ``origin``."""
    answer: httpx.Response = client.options(
        "/api/organizations",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    return answer


def test_cors_answers_only_the_configured_origin(limited: Limited) -> None:
    allowed = preflight(limited.client, ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "Authorization" in allowed.headers["access-control-allow-headers"]
    assert_secured(allowed)
    read = limited.client.get("/api/organizations/utrasd", headers={"Origin": ORIGIN})
    assert read.headers["access-control-allow-origin"] == ORIGIN
    assert "ETag" in read.headers["access-control-expose-headers"]
    count("abuse requests", 2)
    refused = preflight(limited.client, "https://elsewhere.example")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    other = limited.client.get(
        "/api/organizations", headers={"Origin": "https://elsewhere.example"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_without_configured_origins_there_is_no_cors_header(tmp_path: Path) -> None:
    app, _ = limited_app(tmp_path / "data", cors_origins="")
    with TestClient(app) as client:
        answers = [
            preflight(client, ORIGIN),
            client.get("/api/organizations", headers={"Origin": ORIGIN}),
        ]
    for answer in answers:
        assert not [h for h in answer.headers if h.startswith("access-control-")]


def test_cors_origins_are_checked_like_embed_origins() -> None:
    with pytest.raises(ValidationError, match="'\\*' is not an origin"):
        Settings(cors_origins="*")
    assert Settings(cors_origins="https://a.example, http://b.example:8080").cors_origin_list == [
        "https://a.example",
        "http://b.example:8080",
    ]


# --- secrets never logged --------------------------------------------------------------------


def leaked(caplog: pytest.LogCaptureFixture, secrets: list[str]) -> list[str]:
    """The secrets found in any captured record: message, arguments or traceback."""
    texts = [caplog.text]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), str(record.exc_info or "")]
    return [secret for secret in secrets if any(secret in text for text in texts)]


def key_id_and_secret(token: str) -> tuple[str, str]:
    """A token's parts, read as the app reads them: a secret may itself hold "_"."""
    parts = split_token(token)
    assert parts is not None, token
    return parts


def test_keys_never_appear_in_logs_or_errors(
    limited: Limited, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client, admin = limited.client, limited.auth("Ada Admin")
    made = client.post("/api/keys", json={"name": "New Editor", "role": "editor"}, headers=admin)
    assert made.status_code == 201, made.text
    token = made.json()["key"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/organizations/utrasd", headers=bearer).status_code == 200
    assert (
        client.patch(
            "/api/organizations/utrasd", json={"founded": 1999}, headers=bearer
        ).status_code
        == 200
    )
    key_id, secret = key_id_and_secret(token)
    wrong = f"sgk_{key_id}_{'A' * 43}"
    refusals = [
        client.get("/api/organizations", headers={"Authorization": f"Bearer {wrong}"}),
        client.get("/api/organizations", headers={"Authorization": f"Token {token}"}),
        client.post("/api/organizations", json={}, headers={"Authorization": f"Bearer {wrong}"}),
    ]
    for _ in range(BURST):
        client.post("/api/analysis/what-if", json={"remove": ["utrasd"]}, headers=bearer)
    refusals.append(client.post("/api/analysis/what-if", json={"remove": ["x"]}, headers=bearer))
    count("abuse requests", len(refusals))
    assert [r.status_code for r in refusals] == [401, 401, 401, 429]
    secrets = [token, secret, wrong, *limited.tokens.values()]
    for answer in refusals:
        assert not [s for s in secrets if s in answer.text], answer.text
    assert caplog.records, "nothing was logged; raise the level"
    assert leaked(caplog, secrets) == []


def test_the_key_command_prints_the_key_once_and_logs_nothing_of_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    env = {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(tmp_path / "data")}
    result = CliRunner().invoke(
        cli, ["keys", "create", "--name", "Cli Admin", "--role", "admin"], env=env
    )
    assert result.exit_code == 0, result.output
    tokens = TOKEN.findall(result.stdout)
    assert len(tokens) == 1
    assert tokens[0] not in result.stderr
    listed = CliRunner().invoke(cli, ["keys", "list"], env=env)
    assert key_id_and_secret(tokens[0])[1] not in listed.output
    assert leaked(caplog, tokens) == []


def test_the_neo4j_password_is_never_shown(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = Settings(store="neo4j", neo4j_password=SecretStr(PASSWORD))
    shown = [repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())]
    assert not [text for text in shown if PASSWORD in text]
    monkeypatch.setenv("SOLGRAPH_STORE", "neo4j")
    monkeypatch.setenv("SOLGRAPH_NEO4J_PASSWORD", PASSWORD)
    monkeypatch.setenv("SOLGRAPH_NEO4J_TIMEOUT", "soon")
    with pytest.raises(InvalidData) as bad:
        load_settings()
    assert "SOLGRAPH_NEO4J_TIMEOUT" in str(bad.value)
    with pytest.raises(ValidationError) as raw:
        Settings()
    errors = [str(bad.value), *(str(p) for p in bad.value.problems), str(raw.value)]
    monkeypatch.setenv("SOLGRAPH_NEO4J_TIMEOUT", "0.5")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("SOLGRAPH_NEO4J_URI", f"bolt://127.0.0.1:{port}")
    from app.store.neo4j.store import Neo4jStore

    with pytest.raises(StoreUnavailable) as down:
        Neo4jStore.connect(load_settings())
    errors.append(str(down.value))
    assert not [text for text in errors if PASSWORD in text]
    assert leaked(caplog, [PASSWORD]) == []


@pytest.mark.neo4j
def test_the_neo4j_driver_logs_no_password(
    neo4j_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    from app.store.neo4j.store import Neo4jStore

    caplog.set_level(logging.DEBUG)
    store = Neo4jStore.connect(neo4j_settings)
    try:
        store.ping()
    finally:
        store.close()
    password = neo4j_settings.neo4j_password.get_secret_value()
    assert any(r.name.startswith("neo4j") for r in caplog.records), "the driver logged nothing"
    assert leaked(caplog, [password]) == []


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread, logging at debug level into the root logger."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, log_level="debug", log_config=None, access_log=True, ws="none", http="h11"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_uvicorn_logs_no_key(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    app, tokens = limited_app(tmp_path / "data")
    token = tokens["Eddie Editor"]
    with serving(app) as base, httpx.Client(base_url=base) as http:
        bearer = {"Authorization": f"Bearer {token}"}
        assert http.get("/api/organizations/utrasd", headers=bearer).status_code == 200
        assert (
            http.patch(
                "/api/organizations/utrasd", json={"founded": 1998}, headers=bearer
            ).status_code
            == 200
        )
        wrong = {"Authorization": f"Bearer {token[:-4]}AAAA"}
        assert http.get("/api/organizations", headers=wrong).status_code == 401
    access = [r for r in caplog.records if r.name == "uvicorn.access"]
    assert len(access) >= 3, "uvicorn's access log was not captured"
    assert leaked(caplog, [token, token[:-4] + "AAAA", key_id_and_secret(token)[1]]) == []
