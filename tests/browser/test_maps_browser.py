"""Maps a person would publish, checked in a real headless Chromium: readable labels, the same
picture on every load, every tie visible, a complete legend, exploring, embeds and exports.

Facts from the brief's Box 3: UTRASD both established and enables IMA Limpia (two ties between
one pair); AFD, CARE and Fundación Bien Humano enable it too.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.browser.conftest import ARTIFACTS, HostPages, LiveServer

MAPS = [
    "ecosystem",
    "organizations/utrasd?depth=2",
    "organizations/ima-limpia/enablers",
    "organizations/utrasd/enablers",
    "partnerships/partnership-ima-limpia",
]
SHOTS = ARTIFACTS / "maps"
EVERY_LABEL = {"organizations/ima-limpia/enablers", "partnerships/partnership-ima-limpia"}
LABELS = "() => window.solgraphMap.labels()"
ORG_COUNT = "() => window.solgraphMap.data.nodes.length"
DATA_NODES = "() => window.solgraphMap.data.nodes"


def ready(where: Page | Frame) -> None:
    where.wait_for_selector("body[data-map-ready='true']", state="attached")


def embedded(page: Page, host: HostPages, live: LiveServer, view: str, tall: bool = False) -> Frame:
    """The embed of ``view`` in a 900x600 iframe on the allowed host site."""
    src = f"{live.base.replace('127.0.0.1', 'localhost')}/embed/{view}"
    query = {"src": src, **({"tall": "1"} if tall else {})}
    page.goto(f"{host.allowed}/host?{urlencode(query)}")
    frame = page.frame_locator("#f")
    frame.locator("body[data-map-ready='true']").wait_for(state="attached")
    [inner] = [f for f in page.frames if f != page.main_frame]
    return inner


def overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (a["id"], b["id"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    ]


def check_labels(where: Page | Frame, view: str, every: bool) -> None:
    labels = [lab for lab in where.evaluate(LABELS) if not lab["id"].startswith("column:")]
    assert labels, view
    assert min(lab["px"] for lab in labels) >= 11, view
    assert overlaps(labels) == [], view
    named = {lab["id"] for lab in labels}
    ranks = where.evaluate("() => window.solgraphMap.data.nodes.map(n => [n.id, n.rank])")
    top = {node for node, rank in ranks if rank < 10}
    assert top <= named, f"{view}: the 10 most connected are named from the start"
    if every:
        assert len(labels) == where.evaluate(ORG_COUNT), f"{view}: every organisation named"


def test_labels_are_readable_and_never_overlap(
    page: Page, live: LiveServer, host: HostPages
) -> None:
    """Every map: labels at 12 px (11 or more) and no two overlapping, at 1280x800 and in a
    600 px-high iframe; the 10 most connected named from the start, and every organisation on
    the enablers and partnership maps (the ecosystem and UTRASD's ties hold the test data's
    dozens of long payload names, which do not all fit at once)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    for view in MAPS:
        page.goto(f"{live.base}/maps/{view}")
        ready(page)
        check_labels(page, view, every=view in EVERY_LABEL)
    for view in MAPS:
        check_labels(embedded(page, host, live, view), view, every=view in EVERY_LABEL)


@pytest.fixture
def seed_live(tmp_path: Path, host: HostPages) -> Iterator[LiveServer]:
    """The brief's ecosystem alone (45 organisations), without the test data's payloads."""
    with LiveServer(host.allowed, tmp_path, seed_only=True) as server:
        yield server


def test_every_organisation_of_the_brief_is_named_on_every_map(
    page: Page, seed_live: LiveServer, host: HostPages
) -> None:
    """The seed holds fewer than 150 organisations, so every map of it names every one, at
    1280x800 and in a 600 px-high iframe, at 11 px or more, no two labels overlapping."""
    page.set_viewport_size({"width": 1280, "height": 800})
    for view in MAPS:
        page.goto(f"{seed_live.base}/maps/{view}")
        ready(page)
        check_labels(page, view, every=True)
        check_labels(embedded(page, host, seed_live, view), view, every=True)


def positions(page: Page) -> dict[str, Any]:
    ready(page)
    found: dict[str, Any] = page.evaluate(
        "() => { const m = window.solgraphMap; return m.network.getPositions("
        "m.data.nodes.map(n => n.id)); }"
    )
    return found


def test_the_same_url_gives_the_same_picture_after_a_reload_and_a_restart(
    page: Page, live: LiveServer, host: HostPages, tmp_path: Path
) -> None:
    page.goto(f"{live.base}/maps/ecosystem")
    first = positions(page)
    page.reload()
    assert positions(page) == first
    with LiveServer(host.allowed, tmp_path) as restarted:
        page.goto(f"{restarted.base}/maps/ecosystem")
        assert positions(page) == first


EDGE_POINT = """(id) => { const n = window.solgraphMap.network;
    const p = n.body.edges[id].edgeType.getPoint(0.5); return n.canvasToDOM(p); }"""


