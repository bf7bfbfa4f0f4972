"""The audit trail over HTTP on both backends: ``/api/changes`` and organisation history.

Each write a test makes is checked against the entries it must leave: the actor is the name
of the key that made it (``KEY_NAMES`` in tests/api/conftest.py), ``change`` is created,
updated or deleted, and ``before``/``after`` are the record as it was and as it was sent.
The seed (``seed_data/ecosystem.yaml``) is loaded by the ``client`` fixture as actor
``system`` (``GraphStore.load``'s default), one created entry per record. Names are read with
the reader key: callers without one see roles (tests/api/test_exposure.py).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain.keys import Role
from app.domain.models import Document
from tests.api.conftest import Keys

SOURCE: dict[str, Any] = {
    "citation": "Changes API test",
    "locator": "tests/api/test_changes_api.py",
    "url": "https://example.org/changes-api-test",
    "basis": "stated",
    "quote": "made up for the audit trail test",
    "reason": None,
    "year": 2024,
    "fields": [],
}
"""A source with every part given, as the interchange JSON writes one."""
NEW_ORG: dict[str, Any] = {
    "id": "coop-audit-test",
    "name": "Cooperativa de Auditoría",
    "aliases": ["CAT"],
    "type": "cooperative",
    "movement": "sse",
    "countries": ["CO"],
    "sectors": ["care_work"],
    "founded": 2020,
    "status": "active",
    "description": "Made up for the audit trail test.",
    "identifiers": [],
    "sources": [SOURCE],
}
"""An organisation with every field given, so the trail's ``after`` must equal it exactly."""


