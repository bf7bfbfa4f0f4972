"""Likely duplicates and merging them over HTTP, on both backends.

Each test makes a duplicate of a seed organisation (``seed_data/ecosystem.yaml``: IMA Limpia
and Fundación Bien Humano from Box 3 of the ILO brief), finds it through
``GET /api/duplicates`` and merges it with ``POST /api/organizations/{id}/merge?into=``.
What a merge must do is the rule of ``app/curation/merge.py``: the kept organisation learns the
dropped one's names (unless the same once folded), identifiers and sources; the dropped one's
ties move onto the kept one; a tie between the two is deleted; a moved tie that repeats one of
the kept organisation's is folded into it.
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from app.domain.models import Document, Relationship, Source
from tests.api.conftest import Keys, graph_state

PROBLEM = "application/problem+json"
SOURCE = {
    "citation": "Merge API test",
    "locator": "tests/api/test_merge_api.py",
    "url": "https://example.org/merge-api-test",
}
STORED_SOURCE = Source.model_validate(SOURCE).model_dump(mode="json")
"""SOURCE as it is read back: the parts it leaves out (basis, quote, ...) at their defaults."""
DUPLICATE: dict[str, Any] = {
    "id": "ima-limpia-colombia",
    "name": "Imá Limpia",  # the seed's "IMA Limpia" with other case and an accent
    "aliases": ["IMA Limpia Colombia"],
    "type": "social_enterprise",
    "movement": "sse",
    "countries": ["CO"],
    "identifiers": ["CO-NIT-901234567"],
    "sources": [SOURCE],
}
KEEP = "ima-limpia"
DROP = DUPLICATE["id"]


def seed_org(seed: Document, org_id: str) -> dict[str, Any]:
    """The seed's record of ``org_id`` as JSON."""
    return next(o for o in seed.organizations if o.id == org_id).model_dump(mode="json")


def seed_rel(seed: Document, rel_id: str) -> dict[str, Any]:
    """The seed's record of relationship ``rel_id`` as JSON."""
    return next(r for r in seed.relationships if r.id == rel_id).model_dump(mode="json")


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The JSON body of a response that must have ``status``."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json() if response.content else {}
    return body


def pairs(client: TestClient) -> dict[tuple[str, str], list[str]]:
    """Every likely duplicate pair (first id, second id) with its reasons."""
    page = ok(client.get("/api/duplicates", params={"limit": 500}))
    return {(p["first"]["id"], p["second"]["id"]): p["reasons"] for p in page["items"]}


def etag_of(client: TestClient, org_id: str) -> str:
    response = client.get(f"/api/organizations/{org_id}")
    assert response.status_code == 200, response.text
    tag: str = response.headers["etag"]
    return tag


def test_duplicates_list_a_name_that_differs_only_in_case_and_accents(
    client: TestClient, keys: Keys
) -> None:
    assert (KEEP, DROP) not in pairs(client)
    ok(client.post("/api/organizations", json=DUPLICATE, headers=keys.auth("editor")), 201)
    found = pairs(client)
    # "IMA Limpia" and "Imá Limpia" both normalise to "ima limpia" (app/analysis/duplicates.py).
    assert found[(KEEP, DROP)] == ["same name or alias after normalising: 'ima limpia'"]
    page = ok(client.get("/api/duplicates", params={"limit": 500}))["items"]
    item = next(p for p in page if (p["first"]["id"], p["second"]["id"]) == (KEEP, DROP))
    assert item["second"] == {"id": DROP, "name": DUPLICATE["name"], "type": "social_enterprise"}


def test_duplicates_list_an_acronym_of_a_seed_name(client: TestClient, keys: Keys) -> None:
    # Box 3: Fundación Bien Humano (Colombia); its initials are F, B, H. An acronym counts
    # only with common ground, here the country (issue 16: ESC vs Evesham Sea Cadets).
    acronym = {
        "id": "fbh",
        "name": "FBH",
        "type": "foundation",
        "movement": "enabler",
        "countries": ["CO"],
        "sources": [SOURCE],
    }
    ok(client.post("/api/organizations", json=acronym, headers=keys.auth("editor")), 201)
    assert pairs(client)[("fbh", "fundacion-bien-humano")] == [
        "'FBH' is the acronym of 'Fundación Bien Humano'; both in CO"
    ]


