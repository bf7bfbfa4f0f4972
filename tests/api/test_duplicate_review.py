"""Reviewing likely duplicates and import matches over HTTP (issue 21, point 4), on both
backends (rejections are stored): a rejected pair is remembered and no longer proposed, who may
reject one, what speaks against a pair, and the review pages' server half (who gets buttons,
and that a page carries what the API answers).

Two records of one cooperative are made here through the write API, with the same name but
different countries and types, so the finder pairs them by name and the records disagree.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys, graph_state
from tests.api.test_review_queue_api import package, post
from tests.api.test_sessions import csrf, sign_in

SOURCE = {"citation": "Duplicate review test", "locator": "tests/api/test_duplicate_review.py"}
LEFT: dict[str, Any] = {
    "id": "cooperativa-del-sol",
    "name": "Cooperativa del Sol",
    "type": "cooperative",
    "movement": "sse",
    "countries": ["CO"],
    "sources": [SOURCE],
}
RIGHT: dict[str, Any] = {
    **LEFT,
    "id": "cooperativa-del-sol-2",
    "name": "Cooperativa Del Sol",
    "type": "association",
    "countries": ["PE"],
}
PAIR = (LEFT["id"], RIGHT["id"])
DATA = re.compile(r'<script id="review-data" type="application/json">(.*?)</script>', re.S)


def data_of(html: str) -> Any:
    found = DATA.search(html)
    assert found is not None, html
    return json.loads(found[1])


def listed(client: TestClient) -> dict[tuple[str, str], dict[str, Any]]:
    answer = client.get("/api/duplicates", params={"limit": 500})
    assert answer.status_code == 200, answer.text
    return {(p["first"]["id"], p["second"]["id"]): p for p in answer.json()["items"]}


@pytest.fixture
def paired(client: TestClient, keys: Keys) -> None:
    for body in (LEFT, RIGHT):
        made = client.post("/api/organizations", json=body, headers=keys.auth("editor"))
        assert made.status_code == 201, made.text


def test_a_pair_shows_what_speaks_for_and_against_it(client: TestClient, paired: None) -> None:
    pair = listed(client)[PAIR]
    assert pair["reasons"] == ["same name or alias after normalising: 'cooperativa del sol'"]
    assert pair["against"] == [
        "different types: cooperative and association",
        "no country in common: CO and PE",
    ]


def test_a_rejected_pair_is_remembered_and_not_proposed_again(
    client: TestClient, keys: Keys, paired: None
) -> None:
    others = set(listed(client)) - {PAIR}
    body = {"first": RIGHT["id"], "second": LEFT["id"]}  # either order names the pair
    answer = client.post("/api/duplicates/reject", json=body, headers=keys.auth("editor"))
    assert answer.status_code == 200, answer.text
    kept = answer.json()
    assert (kept["first"], kept["second"]) == PAIR
    assert kept["rejected_by"] == keys.names["editor"]
    assert set(listed(client)) == others
    again = client.post(
        "/api/duplicates/reject",
        json={"first": LEFT["id"], "second": RIGHT["id"]},
        headers=keys.auth("admin"),
    )
    assert again.json() == kept, "the first rejection stays"
    named = client.get("/api/duplicates/rejected", headers=keys.auth("reader")).json()
    assert named == {"items": [kept], "total": 1}
    anonymous = client.get("/api/duplicates/rejected").json()
    assert anonymous["items"][0]["rejected_by"] == "editor", "a role, not a name, without a key"


def test_a_rejection_is_no_change_of_the_graph(
    client: TestClient, keys: Keys, paired: None
) -> None:
    before = graph_state(client)
    body = {"first": LEFT["id"], "second": RIGHT["id"]}
    assert client.post("/api/duplicates/reject", json=body, headers=keys.auth("editor")).is_success
    assert graph_state(client) == before, "no record and no audit entry written"


def test_only_editors_reject(client: TestClient, keys: Keys, paired: None) -> None:
    body = {"first": LEFT["id"], "second": RIGHT["id"]}
    assert client.post("/api/duplicates/reject", json=body).status_code == 401
    reader = client.post("/api/duplicates/reject", json=body, headers=keys.auth("reader"))
    assert reader.status_code == 403
    sign_in(client, keys.tokens["editor"])
    without_token = client.post("/api/duplicates/reject", json=body)
    assert without_token.status_code == 403
    assert "CSRF" in without_token.json()["detail"]
    assert PAIR in listed(client)
    with_token = client.post(
        "/api/duplicates/reject", json=body, headers={"X-CSRF-Token": csrf(client)}
    )
    assert with_token.status_code == 200, with_token.text
    assert PAIR not in listed(client)


def test_unknown_or_equal_organisations_are_refused(
    client: TestClient, keys: Keys, paired: None
) -> None:
    editor = keys.auth("editor")
    unknown = {"first": LEFT["id"], "second": "nobody-here"}
    missing = client.post("/api/duplicates/reject", json=unknown, headers=editor)
    assert missing.status_code == 404
    assert "nobody-here" in missing.json()["detail"]
    same = {"first": LEFT["id"], "second": LEFT["id"]}
    assert client.post("/api/duplicates/reject", json=same, headers=editor).status_code == 422
    bad = {"first": "Not A Slug", "second": LEFT["id"]}
    assert client.post("/api/duplicates/reject", json=bad, headers=editor).status_code == 422
    assert client.get("/api/duplicates/rejected").json()["total"] == 0


def test_the_duplicates_page_carries_the_apis_pairs_and_buttons_only_for_editors(
    client: TestClient, keys: Keys, paired: None
) -> None:
    anonymous = client.get("/review/duplicates")
    assert anonymous.status_code == 200
    assert anonymous.headers["cache-control"] == "no-store"
    data = data_of(anonymous.text)
    assert data["csrf"] is None
    assert 'href="/sign-in?next=/review/duplicates"' in anonymous.text
    api = listed(client)
    shown = {(p["first"]["record"]["id"], p["second"]["record"]["id"]): p for p in data["pairs"]}
    assert set(shown) == set(api)
    assert shown[PAIR]["reasons"] == api[PAIR]["reasons"]
    assert shown[PAIR]["against"] == api[PAIR]["against"]
    record = client.get(f"/api/organizations/{LEFT['id']}")
    assert shown[PAIR]["first"]["etag"] == record.headers["etag"].strip('"')
    assert {k: v for k, v in shown[PAIR]["first"]["record"].items() if v} == {
        k: v for k, v in record.json().items() if v and k in shown[PAIR]["first"]["record"]
    }
    sign_in(client, keys.tokens["reader"])
    assert data_of(client.get("/review/duplicates").text)["csrf"] is None
    sign_in(client, keys.tokens["editor"])
    editor = data_of(client.get("/review/duplicates").text)
    assert (editor["csrf"], editor["role"]) == (csrf(client), "editor")


def test_the_import_page_is_for_editors_only(client: TestClient, keys: Keys) -> None:
    anonymous = client.get("/import")
    assert 'href="/sign-in?next=/import"' in anonymous.text
    assert 'id="upload-root"' not in anonymous.text
    assert data_of(anonymous.text) == {}
    sign_in(client, keys.tokens["reader"])
    assert "may read but not import files" in client.get("/import").text
    sign_in(client, keys.tokens["editor"])
    page = client.get("/import")
    assert page.headers["cache-control"] == "no-store"
    assert data_of(page.text)["csrf"] == csrf(client)


def test_the_import_review_pages_carry_the_queue_as_the_api_gives_it(
    client: TestClient, keys: Keys
) -> None:
    import_id = post(client, keys, package("KENASVIT", "CUT"))["import_id"]
    queue = client.get(f"/api/imports/{import_id}/candidates").json()["items"]
    decided = client.post(
        f"/api/imports/{import_id}/candidates/c2/reject", headers=keys.auth("editor")
    )
    assert decided.status_code == 200, decided.text
    listing = data_of(client.get("/review/imports").text)
    assert [(i["id"], i["pending"]) for i in listing["imports"]] == [(import_id, 1)]
    page = client.get(f"/review/imports/{import_id}")
    assert page.headers["cache-control"] == "no-store"
    data = data_of(page.text)
    assert data["csrf"] is None
    shown = {c["id"]: c for c in data["candidates"]}
    assert set(shown) == {c["id"] for c in queue} == {"c1", "c2"}
    for expected in queue:
        candidate = shown[expected["id"]]
        for field in ("imported", "stored", "imported_name", "stored_name", "score"):
            assert candidate[field] == expected[field], field
        assert candidate["evidence_for"] == expected["evidence_for"]
        assert candidate["evidence_against"] == expected["evidence_against"]
        stored = client.get(f"/api/organizations/{expected['stored']}").json()
        assert candidate["stored_side"]["record"]["name"] == stored["name"]
    assert (shown["c2"]["status"], shown["c2"]["decided_by"]) == ("rejected", "editor")
    sign_in(client, keys.tokens["editor"])
    named = data_of(client.get(f"/review/imports/{import_id}").text)
    assert named["csrf"] == csrf(client)
    assert {c["id"]: c["decided_by"] for c in named["candidates"]} == {
        "c1": None,
        "c2": keys.names["editor"],
    }
    assert client.get("/review/imports/imp-000000000000").status_code == 404
