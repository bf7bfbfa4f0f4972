"""The editing pages' server half (issue 21, point 2): who gets a form, and what the form is
built from. Expected fields come from the models themselves (``Organization.model_fields``),
choices from the vocabulary, the ETag and record from the read API, and the CSRF token from
``/api/session``: each an independent source of what the page must carry."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.domain.models import Organization, Relationship, Source
from app.domain.vocabulary import vocabulary
from tests.api.conftest import Keys
from tests.api.test_sessions import csrf, sign_in

DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.S)
PAGES = ["/new/organization", "/organizations/utrasd/edit", "/new/relationship",
         "/relationships/utrasd-enables-ima-limpia/edit"]  # fmt: skip


def data_of(html: str) -> Any:
    found = DATA.search(html)
    assert found is not None, html
    return json.loads(found[1])


@pytest.mark.parametrize("path", PAGES)
def test_without_a_session_the_page_asks_to_sign_in(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert 'href="/sign-in?next=' in page.text
    assert 'id="form-root"' not in page.text
    assert data_of(page.text) == {}


def test_a_readers_session_is_told_it_may_not_edit(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["reader"])
    page = client.get("/new/organization")
    assert "may read but not edit" in page.text
    assert data_of(page.text) == {}


def test_an_editor_gets_the_organisation_form_as_stored(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["editor"])
    page = client.get("/organizations/utrasd/edit")
    data = data_of(page.text)
    read = client.get("/api/organizations/utrasd")
    assert data["etag"] == read.headers["etag"].strip('"')
    stored = {k: v for k, v in read.json().items() if k in Organization.model_fields}
    assert data["record"] == stored
    assert data["csrf"] == csrf(client)
    assert (data["kind"], data["role"]) == ("organization", "editor")
    assert {f["name"] for f in data["fields"]} == set(Organization.model_fields) - {"sources"}
    assert {f["name"] for f in data["source_fields"]} == set(Source.model_fields)
    choices = {f["name"]: [c["key"] for c in f.get("choices", [])] for f in data["fields"]}
    vocab = vocabulary()
    assert choices["type"] == list(vocab.organization_types)
    assert choices["movement"] == list(vocab.movements)
    assert sorted(choices["countries"]) == sorted(vocab.countries)
    definitions = {c["key"]: c["definition"] for c in data["fields"][3]["choices"]}
    assert definitions["trade_union"] == vocab.organization_types["trade_union"].definition


def test_the_organisation_form_names_what_a_delete_would_take(
    client: TestClient, keys: Keys
) -> None:
    sign_in(client, keys.tokens["admin"])
    data = data_of(client.get("/organizations/utrasd/edit").text)
    listed = {
        tie["id"]
        for end in ("source", "target")
        for tie in client.get(f"/api/relationships?{end}=utrasd&limit=200").json()["items"]
    }
    assert {tie["id"] for tie in data["attached"]} == listed
    assert data["attached_total"] == len(listed)
    words = {tie["id"]: tie["words"] for tie in data["attached"]}
    assert words["utrasd-enables-ima-limpia"].endswith(" enables IMA Limpia")


def test_an_editor_gets_the_relationship_form(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["editor"])
    data = data_of(client.get("/new/relationship?source=utrasd").text)
    assert data["record"] == {"source": "utrasd"}
    assert data["etag"] is None
    assert {f["name"] for f in data["fields"]} == set(Relationship.model_fields) - {"sources"}
    only = {f["name"]: f["only_for"] for f in data["fields"] if "only_for" in f}
    expected = {name: sorted(types) for name, types in vocabulary().relationship_fields.items()}
    assert only == expected


def test_unknown_records_and_bad_ends_are_refused(client: TestClient, keys: Keys) -> None:
    sign_in(client, keys.tokens["editor"])
    assert client.get("/organizations/nobody-here/edit").status_code == 404
    assert client.get("/relationships/no-such-tie/edit").status_code == 404
    refused = client.get("/new/relationship?source=Not%20A%20Slug")
    assert refused.status_code == 422
