"""``basis=stated|any`` over HTTP, on both backends: every analysis and traversal counts only
stated ties when asked, marks what rests on our inference otherwise, and says when an undated
tie was first reported.

The graph is written here. Two ties rest on our inference: ``ngo-enables-coop`` (the NGO's
support to the Colombian cooperative, undated, reported in 2020) and
``workers-partners-union``; ``union-established-coop`` is stated but its year (2018) is ours.
Every expected value below is worked out by hand from these facts, in the comment beside it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.models import Document, Relationship
from app.store.protocol import GraphStore
from tests.api.conftest import _Unclosable
from tests.factories import org, rel

PROBLEM = "application/problem+json"
MARKUP_NAME = 'Helping <b>Hands</b> & "Friends"'
REASON = 'Footnote 3 calls it a <i>partner</i>; "support" is our reading'
STATED = {"citation": "Field notes", "locator": "p. 2", "year": 2020}
GUESS = {"citation": "Field notes", "locator": "p. 3", "basis": "inferred", "reason": REASON}
DOCUMENT = Document(
    organizations=[
        org("union", "Unión de Trabajadoras", countries=["CO"], sectors=["domestic_work"]),
        org(
            "workers",
            "Street Workers",
            type="informal_workers_organisation",
            movement="informal_workers",
            countries=["CO"],
            sectors=["domestic_work"],
        ),
        org(
            "coop",
            "Cooperativa Limpia",
            type="cooperative",
            movement="sse",
            countries=["CO"],
            sectors=["domestic_work"],
        ),
        org("union2", "Domestic Workers Union", countries=["KE"], sectors=["domestic_work"]),
        org(
            "coop2",
            "Nairobi Care Cooperative",
            type="cooperative",
            movement="sse",
            countries=["KE"],
            sectors=["domestic_work"],
        ),
        org("ngo", MARKUP_NAME, type="ngo", movement="enabler"),
        org("funder", "Fund", type="funder", movement="enabler"),
        org(
            "sacco",
            "Vendors SACCO",
            type="savings_credit_cooperative",
            movement="sse",
            countries=["KE"],
            sectors=["street_vending"],
            status="collapsed",
        ),
    ],
    relationships=[
        rel(
            "union-established-coop",
            "ESTABLISHED",
            "union",
            "coop",
            since=2018,
            sources=[STATED, {**GUESS, "fields": ["since"], "year": 2020}],
        ),
        rel("ngo-enables-coop", "ENABLES", "ngo", "coop", sources=[{**GUESS, "year": 2020}]),
        rel("ngo-enables-coop2", "ENABLES", "ngo", "coop2", since=2019, sources=[STATED]),
        rel("union2-established-coop2", "ESTABLISHED", "union2", "coop2", sources=[STATED]),
        rel(
            "funder-funds-ngo",
            "FUNDS",
            "funder",
            "ngo",
            sources=[{**STATED, "year": 2021}, {**STATED, "locator": "p. 9", "year": 2019}],
        ),
        rel("workers-partners-union", "PARTNERS_WITH", "workers", "union", sources=[GUESS]),
        rel("workers-seeks-sacco", "SEEKS_FUNDING_FOR", "workers", "sacco", sources=[STATED]),
    ],
)
INFERRED_TIE = "ngo-enables-coop"
ANALYSES = [
    "/api/organizations/coop/enablers",
    "/api/organizations/funder/enabled",
    "/api/paths?from=union&to=ngo",
    "/api/organizations/coop/network",
    "/api/partnerships",
    "/api/analysis/gaps",
    "/api/analysis/brokers",
    "/api/organizations/coop/peers",
    "/api/organizations/coop/interlocks",
    "/api/facets",
    "/figures/coverage.svg",
]
PAGES = ["/analysis/gaps", "/analysis/partnerships", "/analysis/brokers", "/analysis/what-if"]


@pytest.fixture
def api(store: GraphStore) -> Iterator[TestClient]:
    """An app over a store of each backend holding :data:`DOCUMENT`."""
    store.load(DOCUMENT)
    app = create_app(lambda: _Unclosable(store))  # type: ignore[arg-type, return-value]
    with TestClient(app) as client:
        yield client


def get(api: TestClient, url: str, **params: Any) -> Any:
    response = api.get(url, params=params)
    assert response.status_code == 200, (url, params, response.text)
    return response.json()


def by_id(items: list[dict[str, Any]], key: str = "id") -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def test_enablers_stated_drop_the_inferred_chain_and_any_marks_it(api: TestClient) -> None:
    # Counting every fact: the union and the NGO enable coop, the funder through the NGO.
    every = get(api, "/api/organizations/coop/enablers")
    links = {i["organization"]["id"]: i for i in every["items"]}
    assert {k: v["inferred_records"] for k, v in links.items()} == {
        "ngo": [INFERRED_TIE],
        "union": [],  # its year, 2018, is our inference, but an answer about now reads no year
        "funder": [INFERRED_TIE],
    }
    # In 2019 the inferred year decides that the union's tie was there: the link rests on it.
    then = get(api, "/api/organizations/coop/enablers", as_of="2019")
    marks = {i["organization"]["id"]: i["inferred_records"] for i in then["items"]}
    assert marks["union"] == ["union-established-coop"]
    ties = by_id(links["funder"]["relationships"])
    assert ties[INFERRED_TIE]["basis"] == "inferred"
    assert (ties["funder-funds-ngo"]["basis"], ties["funder-funds-ngo"]["reported"]) == (
        "stated",
        2019,  # undated; its sources are of 2021 and 2019
    )
    # Only stated facts: the NGO's tie goes, and the funder with it; the union's tie stays,
    # its inferred year read as unknown, so it is undated, reported in 2020.
    stated = get(api, "/api/organizations/coop/enablers", basis="stated")
    assert stated["basis"] == "stated"
    [union] = stated["items"]
    assert (union["organization"]["id"], union["rests_on_inference"]) == ("union", False)
    [tie] = union["relationships"]
    assert (tie["since"], tie["inferred"], tie["reported"]) == (None, [], 2020)


def test_enabled_stated_drop_the_inferred_tie(api: TestClient) -> None:
    # The funder funds the NGO, which enables coop2 (stated) and coop (inferred).
    every = get(api, "/api/organizations/funder/enabled")
    marks = {i["organization"]["id"]: i["rests_on_inference"] for i in every["items"]}
    assert marks == {"ngo": False, "coop": True, "coop2": False}
    stated = get(api, "/api/organizations/funder/enabled", basis="stated")
    assert [i["organization"]["id"] for i in stated["items"]] == ["ngo", "coop2"]


def test_paths_run_over_the_inferred_tie_only_when_every_fact_counts(api: TestClient) -> None:
    # union - coop - ngo is the only route, and its second tie is inferred.
    every = get(api, "/api/paths", **{"from": "union", "to": "ngo"})
    [route] = every["routes"]
    assert route["organizations"] == ["union", "coop", "ngo"]
    assert route["inferred_records"] == [INFERRED_TIE]
    assert [t["basis"] for t in route["relationships"]] == ["stated", "inferred"]
    stated = get(api, "/api/paths", **{"from": "union", "to": "ngo", "basis": "stated"})
    assert (stated["length"], stated["routes"]) == (None, [])


def test_the_ego_network_counts_stated_ties_when_asked(api: TestClient) -> None:
    # One hop from coop: the union (stated tie) and the NGO (inferred tie).
    every = get(api, "/api/organizations/coop/network")
    assert sorted(n["id"] for n in every["nodes"]) == ["coop", "ngo", "union"]
    assert by_id(every["edges"])[INFERRED_TIE]["basis"] == "inferred"
    stated = get(api, "/api/organizations/coop/network", basis="stated")
    assert sorted(n["id"] for n in stated["nodes"]) == ["coop", "union"]
    assert [e["id"] for e in stated["edges"]] == ["union-established-coop"]


def test_partnerships_name_what_they_rest_on(api: TestClient) -> None:
    """Both are type 1 (a union established each cooperative). The NGO enables coop through
    the inferred tie; coop2 rests on stated ties alone."""
    every = by_id(get(api, "/api/partnerships")["items"])
    coop, coop2 = every["partnership-coop"], every["partnership-coop2"]
    assert (coop["type"], coop["enablers"], coop["rests_on_inference"]) == (1, ["ngo"], True)
    assert coop["inferred_records"] == [INFERRED_TIE]
    assert (coop2["rests_on_inference"], coop2["inferred_records"]) == (False, [])
    stated = by_id(get(api, "/api/partnerships", basis="stated")["items"])
    coop = stated["partnership-coop"]
    assert (coop["type"], coop["enablers"], coop["rests_on_inference"]) == (1, [], False)


def test_gaps_list_funding_sought_by_default_and_mark_inferences(api: TestClient) -> None:
    """The informal workers' organisation seeks money for its collapsed SACCO (as NISCOF does
    in the brief's Box 6): the default request lists it first. The NGO is the one link
    between the funder and the cooperatives, through the inferred tie among others."""
    every = api.get("/api/analysis/gaps")
    assert every.status_code == 200
    gaps = every.json()["gaps"]
    assert [(g["kind"], g["organizations"], g["inferred_records"]) for g in gaps] == [
        ("funding_sought_not_found", ["workers", "sacco"], []),
        ("single_point_of_failure", ["ngo"], [INFERRED_TIE]),
    ]
    assert gaps[0]["why"].startswith(
        "Street Workers seeks funding for Vendors SACCO (now collapsed)"
    )
    # Stated only: the workers' organisation has no union ally, coop one enabler, its
    # partnership none; the NGO still links the funder to coop2.
    stated = get(api, "/api/analysis/gaps", basis="stated")
    assert [(g["kind"], g["organizations"], g["rests_on_inference"]) for g in stated["gaps"]] == [
        ("funding_sought_not_found", ["workers", "sacco"], False),
        ("worker_organisation_without_union_ally", ["workers"], False),
        ("single_enabler_dependency", ["coop", "union"], False),
        ("partnership_without_enabler", ["coop", "union"], False),
        ("single_point_of_failure", ["ngo"], False),
    ]
    assert stated["basis"] == "stated"


def test_what_if_counts_the_basis_in_its_body(api: TestClient) -> None:
    """Without the funder, the NGO loses all its support; coop and coop2 lose the funder, coop
    through the inferred tie. Counting stated ties, coop was never reached from the funder."""
    every = api.post("/api/analysis/what-if", json={"remove": ["funder"]}).json()
    losses = {
        x["organization"]: x["inferred_records"] for x in every["lose_all"] + every["lose_some"]
    }
    assert losses == {"ngo": [], "coop": [INFERRED_TIE], "coop2": []}
    stated = api.post("/api/analysis/what-if", json={"remove": ["funder"], "basis": "stated"})
    assert stated.status_code == 200
    body = stated.json()
    assert {x["organization"] for x in body["lose_all"] + body["lose_some"]} == {"ngo", "coop2"}


def test_brokers_peers_and_interlocks_mark_inferences(api: TestClient) -> None:
    # The NGO lies between the funder and both cooperatives; one of its own ties is inferred.
    brokers = by_id(get(api, "/api/analysis/brokers")["brokers"], "organization")
    assert brokers["ngo"]["inferred_records"] == [INFERRED_TIE]
    stated = by_id(get(api, "/api/analysis/brokers", basis="stated")["brokers"], "organization")
    assert (set(stated), stated["ngo"]["rests_on_inference"]) == ({"ngo", "coop2"}, False)
    # coop2 is coop's peer (same sector and partnership type); coop's type-1
    # partnership rests on the inferred tie (the inferred year of the union's tie is read only
    # for a past year).
    peers = by_id(get(api, "/api/organizations/coop/peers")["items"], "organization")
    assert peers["coop2"]["inferred_records"] == [INFERRED_TIE]
    stated_peers = get(api, "/api/organizations/coop/peers", basis="stated")["items"]
    assert by_id(stated_peers, "organization")["coop2"]["rests_on_inference"] is False
    # coop and coop2 share the NGO as an enabler, coop through the inferred tie.
    [shared] = get(api, "/api/organizations/coop/interlocks")["items"]
    assert (shared["organization"], shared["enablers"]) == ("coop2", ["ngo"])
    assert shared["inferred_records"] == [INFERRED_TIE]
    assert get(api, "/api/organizations/coop/interlocks", basis="stated")["items"] == []


def test_organisation_detail_ties_carry_basis_inferred_and_reported(api: TestClient) -> None:
    ties = by_id(get(api, "/api/organizations/coop")["relationships"])
    assert {k: (v["basis"], v["inferred"], v["reported"]) for k, v in ties.items()} == {
        "union-established-coop": ("stated", ["since"], None),  # dated, by our inference
        INFERRED_TIE: ("inferred", [], 2020),  # undated; its one source is of 2020
    }


def test_exports_carry_no_computed_field(api: TestClient) -> None:
    exported = get(api, "/api/export")
    # The export lists records by id; as a set of records it is the document loaded.
    back = Document.model_validate(exported)
    assert sorted(back.organizations, key=lambda o: o.id) == sorted(
        DOCUMENT.organizations, key=lambda o: o.id
    )
    assert sorted(back.relationships, key=lambda r: r.id) == sorted(
        DOCUMENT.relationships, key=lambda r: r.id
    )
    keys = {key for r in exported["relationships"] for key in r}
    assert keys <= set(Relationship.model_fields)


def test_an_unknown_basis_is_a_problem_naming_both_values(api: TestClient) -> None:
    for url in ANALYSES:
        response = api.get(url, params={"basis": "maybe"})
        assert response.status_code == 422, url
        assert response.headers["content-type"] == PROBLEM, url
        detail = response.json()["detail"]
        assert detail.endswith("'maybe' is not allowed; allowed: any, stated"), detail
    body = api.post("/api/analysis/what-if", json={"remove": ["funder"], "basis": "maybe"})
    assert body.status_code == 422
    assert (
        body.json()["detail"] == "body field 'basis': 'maybe' is not allowed; allowed: any, stated"
    )
    for url in PAGES:
        page = api.get(url, params={"basis": "maybe"})
        assert page.status_code == 422, url
        assert "allowed: any, stated" in page.text, url


def test_openapi_documents_the_basis(api: TestClient) -> None:
    spec = get(api, "/openapi.json")
    for url in ANALYSES:
        path = (
            url.split("?")[0]
            .replace("coop", "{organization_id}")
            .replace("funder", "{organization_id}")
        )
        path = path.replace("coverage.svg", "coverage.{fmt}")
        [basis] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "basis"]
        assert basis["schema"]["enum"] == ["any", "stated"] and basis["schema"]["default"] == "any"
        assert "stated" in basis["description"], path
        assert set(basis["examples"]) == {"any", "stated"}, path
    body = spec["components"]["schemas"]["WhatIfRequest"]["properties"]["basis"]
    assert body["enum"] == ["any", "stated"] and body["description"]
    evidence = spec["components"]["schemas"]["RelationshipEvidence"]["properties"]
    assert {"basis", "inferred", "reported"} <= set(evidence)
    assert {"rests_on_inference", "inferred_records"} <= set(
        spec["components"]["schemas"]["Gap"]["properties"]
    )


def page_data(html: str, name: str) -> dict[str, Any]:
    found = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the page embeds its data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_pages_mark_inferences_as_text_and_render_no_markup_from_data(api: TestClient) -> None:
    for url in PAGES[:3]:
        html = api.get(url).text
        assert "<b>" not in html and "<i>" not in html, url
        assert ">inferred<" in html, url
        # The reason is on hover, escaped inside its attribute.
        escaped = r"Footnote 3 calls it a &lt;i&gt;partner&lt;/i&gt;; (&quot;|&#34;)support\1"
        assert re.search(escaped, html), url
    partnerships = api.get("/analysis/partnerships").text
    sentence = "enables Cooperativa Limpia (undated, reported in 2020)"
    helping = r"Helping &lt;b&gt;Hands&lt;/b&gt; &amp; (&quot;|&#34;)Friends\1 "
    assert re.search(helping + re.escape(sentence), partnerships)
    ties = {t["id"]: t for t in page_data(partnerships, "partnerships")["ties"]}
    assert (ties[INFERRED_TIE]["dates"], ties[INFERRED_TIE]["basis"]) == (
        "undated, reported in 2020",
        "inferred",
    )


def test_the_basis_switch_keeps_the_other_parameters(api: TestClient) -> None:
    html = api.get("/analysis/partnerships", params={"country": "CO", "as_of": 2022}).text
    assert '<a href="/analysis/partnerships?country=CO&amp;as_of=2022&amp;basis=stated">' in html
    assert '<a href="/analysis/partnerships?country=CO&amp;as_of=2022" aria-current="page">' in html
    stated = api.get("/analysis/brokers", params={"as_of": 2022, "top": 5, "basis": "stated"}).text
    assert (
        '<a href="/api/analysis/brokers?as_of=2022&amp;top=5&amp;basis=stated">JSON</a>' in stated
    )
    assert '<input type="hidden" name="basis" value="stated">' in stated
    assert (
        '<a href="/analysis/brokers?as_of=2022&amp;top=5&amp;basis=stated" aria-current="page">'
        in stated
    )
    assert page_data(stated, "brokers")["basis"] == "stated"
    gaps = api.get("/analysis/gaps", params={"basis": "stated"}).text
    assert '<a href="/figures/coverage.svg?basis=stated">' in gaps
    assert "No gap here rests on our inference." in gaps
    what_if = api.get("/analysis/what-if", params={"remove": "funder", "basis": "stated"}).text
    assert page_data(what_if, "what-if")["basis"] == "stated"
