"""The write API (POST, PUT, PATCH, DELETE of organisations and relationships) on both backends.

Every refusal must be a problem+json 4xx that leaves the graph and the audit trail exactly as
they were (``graph_state``: ``GET /api/export`` and the ``GET /api/changes`` total). Expected
values come from the request each test sends, from the seed (``seed_data/ecosystem.yaml``,
the ILO brief's ecosystem, read through the ``seed`` fixture) or from the type rules of
``graph_schema/vocabulary.yaml`` (read through ``app.domain.vocabulary``), as each comment says.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.domain.models import Document, Organization
from app.domain.vocabulary import vocabulary
from tests.api.conftest import Keys, graph_state

pytestmark = pytest.mark.api_on_neo4j

PROBLEM = "application/problem+json"
SOURCE: dict[str, Any] = {
    "citation": "Write API test",
    "locator": "tests/api/test_write_api.py",
    "url": "https://example.org/write-api-test",
    "basis": "stated",
    "quote": "made up for the write API tests",
    "reason": None,
    "year": 2024,
    "fields": [],
}
"""A source with every part set, so a record read back compares equal to the one sent."""


def new_org(org_id: str, **fields: Any) -> dict[str, Any]:
    """An organisation body: by default a Colombian SSE cooperative with one source."""
    body: dict[str, Any] = {
        "id": org_id,
        "name": f"Cooperativa {org_id}",
        "type": "cooperative",
        "movement": "sse",
        "countries": ["CO"],
        "sources": [SOURCE],
    }
    return {**body, **fields}


def new_rel(rel_id: str, type: str, source: str, target: str, **fields: Any) -> dict[str, Any]:
    """A relationship body with one source; ENABLES gets the mode it needs."""
    body: dict[str, Any] = {
        "id": rel_id,
        "type": type,
        "source": source,
        "target": target,
        "sources": [SOURCE],
    }
    if type == "ENABLES":
        body["mode"] = "direct"
    return {**body, **fields}


def ties_of(seed: Document, org_id: str) -> list[str]:
    """Ids of the seed relationships with ``org_id`` at either end, sorted."""
    return sorted(r.id for r in seed.relationships if org_id in (r.source, r.target))


def untied_seed_org(seed: Document) -> str:
    """The first seed organisation (by id) that takes part in no relationship."""
    tied = {end for r in seed.relationships for end in (r.source, r.target)}
    return min(o.id for o in seed.organizations if o.id not in tied)


def current_etag(client: TestClient, url: str) -> str:
    """The ``ETag`` header of a GET of ``url``."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    tag: str = response.headers["etag"]
    return tag


def allowed_in(message: str) -> list[str]:
    """The values a refusal lists after its last "allowed: ", in the order given."""
    return message.rpartition("allowed: ")[2].split(", ")


def refused(
    client: TestClient,
    method: str,
    url: str,
    status: int,
    headers: dict[str, str],
    **request: Any,
) -> httpx.Response:
    """Send a write that must be refused with ``status``; check that it wrote nothing."""
    before = graph_state(client)
    response: httpx.Response = client.request(method, url, headers=headers, **request)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["detail"]
    assert graph_state(client) == before, "a refused write leaves graph and audit trail alone"
    return response


# --- refusals: unknown vocabulary values ---------------------------------------------------

ORG_TERMS = [
    ("type", "guild", "organization_types"),
    ("movement", "guilds", "movements"),
    ("status", "asleep", "organization_statuses"),
    ("sectors", ["fishing"], "sectors"),
]
"""Organisation fields with a controlled value, a value the vocabulary lacks, and its section."""


@pytest.mark.parametrize(("field", "bad", "section"), ORG_TERMS)
def test_post_organization_with_unknown_term_names_field_and_allowed_values(
    client: TestClient, keys: Keys, field: str, bad: Any, section: str
) -> None:
    body = refused(
        client,
        "POST",
        "/api/organizations",
        422,
        keys.auth("editor"),
        json=new_org("new-coop", **{field: bad}),
    ).json()
    [error] = body["errors"]
    assert field in error["location"], "the problem names the field that was sent"
    allowed = sorted(getattr(vocabulary(), section))
    assert allowed_in(error["message"]) == allowed, "every allowed value is listed"


