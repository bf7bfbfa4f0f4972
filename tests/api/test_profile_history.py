"""An organisation's profile lists its record's latest changes, field by field.

Expected values follow from the edits each test makes to the seed (UTRASD's name and countries
as the brief gives them: "Unión de Trabajadoras del Servicio Doméstico", Colombia) and from
``app.api.actors``: a caller without a key sees an actor's role, one with a key its name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from app.domain.models import Document
from app.store.protocol import GraphStore
from tests.api.conftest import KEY_NAMES, Keys

DATA = re.compile(r'<script id="profile-data" type="application/json">(.*?)</script>', re.S)


def history(client: TestClient, organization_id: str, **headers: str) -> dict[str, Any]:
    page = client.get(f"/organizations/{organization_id}", headers=headers)
    assert page.status_code == 200, page.text
    found = DATA.search(page.text)
    assert found is not None
    shown: dict[str, Any] = json.loads(found[1])["history"]
    return shown


def edit(client: TestClient, keys: Keys, organization_id: str, **fields: object) -> None:
    url = f"/api/organizations/{organization_id}"
    tag = client.get(url).headers["etag"]
    done = client.patch(url, json=fields, headers={**keys.auth("editor"), "If-Match": tag})
    assert done.status_code == 200, done.text


def test_an_update_shows_each_changed_field_before_and_after(
    client: TestClient, keys: Keys
) -> None:
    edit(client, keys, "utrasd", name="UTRASD renamed", countries=["CO", "KE"])
    shown = history(client, "utrasd")
    newest = shown["items"][0]
    assert (newest["who"], newest["how"]) == ("editor", "updated")
    assert newest["fields"] == [
        {
            "field": "Name",
            "before": "Unión de Trabajadoras del Servicio Doméstico",
            "after": "UTRASD renamed",
        },
        {"field": "Countries", "before": "Colombia", "after": "Colombia, Kenya"},
    ]
    assert shown["items"][-1]["how"].startswith("created")
    assert shown["total"] == len(shown["items"]) == 2


def test_a_key_sees_who_by_name(client: TestClient, keys: Keys) -> None:
    edit(client, keys, "utrasd", founded=1990)
    newest = history(client, "utrasd", **keys.auth("reader"))["items"][0]
    assert newest["who"] == KEY_NAMES["editor"]
    assert newest["fields"] == [{"field": "Founded", "before": None, "after": "1990"}]


def test_free_text_keeps_its_capitals(client: TestClient, keys: Keys) -> None:
    # The seed gives UTRASD the aliases UTRASD and "Union of Domestic Service Workers".
    edit(client, keys, "utrasd", aliases=["UTRASD", "UTRASD Colombia"])
    assert history(client, "utrasd")["items"][0]["fields"] == [
        {
            "field": "Other names",
            "before": "UTRASD, Union of Domestic Service Workers",
            "after": "UTRASD, UTRASD Colombia",
        }
    ]


def test_only_the_latest_ten_are_listed_with_a_link_to_all(client: TestClient, keys: Keys) -> None:
    for year in range(1980, 1992):
        edit(client, keys, "utrasd", founded=year)
    shown = history(client, "utrasd")
    assert shown["total"] == 13, "created, then twelve updates"
    assert len(shown["items"]) == 10
    assert shown["items"][0]["fields"][0]["after"] == "1991"
    assert shown["all"] == "/api/organizations/utrasd/history"
    assert client.get(shown["all"]).json()["total"] == 13


def test_markup_in_a_changed_value_stays_data(client: TestClient, store: GraphStore) -> None:
    payload = "</script><script>alert(1)</script>"
    utrasd = store.get_organization("utrasd")
    store.load(Document(organizations=[utrasd.model_copy(update={"description": payload})]))
    page = client.get("/organizations/utrasd").text
    assert payload not in page, "inert JSON escapes the closing tag"
    newest = history(client, "utrasd")["items"][0]
    assert newest["fields"][0]["after"] == payload
