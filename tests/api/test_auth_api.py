"""API keys over HTTP on both backends: who may write, who may manage keys, private reads.

The rules under test are those of ``app/api/auth.py``: writes need an ``editor`` key, key
management and cascading deletes an ``admin`` one, reads are open unless
``Settings(public_read=False)``; a missing or invalid key is a 401 with
``WWW-Authenticate: Bearer``, a valid key of too weak a role a 403. Bodies are valid writes
against the seed (``seed_data/ecosystem.yaml``), so that only the key decides the answer.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from app.domain.keys import Role, hash_secret, new_key, split_token
from app.store.protocol import GraphStore
from tests.api.conftest import Keys, graph_state

PROBLEM = "application/problem+json"
SOURCE = {"citation": "Auth API test", "locator": "tests/api/test_auth_api.py", "url": None}
NEW_ORG = {
    "id": "coop-auth-test",
    "name": "Cooperativa de Prueba",
    "type": "cooperative",
    "movement": "sse",
    "sources": [SOURCE],
}
UTRASD_PUT = {
    "id": "utrasd",
    "name": "Unión de Trabajadoras del Servicio Doméstico",
    "type": "trade_union",
    "movement": "labour",
    "sources": [SOURCE],
}
# care-lac (ngo) ENABLES utrasd (trade_union): allowed by the ENABLES rule of the vocabulary.
NEW_REL = {
    "id": "care-lac-enables-utrasd",
    "type": "ENABLES",
    "mode": "direct",
    "source": "care-lac",
    "target": "utrasd",
    "sources": [SOURCE],
}
# Seed (Box 3): utrasd ENABLES ima-limpia.
REL_PUT = {
    "id": "utrasd-enables-ima-limpia",
    "type": "ENABLES",
    "mode": "indirect",
    "source": "utrasd",
    "target": "ima-limpia",
    "sources": [SOURCE],
}

WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/organizations", {"json": NEW_ORG}),
    ("PUT", "/api/organizations/utrasd", {"json": UTRASD_PUT}),
    ("PATCH", "/api/organizations/utrasd", {"json": {"founded": 1985}}),
    ("DELETE", "/api/organizations/care-lac", {"params": {"cascade": "true"}}),
    ("POST", "/api/relationships", {"json": NEW_REL}),
    ("PUT", "/api/relationships/utrasd-enables-ima-limpia", {"json": REL_PUT}),
    ("PATCH", "/api/relationships/utrasd-enables-ima-limpia", {"json": {"since": 2022}}),
    ("DELETE", "/api/relationships/utrasd-enables-ima-limpia", {}),
    ("POST", "/api/organizations/care-lac/merge", {"params": {"into": "afd"}}),
]
"""Every route that changes the graph, each with a request an admin could make succeed."""
WRITE_IDS = [f"{method} {url}" for method, url, _ in WRITES]


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header that presents ``token``."""
    return {"Authorization": f"Bearer {token}"}


def refused(
    client: TestClient, method: str, url: str, status: int, headers: dict[str, str], **request: Any
) -> httpx.Response:
    """Send a request that must be refused with ``status`` and must write nothing."""
    before = graph_state(client)
    response: httpx.Response = client.request(method, url, headers=headers, **request)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert graph_state(client) == before, "a refused request writes nothing"
    return response


# --- who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url", "request_"), WRITES, ids=WRITE_IDS)
def test_a_write_without_a_key_is_401(
    client: TestClient, method: str, url: str, request_: dict[str, Any]
) -> None:
    body = refused(client, method, url, 401, {}, **request_).json()
    assert "editor" in body["detail"], "the problem says which role is needed"


@pytest.mark.parametrize(("method", "url", "request_"), WRITES, ids=WRITE_IDS)
def test_a_write_with_a_reader_key_is_403(
    client: TestClient, keys: Keys, method: str, url: str, request_: dict[str, Any]
) -> None:
    body = refused(client, method, url, 403, keys.auth("reader"), **request_).json()
    assert "editor" in body["detail"] and keys.names["reader"] in body["detail"]


@pytest.mark.parametrize(("method", "url", "request_"), WRITES, ids=WRITE_IDS)
def test_an_admin_key_may_make_every_write(
    client: TestClient, keys: Keys, method: str, url: str, request_: dict[str, Any]
) -> None:
    # The counterpart of the two tests above: the same requests succeed with a strong key.
    response = client.request(method, url, headers=keys.auth("admin"), **request_)
    assert response.status_code in (200, 201, 204), response.text