def changes(
    client: TestClient, headers: dict[str, str] | None = None, **params: Any
) -> dict[str, Any]:
    """One page of ``GET /api/changes`` with ``params`` (up to 500 entries)."""
    response = client.get("/api/changes", params={"limit": 500, **params}, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def history(
    client: TestClient, org_id: str, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every entry of ``GET /api/organizations/{org_id}/history``."""
    response = client.get(
        f"/api/organizations/{org_id}/history", params={"limit": 500}, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def moment_between() -> datetime:
    """Now, with a pause either side, so writes before and after are stamped apart."""
    time.sleep(0.01)
    now = datetime.now(UTC)
    time.sleep(0.01)
    return now


def test_the_seed_load_is_the_start_of_the_trail(client: TestClient, seed: Document) -> None:
    page = changes(client)
    assert page["total"] == len(seed.organizations) + len(seed.relationships)
    assert {(e["actor"], e["change"]) for e in page["items"]} == {("system", "created")}
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "oldest first, each once"


def test_create_update_delete_each_leave_an_entry_with_the_key_name_and_values(
    client: TestClient, keys: Keys
) -> None:
    editor = keys.auth("editor")
    created = client.post("/api/organizations", json=NEW_ORG, headers=editor)
    assert created.status_code == 201, created.text
    patched = client.patch(
        f"/api/organizations/{NEW_ORG['id']}", json={"founded": 2019}, headers=editor
    )
    assert patched.status_code == 200, patched.text
    deleted = client.delete(f"/api/organizations/{NEW_ORG['id']}", headers=editor)
    assert deleted.status_code == 204, deleted.text

    page = changes(client, keys.auth("reader"), entity="organization", id=NEW_ORG["id"])
    assert page["total"] == 3, "a new id: only the three writes made here"
    first, second, third = page["items"]
    assert {e["actor"] for e in page["items"]} == {keys.names["editor"]}
    assert {(e["entity"], e["id"]) for e in page["items"]} == {("organization", NEW_ORG["id"])}
    assert (first["change"], first["before"], first["after"]) == ("created", None, NEW_ORG)
    assert second["change"] == "updated"
    assert second["before"] == NEW_ORG
    assert second["after"] == {**NEW_ORG, "founded": 2019}
    assert (third["change"], third["before"], third["after"]) == (
        "deleted",
        {**NEW_ORG, "founded": 2019},
        None,
    )
    assert first["seq"] < second["seq"] < third["seq"]
    assert first["at"] <= second["at"] <= third["at"]


def test_put_records_the_old_record_and_the_one_sent(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # The seed's own afd record (Box 3), renamed: before is the seed record, after the body.
    afd = next(o for o in seed.organizations if o.id == "afd").model_dump(mode="json")
    sent = {**afd, "name": "Agence Française de Développement", "aliases": ["AFD"]}
    replaced = client.put("/api/organizations/afd", json=sent, headers=keys.auth("admin"))
    assert replaced.status_code == 200, replaced.text
    [entry] = changes(client, keys.auth("reader"), entity="organization", id="afd")["items"][1:]
    assert (entry["actor"], entry["change"]) == (keys.names["admin"], "updated")
    assert (entry["before"], entry["after"]) == (afd, sent)


def test_relationship_writes_are_recorded_as_relationships(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-enables-ima-limpia")
    patched = client.patch(
        f"/api/relationships/{tie.id}",
        json={"mechanisms": ["training", "finance"]},
        headers=keys.auth("editor"),
    )
    assert patched.status_code == 200, patched.text
    page = changes(client, keys.auth("reader"), entity="relationship", id=tie.id)
    assert [e["change"] for e in page["items"]] == ["created", "updated"], "seed load, then ours"
    entry = page["items"][-1]
    assert entry["before"] == tie.model_dump(mode="json")
    assert entry["after"] == {**tie.model_dump(mode="json"), "mechanisms": ["training", "finance"]}
    assert entry["actor"] == keys.names["editor"]
    # The organisation filter does not see relationship entries of the same id space.
    assert changes(client, entity="organization", id=tie.id)["total"] == 0


def test_since_keeps_only_entries_at_or_after_the_moment(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    earlier = client.patch("/api/organizations/utrasd", json={"founded": 1985}, headers=editor)
    assert earlier.status_code == 200, earlier.text
    between = moment_between()
    later = client.patch("/api/organizations/ima-limpia", json={"founded": 2022}, headers=editor)
    assert later.status_code == 200, later.text

    page = changes(client, since=between.isoformat())
    assert page["total"] == 1
    [entry] = page["items"]
    assert (entry["id"], entry["after"]["founded"]) == ("ima-limpia", 2022)
    # The same instant written with a Z, with another zone, and without a zone (read as UTC).
    z = between.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    plus_five = between.astimezone(timezone(timedelta(hours=5))).isoformat()
    naive = between.replace(tzinfo=None).isoformat()
    for since in (z, plus_five, naive):
        assert changes(client, since=since)["items"] == page["items"], since
    # since, entity and id combine: utrasd changed only before the moment.
    assert changes(client, since=between.isoformat(), id="utrasd")["total"] == 0
    assert changes(client, since=between.isoformat(), entity="relationship")["total"] == 0


def test_since_in_the_future_is_empty_and_a_bad_since_is_422(client: TestClient) -> None:
    assert changes(client, since="2100-01-01T00:00:00Z")["total"] == 0
    bad = client.get("/api/changes", params={"since": "last tuesday"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "since"


def test_since_at_the_ends_of_the_calendar_is_every_change_or_none(
    client: TestClient, seed: Document
) -> None:
    # Found by the fuzzer: in UTC, 0001-01-01T00:00+00:01 falls before year 1 (a 500 then).
    everything = len(seed.organizations) + len(seed.relationships)
    assert changes(client, since="0001-01-01T00:00:00+00:01")["total"] == everything
    assert changes(client, since="9999-12-31T23:59:59-00:01")["total"] == 0


def test_a_bad_entity_filter_lists_the_allowed_ones(client: TestClient) -> None:
    bad = client.get("/api/changes", params={"entity": "person"})
    assert bad.status_code == 422
    assert sorted(bad.json()["allowed"]) == ["organization", "relationship", "story", "view"]


def test_changes_are_paged_oldest_first(client: TestClient, seed: Document) -> None:
    total = len(seed.organizations) + len(seed.relationships)
    seen: list[int] = []
    for offset in range(0, total, 10):
        page = client.get("/api/changes", params={"offset": offset, "limit": 10}).json()
        assert page["total"] == total
        seen += [e["seq"] for e in page["items"]]
    assert len(seen) == total and seen == sorted(set(seen))


def test_history_outlives_the_organisation(client: TestClient, keys: Keys) -> None:
    editor = keys.auth("editor")
    assert client.post("/api/organizations", json=NEW_ORG, headers=editor).status_code == 201
    assert client.delete(f"/api/organizations/{NEW_ORG['id']}", headers=editor).status_code == 204
    assert client.get(f"/api/organizations/{NEW_ORG['id']}").status_code == 404
    entries = history(client, NEW_ORG["id"])
    assert [e["change"] for e in entries] == ["created", "deleted"]
    assert entries[-1]["before"] == NEW_ORG


def test_history_of_a_seed_organisation_starts_with_the_load(
    client: TestClient, seed: Document
) -> None:
    utrasd = next(o for o in seed.organizations if o.id == "utrasd").model_dump(mode="json")
    [entry] = history(client, "utrasd")
    assert (entry["actor"], entry["change"], entry["after"]) == ("system", "created", utrasd)


def test_history_of_an_id_never_seen_is_404(client: TestClient) -> None:
    response = client.get("/api/organizations/never-existed/history")
    assert response.status_code == 404
    assert "never-existed" in response.json()["detail"]


def test_a_cascade_leaves_one_entry_per_deleted_record(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Box 6: every seed tie of NISCOF goes with it.
    ties = sorted(r.id for r in seed.relationships if "niscof" in (r.source, r.target))
    between = moment_between()
    deleted = client.delete(
        "/api/organizations/niscof", params={"cascade": "true"}, headers=keys.auth("admin")
    )
    assert deleted.status_code == 204, deleted.text
    page = changes(client, keys.auth("reader"), since=between.isoformat())
    assert page["total"] == 1 + len(ties)
    assert {e["actor"] for e in page["items"]} == {keys.names["admin"]}
    assert {e["change"] for e in page["items"]} == {"deleted"}
    assert sorted(e["id"] for e in page["items"] if e["entity"] == "relationship") == ties
    assert [e["id"] for e in page["items"] if e["entity"] == "organization"] == ["niscof"]
    assert all(e["after"] is None and e["before"] for e in page["items"])


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_the_actor_is_the_name_of_the_key_used(client: TestClient, keys: Keys, role: Role) -> None:
    response = client.patch(
        "/api/organizations/utrasd", json={"founded": 1990}, headers=keys.auth(role)
    )
    assert response.status_code == 200, response.text
    assert history(client, "utrasd", keys.auth("reader"))[-1]["actor"] == keys.names[role]