def test_merge_moves_ties_and_names_and_both_histories_show_it(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    editor = keys.auth("editor")
    ok(client.post("/api/organizations", json=DUPLICATE, headers=editor), 201)
    # Move a seed tie onto the duplicate (Box 3: CARE LAC enabled IMA Limpia) ...
    moved = "care-lac-enables-ima-limpia"
    ok(client.patch(f"/api/relationships/{moved}", json={"target": DROP}, headers=editor))
    # ... give it a tie of its own (AFD, a development agency, may fund a social enterprise) ...
    grant = {
        "id": "afd-funds-ima-limpia-colombia",
        "type": "FUNDS",
        "source": "afd",
        "target": DROP,
        "amount": 50000.0,
        "currency": "EUR",
        "sources": [SOURCE],
    }
    ok(client.post("/api/relationships", json=grant, headers=editor), 201)
    # ... and a tie between the two, which a merge would turn into a loop.
    loop = {
        "id": "ima-limpia-partners-with-ima-limpia-colombia",
        "type": "PARTNERS_WITH",
        "source": KEEP,
        "target": DROP,
        "sources": [SOURCE],
    }
    ok(client.post("/api/relationships", json=loop, headers=editor), 201)

    merged = client.post(
        f"/api/organizations/{DROP}/merge",
        params={"into": KEEP},
        headers={**editor, "If-Match": etag_of(client, DROP)},
    )
    kept = ok(merged)
    assert merged.headers["etag"] == etag_of(client, KEEP)

    assert client.get(f"/api/organizations/{DROP}").status_code == 404
    assert client.get(f"/api/relationships/{loop['id']}").status_code == 404
    assert ok(client.get(f"/api/relationships/{moved}")) == seed_rel(seed, moved)
    stored_grant = ok(client.get(f"/api/relationships/{grant['id']}"))
    assert stored_grant == Relationship.model_validate({**grant, "target": KEEP}).model_dump(
        mode="json"
    )
    exported = ok(client.get("/api/export"))
    assert all(DROP not in (r["source"], r["target"]) for r in exported["relationships"])
    assert len(exported["organizations"]) == len(seed.organizations)

    # The kept record: its own name, plus the names, identifiers and sources of the dropped one
    # ("Imá Limpia" is left out: folded, it is the kept name).
    seed_keep = seed_org(seed, KEEP)
    detail = ok(client.get(f"/api/organizations/{KEEP}"))
    assert detail.pop("relationships") and detail == kept, "the answer is what is stored"
    assert kept["name"] == seed_keep["name"]
    assert kept["aliases"] == [*seed_keep["aliases"], "IMA Limpia Colombia"]
    assert kept["identifiers"] == [*seed_keep["identifiers"], "CO-NIT-901234567"]
    assert kept["sources"] == [*seed_keep["sources"], STORED_SOURCE]
    assert (KEEP, DROP) not in pairs(client)

    reader = keys.auth("reader")
    dropped_history = ok(client.get(f"/api/organizations/{DROP}/history", headers=reader))["items"]
    kept_history = ok(client.get(f"/api/organizations/{KEEP}/history", headers=reader))["items"]
    assert dropped_history[-1]["change"] == "deleted"
    assert kept_history[-1]["change"] == "updated"
    for entry in (dropped_history[-1], kept_history[-1]):
        assert "merge" in entry["action"], entry
        assert entry["actor"] == keys.names["editor"]
    assert kept_history[-1]["after"] == kept
    moved_trail = ok(client.get("/api/changes", params={"entity": "relationship", "id": moved}))[
        "items"
    ]
    assert "merge" in moved_trail[-1]["action"]
    assert moved_trail[-1]["after"]["target"] == KEEP


def test_merge_folds_a_moved_tie_that_repeats_one_of_the_kept_ones(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    # Box 3: utrasd ESTABLISHED ima-limpia in 2021. The same tie to the duplicate, with a new
    # source and nothing contradicting it, is folded into the seed tie.
    editor = keys.auth("editor")
    established = seed_rel(seed, "utrasd-established-ima-limpia")
    ok(client.post("/api/organizations", json=DUPLICATE, headers=editor), 201)
    repeat = {
        "id": "utrasd-established-ima-limpia-colombia",
        "type": "ESTABLISHED",
        "source": "utrasd",
        "target": DROP,
        "since": established["since"],
        "sources": [SOURCE],
    }
    ok(client.post("/api/relationships", json=repeat, headers=editor), 201)
    ok(client.post(f"/api/organizations/{DROP}/merge", params={"into": KEEP}, headers=editor))
    assert client.get(f"/api/relationships/{repeat['id']}").status_code == 404
    survivor = ok(client.get("/api/relationships/utrasd-established-ima-limpia"))
    assert survivor == {**established, "sources": [*established["sources"], STORED_SOURCE]}


def test_merge_of_an_acronym_without_if_match(
    client: TestClient, keys: Keys, seed: Document
) -> None:
    acronym = {
        "id": "fbh",
        "name": "FBH",
        "type": "foundation",
        "movement": "enabler",
        "sources": [SOURCE],
    }
    editor = keys.auth("editor")
    ok(client.post("/api/organizations", json=acronym, headers=editor), 201)
    kept = ok(
        client.post(
            "/api/organizations/fbh/merge", params={"into": "fundacion-bien-humano"}, headers=editor
        )
    )
    seed_keep = seed_org(seed, "fundacion-bien-humano")
    assert kept["aliases"] == [*seed_keep["aliases"], "FBH"]
    assert client.get("/api/organizations/fbh").status_code == 404


def test_merge_with_a_stale_if_match_is_412_and_changes_nothing(
    client: TestClient, keys: Keys
) -> None:
    editor = keys.auth("editor")
    ok(client.post("/api/organizations", json=DUPLICATE, headers=editor), 201)
    stale = etag_of(client, DROP)
    ok(client.patch(f"/api/organizations/{DROP}", json={"founded": 2021}, headers=editor))
    current = etag_of(client, DROP)
    before = graph_state(client)
    response = client.post(
        f"/api/organizations/{DROP}/merge",
        params={"into": KEEP},
        headers={**editor, "If-Match": stale},
    )
    assert response.status_code == 412, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["etag"] == current
    assert graph_state(client) == before
    assert ok(client.get(f"/api/organizations/{DROP}"))["founded"] == 2021


def test_merge_into_itself_is_422_and_changes_nothing(client: TestClient, keys: Keys) -> None:
    before = graph_state(client)
    response = client.post(
        f"/api/organizations/{KEEP}/merge", params={"into": KEEP}, headers=keys.auth("editor")
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert "itself" in response.json()["detail"]
    assert graph_state(client) == before


def test_merge_with_an_unknown_organisation_is_404_and_changes_nothing(
    client: TestClient, keys: Keys
) -> None:
    before = graph_state(client)
    editor = keys.auth("editor")
    into_unknown = client.post(
        f"/api/organizations/{KEEP}/merge", params={"into": "no-such-org"}, headers=editor
    )
    assert into_unknown.status_code == 404 and "no-such-org" in into_unknown.json()["detail"]
    unknown = client.post(
        "/api/organizations/no-such-org/merge", params={"into": KEEP}, headers=editor
    )
    assert unknown.status_code == 404 and "no-such-org" in unknown.json()["detail"]
    assert graph_state(client) == before


def test_merge_that_would_break_a_type_rule_is_422_and_changes_nothing(
    client: TestClient, keys: Keys
) -> None:
    # vocabulary.yaml, ADVOCATES_TO: target [public_bodies, international_institution]. A public
    # body that unions advocate to cannot be merged into a cooperative (seed: swach, Pune).
    editor = keys.auth("editor")
    body = {
        "id": "pune-council",
        "name": "Pune Council",
        "type": "public_body",
        "movement": "public",
        "sources": [SOURCE],
    }
    ok(client.post("/api/organizations", json=body, headers=editor), 201)
    tie = {
        "id": "kkpkp-advocates-to-pune-council",
        "type": "ADVOCATES_TO",
        "source": "kkpkp",
        "target": "pune-council",
        "sources": [SOURCE],
    }
    ok(client.post("/api/relationships", json=tie, headers=editor), 201)
    before = graph_state(client)
    response = client.post(
        "/api/organizations/pune-council/merge", params={"into": "swach"}, headers=editor
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["target"]
    assert graph_state(client) == before


def test_merge_needs_an_editor(client: TestClient, keys: Keys) -> None:
    ok(client.post("/api/organizations", json=DUPLICATE, headers=keys.auth("editor")), 201)
    before = graph_state(client)
    response = client.post(
        f"/api/organizations/{DROP}/merge", params={"into": KEEP}, headers=keys.auth("reader")
    )
    assert response.status_code == 403, response.text
    assert graph_state(client) == before
