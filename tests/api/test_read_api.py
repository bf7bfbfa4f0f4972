"""The read API over the seed ecosystem, on both backends.

Facts asserted come from the ILO brief: Box 3 (UTRASD established IMA Limpia, cited as
"UTRASD et al. 2020"), the table of partnership types, and Box 6 (Kenya).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_search_finds_utrasd_by_acronym_any_case(client: TestClient) -> None:
    for q in ("utrasd", "UTRASD", "Utrasd"):
        body = client.get("/api/organizations", params={"q": q}).json()
        assert [o["id"] for o in body["items"]] == ["utrasd"], q
        assert body["total"] == 1


def test_search_ignores_accents(client: TestClient) -> None:
    # The brief spells "Unión de Trabajadoras del Servicio Doméstico" with accents.
    plain = client.get("/api/organizations", params={"q": "servicio domestico"}).json()
    accented = client.get("/api/organizations", params={"q": "SERVICIO DOMÉSTICO"}).json()
    assert "utrasd" in [o["id"] for o in plain["items"]]
    assert plain == accented


def test_detail_shows_utrasd_established_ima_limpia_with_citation(client: TestClient) -> None:
    body = client.get("/api/organizations/utrasd").json()
    assert body["name"] == "Unión de Trabajadoras del Servicio Doméstico"
    established = [r for r in body["relationships"] if r["type"] == "ESTABLISHED"]
    assert [(r["direction"], r["other"]["name"]) for r in established] == [("out", "IMA Limpia")]
    assert "UTRASD et al. 2020" in [s["citation"] for s in established[0]["sources"]]
    assert body["sources"], "the organisation's own sources are shown"


def test_filters_by_type_country_sector_movement(client: TestClient) -> None:
    # Box 6: Kenya has one SACCO, the NISCOF SACCO.
    body = client.get(
        "/api/organizations", params={"type": "savings_credit_cooperative", "country": "KE"}
    ).json()
    assert [o["id"] for o in body["items"]] == ["niscof-sacco"]
    waste = client.get("/api/organizations", params={"sector": "waste_picking"}).json()
    assert {"kkpkp", "swach", "unisol-brasil"} <= {o["id"] for o in waste["items"]}
    labour = client.get("/api/organizations", params={"movement": "labour", "limit": 500}).json()
    assert all(o["movement"] == "labour" for o in labour["items"])
    assert {"cut", "cotu-k", "cestrar"} <= {o["id"] for o in labour["items"]}


def test_pagination_covers_every_organisation_once(client: TestClient) -> None:
    total = client.get("/api/organizations", params={"limit": 1}).json()["total"]
    seen = []
    for offset in range(0, total, 7):
        page = client.get("/api/organizations", params={"offset": offset, "limit": 7}).json()
        seen += [o["id"] for o in page["items"]]
    assert len(seen) == total == len(set(seen))


def test_relationships_filter(client: TestClient) -> None:
    body = client.get(
        "/api/relationships", params={"type": "ESTABLISHED", "source": "fenamutra"}
    ).json()
    assert [(r["source"], r["target"]) for r in body["items"]] == [("fenamutra", "coopfenamutra")]


def test_network_of_utrasd(client: TestClient) -> None:
    body = client.get("/api/organizations/utrasd/network", params={"depth": 2}).json()
    nodes = {n["id"]: n["distance"] for n in body["nodes"]}
    assert nodes["utrasd"] == 0 and nodes["ima-limpia"] == 1
    assert nodes["afd"] == 2, "Box 3: AFD supported IMA Limpia, which UTRASD established"
    ends = {(e["source"], e["target"]) for e in body["edges"]}
    assert all(s in nodes and t in nodes for s, t in ends)


def test_export_is_the_interchange_document(client: TestClient, seed: object) -> None:
    response = client.get("/api/export", params={"format": "json"})
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"organizations", "relationships"}
    assert "utrasd" in [o["id"] for o in body["organizations"]]


def test_unknown_id_is_a_404_problem_naming_it(client: TestClient) -> None:
    for path in ("/api/organizations/no-such-org", "/api/organizations/no-such-org/network"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert body["status"] == 404 and "no-such-org" in body["detail"]


def test_bad_filter_value_is_a_422_listing_allowed_values(client: TestClient) -> None:
    response = client.get("/api/organizations", params={"type": "union"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["parameter"] == "type"
    assert "trade_union" in body["allowed"] and "trade_union" in body["detail"]
    country = client.get("/api/organizations", params={"country": "Kenya"}).json()
    assert "KE" in country["allowed"]


def test_out_of_range_parameters_are_422_problems(client: TestClient) -> None:
    cases = [
        ("/api/organizations", {"limit": "0"}),
        ("/api/organizations", {"limit": "lots"}),
        ("/api/organizations/utrasd/network", {"depth": "4"}),
        ("/api/export", {"format": "xml"}),
        ("/api/relationships", {"type": "LIKES"}),
    ]
    for path, params in cases:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["detail"]


def test_bad_id_syntax_and_unknown_routes_are_problems(client: TestClient) -> None:
    assert client.get("/api/organizations/NOT%20A%20SLUG").status_code == 422
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "store": None, "version": None}
    # Status only without a key; admins are told more (tests/api/test_exposure.py).
    assert client.get("/readyz").json() == {"status": "ok"}


def test_openapi_documents_response_models_and_enums(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    listing = spec["paths"]["/api/organizations"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert "trade_union" in params["type"]["schema"]["enum"]
    assert "OrganizationPage" in str(listing["responses"]["200"])
    assert client.get("/docs").status_code == 200
