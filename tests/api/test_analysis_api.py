"""Partnership types, gaps, what-if, brokers, peers and interlocks over HTTP, both backends.

Expected values come from the brief: its table of partnership types and Box 6 (Kenya).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"

# The brief's table of partnership types: each example's SSE unit and its type.
TABLE = {
    "coopfenamutra": 1,  # FENAMUTRA established the COOPFENAMUTRA cooperative
    "vimosewa": 1,  # SEWA developed VimoSEWA Cooperative Limited
    "swcc": 1,  # NUDE established the SWCC worker cooperative
    "unisol-brasil": 2,  # trade union and SSE alliance through UNISOL with CUT
    "kigali-motorcycle-taxi-mutual-fund": 2,  # CESTRAR approached the mutual fund members
    "digital-platform-cooperative-project": 3,  # led by Social Law Project with two unions
}


@pytest.mark.parametrize("basis", ["any", "stated"])
def test_partnerships_reproduce_the_briefs_table(client: TestClient, basis: str) -> None:
    """Counting only what the brief states, the table still comes out: its examples rest on
    stated ties (issue 18)."""
    body = client.get("/api/partnerships", params={"basis": basis}).json()
    assert body["basis"] == basis
    typed = {p["sse_unit"]: p["type"] for p in body["items"]}
    assert {unit: typed[unit] for unit in TABLE} == TABLE
    assert all(p["explanation"] for p in body["items"])


def test_partnership_filters(client: TestClient) -> None:
    three = client.get("/api/partnerships", params={"type": "3"}).json()["items"]
    assert [p["sse_unit"] for p in three] == ["digital-platform-cooperative-project"]
    assert {"sadsawu", "udwosa"} <= set(three[0]["members"]) and "slp" in three[0]["enablers"]
    brazil = client.get("/api/partnerships", params={"country": "BR"}).json()["items"]
    assert [p["sse_unit"] for p in brazil] == ["unisol-brasil"]
    bad = client.get("/api/partnerships", params={"type": "4"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM


def test_gaps_list_kinds_with_reasons(client: TestClient) -> None:
    body = client.get("/api/analysis/gaps").json()
    kinds = {g["kind"] for g in body["gaps"]}
    assert "single_enabler_dependency" in kinds
    assert all(g["why"] for g in body["gaps"])
    cells = {(c["country"], c["sector"]): c for c in body["coverage"]["cells"]}
    # Box 6: street vendors in Kenya: KENASVIT and NISCOF are informal workers' organisations.
    assert cells[("KE", "street_vending")]["worker_organisations"] >= 2
    kenya = client.get("/api/analysis/gaps", params={"country": "KE"}).json()
    assert set(kenya["coverage"]["countries"]) == {"KE"}


def test_gaps_list_niscofs_sought_seed_funding_by_default(client: TestClient) -> None:
    """Box 6: "The leadership of NISCOF has since focused on securing seed funding to revive
    the SACCO" from no funder the brief names: a funding gap, on the default request."""
    body = client.get("/api/analysis/gaps").json()
    sought = [g for g in body["gaps"] if g["kind"] == "funding_sought_not_found"]
    assert [g["organizations"] for g in sought] == [["niscof", "niscof-sacco"]]
    assert sought[0]["why"].startswith("NISCOF seeks funding for NISCOF SACCO (now collapsed)")


def test_what_if_the_sacco_goes_in_2019(client: TestClient) -> None:
    # Box 6: the SACCO's revolving fund served the Nairobi self-help groups.
    body = client.post(
        "/api/analysis/what-if", json={"remove": ["niscof-sacco"], "as_of": 2019}
    ).json()
    assert [loss["organization"] for loss in body["lose_all"]] == [
        "nairobi-street-vendor-self-help-groups"
    ]


def test_what_if_refuses_bad_requests(client: TestClient) -> None:
    for payload, status in (
        ({"remove": ["ghost"]}, 404),
        ({"remove": []}, 422),
        ({"remove": ["x"] * 51}, 422),
        ({"remove": ["utrasd"], "as_of": 1500}, 422),
        ({}, 422),
    ):
        response = client.post("/api/analysis/what-if", json=payload)
        assert response.status_code == status, (payload, response.text)
        assert response.headers["content-type"] == PROBLEM


def test_brokers_are_exact_on_the_seed(client: TestClient) -> None:
    body = client.get("/api/analysis/brokers").json()
    assert body["exact"] is True
    scores = [b["betweenness"] for b in body["brokers"]]
    assert scores == sorted(scores, reverse=True)
    # Box 4: UNISOL is tied both to CUT (labour) and to waste pickers' cooperatives (SSE).
    bridges = {b["organization"]: b for b in body["bridges"]}
    assert "cut" in bridges["unisol-brasil"]["labour"]
    assert "brazil-waste-picker-cooperatives" in bridges["unisol-brasil"]["sse"]


def test_peers_are_elsewhere_and_interlocks_name_what_is_shared(client: TestClient) -> None:
    body = client.get("/api/organizations/kkpkp/peers").json()
    assert body["items"], "KKPKP (India, type 1) has peers in other type 1 partnerships"
    countries = {
        p["organization"]: client.get(f"/api/organizations/{p['organization']}").json()["countries"]
        for p in body["items"]
    }
    assert all("IN" not in c for c in countries.values())
    assert client.get("/api/organizations/ghost/peers").status_code == 404
    assert client.get("/api/organizations/ghost/interlocks").status_code == 404
    # Table, type 3: SADSAWU and UDWOSA both partner with SLP and the platform cooperative.
    shared = client.get("/api/organizations/sadsawu/interlocks").json()["items"]
    udwosa = next(i for i in shared if i["organization"] == "udwosa")
    assert set(udwosa["partners"]) == {"digital-platform-cooperative-project", "slp"}