def test_parallel_ties_are_drawn_apart_and_clicked_one_by_one(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers")
    ready(page)
    box = page.locator("#map canvas").bounding_box()
    assert box is not None
    seen = {}
    for tie, verb in (
        ("utrasd-established-ima-limpia", "established"),
        ("utrasd-enables-ima-limpia", "enables"),
    ):
        point = page.evaluate(EDGE_POINT, tie)
        seen[tie] = (round(point["x"]), round(point["y"]))
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_function(
            "(id) => window.solgraphMap.network.getSelectedEdges().includes(id)", arg=tie
        )
        heading = page.text_content("#details h2")
        assert heading == f"Unión de Trabajadoras del Servicio Doméstico {verb} IMA Limpia"
    assert len(set(seen.values())) == 2, "the two ties do not lie on one line"


def legend_is_complete(where: Page | Frame, width: int, height: int) -> None:
    """The legend opens and every entry lies inside the frame and inside the legend's box."""
    box = where.locator("#legend-box")
    if box.get_attribute("open") is None:
        where.click("#legend-box summary")
    frame = where.evaluate(
        "() => { const b = document.getElementById('legend-box').getBoundingClientRect();"
        " return {top: b.top, bottom: b.bottom, left: b.left, right: b.right,"
        " scroll: document.getElementById('legend-box').scrollHeight,"
        " client: document.getElementById('legend-box').clientHeight}; }"
    )
    assert frame["scroll"] <= frame["client"] + 1, "nothing hidden behind a scrollbar"
    items = where.evaluate(
        "() => [...document.querySelectorAll('#legend li')].map(li => {"
        " const r = li.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert items
    for left, top, right, bottom in items:
        assert left >= 0 and right <= width + 0.5 and top >= 0 and bottom <= height + 0.5
        assert frame["top"] <= top and bottom <= frame["bottom"] + 0.5


def test_the_legend_is_complete_in_a_600_px_iframe_and_at_360_px(
    page: Page, live: LiveServer, host: HostPages
) -> None:
    for view in MAPS:
        legend_is_complete(embedded(page, host, live, view), 900, 600)
    page.set_viewport_size({"width": 360, "height": 740})
    for view in MAPS:
        page.goto(f"{live.base}/maps/{view}")
        ready(page)
        legend_is_complete(page, 360, 740)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_only_the_used_swatches_each_distinct(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers")
    ready(page)
    channels = page.eval_on_selector_all("#legend li", "items => items.map(i => i.dataset.channel)")
    assert "outline" in channels and "column" in channels
    lines = page.locator("#legend li[data-channel='line'] span").all_text_contents()
    assert sorted(lines) == ["enables", "established"], "only the two relationship types drawn"
    swatches = page.eval_on_selector_all("#legend li svg", "items => items.map(s => s.innerHTML)")
    assert len(set(swatches)) == len(swatches), "no two legend swatches alike"


def click_node(where: Page | Frame, node_id: str) -> None:
    box = where.locator("#map canvas").bounding_box()
    assert box is not None
    point = where.evaluate(
        """(id) => { const n = window.solgraphMap.network;
                     return n.canvasToDOM(n.getPositions([id])[id]); }""",
        node_id,
    )
    mouse = where.mouse if isinstance(where, Page) else where.page.mouse
    mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_a_click_expands_an_organisations_neighbours(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers")
    ready(page)
    before = page.evaluate(ORG_COUNT)
    click_node(page, "utrasd")
    page.wait_for_function("() => (document.body.dataset.expanded || '').includes('utrasd')")
    after = page.evaluate(ORG_COUNT)
    assert after > before, "UTRASD's partners (in the test data) joined the map"
    added = page.evaluate("() => window.solgraphMap.data.nodes.map(n => n.id)")
    assert "xss-payload" in added, "a partner of UTRASD in the test data"


def test_groups_are_made_and_opened_again(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/ecosystem")
    ready(page)
    page.select_option("#group-by", "movement")
    made = page.evaluate("() => window.solgraphMap.clusters()")
    assert len(made) >= 4
    target = "group:movement:labour"
    assert target in made
    click_node(page, target)
    page.wait_for_function("(id) => !window.solgraphMap.clusters().includes(id)", arg=target)
    labels = [lab["id"] for lab in page.evaluate(LABELS)]
    assert "utrasd" in labels, "the opened group's organisations are drawn and named again"
    page.select_option("#group-by", "")
    assert page.evaluate("() => window.solgraphMap.clusters()") == []
    # vis-network reports positions rounded as JavaScript's Math.round does.
    placed = {
        n["id"]: {"x": math.floor(n["x"] + 0.5), "y": math.floor(n["y"] + 0.5)}
        for n in page.evaluate(DATA_NODES)
    }
    assert positions(page) == placed, "every organisation back where the layout put it"


@pytest.fixture
def clustered(tmp_path: Path, host: HostPages) -> Iterator[LiveServer]:
    """The same data served with a map limit of 20, so the ecosystem opens as clusters."""
    with LiveServer(host.allowed, tmp_path, map_max_organizations=20) as server:
        yield server


def test_a_cluster_opens_into_its_own_map(page: Page, clustered: LiveServer) -> None:
    page.goto(f"{clustered.base}/maps/ecosystem")
    ready(page)
    nodes = page.evaluate("() => window.solgraphMap.data.nodes")
    assert {n["kind"] for n in nodes} == {"cluster"}
    labour = next(n for n in nodes if n["opens"] == {"movement": "labour"})
    click_node(page, labour["id"])
    page.wait_for_url("**/maps/ecosystem?movement=labour")
    ready(page)
    inner = page.evaluate("() => window.solgraphMap.data")
    assert inner["total"] == labour["count"]
    assert "Labour movement" in (page.text_content("#map-title") or "")


def test_the_year_slider_steps_through_the_years_with_ties(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/ecosystem")
    ready(page)
    data = page.evaluate("() => window.solgraphMap.data")
    assert data["years"], "the seed's ties have years"
    first = data["years"][0]
    page.evaluate(
        "() => { const s = document.getElementById('year'); s.value = '0';"
        " s.dispatchEvent(new Event('input')); }"
    )
    assert page.text_content("#year-value") == str(first)
    hidden = page.evaluate(
        "() => Object.fromEntries(window.solgraphMap.network.body.data.edges.get()"
        ".map(e => [e.id, e.hidden]))"
    )
    for edge in data["edges"]:
        assert hidden[edge["id"]] == (first not in edge["years"]), edge["id"]
    undated = [e for e in data["edges"] if e["undated"] and first in e["years"]]
    if undated:
        assert page.is_visible("#undated")
    page.click("#year-play")
    page.wait_for_function(
        "(last) => document.getElementById('year-value').textContent !== String(last)",
        arg=first,
    )


def test_the_wheel_scrolls_the_host_page_until_the_map_is_clicked(
    page: Page, live: LiveServer, host: HostPages
) -> None:
    frame = embedded(page, host, live, "ecosystem", tall=True)
    scale = frame.evaluate("() => window.solgraphMap.network.getScale()")
    page.mouse.move(300, 300)
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 0, "the host page scrolled"
    assert frame.evaluate("() => window.solgraphMap.network.getScale()") == scale
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.click(300, 300)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)
    assert frame.evaluate("() => window.solgraphMap.network.getScale()") != scale
    full = frame.get_attribute("#full-view", "href")
    assert full == "/maps/ecosystem"


def test_an_error_in_an_embed_is_a_short_message(
    page: Page, live: LiveServer, host: HostPages
) -> None:
    src = f"{live.base.replace('127.0.0.1', 'localhost')}/embed/partnerships/nope"
    page.goto(f"{host.allowed}/host?{urlencode({'src': src})}")
    frame = page.frame_locator("#f")
    assert frame.locator("main.map-error h1").text_content() == "Not Found"
    assert "{" not in (frame.locator("body").text_content() or "")


def png_size(body: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def test_the_page_downloads_svg_and_png_of_the_view(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers")
    ready(page)
    assert page.get_attribute("#export-svg", "download") == "organizations-ima-limpia-enablers.svg"
    with page.expect_download() as download:
        page.click("#export-svg")
    saved = download.value.path()
    assert saved is not None
    svg = Path(saved).read_text("utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "Who enables IMA Limpia" in svg
    with page.expect_download() as download:
        page.click("#export-png")
    saved = download.value.path()
    assert saved is not None
    body = Path(saved).read_bytes()
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(body)
    assert width >= 1200 and height >= 600, "a 2x image, large enough for a report"


@pytest.mark.parametrize("view", [*MAPS, "partnerships/nope"])
def test_screenshots_of_every_map(
    browser: Browser, live: LiveServer, host: HostPages, view: str
) -> None:
    """Screenshots for people to look at: 1400x900, a 600 px iframe, and 360 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = view.replace("/", "_").replace("?", "_").replace("=", "-")
    for label, width, height in (("desktop", 1400, 900), ("phone", 360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        tab.goto(f"{live.base}/maps/{view}")
        if view != "partnerships/nope":
            ready(tab)
        tab.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
        context.close()
    context = browser.new_context(viewport={"width": 940, "height": 640})
    tab = context.new_page()
    src = f"{live.base.replace('127.0.0.1', 'localhost')}/embed/{view}"
    tab.goto(f"{host.allowed}/host?{urlencode({'src': src})}")
    tab.wait_for_timeout(1500)
    tab.screenshot(path=str(SHOTS / f"{name}-iframe.png"))
    context.close()
    assert (SHOTS / f"{name}-iframe.png").stat().st_size > 0


def test_every_map_can_be_read_as_a_table(page: Page, live: LiveServer) -> None:
    """The enablers of IMA Limpia (Box 3) as rows: the same organisations and ties as drawn."""
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers")
    ready(page)
    page.click("#as-table")
    data = page.evaluate("() => window.solgraphMap.data")
    tables = page.locator("#map-table table")
    organisations = tables.nth(0).locator("tbody tr td:first-child").all_text_contents()
    assert sorted(organisations) == sorted(n["name"] for n in data["nodes"])
    ties = tables.nth(1).locator("tbody tr").count()
    assert ties == len(data["edges"])
    assert "enables it" in (tables.nth(0).text_content() or "")
    page.click("#as-table")
    assert page.is_hidden("#map-table")
