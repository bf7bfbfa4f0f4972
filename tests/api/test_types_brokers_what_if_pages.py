"""``/analysis/partnerships``, ``/analysis/brokers`` and ``/analysis/what-if`` over HTTP: each
is a complete page with nothing from outside, carries the same answer as its JSON by name, and
answers bad queries with the short HTML error.

Expected values come from the brief's table of partnership types ("Partnerships between trade
unions and the SSE to support informal economy workers"), its Box 3 (IMA Limpia) and Box 6
(the NISCOF SACCO), or from the API's own JSON and records, read independently of the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.analysis.brokers import EXACT_LIMIT
from app.api.main import create_app
from app.io.synthetic import document
from app.settings import Settings
from app.store.memory import MemoryStore

PAGES = [
    "/analysis/partnerships",
    "/analysis/partnerships?country=ZA&as_of=2022",
    "/analysis/brokers",
    "/analysis/brokers?as_of=2019&top=5",
    "/analysis/what-if",
    "/analysis/what-if?remove=afd&remove=care-lac&year=2022",
]
TABLE_ROWS = {
    # Each row of the brief's table: its examples' names and citations, as the brief gives them.
    1: [
        "National Union of Domestic Workers (FENAMUTRA)",
        "COOPFENAMUTRA",
        "Imparcial RD 2021",
        "Self-Employment Women's Association (SEWA)",
        "VimoSEWA Cooperative Limited",
        "ILO 2019",
        "National Union of Domestic Employees (NUDE)",
        "Service Workers Centre Cooperative Society Limited (SWCC)",
        "ILO 2018b",
    ],
    2: [
        "Central de Cooperativas e Empreendimentos Solidários",
        "Central Única dos Trabalhadores (CUT)",
        "Centrale des Syndicats des Travailleurs au Rwanda (CESTRAR)",
        "Manzi 2007",
    ],
    3: [
        "Social Law Project",
        "Digital Platform Cooperative Project",
        "(SADSAWU)",
        "(UDWOSA)",
        "Hunt and Sarwar, unpublished",
    ],
}
TABLE_PARTNERSHIPS = {
    # The table's examples that the seed holds: SSE unit -> (type, union side, enablers).
    "VimoSEWA Cooperative Limited": (1, ["Self-Employment Women's Association"], []),
    "COOPFENAMUTRA": (1, ["National Union of Domestic Workers"], []),
    "Service Workers Centre Cooperative Society Limited": (
        1,
        ["National Union of Domestic Employees"],
        [],
    ),
    "Motorcycle taxi driver mutual fund (Kigali)": (
        2,
        ["Centrale des Syndicats des Travailleurs au Rwanda"],
        [],
    ),
    # Box 5 names SLP as the cooperative's enabling partner.
    "Digital Platform Cooperative Project": (
        3,
        [
            "South African Domestic Service and Allied Workers Union",
            "United Domestic Workers of South Africa",
        ],
        ["Social Law Project"],
    ),
}


def page_data(html: str, name: str) -> dict[str, Any]:
    found = re.search(
        rf'<script id="{name}-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the page embeds its data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def names(data: dict[str, Any], indexes: list[int]) -> list[str]:
    return [data["organizations"][i]["name"] for i in indexes]


def every_partnership(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[list[dict[str, Any]]] = [row["partnerships"] for row in data["types"]]
    return [p for row in [*rows, data["untyped"]] for p in row]


def test_the_table_rows_carry_the_briefs_examples(client: TestClient, brief_text: str) -> None:
    """The rows are in our words, but every name and citation is the brief's (its curly
    apostrophes written straight)."""
    flat = " ".join(brief_text.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'").split())
    data = page_data(client.get("/analysis/partnerships").text, "partnerships")
    rows = {row["type"]: " ".join(row["examples"]) for row in data["types"]}
    for kind, expected in TABLE_ROWS.items():
        for words in expected:
            assert words in rows[kind], (kind, words)
            assert words in flat, f"{words!r} is not the brief's"
    assert [row["type"] for row in data["types"]] == [1, 2, 3]


def test_the_partnerships_sit_in_the_briefs_rows_by_name(client: TestClient) -> None:
    data = page_data(client.get("/analysis/partnerships").text, "partnerships")
    shown = {
        names(data, [p["sse_unit"]])[0]: (row["type"], names(data, p["members"]), p)
        for row in data["types"]
        for p in row["partnerships"]
    }
    for unit, (kind, union_side, enablers) in TABLE_PARTNERSHIPS.items():
        assert unit in shown, unit
        assert shown[unit][0] == kind, unit
        assert sorted(shown[unit][1]) == sorted(union_side), unit
        assert names(data, shown[unit][2]["enablers"]) == enablers, unit
    # Box 3: IMA Limpia, set up by UTRASD, with three enabling partners.
    ima = shown["IMA Limpia"]
    assert ima[0] == 1 and ima[1] == ["Unión de Trabajadoras del Servicio Doméstico"]
    assert sorted(names(data, ima[2]["enablers"])) == [
        "CARE Latin America and the Caribbean",
        "French Development Agency",
        "Fundación Bien Humano",
    ]
    assert ima[2]["countries"] == ["Colombia"]
    assert ima[2]["map"] == "/maps/partnerships/partnership-ima-limpia"
    assert client.get(ima[2]["map"]).status_code == 200


def test_the_page_carries_the_jsons_partnerships(client: TestClient) -> None:
    data = page_data(client.get("/analysis/partnerships").text, "partnerships")
    ids = [o["id"] for o in data["organizations"]]
    rows = [(r["type"], r["partnerships"]) for r in data["types"]] + [(None, data["untyped"])]
    shown = {
        p["id"]: {
            "type": kind,
            "sse_unit": ids[p["sse_unit"]],
            "members": sorted(ids[i] for i in [p["sse_unit"], *p["members"]]),
            "enablers": [ids[i] for i in p["enablers"]],
            "explanation": p["explanation"],
        }
        for kind, group in rows
        for p in group
    }
    api = client.get("/api/partnerships").json()["items"]
    assert shown == {
        p["id"]: {k: p[k] for k in ("type", "sse_unit", "members", "enablers", "explanation")}
        for p in api
    }
    # The brief's table has no row for these: UTEP neither established them nor is a union.
    assert sorted(names(data, [p["sse_unit"] for p in data["untyped"]])) == [
        "Healthcare mutual linked to UTEP",
        "Workers' kitchens linked to UTEP",
    ]


def test_evidence_is_every_tie_among_the_partnerships_organisations(client: TestClient) -> None:
    """Read independently from ``/api/relationships``: the ties whose both ends are members or
    enablers of the partnership, each with its sources."""
    data = page_data(client.get("/analysis/partnerships").text, "partnerships")
    orgs = data["organizations"]
    records = client.get("/api/relationships", params={"limit": 500}).json()["items"]
    for p in every_partnership(data):
        involved = {orgs[i]["id"] for i in [p["sse_unit"], *p["members"], *p["enablers"]]}
        expected = sorted(
            (r["source"], r["target"], json.dumps(r["sources"]))
            for r in records
            if r["source"] in involved and r["target"] in involved
        )
        ties = [data["ties"][i] for i in p["evidence"]]
        found = sorted(
            (
                orgs[t["source"]]["id"],
                orgs[t["target"]]["id"],
                json.dumps([data["sources"][s] for s in t["sources"]]),
            )
            for t in ties
        )
        assert found == expected, p["id"]
    ima = next(p for p in every_partnership(data) if orgs[p["sse_unit"]]["name"] == "IMA Limpia")
    # Box 3 of the brief: UTRASD "expanded its core activities" and the enterprise "was
    # developed" (stated by the brief itself); its launch is cited as "(UTRASD et al. 2020)".
    cited = {
        (orgs[t["source"]]["short"], t["relationship"]): [
            (data["sources"][s]["citation"], data["sources"][s]["locator"]) for s in t["sources"]
        ]
        for t in (data["ties"][i] for i in ima["evidence"])
    }
    brief = "ILO Brief (Trade unions and SSE partnerships)"
    assert cited[("UTRASD", "established")] == [
        (brief, "Box 3"),
        (brief, "Box 3"),
        ("UTRASD et al. 2020", "Box 3"),
    ]


def test_partnership_filters_reach_the_json_link_and_the_data(client: TestClient) -> None:
    html = client.get("/analysis/partnerships", params={"country": "ZA", "as_of": 2022}).text
    assert '<a href="/api/partnerships?country=ZA&amp;as_of=2022">JSON</a>' in html
    data = page_data(html, "partnerships")
    shown = every_partnership(data)
    assert [names(data, [p["sse_unit"]])[0] for p in shown] == [
        "Digital Platform Cooperative Project"
    ]
    assert shown[0]["map"].endswith("?as_of=2022")
    assert data["title"] == "Partnership types in 2022"
    assert {"key": "ZA", "name": "South Africa"} in data["choices"]["countries"]


def test_brokers_page_carries_the_jsons_ranking_by_name(client: TestClient) -> None:
    html = client.get("/analysis/brokers").text
    assert '<a href="/api/analysis/brokers">JSON</a>' in html
    data = page_data(html, "brokers")
    orgs = data["organizations"]
    api = client.get("/api/analysis/brokers").json()
    assert [
        (orgs[b["organization"]]["id"], b["betweenness"], b["constraint"]) for b in data["brokers"]
    ] == [(b["organization"], b["betweenness"], b["constraint"]) for b in api["brokers"]]
    assert (data["exact"], data["sample_size"]) == (api["exact"], api["sample_size"])
    assert data["exact"] is True
    bridges = {
        orgs[b["organization"]]["name"]: (names(data, b["labour"]), names(data, b["sse"]))
        for b in data["bridges"]
    }
    # The table, type 3: the Social Law Project links the two unions and the cooperative.
    assert bridges["Social Law Project"] == (
        [
            "South African Domestic Service and Allied Workers Union",
            "United Domestic Workers of South Africa",
        ],
        ["Digital Platform Cooperative Project"],
    )
    assert all(o["name"] and o["type"] and o["movement"] for o in orgs)


def test_brokers_options_reach_the_json_link(client: TestClient) -> None:
    html = client.get("/analysis/brokers", params={"as_of": 2019, "top": 3}).text
    assert '<a href="/api/analysis/brokers?as_of=2019&amp;top=3">JSON</a>' in html
    data = page_data(html, "brokers")
    assert len(data["brokers"]) <= 3 and data["title"] == "Brokers and bridges in 2019"


def test_betweenness_on_a_large_ecosystem_is_a_stated_estimate(tmp_path: Path) -> None:
    """Past ``EXACT_LIMIT`` organisations the analysis samples; the page says how many."""
    store = MemoryStore(tmp_path / "data")
    store.load(document(1200, 7))
    with TestClient(create_app(lambda: store, Settings(data_dir=tmp_path))) as client:
        data = page_data(client.get("/analysis/brokers").text, "brokers")
        api = client.get("/api/analysis/brokers").json()
    assert api["exact"] is False
    assert (data["exact"], data["sample_size"]) == (False, api["sample_size"])
    assert data["organization_count"] > max(EXACT_LIMIT, data["sample_size"])


def test_what_if_page_names_the_picks_from_the_address(client: TestClient) -> None:
    html = client.get("/analysis/what-if?remove=afd&remove=care-lac&remove=afd&year=2022").text
    data = page_data(html, "what-if")
    assert data["picked"] == [
        {"id": "afd", "name": "French Development Agency", "short": "AFD"},
        {"id": "care-lac", "name": "CARE Latin America and the Caribbean", "short": ""},
    ]
    assert data["year"] == 2022
    assert data["countries"]["KE"] == "Kenya"
    assert data["types"]["self_help_group"] == "Self-help group"  # Box 6: "self-help groups"


def test_the_what_if_the_page_asks_needs_no_key_when_reads_are_public(
    client: TestClient,
) -> None:
    # Box 3: the French Development Agency is one of IMA Limpia's enabling partners.
    answer = client.post("/api/analysis/what-if", json={"remove": ["afd"], "as_of": None})
    assert answer.status_code == 200
    assert [loss["organization"] for loss in answer.json()["lose_some"]] == ["ima-limpia"]


def test_bad_queries_get_the_short_html_error(client: TestClient) -> None:
    too_many = "&".join(f"remove=org-{i}" for i in range(51))
    for path, status in (
        ("/analysis/partnerships?country=Kenya", 422),
        ("/analysis/partnerships?sector=mining", 422),
        ("/analysis/partnerships?as_of=99999", 422),
        ("/analysis/brokers?top=0", 422),
        ("/analysis/brokers?top=201", 422),
        ("/analysis/brokers?as_of=1066", 422),
        ("/analysis/what-if?remove=nobody", 404),
        ("/analysis/what-if?remove=AFD!", 422),
        ("/analysis/what-if?remove=afd&year=twenty", 422),
        (f"/analysis/what-if?{too_many}", 422),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert 'class="map-error"' in response.text, path


def test_the_pages_need_a_key_when_reads_are_private(tmp_path: Path) -> None:
    settings = Settings(public_read=False, data_dir=tmp_path)
    with TestClient(create_app(lambda: MemoryStore(tmp_path / "data"), settings)) as private:
        for path in ("/analysis/partnerships", "/analysis/brokers", "/analysis/what-if"):
            refused = private.get(path)
            assert refused.status_code == 401, path
            assert 'class="map-error"' in refused.text, path
