"""Matches, peers for exchange and the funder's shortlist over HTTP, on both backends, and
the same answers from each.

Expected values come from the brief: Box 6 (NISCOF seeks seed funding to revive its SACCO;
"COTU-K support to NISCOF in Kenya"), the type 1 partnership of KKPKP and SWaCH in Pune's
waste picking, and Box 4 (UNISOL, created with CUT, supporting Brazil's waste pickers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.models import Document
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore
from tests.api.conftest import _Unclosable

PROBLEM = "application/problem+json"


def ok(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, (url, response.text)
    return response.json()


def test_the_niscof_saccos_enablers_begin_with_those_in_kenyas_street_vending(
    client: TestClient,
) -> None:
    body = ok(client, "/api/organizations/niscof-sacco/matches", kind="enabler")
    assert (body["organization"], body["kind"], body["note"]) == ("niscof-sacco", "enabler", None)
    [first, *_] = body["items"]
    # COTU-K supports NISCOF, a Kenyan street vendors' organisation (Box 6), and NISCOF is
    # the one seeking the SACCO's funding: so COTU-K is active in Kenya's street vending.
    assert (first["organization"], first["tier"]) == ("cotu-k", "active_in_country_and_sector")
    assert "niscof" in first["enables"]
    assert "niscof" not in {m["organization"] for m in body["items"]}, "the seeker is tied"
    # Every reason names records, and every record is among the facts, with its sources.
    facts = {f["record"]: f for f in first["facts"]}
    assert {r for reason in first["reasons"] for r in reason["records"]} == set(facts)
    assert facts["cotu-k-enables-niscof"]["kind"] == "relationship"
    assert any("COTU-K" in (s["quote"] or "") for s in facts["cotu-k"]["sources"])


def test_partner_matches_never_propose_an_existing_partner(client: TestClient) -> None:
    # KKPKP established SWaCH (the brief, Pune): they are partners already.
    body = ok(client, "/api/organizations/kkpkp/matches", kind="partner", limit=100)
    found = {m["organization"] for m in body["items"]}
    assert "swach" not in found and found, body
    assert body["total"] == len(body["items"])
    tiers = [m["tier"] for m in body["items"]]
    assert tiers == sorted(tiers, key=["same_country_and_sector", "same_sector_elsewhere"].index)
    scores = [m["score"] for m in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_bad_match_requests_are_problems_naming_what_is_allowed(client: TestClient) -> None:
    bad = client.get("/api/organizations/kkpkp/matches", params={"kind": "friend"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert bad.json()["detail"] == "query parameter 'kind': Input should be 'partner' or 'enabler'"
    assert client.get("/api/organizations/ghost/matches").status_code == 404
    limit = client.get("/api/organizations/kkpkp/matches", params={"limit": 101})
    assert limit.status_code == 422 and "1 to 100" in limit.json()["detail"]
    # A network is no partner family: an answer, with a note saying why there is none.
    body = ok(client, "/api/organizations/wiego/matches", kind="partner")
    assert body["items"] == [] and "SSE units" in body["note"]


def test_peers_of_waste_pickers_begin_with_waste_pickers_in_partnerships(
    client: TestClient,
) -> None:
    typed = {
        m
        for p in ok(client, "/api/partnerships")["items"]
        if p["type"] in (1, 2)
        for m in p["members"]
    }
    for me in ("kkpkp", "swach"):
        first = ok(client, f"/api/organizations/{me}/peers")["items"][0]
        other = ok(client, f"/api/organizations/{first['organization']}")
        assert "waste_picking" in other["sectors"] and first["organization"] in typed, me
        assert first["shares"][0] == "sector"


def test_peers_prefer_or_exclude_a_country(client: TestClient) -> None:
    every = ok(client, "/api/organizations/kkpkp/peers", limit=100)["items"]
    # Preferring the Dominican Republic puts FENAMUTRA and COOPFENAMUTRA (its type 1
    # partnership, the brief's table) before UNISOL Brasil.
    preferred = ok(client, "/api/organizations/kkpkp/peers", country="DO", limit=100)["items"]
    assert {p["organization"] for p in preferred[:2]} == {"fenamutra", "coopfenamutra"}
    assert [p["preferred"] for p in preferred[:3]] == [True, True, False]
    assert sorted(p["organization"] for p in preferred) == sorted(p["organization"] for p in every)
    without = ok(client, "/api/organizations/kkpkp/peers", exclude_country="BR", limit=100)
    brazil = {"unisol-brasil", "cut", "brazil-waste-picker-cooperatives"}
    assert not brazil & {p["organization"] for p in without["items"]}
    for name in ("country", "exclude_country"):
        bad = client.get("/api/organizations/kkpkp/peers", params={name: "XX"})
        assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
        assert bad.json()["parameter"] == name and "KE" in bad.json()["allowed"]


def test_every_gap_links_to_the_matches_that_could_close_it(client: TestClient) -> None:
    gaps = ok(client, "/api/analysis/gaps")["gaps"]
    by_kind = {g["kind"]: g for g in gaps}
    assert by_kind["funding_sought_not_found"]["matches"] == (
        "/api/organizations/niscof-sacco/matches?kind=enabler"
    )
    assert by_kind["single_point_of_failure"]["matches"] is None
    for gap in gaps:
        if gap["matches"] is not None:
            assert client.get(gap["matches"]).status_code == 200, gap
    stated = ok(client, "/api/analysis/gaps", basis="stated", as_of=2022)["gaps"]
    assert all(g["matches"].endswith("&as_of=2022&basis=stated") for g in stated if g["matches"])


def test_the_shortlist_closes_each_gap_once(client: TestClient) -> None:
    body = client.post("/api/analysis/shortlist", json={"n": 3}).json()
    assert (body["n"], body["basis"], body["as_of"]) == (3, "any", None)
    assert body["method"] == "exact", "the seed's choices are few"
    closed = [(g["kind"], tuple(g["organizations"])) for p in body["picks"] for g in p["closes"]]
    assert len(closed) == len(set(closed)) == body["closed"]
    assert 0 < len(body["picks"]) <= 3
    gaps = ok(client, "/api/analysis/gaps")
    assert body["gaps"] == gaps["total"] and body["closed"] <= body["closable"] <= body["gaps"]
    known = {(g["kind"], tuple(g["organizations"])) for g in gaps["gaps"]}
    assert set(closed) <= known
    more = client.post("/api/analysis/shortlist", json={"n": 10}).json()
    assert more["closed"] >= body["closed"]


def test_bad_shortlist_requests_are_problems(client: TestClient) -> None:
    for payload in ({"n": 0}, {"n": 51}, {"basis": "maybe"}, {"as_of": 1500}):
        response = client.post("/api/analysis/shortlist", json=payload)
        assert response.status_code == 422, payload
        assert response.headers["content-type"] == PROBLEM


def test_openapi_documents_matches_and_the_shortlist(client: TestClient) -> None:
    spec = ok(client, "/openapi.json")
    params = {
        p["name"]: p
        for p in spec["paths"]["/api/organizations/{organization_id}/matches"]["get"]["parameters"]
    }
    assert params["kind"]["schema"]["enum"] == ["partner", "enabler"]
    assert params["basis"]["schema"]["enum"] == ["any", "stated"]
    shortlist = spec["paths"]["/api/analysis/shortlist"]["post"]
    assert {"429", "503"} <= set(shortlist["responses"])
    peers = {
        p["name"]
        for p in spec["paths"]["/api/organizations/{organization_id}/peers"]["get"]["parameters"]
    }
    assert {"country", "exclude_country"} <= peers
    assert "matches" in spec["components"]["schemas"]["LinkedGap"]["properties"]


ASKED: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/organizations/niscof-sacco/matches?kind=enabler", None),
    ("GET", "/api/organizations/kkpkp/matches?kind=partner&limit=100", None),
    ("GET", "/api/organizations/cotu-k/matches?kind=partner&basis=stated", None),
    ("GET", "/api/organizations/niscof-sacco/matches?kind=enabler&as_of=2019", None),
    ("GET", "/api/organizations/kkpkp/peers?limit=100&country=BR", None),
    ("GET", "/api/organizations/swach/peers?exclude_country=DO", None),
    ("GET", "/api/analysis/gaps", None),
    ("POST", "/api/analysis/shortlist", {"n": 5}),
    ("POST", "/api/analysis/shortlist", {"n": 2, "basis": "stated"}),
]
"""Requests whose answers both backends must give alike."""


def served(store: GraphStore) -> TestClient:
    return TestClient(create_app(lambda: _Unclosable(store)))  # type: ignore[arg-type, return-value]


@pytest.fixture
def both(
    neo4j_store: GraphStore, seed: Document, tmp_path: Path
) -> Iterator[tuple[TestClient, TestClient]]:
    """Clients of the seed on the embedded store and on Neo4j."""
    memory = MemoryStore(tmp_path / "data")
    memory.load(seed)
    neo4j_store.clear()
    neo4j_store.load(seed)
    with served(memory) as first, served(neo4j_store) as second:
        yield first, second
    memory.close()


@pytest.mark.neo4j
def test_both_backends_give_the_same_answers(both: tuple[TestClient, TestClient]) -> None:
    memory, neo4j = both
    for method, url, body in ASKED:
        answers = [c.request(method, url, json=body) for c in (memory, neo4j)]
        assert [a.status_code for a in answers] == [200, 200], url
        assert answers[0].json() == answers[1].json(), url
