"""Maps as data: the JSON a page draws, facts from the brief on each map, clusters that open,
exports of the same layout, and errors an embed can show."""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.domain.timeline import organization_exists
from app.io.synthetic import document
from app.settings import Settings
from app.store.memory import MemoryStore

DATA_BLOCK = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)
MAPS = [
    "ecosystem",
    "ecosystem?country=KE",
    "organizations/utrasd?depth=2",
    "organizations/ima-limpia/enablers",
    "partnerships/partnership-ima-limpia",
]


def page_data(client: TestClient, url: str) -> object:
    """The inert JSON a map page carries, decoded."""
    found = DATA_BLOCK.search(client.get(url).text)
    assert found is not None, url
    return json.loads(found.group(1))


def test_pages_and_embeds_draw_exactly_the_api_data(client: TestClient) -> None:
    for view in MAPS:
        answer = client.get(f"/api/maps/{view}")
        assert answer.status_code == 200, view
        data = answer.json()
        assert page_data(client, f"/maps/{view}") == data, view
        assert page_data(client, f"/embed/{view}") == data, view
        for node in data["nodes"]:
            assert isinstance(node["x"], float) and isinstance(node["y"], float)


def test_the_enablers_of_ima_limpia_are_those_of_box_3(client: TestClient) -> None:
    """Box 3: UTRASD established IMA Limpia with CARE, Fundación Bien Humano and AFD."""
    data = client.get("/api/maps/organizations/ima-limpia/enablers").json()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ima-limpia"]["role"] == "centre"
    enablers = {i for i, n in nodes.items() if n["distance"] == 1}
    assert {"utrasd", "afd", "fundacion-bien-humano"} <= enablers
    assert all(nodes[i]["distance_label"] == "enables it" for i in enablers)
    assert {nodes[i]["partner_mode"] for i in enablers} <= {"direct", "indirect"}
    assert nodes["afd"]["partner_mode"] == "indirect", "a development agency (vocabulary rule)"
    assert nodes["utrasd"]["partner_mode"] == "direct", "a union (vocabulary rule)"
    ties = [e for e in data["edges"] if {e["source"], e["target"]} == {"utrasd", "ima-limpia"}]
    assert len({e["curve"] for e in ties}) == len(ties) >= 2, "UTRASD's two ties drawn apart"


def test_a_map_with_nothing_to_show_says_so(client: TestClient) -> None:
    data = client.get("/api/maps/organizations/utrasd/enablers").json()
    assert data["empty"] == f"UTRASD has no enablers in force in {date.today().year}."
    old = client.get("/api/maps/organizations/utrasd/enablers?as_of=2019").json()
    assert old["empty"] == "UTRASD has no enablers in force in 2019."
    none = client.get("/api/maps/ecosystem?country=IS").json()
    assert (
        none["nodes"] == [] and none["empty"] == "No organisation matches these filters (Iceland)."
    )


def test_the_layout_is_the_same_in_a_new_app(client: TestClient) -> None:
    first = client.get("/api/maps/ecosystem").json()
    with tempfile.TemporaryDirectory() as folder:
        store = MemoryStore(Path(folder))
        store.load(client.app.state.store.export())  # type: ignore[attr-defined]
        with TestClient(create_app(lambda: store, Settings(data_dir=Path(folder)))) as fresh:
            again = fresh.get("/api/maps/ecosystem").json()
    where = {n["id"]: (n["x"], n["y"]) for n in first["nodes"]}
    assert {n["id"]: (n["x"], n["y"]) for n in again["nodes"]} == where


def test_embed_errors_are_short_html_pages(client: TestClient) -> None:
    for url, status in (
        ("/embed/partnerships/nope", 404),
        ("/embed/partnerships/partnership-nope", 404),
        ("/embed/organizations/ghost/enablers", 404),
        ("/maps/ecosystem?country=Kenya", 422),
    ):
        answer = client.get(url)
        assert answer.status_code == status, url
        assert answer.headers["content-type"].startswith("text/html"), url
        assert '<main class="map-error"' in answer.text and "{" not in answer.text, url
    detail = client.get("/embed/organizations/ghost/enablers").text
    assert "no organization with id 'ghost'" in html.unescape(detail)
    assert "<script" not in detail, "an error page runs no script"


def test_svg_and_png_exports_of_every_map(client: TestClient) -> None:
    for view in MAPS:
        path, _, query = view.partition("?")
        svg = client.get(f"/maps/{path}.svg" + (f"?{query}" if query else ""))
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml", view
        tree = ElementTree.fromstring(svg.content)
        texts = " ".join(t for t in tree.itertext())
        data = client.get(f"/api/maps/{view}").json()
        assert data["title"] in texts, view
        assert "Solidarity Graph" in texts, "the attribution line"
        png = client.get(f"/maps/{path}.png" + (f"?{query}" if query else ""))
        assert png.content.startswith(b"\x89PNG\r\n\x1a\n"), view
    named = client.get("/maps/ecosystem.svg?sector=domestic_work&country=CO")
    assert (
        named.headers["content-disposition"] == 'inline; filename="ecosystem-CO-domestic-work.svg"'
    )


def big_client(size: int, folder: str) -> TestClient:
    store = MemoryStore(Path(folder))
    store.load(document(size, 7))
    return TestClient(create_app(lambda: store, Settings(data_dir=Path(folder))))


def test_a_large_ecosystem_opens_as_clusters_that_open_in_turn() -> None:
    """2,000 synthetic organisations (those not wound up): clusters by movement that add up,
    each opening into the same map with that movement as a filter."""
    with tempfile.TemporaryDirectory() as folder, big_client(2000, folder) as client:
        data = client.get("/api/maps/ecosystem").json()
        clusters = [n for n in data["nodes"] if n["kind"] == "cluster"]
        assert len(clusters) == len(data["nodes"]) >= 2
        living = [o for o in document(2000, 7).organizations if organization_exists(o, None)]
        assert sum(c["count"] for c in clusters) == data["total"] == len(living)
        assert all(set(c["opens"]) == {"movement"} for c in clusters)
        assert any(e["kind"] == "aggregate" and e["count"] > 0 for e in data["edges"])
        largest = max(clusters, key=lambda c: c["count"])
        inner = client.get("/api/maps/ecosystem", params=largest["opens"]).json()
        assert inner["total"] == largest["count"]
        if inner["total"] <= 500:
            assert {n["kind"] for n in inner["nodes"]} == {"organization"}
        else:
            assert {tuple(sorted(c["opens"])) for c in inner["nodes"]} == {("movement", "type")}
