"""Enablers, enabled and paths over HTTP, on both backends (facts from the brief's boxes)."""

from __future__ import annotations

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_enablers_of_ima_limpia_with_chains_and_sources(client: TestClient) -> None:
    # Box 3: AFD, CARE LAC and Fundación Bien Humano supported IMA Limpia.
    body = client.get("/api/organizations/ima-limpia/enablers", params={"depth": 1}).json()
    items = {i["organization"]["id"]: i for i in body["items"]}
    assert {"afd", "care-lac", "fundacion-bien-humano"} <= set(items)
    assert items["afd"]["path"] == ["afd", "ima-limpia"]
    assert items["afd"]["partner_mode"] == "indirect" and items["afd"]["reach"] == "direct"
    assert body["total"] == len(body["items"])


def test_enablers_as_of_a_year(client: TestClient) -> None:
    # Box 6: the SACCO funded the self-help groups until the pandemic.
    path = "/api/organizations/nairobi-street-vendor-self-help-groups/enablers"
    then = client.get(path, params={"as_of": 2019, "depth": 2}).json()
    assert [i["organization"]["id"] for i in then["items"]] == ["niscof-sacco", "niscof"]
    assert client.get(path).json()["items"] == []


def test_enabled_by_cut(client: TestClient) -> None:
    body = client.get("/api/organizations/cut/enabled", params={"depth": 1}).json()
    assert [i["organization"]["id"] for i in body["items"]] == ["unisol-brasil"]


def test_paths_between_the_south_african_unions(client: TestClient) -> None:
    body = client.get("/api/paths", params={"from": "sadsawu", "to": "udwosa"}).json()
    assert body["length"] == 2
    assert ["sadsawu", "slp", "udwosa"] in [r["organizations"] for r in body["routes"]]
    none = client.get("/api/paths", params={"from": "sadsawu", "to": "cut"}).json()
    assert none == {"source": "sadsawu", "target": "cut", "length": None, "routes": []}


def test_limits_and_unknowns_are_clear_problems(client: TestClient) -> None:
    cases = [
        ("/api/organizations/utrasd/enablers", {"depth": "5"}, 422, "depth"),
        ("/api/organizations/utrasd/enablers", {"as_of": "1700"}, 422, "as_of"),
        ("/api/organizations/ghost/enablers", {}, 404, "ghost"),
        ("/api/organizations/ghost/enabled", {}, 404, "ghost"),
        ("/api/paths", {"from": "utrasd", "to": "ghost"}, 404, "ghost"),
        ("/api/paths", {"from": "utrasd", "to": "cut", "max_depth": "7"}, 422, "max_depth"),
        ("/api/paths", {"from": "utrasd", "to": "cut", "types": "LIKES"}, 422, "LIKES"),
        ("/api/paths", {"from": "utrasd"}, 422, "to"),
    ]
    for path, params, status, word in cases:
        response = client.get(path, params=params)
        assert response.status_code == status, (path, params, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert word in response.json()["detail"], response.json()