def test_an_editor_key_can_write_and_is_named_as_the_actor(client: TestClient, keys: Keys) -> None:
    created = client.post("/api/organizations", json=NEW_ORG, headers=keys.auth("editor"))
    assert created.status_code == 201, created.text
    url = f"/api/organizations/{NEW_ORG['id']}/history"
    history = client.get(url, headers=keys.auth("reader")).json()
    assert [(e["actor"], e["change"]) for e in history["items"]] == [
        (keys.names["editor"], "created")
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Token abcdef",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Bearer",
        "Bearer    ",
        "Bearer not-an-api-key",
        "Bearer sgk_0123456789ab_short",
    ],
)
def test_a_malformed_authorization_header_is_401(
    client: TestClient, keys: Keys, header: str
) -> None:
    refused(client, "POST", "/api/organizations", 401, {"Authorization": header}, json=NEW_ORG)


def test_a_well_formed_key_that_was_never_stored_is_401(client: TestClient, keys: Keys) -> None:
    _, token = new_key("Nobody", "admin", "tests", datetime.now(UTC))  # never added to the store
    body = refused(client, "POST", "/api/organizations", 401, bearer(token), json=NEW_ORG).json()
    assert "not valid" in body["detail"]


def test_a_stored_key_id_with_a_wrong_secret_is_401(client: TestClient, keys: Keys) -> None:
    parts = split_token(keys.tokens["admin"])
    assert parts is not None
    _, other = new_key("Other", "admin", "tests", datetime.now(UTC))
    other_parts = split_token(other)
    assert other_parts is not None
    forged = f"sgk_{parts[0]}_{other_parts[1]}"  # the admin key's id with another secret
    refused(client, "POST", "/api/organizations", 401, bearer(forged), json=NEW_ORG)


def test_a_revoked_key_is_401(client: TestClient, keys: Keys) -> None:
    name = keys.names["editor"]
    assert client.post("/api/organizations", json=NEW_ORG, headers=keys.auth("editor")).is_success
    revoked = client.delete(f"/api/keys/{quote(name)}", headers=keys.auth("admin"))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["name"] == name and revoked.json()["revoked"] is not None
    patch = {"json": {"founded": 2001}}
    body = refused(
        client, "PATCH", "/api/organizations/utrasd", 401, keys.auth("editor"), **patch
    ).json()
    assert "revoked" in body["detail"]
    listed = {k["name"]: k for k in client.get("/api/keys", headers=keys.auth("admin")).json()}
    assert listed[name]["revoked"] is not None, "the revoked key stays listed for the audit"


def test_a_cascading_delete_needs_an_admin(client: TestClient, keys: Keys) -> None:
    # Seed (Box 3): utrasd has ties, so deleting it needs cascade, which needs admin.
    refused(
        client,
        "DELETE",
        "/api/organizations/utrasd",
        403,
        keys.auth("editor"),
        params={"cascade": "true"},
    )
    deleted = client.delete(
        "/api/organizations/utrasd", params={"cascade": "true"}, headers=keys.auth("admin")
    )
    assert deleted.status_code == 204, deleted.text


# --- key management ---------------------------------------------------------------------------

KEY_ROUTES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/keys", {"json": {"name": "Nora New", "role": "editor"}}),
    ("GET", "/api/keys", {}),
    ("DELETE", "/api/keys/Rita%20Reader", {}),
]
KEY_IDS = [f"{method} {url}" for method, url, _ in KEY_ROUTES]


@pytest.mark.parametrize(("method", "url", "request_"), KEY_ROUTES, ids=KEY_IDS)
@pytest.mark.parametrize("role", ["reader", "editor"])
def test_key_management_is_for_admins_only(
    client: TestClient,
    keys: Keys,
    store: GraphStore,
    role: Role,
    method: str,
    url: str,
    request_: dict[str, Any],
) -> None:
    before = store.list_keys()
    body = refused(client, method, url, 403, keys.auth(role), **request_).json()
    assert "admin" in body["detail"]
    refused(client, method, url, 401, {}, **request_)
    assert store.list_keys() == before, "no key was made or revoked"


