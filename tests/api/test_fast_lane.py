"""Kept answers sent before the framework (``app.api.fast_lane``).

The lane may only ever send what the full stack would: the same status, headers and bytes, at
the same graph version, to a request whose answer cannot depend on what the lane skips (an API
key, an ``Origin``, a body, reads that need a key, fair use of expensive requests). The first
half checks that on the real app; the second puts the lane in front of a route that counts its
calls, so that whether the lane answered is seen rather than inferred.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.api.answers import Answer, Answers
from app.api.fast_lane import FastLane
from app.api.schemas import Health
from app.domain.models import Document
from app.store.memory import MemoryStore
from tests.api.conftest import Keys

KEPT_READS = [
    "/api/organizations?limit=5&offset=2",
    "/api/organizations/utrasd",
    "/api/relationships?source=utrasd",
    "/api/relationships/utrasd-established-ima-limpia",
    "/api/organizations/ima-limpia/enablers?depth=2",
    "/healthz",
]


@pytest.mark.parametrize("path", KEPT_READS)
def test_a_read_sent_again_is_the_same_answer_to_the_byte(client: TestClient, path: str) -> None:
    """The first answer comes through the framework, the next from the lane: status, every
    header (the security headers included) and body are the same."""
    first = client.get(path)
    again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again.headers.multi_items() == first.headers.multi_items()


def test_healthz_says_ok_as_its_schema_does(client: TestClient) -> None:
    got = client.get("/healthz")
    assert Health.model_validate_json(got.content) == Health(status="ok")
    assert got.headers["content-type"] == "application/json"
    assert "content-security-policy" in got.headers


def test_a_kept_read_still_checks_a_key_and_answers_cors(client: TestClient, keys: Keys) -> None:
    """A request with a key or an ``Origin`` goes through the framework even when its answer
    is kept: a wrong key is refused, a known origin is not told it is allowed."""
    path = "/api/organizations/utrasd"
    assert client.get(path).status_code == 200
    assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get(path, headers=keys.auth("reader")).status_code == 200
    cross = client.get(path, headers={"Origin": "https://elsewhere.example"})
    assert cross.status_code == 200
    assert "access-control-allow-origin" not in cross.headers


def test_reads_that_need_a_key_are_never_sent_by_the_lane(
    client: TestClient, private_client: TestClient
) -> None:
    path = "/api/organizations/utrasd"
    assert private_client.get(path).status_code == 401
    assert client.get(path).status_code == 200
    assert private_client.get(path).status_code == 401


# --- the lane in front of a route that counts its calls ------------------------------------


class Counted:
    """A Starlette app whose one route answers through :meth:`Answers.reply`, counting calls."""

    def __init__(self, store: MemoryStore, public_read: bool = True) -> None:
        self.calls = 0
        self.app = Starlette(
            routes=[Route("/{path:path}", self.route)],
            middleware=[Middleware(FastLane, public_read=public_read)],
        )
        self.app.state.answers = Answers(store)

    async def route(self, request: Request) -> Response:
        self.calls += 1
        path, query = request.url.path, request.url.query
        answers: Answers = request.app.state.answers
        conditional = not path.endswith("/detail")
        return await answers.reply(
            request,
            (path, query),
            lambda: Answer(f'{{"path": "{path}"}}'.encode(), '"tag"'),
            conditional,
        )


@pytest.fixture
def counted(tmp_path: Path, seed: Document) -> Iterator[tuple[Counted, MemoryStore]]:
    store = MemoryStore(tmp_path)
    store.load(seed)
    yield Counted(store), store
    store.close()


def test_the_lane_sends_a_kept_answer_without_calling_the_route(
    counted: tuple[Counted, MemoryStore],
) -> None:
    app, _ = counted
    client = TestClient(app.app)
    first = client.get("/api/things?x=1")
    again = client.get("/api/things?x=1")
    assert app.calls == 1
    assert again.content == first.content
    assert again.headers.multi_items() == first.headers.multi_items()
    client.get("/api/things?x=2")
    assert app.calls == 2, "another query string is another question"


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Authorization": "Bearer x"}, None),
        ({"Origin": "https://a.example"}, None),
        ({}, b"{}"),
    ],
)
def test_the_lane_steps_aside_for_keys_origins_and_bodies(
    counted: tuple[Counted, MemoryStore], headers: dict[str, str], body: bytes | None
) -> None:
    app, _ = counted
    client = TestClient(app.app)
    client.get("/api/things")
    client.request("GET", "/api/things", headers=headers, content=body)
    assert app.calls == 2


def test_a_write_sends_the_next_request_through_the_route(
    counted: tuple[Counted, MemoryStore],
) -> None:
    app, store = counted
    client = TestClient(app.app)
    client.get("/api/things")
    utrasd = store.get_organizations(["utrasd"])[0]
    store.load(Document(organizations=[utrasd.model_copy(update={"name": "Renamed"})]))
    client.get("/api/things")
    assert app.calls == 2


def test_expensive_requests_are_never_kept_for_the_lane(
    counted: tuple[Counted, MemoryStore],
) -> None:
    """Fair use counts every expensive request (``app.api.fair_use.is_expensive``): depth 3
    enablers and analyses come through the route each time."""
    app, _ = counted
    client = TestClient(app.app)
    for path in ("/api/organizations/a/enablers?depth=3", "/api/analysis/gaps"):
        client.get(path)
        client.get(path)
    assert app.calls == 4


def test_the_lane_answers_304_only_where_the_route_would(
    counted: tuple[Counted, MemoryStore],
) -> None:
    app, _ = counted
    client = TestClient(app.app)
    client.get("/api/things")
    client.get("/api/detail")
    held = {"If-None-Match": '"tag"'}
    not_modified = client.get("/api/things", headers=held)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == '"tag"'
    assert client.get("/api/detail", headers=held).status_code == 200
    assert app.calls == 2


def test_the_lane_is_closed_when_reads_need_a_key(tmp_path: Path, seed: Document) -> None:
    store = MemoryStore(tmp_path)
    store.load(seed)
    app = Counted(store, public_read=False)
    client = TestClient(app.app)
    client.get("/api/things")
    client.get("/api/things")
    assert app.calls == 2
    store.close()