@pytest.mark.parametrize(("field", "bad", "section"), ORG_TERMS)
def test_put_organization_with_unknown_term_is_refused(
    client: TestClient, keys: Keys, seed: Document, field: str, bad: Any, section: str
) -> None:
    # The seed's own utrasd record, with one controlled field set to a value the vocabulary lacks.
    utrasd = next(o for o in seed.organizations if o.id == "utrasd")
    sent = {**utrasd.model_dump(mode="json"), field: bad}
    body = refused(
        client, "PUT", "/api/organizations/utrasd", 422, keys.auth("editor"), json=sent
    ).json()
    [error] = body["errors"]
    assert field in error["location"]
    assert allowed_in(error["message"]) == sorted(getattr(vocabulary(), section))


@pytest.mark.parametrize(("field", "bad", "section"), ORG_TERMS)
def test_patch_organization_with_unknown_term_is_refused(
    client: TestClient, keys: Keys, field: str, bad: Any, section: str
) -> None:
    body = refused(
        client,
        "PATCH",
        "/api/organizations/utrasd",
        422,
        keys.auth("editor"),
        json={field: bad},
    ).json()
    [error] = body["errors"]
    assert error["field"] == field
    assert allowed_in(error["message"]) == sorted(getattr(vocabulary(), section))


REL_TERMS = [
    ("type", "HATES", "relationship_types"),
    ("mode", "sideways", "modes"),
    ("mechanisms", ["bribery"], "mechanisms"),
    ("status", "paused", "relationship_statuses"),
]


@pytest.mark.parametrize(("field", "bad", "section"), REL_TERMS)
def test_post_relationship_with_unknown_term_names_field_and_allowed_values(
    client: TestClient, keys: Keys, field: str, bad: Any, section: str
) -> None:
    # care-lac (an NGO) ENABLES utrasd (a union) is allowed by the ENABLES rule, so only the
    # bad term is wrong.
    sent = {**new_rel("care-lac-enables-utrasd", "ENABLES", "care-lac", "utrasd"), field: bad}
    body = refused(client, "POST", "/api/relationships", 422, keys.auth("editor"), json=sent).json()
    [error] = body["errors"]
    assert field in error["location"]
    assert allowed_in(error["message"]) == sorted(getattr(vocabulary(), section))


@pytest.mark.parametrize(("field", "bad", "section"), REL_TERMS)
def test_patch_relationship_with_unknown_term_is_refused(
    client: TestClient, keys: Keys, field: str, bad: Any, section: str
) -> None:
    # Seed: utrasd-enables-ima-limpia is an ENABLES tie, so mode and mechanisms apply to it.
    body = refused(
        client,
        "PATCH",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json={field: bad},
    ).json()
    [error] = body["errors"]
    assert error["field"] == field
    assert allowed_in(error["message"]) == sorted(getattr(vocabulary(), section))


