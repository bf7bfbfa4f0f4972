"""Reads answered from kept JSON, with ETags and ``If-None-Match`` (RFC 9110, section 13.1.2).

A page or a relationship is answered ``304 Not Modified`` while the client's tag still names
it, and in full again once a write (by this app or by another process on the same data)
changes it; an organisation's detail carries its record's tag, for ``If-Match``, and so is
never answered ``304`` (its relationships may change while the record does not).
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.answers import Answer, Answers
from app.api.main import create_app
from app.domain.edits import etag
from app.domain.models import Document
from app.settings import Settings
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore
from tests.api.conftest import Keys

PAGE = "/api/organizations?limit=5&offset=2"
TIE = "/api/relationships/utrasd-established-ima-limpia"


def test_a_page_is_tagged_by_its_bytes_and_answered_304_while_unchanged(
    client: TestClient,
) -> None:
    first = client.get(PAGE)
    assert first.status_code == 200
    assert first.headers["etag"] == f'"{hashlib.sha256(first.content).hexdigest()[:32]}"'
    again = client.get(PAGE, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    weak = client.get(PAGE, headers={"If-None-Match": f'"other", W/{first.headers["etag"]}'})
    assert weak.status_code == 304, "If-None-Match compares weakly and takes a list"
    other = client.get(PAGE, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    assert other.content == first.content


def test_a_relationship_is_tagged_by_its_record(client: TestClient, seed: Document) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-established-ima-limpia")
    first = client.get(TIE)
    assert first.headers["etag"] == f'"{etag(tie)}"'
    assert client.get(TIE, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert client.get(TIE, headers={"If-None-Match": "*"}).status_code == 304


def test_an_organisation_detail_keeps_its_record_tag_and_is_never_304(
    client: TestClient, seed: Document
) -> None:
    utrasd = next(o for o in seed.organizations if o.id == "utrasd")
    first = client.get("/api/organizations/utrasd")
    assert first.headers["etag"] == f'"{etag(utrasd)}"'
    again = client.get(
        "/api/organizations/utrasd", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 200
    assert again.json() == first.json()


def test_a_write_through_the_api_changes_what_is_read(client: TestClient, keys: Keys) -> None:
    page = client.get("/api/relationships?source=utrasd")
    detail = client.get("/api/organizations/ima-limpia")
    old = client.get(TIE).headers["etag"]
    patched = client.patch(
        TIE, json={"since": 1999}, headers={**keys.auth("editor"), "If-Match": old}
    )
    assert patched.status_code == 200, patched.text
    read = client.get(TIE, headers={"If-None-Match": old})
    assert read.status_code == 200 and read.json()["since"] == 1999
    assert read.headers["etag"] == patched.headers["etag"]
    later = client.get(
        "/api/relationships?source=utrasd", headers={"If-None-Match": page.headers["etag"]}
    )
    assert later.status_code == 200, "the page holding the tie changed"
    tie = next(t for t in later.json()["items"] if t["id"] == TIE.rsplit("/", 1)[1])
    assert tie["since"] == 1999
    ties = client.get("/api/organizations/ima-limpia").json()["relationships"]
    assert ties != detail.json()["relationships"]
    assert next(t for t in ties if t["id"] == tie["id"])["since"] == 1999


def test_a_write_by_another_process_is_read_at_once(tmp_path: Path, seed: Document) -> None:
    """Two embedded stores on one folder stand for two workers: what one writes, the other's
    kept answers give way to."""
    MemoryStore(tmp_path).load(seed)
    settings = Settings(data_dir=tmp_path, store="memory")
    with TestClient(create_app(settings=settings)) as client:
        before = client.get("/api/organizations?q=UTRASD")
        assert before.json()["items"][0]["id"] == "utrasd"
        other = MemoryStore(tmp_path)
        utrasd = other.get_organizations(["utrasd"])[0]
        other.load(Document(organizations=[utrasd.model_copy(update={"name": "Renamed Union"})]))
        other.close()
        after = client.get("/api/organizations/utrasd")
        assert after.json()["name"] == "Renamed Union"
        page = client.get(
            "/api/organizations?q=Renamed", headers={"If-None-Match": before.headers["etag"]}
        )
        assert page.status_code == 200
        assert page.json()["items"][0]["id"] == "utrasd"


def test_a_store_says_its_version_without_waiting_only_when_it_can(store: GraphStore) -> None:
    """The embedded store, once its graph is built, answers as ``version()`` does when idle;
    Neo4j, whose every answer is a round trip, says it cannot."""
    now = store.version()
    quick = store.version_nowait()
    if isinstance(store, MemoryStore):
        assert quick == now
    else:
        assert quick is None


@pytest.mark.parametrize("path", [PAGE, TIE, "/api/relationships?limit=3"])
def test_head_answers_the_tag_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == 200
    assert head.headers["etag"] == got.headers["etag"]
    assert head.content == b""


def test_concurrent_requests_for_one_answer_compute_it_once(tmp_path: Path, seed: Document) -> None:
    """Eight threads ask at once for one answer whose rendering takes a while: it is rendered
    once and all eight get it; a write then makes the next request render it again."""
    store = MemoryStore(tmp_path)
    store.load(seed)
    answers = Answers(store)
    calls: list[int] = []
    started = threading.Event()

    def render() -> Answer:
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return Answer(b"{}", '"x"')

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answers.get, "key", render)
        started.wait()
        rest = [pool.submit(answers.get, "key", render) for _ in range(7)]
        got = [first.result(), *(f.result() for f in rest)]
    assert len(calls) == 1
    assert all(a is got[0] for a in got)
    utrasd = store.get_organizations(["utrasd"])[0]
    store.load(Document(organizations=[utrasd.model_copy(update={"name": "Renamed"})]))
    answers.get("key", render)
    assert len(calls) == 2, "a new graph version renders anew"
    store.close()


def test_enablers_are_tagged_and_answered_304_while_unchanged(client: TestClient) -> None:
    path = "/api/organizations/ima-limpia/enablers?depth=2"
    first = client.get(path)
    assert first.status_code == 200
    assert {i["organization"]["id"] for i in first.json()["items"]} >= {"utrasd", "afd"}
    assert client.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    deeper = client.get(
        path.replace("depth=2", "depth=3"), headers={"If-None-Match": first.headers["etag"]}
    )
    assert deeper.status_code == 200, "another question, another answer"
