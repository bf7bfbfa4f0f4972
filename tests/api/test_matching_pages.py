"""The matches and shortlist pages, the gaps page's links to them, and the profile's matches,
over HTTP on both backends: each page carries the same answer as its JSON, by name, and every
link it makes answers.

Box 6 of the brief: NISCOF seeks seed funding to revive its SACCO; COTU-K supports NISCOF.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi.testclient import TestClient


def page_data(client: TestClient, url: str, name: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    found = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert found, "the page embeds its data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_matches_page_carries_the_jsons_matches_with_reasons_and_sources(
    client: TestClient,
) -> None:
    url = "/analysis/matches/niscof-sacco?kind=enabler"
    data = page_data(client, url, "matches")
    api = client.get("/api/organizations/niscof-sacco/matches", params={"kind": "enabler"}).json()
    orgs = data["organizations"]
    assert [orgs[m["organization"]]["id"] for m in data["matches"]] == [
        m["organization"] for m in api["items"]
    ]
    assert data["organization"]["name"] == "NISCOF SACCO"  # gone now, named from its record
    first, api_first = data["matches"][0], api["items"][0]
    assert [r["words"] for r in first["reasons"]] == [r["words"] for r in api_first["reasons"]]
    # Each reason's sources are those of the records it names, each source once.
    facts = {f["record"]: f["sources"] for f in api_first["facts"]}
    for shown, reason in zip(first["reasons"], api_first["reasons"], strict=True):
        wanted = {json.dumps(s, sort_keys=True) for r in reason["records"] for s in facts[r]}
        cited = {json.dumps(data["sources"][i], sort_keys=True) for i in shown["sources"]}
        assert cited == wanted and cited
    assert [k["label"] for k in data["kinds"]] == ["Partners", "Enablers"]
    assert [k["current"] for k in data["kinds"]] == [False, True]
    for kind in data["kinds"]:
        assert client.get(kind["href"]).status_code == 200
    # How the ranking weighs: each weight with the brief's words.
    assert data["how"][0]["words"].startswith("Tailoring support to sector and geography")
    html = client.get(url).text
    assert '<a href="/api/organizations/niscof-sacco/matches?kind=enabler">JSON</a>' in html


def test_bad_pages_answer_short_html_problems(client: TestClient) -> None:
    bad = client.get("/analysis/matches/kkpkp", params={"kind": "friend"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "Input should be 'partner' or 'enabler'" in html.unescape(bad.text)
    assert client.get("/analysis/matches/ghost").status_code == 404
    assert client.get("/analysis/shortlist", params={"n": 0}).status_code == 422


def test_each_gap_on_the_gaps_page_links_to_its_ranked_matches(client: TestClient) -> None:
    data = page_data(client, "/analysis/gaps", "gaps")
    gaps = {kind["kind"]: g for kind in data["kinds"] for g in kind["gaps"]}
    sought = gaps["funding_sought_not_found"]
    assert sought["matches"] == "/analysis/matches/niscof-sacco?kind=enabler"
    assert data["organizations"][sought["matches_for"]]["id"] == "niscof-sacco"
    assert gaps["single_point_of_failure"]["matches"] is None
    links = {g["matches"] for kind in data["kinds"] for g in kind["gaps"] if g["matches"]}
    assert all(client.get(link).status_code == 200 for link in links)
    html = client.get("/analysis/gaps").text
    assert 'id="shortlist-link" href="/analysis/shortlist"' in html


def test_links_to_the_matches_shortlist_and_what_if_pages_keep_the_language(
    client: TestClient,
) -> None:
    data = page_data(client, "/analysis/gaps?lang=fr", "gaps")
    gaps = {kind["kind"]: g for kind in data["kinds"] for g in kind["gaps"]}
    sought = gaps["funding_sought_not_found"]["matches"]
    assert sought == "/analysis/matches/niscof-sacco?kind=enabler&lang=fr"
    assert '<html lang="fr">' in client.get(sought).text
    gaps_page = client.get("/analysis/gaps?lang=fr").text
    assert 'id="shortlist-link" href="/analysis/shortlist?lang=fr"' in gaps_page
    for page in ("/analysis/brokers", "/analysis/partnerships", "/analysis/matches/utrasd"):
        assert 'href="/analysis/what-if?lang=pt"' in client.get(f"{page}?lang=pt").text, page


def test_the_shortlist_page_carries_the_posts_answer(client: TestClient) -> None:
    data = page_data(client, "/analysis/shortlist?n=3", "shortlist")
    api = client.post("/api/analysis/shortlist", json={"n": 3}).json()
    orgs = data["organizations"]
    shown = [(orgs[p["for"]]["id"], orgs[p["match"]["organization"]]["id"]) for p in data["picks"]]
    assert shown == [(p["organization"], p["match"]["organization"]) for p in api["picks"]]
    assert (data["how"], data["method"], data["closed"]) == (
        api["how"],
        api["method"],
        api["closed"],
    )
    assert [len(p["closes"]) for p in data["picks"]] == [len(p["closes"]) for p in api["picks"]]
    assert all(client.get(p["matches"]).status_code == 200 for p in data["picks"])


def test_the_profile_shows_its_matches(client: TestClient) -> None:
    data = page_data(client, "/organizations/niscof-sacco", "profile")
    kinds = {m["kind"]: m for m in data["matches"]}
    assert set(kinds) == {"partner", "enabler"}
    enablers = kinds["enabler"]
    assert enablers["items"][0]["id"] == "cotu-k"
    assert enablers["items"][0]["reasons"][0] == "enables NISCOF in street vending in Kenya"
    assert client.get(enablers["page"]).status_code == 200
    stated = page_data(client, "/organizations/niscof-sacco?basis=stated", "profile")
    assert all(m["page"].endswith("&basis=stated") for m in stated["matches"])