def test_put_relationship_with_unknown_term_is_refused(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-enables-ima-limpia")
    sent = {**tie.model_dump(mode="json"), "level": "cosmic"}
    body = refused(
        client,
        "PUT",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json=sent,
    ).json()
    [error] = body["errors"]
    assert "level" in error["location"]
    assert allowed_in(error["message"]) == sorted(vocabulary().levels)


def test_patch_with_a_field_the_model_lacks_is_refused(client: TestClient, keys: Keys) -> None:
    body = refused(
        client,
        "PATCH",
        "/api/organizations/utrasd",
        422,
        keys.auth("editor"),
        json={"colour": "red"},
    ).json()
    assert [e["field"] for e in body["errors"]] == ["colour"]


# --- refusals: references to unknown organisations ------------------------------------------


def test_post_relationship_to_unknown_organisation_names_it(client: TestClient, keys: Keys) -> None:
    sent = new_rel("utrasd-enables-nobody", "ENABLES", "utrasd", "no-such-org")
    body = refused(client, "POST", "/api/relationships", 422, keys.auth("editor"), json=sent).json()
    [error] = body["errors"]
    assert error["field"] == "target"
    assert "no-such-org" in error["message"]


def test_put_relationship_from_unknown_organisation_names_it(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-enables-ima-limpia")
    sent = {**tie.model_dump(mode="json"), "source": "ghost-union"}
    body = refused(
        client,
        "PUT",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json=sent,
    ).json()
    [error] = body["errors"]
    assert error["field"] == "source" and "ghost-union" in error["message"]


def test_patch_relationship_to_unknown_organisation_names_it(
    client: TestClient, keys: Keys
) -> None:
    body = refused(
        client,
        "PATCH",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json={"target": "ghost-coop"},
    ).json()
    [error] = body["errors"]
    assert error["field"] == "target" and "ghost-coop" in error["message"]


# --- refusals: the vocabulary's type rules --------------------------------------------------
# graph_schema/vocabulary.yaml, ADVOCATES_TO: "target: [public_bodies, international_institution]"
# and the public_bodies family is [public_body], so its allowed targets are exactly these two.
ADVOCACY_TARGETS = ["international_institution", "public_body"]


def test_post_advocates_to_a_social_enterprise_breaks_the_type_rule(
    client: TestClient, keys: Keys
) -> None:
    # Seed: ima-limpia is a social_enterprise (Box 3), not a public body or an institution.
    sent = new_rel("utrasd-advocates-to-ima-limpia", "ADVOCATES_TO", "utrasd", "ima-limpia")
    body = refused(client, "POST", "/api/relationships", 422, keys.auth("editor"), json=sent).json()
    [error] = body["errors"]
    assert error["field"] == "target"
    assert "social_enterprise" in error["message"]
    assert error["allowed"] == ADVOCACY_TARGETS


def test_patch_advocacy_onto_a_cooperative_breaks_the_type_rule(
    client: TestClient, keys: Keys
) -> None:
    # Seed: niscof ADVOCATES_TO kenyan-senate (Box 6: "to present options to the Kenyan
    # Senate"); niscof-sacco is a savings_credit_cooperative.
    body = refused(
        client,
        "PATCH",
        "/api/relationships/niscof-advocates-to-kenyan-senate",
        422,
        keys.auth("editor"),
        json={"target": "niscof-sacco"},
    ).json()
    [error] = body["errors"]
    assert error["field"] == "target" and error["allowed"] == ADVOCACY_TARGETS


def test_put_retyping_a_tie_to_advocacy_breaks_the_type_rule(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Seed: utrasd ESTABLISHED ima-limpia (Box 3); as ADVOCATES_TO its target would be a
    # social enterprise.
    tie = next(r for r in seed.relationships if r.id == "utrasd-established-ima-limpia")
    sent = {**tie.model_dump(mode="json"), "type": "ADVOCATES_TO"}
    body = refused(
        client,
        "PUT",
        "/api/relationships/utrasd-established-ima-limpia",
        422,
        keys.auth("editor"),
        json=sent,
    ).json()
    assert [e["field"] for e in body["errors"]] == ["target"]


def test_patch_retyping_an_advocacy_target_breaks_its_ties(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Seed: kenyan-senate is a public_body that niscof and cotu-k advocate to (Box 6: they
    # presented "options to the Kenyan Senate"). As an ngo it could no longer be an
    # ADVOCATES_TO target, so each of those ties is named.
    advocacy = sorted(
        r.id for r in seed.relationships if r.type == "ADVOCATES_TO" and r.target == "kenyan-senate"
    )
    assert advocacy, "the seed has advocacy towards the Kenyan Senate"
    body = refused(
        client,
        "PATCH",
        "/api/organizations/kenyan-senate",
        422,
        keys.auth("editor"),
        json={"type": "ngo", "movement": "enabler"},
    ).json()
    named = sorted(e["record"] for e in body["errors"])
    assert named == [f"relationship '{i}'" for i in advocacy]
    assert all(e["field"] == "target" for e in body["errors"])


# --- refusals: ids ---------------------------------------------------------------------------


def test_put_organization_with_a_different_body_id_is_refused(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    utrasd = next(o for o in seed.organizations if o.id == "utrasd")
    sent = {**utrasd.model_dump(mode="json"), "id": "utrasd-renamed"}
    body = refused(
        client, "PUT", "/api/organizations/utrasd", 422, keys.auth("editor"), json=sent
    ).json()
    [error] = body["errors"]
    assert error["field"] == "id" and "utrasd-renamed" in error["message"]


def test_patch_organization_id_is_refused(client: TestClient, keys: Keys) -> None:
    body = refused(
        client,
        "PATCH",
        "/api/organizations/utrasd",
        422,
        keys.auth("editor"),
        json={"id": "utrasd-renamed"},
    ).json()
    [error] = body["errors"]
    assert error["field"] == "id" and "utrasd-renamed" in error["message"]


def test_put_relationship_with_a_different_body_id_is_refused(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-enables-ima-limpia")
    sent = {**tie.model_dump(mode="json"), "id": "utrasd-helps-ima-limpia"}
    body = refused(
        client,
        "PUT",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json=sent,
    ).json()
    [error] = body["errors"]
    assert error["field"] == "id" and "utrasd-helps-ima-limpia" in error["message"]


def test_patch_relationship_id_is_refused(client: TestClient, keys: Keys) -> None:
    body = refused(
        client,
        "PATCH",
        "/api/relationships/utrasd-enables-ima-limpia",
        422,
        keys.auth("editor"),
        json={"id": "utrasd-helps-ima-limpia"},
    ).json()
    assert body["errors"][0]["field"] == "id"


def test_post_organization_with_a_taken_id_conflicts(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Seed: utrasd exists; the body differs from it, so nothing may be overwritten either.
    sent = new_org("utrasd", name="Another Union")
    body = refused(client, "POST", "/api/organizations", 409, keys.auth("editor"), json=sent).json()
    assert "utrasd" in body["detail"]
    assert client.get("/api/organizations/utrasd").json()["name"] == next(
        o.name for o in seed.organizations if o.id == "utrasd"
    )


def test_post_relationship_with_a_taken_id_conflicts(client: TestClient, keys: Keys) -> None:
    # Seed: utrasd-established-ima-limpia exists (Box 3); this body ties other organisations.
    sent = new_rel("utrasd-established-ima-limpia", "ENABLES", "care-lac", "utrasd")
    body = refused(client, "POST", "/api/relationships", 409, keys.auth("editor"), json=sent).json()
    assert "utrasd-established-ima-limpia" in body["detail"]


# --- refusals: missing records -----------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_writes_to_a_missing_organization_are_not_found(
    client: TestClient, keys: Keys, method: str
) -> None:
    sent = {"json": new_org("no-such-org")} if method == "PUT" else {}
    if method == "PATCH":
        sent = {"json": {"founded": 2000}}
    body = refused(
        client, method, "/api/organizations/no-such-org", 404, keys.auth("editor"), **sent
    ).json()
    assert "no-such-org" in body["detail"]


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_writes_to_a_missing_relationship_are_not_found(
    client: TestClient, keys: Keys, method: str
) -> None:
    sent: dict[str, Any] = {}
    if method == "PUT":
        sent = {"json": new_rel("no-such-tie", "ENABLES", "care-lac", "utrasd")}
    elif method == "PATCH":
        sent = {"json": {"since": 2000}}
    body = refused(
        client, method, "/api/relationships/no-such-tie", 404, keys.auth("editor"), **sent
    ).json()
    assert "no-such-tie" in body["detail"]


# --- refusals: bodies that are not JSON -----------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/api/organizations"),
        ("PUT", "/api/organizations/utrasd"),
        ("PATCH", "/api/organizations/utrasd"),
        ("POST", "/api/relationships"),
        ("PUT", "/api/relationships/utrasd-enables-ima-limpia"),
        ("PATCH", "/api/relationships/utrasd-enables-ima-limpia"),
    ],
)
def test_a_body_that_is_not_json_is_a_bad_request(
    client: TestClient, keys: Keys, method: str, url: str
) -> None:
    # problems.py documents 400 "The request body could not be read as JSON" for every route.
    headers = {**keys.auth("editor"), "Content-Type": "application/json"}
    body = refused(client, method, url, 400, headers, content=b'{"founded": 1990,').json()
    assert "JSON" in body["detail"]


# --- refusals: stale If-Match ------------------------------------------------------------------


def _stale_org_etag(client: TestClient, keys: Keys, org_id: str) -> str:
    """An ETag ``org_id`` had before an edit made here (the new founded year is arbitrary)."""
    old = current_etag(client, f"/api/organizations/{org_id}")
    changed = client.patch(
        f"/api/organizations/{org_id}", json={"founded": 1999}, headers=keys.auth("editor")
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != old
    return old


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_stale_if_match_on_an_organization_is_412_with_the_current_etag(
    client: TestClient, keys: Keys, seed: Document, method: str
) -> None:
    org_id = untied_seed_org(seed)  # no ties, so a DELETE could only fail on the ETag
    stale = _stale_org_etag(client, keys, org_id)
    now = current_etag(client, f"/api/organizations/{org_id}")
    record = client.get(f"/api/organizations/{org_id}").json()
    record.pop("relationships")
    sent: dict[str, Any] = {}
    if method == "PUT":
        sent = {"json": {**record, "name": "Renamed"}}
    elif method == "PATCH":
        sent = {"json": {"name": "Renamed"}}
    headers = {**keys.auth("editor"), "If-Match": stale}
    response = refused(client, method, f"/api/organizations/{org_id}", 412, headers, **sent)
    assert response.headers["etag"] == now, "the 412 carries the ETag stored now"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_stale_if_match_on_a_relationship_is_412_with_the_current_etag(
    client: TestClient, keys: Keys, method: str
) -> None:
    url = "/api/relationships/utrasd-enables-ima-limpia"
    stale = current_etag(client, url)
    # Seed: this tie has since 2021 (Box 3); 2022 makes a new version.
    edited = client.patch(url, json={"since": 2022}, headers=keys.auth("editor"))
    assert edited.status_code == 200, edited.text
    now = edited.headers["etag"]
    assert now == current_etag(client, url) != stale
    record = client.get(url).json()
    sent: dict[str, Any] = {}
    if method == "PUT":
        sent = {"json": {**record, "since": 2020}}
    elif method == "PATCH":
        sent = {"json": {"since": 2020}}
    headers = {**keys.auth("editor"), "If-Match": stale}
    response = refused(client, method, url, 412, headers, **sent)
    assert response.headers["etag"] == now, "the 412 carries the ETag stored now"


def test_if_match_listing_the_current_etag_among_others_succeeds(
    client: TestClient, keys: Keys
) -> None:
    # RFC 9110, section 13.1.1: If-Match is a list of entity tags, and the condition holds
    # when any of them matches the current one. '"0000"' is a tag utrasd never has.
    current = current_etag(client, "/api/organizations/utrasd")
    patched = client.patch(
        "/api/organizations/utrasd",
        json={"founded": 1985},
        headers={**keys.auth("editor"), "If-Match": f'"0000", {current}'},
    )
    assert patched.status_code == 200, patched.text
    assert client.get("/api/organizations/utrasd").json()["founded"] == 1985


# --- refusals: deletes that would leave ties -----------------------------------------------


def test_delete_of_an_organization_with_ties_conflicts_and_names_them(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    ties = ties_of(seed, "utrasd")  # Box 3: utrasd ESTABLISHED and ENABLES ima-limpia
    assert ties
    body = refused(client, "DELETE", "/api/organizations/utrasd", 409, keys.auth("editor")).json()
    assert all(tie in body["detail"] for tie in ties)
    assert f"{len(ties)} relationship" in body["detail"]


def test_cascade_delete_with_an_editor_key_is_forbidden(client: TestClient, keys: Keys) -> None:
    body = refused(
        client,
        "DELETE",
        "/api/organizations/utrasd",
        403,
        keys.auth("editor"),
        params={"cascade": "true"},
    ).json()
    assert "admin" in body["detail"]


# --- happy paths -------------------------------------------------------------------------------


def test_create_then_get_returns_the_record_with_the_same_etag(
    client: TestClient, keys: Keys
) -> None:
    sent = new_org(
        "coop-limpieza-cali",
        name="Cooperativa de Limpieza de Cali",
        aliases=["CLC"],
        sectors=["domestic_work", "care_work"],
        founded=2022,
        status="emerging",
        description="A cooperative of domestic workers, made up for this test.",
        identifiers=["CO-NIT-900000001"],
        sources=[
            SOURCE,
            {"citation": "Second source", "locator": "p. 2", "url": "https://example.org/clc"},
        ],
    )
    created = client.post("/api/organizations", json=sent, headers=keys.auth("editor"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/organizations/coop-limpieza-cali"
    # The second source leaves out basis, quote, reason, year and fields: the model's defaults
    # (stated, none, none, none, no fields) fill them, as for any client that predates them.
    expected = Organization.model_validate(sent).model_dump(mode="json")
    assert expected["sources"][1] == {
        **sent["sources"][1],
        "basis": "stated",
        "quote": None,
        "reason": None,
        "year": None,
        "fields": [],
    }
    assert created.json() == {**created.json(), **expected}, "the answer is the record sent"
    read = client.get(created.headers["location"])
    assert read.status_code == 200
    assert read.headers["etag"] == created.headers["etag"]
    detail = read.json()
    assert detail.pop("relationships") == []
    assert detail == created.json()


def test_create_relationship_then_get_returns_the_same_etag(client: TestClient, keys: Keys) -> None:
    # ENABLES from care-lac (ngo) to utrasd (trade_union): both ends allowed by the ENABLES rule.
    sent = new_rel(
        "care-lac-enables-utrasd",
        "ENABLES",
        "care-lac",
        "utrasd",
        mechanisms=["training", "finance"],
        since=2022,
        level="meso",
        activities=["Leadership school"],
    )
    created = client.post("/api/relationships", json=sent, headers=keys.auth("editor"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/relationships/care-lac-enables-utrasd"
    read = client.get(created.headers["location"])
    assert read.headers["etag"] == created.headers["etag"]
    assert read.json() == created.json() == {**created.json(), **sent}
    ties = client.get("/api/organizations/utrasd").json()["relationships"]
    assert "care-lac-enables-utrasd" in [t["id"] for t in ties]


def test_patch_with_the_right_if_match_returns_200_and_a_new_etag(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    before = current_etag(client, "/api/organizations/utrasd")
    patched = client.patch(
        "/api/organizations/utrasd",
        json={"founded": 1985},
        headers={**keys.auth("editor"), "If-Match": before},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["founded"] == 1985
    assert patched.headers["etag"] != before
    assert patched.headers["etag"] == current_etag(client, "/api/organizations/utrasd")
    # Every field the patch did not name keeps its seed value.
    utrasd = next(o for o in seed.organizations if o.id == "utrasd").model_dump(mode="json")
    assert patched.json() == {**utrasd, "founded": 1985}


def test_patch_with_null_clears_an_optional_field(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Seed: IMA Limpia was founded in 2021 and has a description (Box 3).
    ima = next(o for o in seed.organizations if o.id == "ima-limpia")
    assert ima.founded == 2021 and ima.description
    patched = client.patch(
        "/api/organizations/ima-limpia",
        json={"founded": None, "description": None, "aliases": ["IMA"]},
        headers=keys.auth("editor"),
    )
    assert patched.status_code == 200, patched.text
    stored = client.get("/api/organizations/ima-limpia").json()
    assert stored["founded"] is None and stored["description"] is None
    assert stored["aliases"] == ["IMA"]
    assert stored["name"] == ima.name, "a field the patch does not name stays"


def test_patch_with_null_clears_an_optional_relationship_field(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-established-ima-limpia")
    assert tie.since is not None, "Box 3: the seed dates UTRASD's founding of IMA Limpia"
    patched = client.patch(
        f"/api/relationships/{tie.id}", json={"since": None}, headers=keys.auth("editor")
    )
    assert patched.status_code == 200, patched.text
    assert client.get(f"/api/relationships/{tie.id}").json() == {
        **tie.model_dump(mode="json"),
        "since": None,
    }


def test_put_replaces_an_organization_whole(client: TestClient, keys: Keys) -> None:
    # Every optional field of the seed's utrasd is left out, so PUT must drop them.
    sent = new_org(
        "utrasd",
        name="Unión de Trabajadoras del Servicio Doméstico",
        type="trade_union",
        movement="labour",
        sectors=["domestic_work"],
    )
    etag = current_etag(client, "/api/organizations/utrasd")
    replaced = client.put(
        "/api/organizations/utrasd", json=sent, headers={**keys.auth("editor"), "If-Match": etag}
    )
    assert replaced.status_code == 200, replaced.text
    read = client.get("/api/organizations/utrasd")
    detail = read.json()
    detail.pop("relationships")
    assert detail == {**detail, **sent}
    assert detail["aliases"] == [] and detail["description"] is None
    assert read.headers["etag"] == replaced.headers["etag"]


def test_put_replaces_a_relationship(client: TestClient, keys: Keys, seed: Document) -> None:
    tie = next(r for r in seed.relationships if r.id == "utrasd-enables-ima-limpia")
    sent = new_rel(tie.id, "ENABLES", "utrasd", "ima-limpia", mode="indirect", mechanisms=["legal"])
    replaced = client.put(f"/api/relationships/{tie.id}", json=sent, headers=keys.auth("editor"))
    assert replaced.status_code == 200, replaced.text
    assert client.get(f"/api/relationships/{tie.id}").json() == {**replaced.json(), **sent}


def test_delete_relationship_then_it_is_gone(client: TestClient, keys: Keys) -> None:
    url = "/api/relationships/utrasd-enables-ima-limpia"
    etag = current_etag(client, url)
    deleted = client.delete(url, headers={**keys.auth("editor"), "If-Match": etag})
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(url).status_code == 404
    assert client.delete(url, headers=keys.auth("editor")).status_code == 404


def test_delete_of_an_untied_organization_needs_only_an_editor(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    org_id = untied_seed_org(seed)
    deleted = client.delete(f"/api/organizations/{org_id}", headers=keys.auth("editor"))
    assert deleted.status_code == 204, deleted.text
    assert client.get(f"/api/organizations/{org_id}").status_code == 404
    exported = client.get("/api/export").json()
    assert len(exported["organizations"]) == len(seed.organizations) - 1


def test_cascade_delete_as_admin_deletes_the_ties_too(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Box 6: NISCOF has ties to KENASVIT, its SACCO, COTU-K and several public bodies.
    ties = ties_of(seed, "niscof")
    assert len(ties) > 1
    before_trail = graph_state(client)[1]
    deleted = client.delete(
        "/api/organizations/niscof", params={"cascade": "true"}, headers=keys.auth("admin")
    )
    assert deleted.status_code == 204, deleted.text
    assert client.get("/api/organizations/niscof").status_code == 404
    for tie in ties:
        assert client.get(f"/api/relationships/{tie}").status_code == 404, tie
    exported = client.get("/api/export").json()
    assert len(exported["organizations"]) == len(seed.organizations) - 1
    assert len(exported["relationships"]) == len(seed.relationships) - len(ties)
    kept = {r.id for r in seed.relationships} - set(ties)
    assert {r["id"] for r in exported["relationships"]} == kept
    assert graph_state(client)[1] == before_trail + 1 + len(ties), "one entry per record"


@pytest.mark.parametrize("amount", [125000.5, 25000, 0])
def test_funds_details_round_trip(client: TestClient, keys: Keys, amount: float) -> None:
    # FUNDS from osf (funder) to kenasvit (informal workers' organisation): allowed by the rule;
    # amount, currency, awarded, programme and reference are FUNDS fields (relationship_fields).
    sent = new_rel(
        "osf-funds-kenasvit",
        "FUNDS",
        "osf",
        "kenasvit",
        mechanisms=["finance"],
        amount=amount,
        currency="USD",
        awarded="2023-06-30",
        programme="Informal Workers Fund",
        reference="360G-osf-2023-0042",
        since=2023,
        until=2025,
        status="planned",
    )
    created = client.post("/api/relationships", json=sent, headers=keys.auth("editor"))
    assert created.status_code == 201, created.text
    read = client.get("/api/relationships/osf-funds-kenasvit")
    assert read.json() == {**read.json(), **sent}
    assert read.headers["etag"] == created.headers["etag"]
    exported = client.get("/api/export").json()["relationships"]
    assert next(r for r in exported if r["id"] == "osf-funds-kenasvit") == read.json()


def test_a_patch_that_changes_nothing_writes_nothing(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    ima = next(o for o in seed.organizations if o.id == "ima-limpia")
    before = graph_state(client)
    etag = current_etag(client, "/api/organizations/ima-limpia")
    same = client.patch(
        "/api/organizations/ima-limpia",
        json={"founded": ima.founded},
        headers=keys.auth("editor"),
    )
    assert same.status_code == 200, same.text
    assert same.headers["etag"] == etag
    assert graph_state(client) == before


# --- concurrency: no lost update ---------------------------------------------------------------


def test_two_patches_with_one_if_match_second_is_412_first_survives(
    client: TestClient, keys: Keys
) -> None:
    url = "/api/organizations/utrasd"
    read = current_etag(client, url)
    headers = {**keys.auth("editor"), "If-Match": read}
    first = client.patch(url, json={"founded": 1960}, headers=headers)
    assert first.status_code == 200, first.text
    second = client.patch(url, json={"founded": 1970}, headers=headers)
    assert second.status_code == 412, second.text
    assert second.headers["etag"] == first.headers["etag"]
    assert client.get(url).json()["founded"] == 1960, "the first writer's change survives"


def test_concurrent_patches_with_one_if_match_let_exactly_one_win(
    client: TestClient, keys: Keys
) -> None:
    url = "/api/organizations/ima-limpia"
    headers = {**keys.auth("editor"), "If-Match": current_etag(client, url)}
    years = list(range(1990, 1998))  # one founded year per writer, each different
    statuses: dict[int, int] = {}
    start = threading.Barrier(len(years))

    def write(year: int) -> None:
        start.wait()
        statuses[year] = client.patch(url, json={"founded": year}, headers=headers).status_code

    threads = [threading.Thread(target=write, args=(year,)) for year in years]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [year for year, status in statuses.items() if status == 200]
    assert len(winners) == 1, statuses
    assert sorted(statuses.values()) == [200] + [412] * (len(years) - 1)
    assert client.get(url).json()["founded"] == winners[0]
    history = client.get("/api/organizations/ima-limpia/history").json()
    assert history["items"][-1]["after"]["founded"] == winners[0]
    assert [e["change"] for e in history["items"]].count("updated") == 1


def test_concurrent_patches_without_if_match_all_apply(client: TestClient, keys: Keys) -> None:
    # Without If-Match each patch applies to the latest version (records.patch re-reads and
    # retries), so patches of different fields must all land and none may answer 412.
    url = "/api/organizations/ima-limpia"
    patches: list[dict[str, Any]] = [
        {"founded": 2020},
        {"description": "Patched concurrently."},
        {"aliases": ["IMA"]},
        {"identifiers": ["CO-NIT-1"]},
        {"status": "emerging"},
        {"countries": ["CO", "PE"]},
    ]
    statuses: list[int] = []
    start = threading.Barrier(len(patches))

    def write(fields: dict[str, Any]) -> None:
        start.wait()
        statuses.append(client.patch(url, json=fields, headers=keys.auth("editor")).status_code)

    threads = [threading.Thread(target=write, args=(fields,)) for fields in patches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * len(patches)
    stored = client.get(url).json()
    for fields in patches:
        assert stored == {**stored, **fields}, fields
