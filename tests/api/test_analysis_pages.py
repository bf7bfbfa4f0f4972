"""``/analysis/gaps`` and the coverage figure over HTTP: the page carries the same cells as the
JSON, by name; bad queries get the short HTML error; the figure stays legible and quick on a
2,000-organisation ecosystem.

Box 3 of the brief: IMA Limpia (Colombia, domestic work) was developed by UTRASD with support
from the French Development Agency, CARE Latin America and the Caribbean and Fundación Bien
Humano.
"""

from __future__ import annotations

import json
import re
import struct
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.analysis.gaps import GAP_KINDS
from app.api.main import create_app
from app.io.synthetic import document
from app.settings import Settings
from app.store.memory import MemoryStore

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "analysis"
BOX_3 = {"utrasd", "afd", "care-lac", "fundacion-bien-humano"}
DATA = re.compile(r'<script id="gaps-data" type="application/json">(.*?)</script>', re.S)


def page_data(html: str) -> dict[str, Any]:
    found = DATA.search(html)
    assert found, "the page embeds its data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_json_cells_name_the_organisations_behind_each_number(client: TestClient) -> None:
    body = client.get("/api/analysis/gaps").json()
    cells = {(c["country"], c["sector"]): c for c in body["coverage"]["cells"]}
    domestic = cells["CO", "domestic_work"]
    assert {k: domestic[k] for k in ("unions", "worker_organisations", "sse_units")} == {
        "unions": 1,
        "worker_organisations": 0,
        "sse_units": 1,
    }
    assert domestic["enablers"] == 4
    assert set(domestic["organizations"]["enablers"]) == BOX_3
    assert domestic["organizations"]["sse_units"] == ["ima-limpia"]


def test_the_page_carries_the_jsons_cells_by_name(client: TestClient) -> None:
    response = client.get("/analysis/gaps")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<a href="/api/analysis/gaps">JSON</a>' in response.text
    data = page_data(response.text)
    orgs = data["organizations"]
    shown = {
        (c["country"], c["sector"]): {
            family: sorted(orgs[i]["id"] for i in c[family])
            for family in ("unions", "worker_organisations", "sse_units", "enablers")
        }
        for c in data["cells"]
    }
    api = client.get("/api/analysis/gaps").json()["coverage"]["cells"]
    assert shown == {
        (c["country"], c["sector"]): {k: sorted(v) for k, v in c["organizations"].items()}
        for c in api
        if c["unions"] or c["worker_organisations"] or c["sse_units"]
    }
    assert all(o["name"] for o in orgs), "every organisation has its name"
    assert {"key": "CO", "name": "Colombia"} in data["countries"]
    assert {"key": "domestic_work", "label": "Domestic work"} in data["sectors"]
    api_kinds = Counter(g["kind"] for g in client.get("/api/analysis/gaps").json()["gaps"])
    assert {k["kind"]: len(k["gaps"]) for k in data["kinds"]} == {
        kind: api_kinds[kind] for kind in GAP_KINDS
    }


def test_filters_reach_the_json_link_and_the_data(client: TestClient) -> None:
    html = client.get("/analysis/gaps", params={"country": "KE", "as_of": 2019}).text
    assert '<a href="/api/analysis/gaps?country=KE&amp;as_of=2019">JSON</a>' in html
    data = page_data(html)
    assert [c["key"] for c in data["countries"]] == ["KE"]
    assert data["as_of"] == 2019 and data["title"] == "Gaps for funders in 2019"
    # Box 6: in 2019 the NISCOF SACCO still ran the self-help groups' revolving fund.
    kenya = {o["id"] for o in data["organizations"]}
    assert "niscof-sacco" in kenya


def test_bad_queries_get_the_short_html_error(client: TestClient) -> None:
    for query, status in (("country=Kenya", 422), ("sector=mining", 422), ("as_of=99999", 422)):
        response = client.get(f"/analysis/gaps?{query}")
        assert response.status_code == status, query
        assert response.headers["content-type"].startswith("text/html"), query
        assert 'class="map-error"' in response.text


def test_the_page_needs_a_key_when_reads_are_private(tmp_path: Path) -> None:
    settings = Settings(public_read=False, data_dir=tmp_path)
    with TestClient(create_app(lambda: MemoryStore(tmp_path / "data"), settings)) as private:
        refused = private.get("/analysis/gaps")
    assert refused.status_code == 401
    assert 'class="map-error"' in refused.text


def png_size(body: bytes) -> tuple[int, int]:
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def test_figure_of_2000_organisations_is_quick_and_legible(tmp_path: Path) -> None:
    """The first request builds the snapshot, the enablers of every cell and the figure."""
    store = MemoryStore(tmp_path / "data")
    store.load(document(2000, 7))
    with TestClient(create_app(lambda: store, Settings(data_dir=tmp_path))) as client:
        started = time.perf_counter()
        png = client.get("/figures/coverage.png")
        took = time.perf_counter() - started
        svg = client.get("/figures/coverage.svg").content
    assert png.status_code == 200
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "coverage-2000.png").write_bytes(png.content)
    assert took < 5, f"first request took {took:.1f} s"
    width, height = png_size(png.content)
    assert width <= 2000 and height <= 1600, (width, height)
    rows = re.findall(rb"<!-- other countries \((\d+)\) -->", svg)
    assert len(rows) == 1 and int(rows[0]) > 0, "the countries past the 25th share one row"