def test_a_new_key_is_shown_once_and_never_listed_with_its_secret(
    client: TestClient, keys: Keys
) -> None:
    made = client.post(
        "/api/keys", json={"name": "Nora New", "role": "editor"}, headers=keys.auth("admin")
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["name"], body["role"], body["created_by"]) == (
        "Nora New",
        "editor",
        keys.names["admin"],
    )
    token = body["key"]
    parts = split_token(token)
    assert parts is not None, "the token reads sgk_<key id>_<secret>"
    key_id, secret = parts
    assert body["key_id"] == key_id
    assert "secret_hash" not in body

    listing = client.get("/api/keys", headers=keys.auth("admin"))
    assert listing.status_code == 200
    entries = listing.json()
    assert sorted(e["name"] for e in entries) == sorted([*keys.names.values(), "Nora New"])
    for entry in entries:
        assert "key" not in entry and "secret_hash" not in entry
        for value in entry.values():
            assert secret not in str(value) and hash_secret(secret) not in str(value)
    assert secret not in listing.text and hash_secret(secret) not in listing.text
    assert "secret_hash" not in listing.text

    # The token handed over works, and its name is the actor of what it writes.
    written = client.post("/api/organizations", json=NEW_ORG, headers=bearer(token))
    assert written.status_code == 201, written.text
    url = f"/api/organizations/{NEW_ORG['id']}/history"
    history = client.get(url, headers=keys.auth("reader")).json()
    assert history["items"][-1]["actor"] == "Nora New"


def test_a_key_name_is_taken_even_by_a_revoked_key(client: TestClient, keys: Keys) -> None:
    name = keys.names["reader"]
    request = {"name": name, "role": "admin"}
    taken = client.post("/api/keys", json=request, headers=keys.auth("admin"))
    assert taken.status_code == 409, taken.text
    assert client.delete(f"/api/keys/{quote(name)}", headers=keys.auth("admin")).is_success
    again = client.post("/api/keys", json=request, headers=keys.auth("admin"))
    assert again.status_code == 409, again.text


def test_revoking_an_unknown_key_is_404(client: TestClient, keys: Keys) -> None:
    response = client.delete("/api/keys/nobody", headers=keys.auth("admin"))
    assert response.status_code == 404, response.text
    assert "nobody" in response.json()["detail"]


def test_a_key_with_a_bad_name_or_role_is_refused(client: TestClient, keys: Keys) -> None:
    for request in ({"name": "Nora", "role": "owner"}, {"name": "-dash first", "role": "reader"}):
        response = client.post("/api/keys", json=request, headers=keys.auth("admin"))
        assert response.status_code == 422, response.text
    assert len(client.get("/api/keys", headers=keys.auth("admin")).json()) == len(keys.names)


# --- reads -------------------------------------------------------------------------------------


def test_public_reads_need_no_key_but_refuse_a_bad_one(client: TestClient, keys: Keys) -> None:
    assert client.get("/api/organizations").status_code == 200
    assert client.get("/api/organizations", headers=keys.auth("reader")).status_code == 200
    bad = client.get("/api/organizations", headers=bearer("sgk_000000000000_" + "x" * 43))
    assert bad.status_code == 401, "a key that is sent must be valid even where none is needed"
    assert bad.headers["www-authenticate"] == "Bearer"


PRIVATE_READS = [
    "/api/organizations",
    "/api/organizations/utrasd",
    "/api/organizations/utrasd/history",
    "/api/relationships",
    "/api/relationships/utrasd-enables-ima-limpia",
    "/api/export",
    "/api/changes",
    "/api/duplicates",
]


@pytest.mark.parametrize("url", PRIVATE_READS)
def test_private_reads_need_a_reader_key(private_client: TestClient, keys: Keys, url: str) -> None:
    anonymous = private_client.get(url)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.headers["content-type"] == PROBLEM
    for role in ("reader", "editor", "admin"):
        assert private_client.get(url, headers=keys.auth(role)).status_code == 200, role


def test_private_reads_leave_health_open(private_client: TestClient) -> None:
    assert private_client.get("/healthz").json() == {
        "status": "ok",
        "store": None,
        "version": None,
    }


def test_private_reads_still_need_an_editor_to_write(
    private_client: TestClient, keys: Keys
) -> None:
    refused_write = private_client.post(
        "/api/organizations", json=NEW_ORG, headers=keys.auth("reader")
    )
    assert refused_write.status_code == 403
    written = private_client.post("/api/organizations", json=NEW_ORG, headers=keys.auth("editor"))
    assert written.status_code == 201, written.text
