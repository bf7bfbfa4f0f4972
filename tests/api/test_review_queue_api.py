"""The review queue of name matches, over HTTP on both backends.

A 360Giving grant (written here) names "KENASVIT" and "CUT" with no identifier and no country:
the seed holds KENASVIT (Kenya) and CUT (Brazil) under those aliases, so each is a name match
that nothing confirms, and the import must queue it rather than merge.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from app.store.protocol import ChangeFilter, GraphStore
from tests.api.conftest import Keys


def package(*names: str) -> bytes:
    grants = [
        {
            "id": f"360G-REVIEW-{number}",
            "title": "Support for organising",
            "currency": "GBP",
            "amountAwarded": 5000,
            "awardDate": "2020-06-01",
            "recipientOrganization": [{"name": name}],
            "fundingOrganization": [{"id": "GB-CHC-200051", "name": "Esmée Fairbairn Foundation"}],
        }
        for number, name in enumerate(names, start=1)
    ]
    return json.dumps({"grants": grants}).encode("utf-8")


def post(client: TestClient, keys: Keys, data: bytes, name: str = "review.json") -> dict:  # type: ignore[type-arg]
    answer = client.post(f"/api/import?filename={name}", content=data, headers=keys.auth("editor"))
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_an_unconfirmed_name_match_waits_for_review_then_an_accept_merges(
    client: TestClient, keys: Keys, store: GraphStore
) -> None:
    result = post(client, keys, package("KENASVIT"))
    summary = result["importer"]["summary"]
    assert (summary["candidates"], summary["matched"], summary["created"]) == (1, 0, 2)
    import_id = result["import_id"]
    listed = client.get("/api/imports").json()
    assert [(i["id"], i["pending"]) for i in listed["items"]] == [(import_id, 1)]
    queue = client.get(f"/api/imports/{import_id}/candidates").json()
    [candidate] = queue["items"]
    assert [c["id"] for c in result["importer"]["candidates"]] == [candidate["id"]] == ["c1"]
    assert (candidate["stored"], candidate["status"]) == ("kenasvit", "pending")
    assert "the imported record states no country" in candidate["evidence_against"]
    imported = candidate["imported"]
    assert client.get(f"/api/organizations/{imported}").status_code == 200

    url = f"/api/imports/{import_id}/candidates/{candidate['id']}/accept"
    assert client.post(url, headers=keys.auth("reader")).status_code == 403
    accepted = client.post(url, headers=keys.auth("editor"))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["candidate"]["decided_by"] == keys.names["editor"]
    assert client.get(f"/api/organizations/{imported}").status_code == 404
    ties = client.get("/api/relationships", params={"target": "kenasvit", "type": "FUNDS"})
    assert "360G-REVIEW-1" in {rel["reference"] for rel in ties.json()["items"]}
    merges = store.changes(ChangeFilter(), 0, 200).items
    assert any(c.action == f"merge {imported} into kenasvit" for c in merges), "audited"
    again = client.post(url, headers=keys.auth("editor"))
    assert again.status_code == 409
    assert "accepted" in again.json()["detail"]

    same = post(client, keys, package("KENASVIT"))
    assert same["relationships"]["created"] == 0, "the merged grant is not added twice"
    assert same["organizations"]["created"] == 0
    second = post(client, keys, package("KENASVIT"), "review-again.json")
    assert second["importer"]["summary"]["candidates"] == 0, "the decision is remembered"
    assert ["KENASVIT", "kenasvit"] in [
        [m["imported"], m["id"]] for m in second["importer"]["matched"]
    ]


def test_a_rejected_match_keeps_two_organisations_and_is_not_asked_again(
    client: TestClient, keys: Keys
) -> None:
    result = post(client, keys, package("CUT"))
    import_id = result["import_id"]
    [candidate] = client.get(f"/api/imports/{import_id}/candidates").json()["items"]
    assert candidate["stored"] == "cut"
    url = f"/api/imports/{import_id}/candidates/{candidate['id']}/reject"
    rejected = client.post(url, headers=keys.auth("editor"))
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["organization"] is None
    assert client.get(f"/api/organizations/{candidate['imported']}").status_code == 200
    assert client.get("/api/organizations/cut").status_code == 200
    pending = client.get(f"/api/imports/{import_id}/candidates", params={"status": "pending"})
    assert pending.json()["total"] == 0
    second = post(client, keys, package("CUT"), "review-again.json")
    asked = [c["stored"] for c in second["importer"]["candidates"]]
    assert "cut" not in asked, "the seed's CUT is not offered again"
    assert asked == [candidate["imported"]], "the other file's CUT may still be this one"


def test_a_dry_run_shows_candidates_but_keeps_no_import(client: TestClient, keys: Keys) -> None:
    answer = client.post(
        "/api/import?filename=review.json&dry_run=true",
        content=package("KENASVIT"),
        headers=keys.auth("editor"),
    ).json()
    assert answer["import_id"] is None
    assert [c["stored"] for c in answer["importer"]["candidates"]] == ["kenasvit"]
    assert client.get("/api/imports").json()["total"] == 0


def test_unknown_and_malformed_ids_are_clear_errors(client: TestClient) -> None:
    missing = client.get("/api/imports/imp-000000000000/candidates")
    assert missing.status_code == 404
    assert "imp-000000000000" in missing.json()["detail"]
    malformed = client.get("/api/imports/nope/candidates")
    assert malformed.status_code == 422
    assert "import_id" in malformed.json()["detail"]
