"""Reverting a record to an earlier version (issue 21, point 3): ``POST .../revert?change=N``.

The expected record is always the ``after`` of change N as the audit trail recorded it
(``/api/organizations/{id}/history``, ``/api/changes``), read before the revert: an
independent account of what the version was. The revert must be an audited edit of its own.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys, graph_state


def trail(client: TestClient, kind: str, record_id: str) -> list[dict[str, Any]]:
    """The record's audit trail, oldest first, as anonymous callers see it (actors as roles)."""
    answer = client.get("/api/changes", params={"entity": kind, "id": record_id, "limit": 500})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


def test_a_revert_restores_the_version_a_change_left(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    created = trail(client, "organization", "utrasd")[0]
    renamed = client.patch("/api/organizations/utrasd", json={"name": "Renamed"}, headers=editor)
    assert renamed.status_code == 200
    answer = client.post(
        f"/api/organizations/utrasd/revert?change={created['seq']}", headers=editor
    )
    assert answer.status_code == 200, answer.text
    now = client.get("/api/organizations/utrasd")
    assert {k: v for k, v in now.json().items() if k != "relationships"} == created["after"]
    assert answer.headers["etag"] == now.headers["etag"]
    last = trail(client, "organization", "utrasd")[-1]
    assert (last["actor"], last["action"], last["change"]) == (
        "editor",  # the role: anonymous callers see no names
        f"revert to change {created['seq']}",
        "updated",
    )
    assert last["before"]["name"] == "Renamed"
    assert last["after"] == created["after"]


def test_a_revert_can_itself_be_reverted(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    created = trail(client, "organization", "utrasd")[0]
    client.patch("/api/organizations/utrasd", json={"founded": 2011}, headers=editor)
    edited = trail(client, "organization", "utrasd")[-1]
    url = "/api/organizations/utrasd/revert"
    assert client.post(f"{url}?change={created['seq']}", headers=editor).status_code == 200
    assert client.post(f"{url}?change={edited['seq']}", headers=editor).status_code == 200
    assert client.get("/api/organizations/utrasd").json()["founded"] == 2011


def test_a_deleted_relationship_comes_back(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    tie = "utrasd-enables-ima-limpia"
    created = trail(client, "relationship", tie)[0]
    assert client.delete(f"/api/relationships/{tie}", headers=editor).status_code == 204
    answer = client.post(f"/api/relationships/{tie}/revert?change={created['seq']}", headers=editor)
    assert answer.status_code == 200, answer.text
    assert client.get(f"/api/relationships/{tie}").json() == created["after"]
    assert trail(client, "relationship", tie)[-1]["change"] == "created"


def test_a_stale_etag_changes_nothing(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    created = trail(client, "organization", "utrasd")[0]
    opened = client.get("/api/organizations/utrasd").headers["etag"]
    client.patch("/api/organizations/utrasd", json={"founded": 2011}, headers=editor)
    before = graph_state(client)
    answer = client.post(
        f"/api/organizations/utrasd/revert?change={created['seq']}",
        headers={**editor, "If-Match": opened},
    )
    assert answer.status_code == 412
    assert graph_state(client) == before


def test_what_cannot_be_reverted_is_refused_and_changes_nothing(
    client: TestClient, keys: Keys
) -> None:
    editor = keys.auth("editor")
    tie = "utrasd-enables-ima-limpia"
    created = trail(client, "relationship", tie)[0]
    client.delete(f"/api/relationships/{tie}", headers=editor)
    deleting = trail(client, "relationship", tie)[-1]
    other = trail(client, "organization", "ima-limpia")[0]
    before = graph_state(client)
    cases = [
        (f"/api/relationships/{tie}/revert?change={deleting['seq']}", 422, "deleted the record"),
        (f"/api/organizations/utrasd/revert?change={other['seq']}", 404, str(other["seq"])),
        ("/api/organizations/utrasd/revert?change=999999", 404, "999999"),
        ("/api/organizations/utrasd/revert?change=0", 422, "change"),
    ]
    for url, status, said in cases:
        answer = client.post(url, headers=editor)
        assert answer.status_code == status, (url, answer.text)
        assert said in answer.text
    utrasd = trail(client, "organization", "utrasd")[0]
    same = client.post(f"/api/organizations/utrasd/revert?change={utrasd['seq']}", headers=editor)
    assert same.status_code == 409
    assert "already" in same.json()["detail"]
    assert graph_state(client) == before
    assert created["after"] is not None


def test_a_revert_needs_an_editor(client: TestClient, keys: Keys) -> None:
    created = trail(client, "organization", "utrasd")[0]
    url = f"/api/organizations/utrasd/revert?change={created['seq']}"
    assert client.post(url).status_code == 401
    assert client.post(url, headers=keys.auth("reader")).status_code == 403
