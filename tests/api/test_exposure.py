"""What a caller without a key can learn about the deployment and the people behind edits.

Reads are public by default, so an anonymous caller must not learn where the store lives
(its file path or Neo4j address) nor who edits: ``/readyz`` answers its status only, a 503
names no store, and the audit trail, organisation histories and the import log show each
actor as a role (reader, editor, admin, command line, system, unknown). Any valid key, a
reader's included, sees the names; only an admin's key is told which store ``/readyz`` checks.
Both backends, through the ``client`` fixture.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cli.common import actor as cli_actor
from app.curation import records
from app.domain.errors import StoreUnavailable
from app.domain.imports import ImportRecord, ReviewCandidate
from app.domain.keys import Role
from app.store.protocol import GraphStore
from tests.api.conftest import KEY_NAMES, Keys

PROBLEM = "application/problem+json"
BAD_KEY = {"Authorization": "Bearer sgk_000000000000_" + "x" * 43}


def trail(client: TestClient, url: str, headers: dict[str, str] | None = None) -> Any:
    """The JSON answer of a read of the audit trail, checked to be a 200."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- /readyz -----------------------------------------------------------------------------------


def test_readyz_tells_an_anonymous_caller_the_status_only(
    client: TestClient, store: GraphStore
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert store.describe() not in response.text


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_readyz_tells_a_key_below_admin_the_status_only(
    client: TestClient, keys: Keys, role: Role
) -> None:
    response = client.get("/readyz", headers=keys.auth(role))
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_tells_an_admin_which_store_and_its_version(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    response = client.get("/readyz", headers=keys.auth("admin"))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "store": store.describe(),
        "version": store.version(),
    }


def test_readyz_refuses_a_key_that_is_not_valid(client: TestClient) -> None:
    response = client.get("/readyz", headers=BAD_KEY)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


def test_readyz_answers_health_checks_without_a_key_when_reads_are_private(
    private_client: TestClient, keys: Keys, store: GraphStore
) -> None:
    # The Dockerfile's HEALTHCHECK sends no key, whatever SOLGRAPH_PUBLIC_READ says.
    assert private_client.get("/api/changes").status_code == 401, "reads are private here"
    assert private_client.get("/readyz").json() == {"status": "ok"}
    admin = private_client.get("/readyz", headers=keys.auth("admin")).json()
    assert admin["store"] == store.describe()


def test_a_store_that_is_down_is_not_named_to_callers_but_to_the_log(
    client: TestClient,
    keys: Keys,
    store: GraphStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    where = store.describe()

    def down(*_: object, **__: object) -> None:
        raise StoreUnavailable(f"{where} is not answering", retry_after=7)

    monkeypatch.setattr(store, "ping", down)
    monkeypatch.setattr(store, "changes", down)
    caplog.set_level(logging.WARNING, logger="app.api.problems")
    for url, headers in [
        ("/readyz", None),
        ("/readyz", keys.auth("admin")),
        ("/api/changes", None),
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == 503, url
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["retry-after"] == "7"
        assert response.json()["detail"] == "the graph store is unavailable; retry in 7 s"
        assert where not in response.text
    assert sum(where in record.getMessage() for record in caplog.records) == 3


# --- the audit trail ---------------------------------------------------------------------------

SEED_ID = "utrasd"
"""A seed organisation (Box 3) that each test edits as several actors."""


@pytest.fixture
def edited(client: TestClient, keys: Keys, store: GraphStore) -> dict[str, str]:
    """``utrasd`` changed by the editor and admin keys, the command line and an actor no key
    names, after the seed load as ``system``: each actor with the role an anonymous caller
    must see."""
    writers: list[tuple[Role, int]] = [("editor", 1990), ("admin", 1991)]
    for role, founded in writers:
        response = client.patch(
            f"/api/organizations/{SEED_ID}", json={"founded": founded}, headers=keys.auth(role)
        )
        assert response.status_code == 200, response.text
    records.patch(store, "organization", SEED_ID, {"founded": 1992}, cli_actor(), None)
    records.patch(store, "organization", SEED_ID, {"founded": 1993}, "step-7", None)
    return {
        "system": "system",
        KEY_NAMES["editor"]: "editor",
        KEY_NAMES["admin"]: "admin",
        cli_actor(): "command line",
        "step-7": "unknown",
    }


@pytest.mark.parametrize(
    "url", ["/api/changes?entity=organization&id=utrasd", "/api/organizations/utrasd/history"]
)
def test_anonymous_callers_see_each_actor_as_a_role(
    client: TestClient, edited: dict[str, str], url: str
) -> None:
    items = trail(client, url)["items"]
    assert [e["actor"] for e in items] == list(edited.values())
    assert [e["after"]["founded"] for e in items[1:]] == [1990, 1991, 1992, 1993]


@pytest.mark.parametrize("role", ["reader", "editor", "admin"])
@pytest.mark.parametrize(
    "url", ["/api/changes?entity=organization&id=utrasd", "/api/organizations/utrasd/history"]
)
def test_any_key_sees_the_names_as_recorded(
    client: TestClient, keys: Keys, edited: dict[str, str], url: str, role: Role
) -> None:
    items = trail(client, url, keys.auth(role))["items"]
    assert [e["actor"] for e in items] == list(edited)


def test_the_anonymous_trail_names_no_key_and_no_login(
    client: TestClient, edited: dict[str, str]
) -> None:
    text = client.get("/api/changes", params={"limit": 500}).text
    for name in (*KEY_NAMES.values(), cli_actor(), "step-7"):
        assert f'"actor":"{name}"' not in text, name
    assert '"actor":"cli' not in text


def test_a_revoked_key_is_still_shown_as_its_role(
    client: TestClient, keys: Keys, store: GraphStore, edited: dict[str, str]
) -> None:
    store.revoke_key(KEY_NAMES["editor"], datetime.now(UTC))
    items = trail(client, "/api/organizations/utrasd/history")["items"]
    assert items[1]["actor"] == "editor"


def test_a_bad_key_gets_no_trail(client: TestClient) -> None:
    assert client.get("/api/changes", headers=BAD_KEY).status_code == 401


# --- the import log ----------------------------------------------------------------------------

SUMMARY = {
    "records_read": 1,
    "created": 0,
    "matched": 0,
    "candidates": 1,
    "relationships": 0,
    "skipped": [],
    "notes": [],
}


@pytest.fixture
def import_id(store: GraphStore, keys: Keys) -> str:
    """An import run by the editor key whose one candidate the admin key accepted."""
    candidate = ReviewCandidate(
        id="c1",
        imported="kenasvit-2",
        imported_name="KENASVIT",
        stored="kenasvit",
        stored_name="Kenya National Alliance of Street Vendors and Informal Traders",
        score=100,
        evidence_for=["the same name"],
        evidence_against=["the imported record states no country"],
        status="accepted",
        decided_by=KEY_NAMES["admin"],
        decided_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    record = ImportRecord(
        id="imp-0123456789ab",
        at=datetime(2026, 1, 31, tzinfo=UTC),
        actor=KEY_NAMES["editor"],
        origin="grants.json",
        report={"summary": SUMMARY},
        candidates=[candidate],
    )
    store.add_import(record)
    return record.id


def import_actors(client: TestClient, import_id: str, headers: dict[str, str] | None) -> Any:
    """Who ran the import and who decided its candidate, as each import route shows them."""
    listed = trail(client, "/api/imports", headers)["items"]
    one = trail(client, f"/api/imports/{import_id}", headers)
    queue = trail(client, f"/api/imports/{import_id}/candidates", headers)["items"]
    return (
        [i["actor"] for i in listed],
        one["actor"],
        [c["decided_by"] for c in one["candidates"]],
        [c["decided_by"] for c in queue],
    )


def test_the_import_log_shows_roles_to_anonymous_callers(
    client: TestClient, import_id: str
) -> None:
    assert import_actors(client, import_id, None) == (["editor"], "editor", ["admin"], ["admin"])


def test_the_import_log_shows_names_to_a_reader(
    client: TestClient, keys: Keys, import_id: str
) -> None:
    editor, admin = KEY_NAMES["editor"], KEY_NAMES["admin"]
    assert import_actors(client, import_id, keys.auth("reader")) == (
        [editor],
        editor,
        [admin],
        [admin],
    )
