"""Evidence on the maps and in the explorer, in a real headless Chromium: the inferred tie is
drawn dashed and the legend says why, a tie's panel lists each source with its basis beside
it (and markup in a citation, quote or reason stays text), and the explorer's basis switch is
kept in the address and reaches the map.

The server holds the Box 3 graph of ``tests/unit/test_map_evidence.py`` plus one tie whose
sources carry markup payloads. Screenshots for a person to look at are saved under
``test-artifacts/evidence/``: desktop (1280 wide), in a 600 px iframe, and at 360 px.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Dialog, Frame, Page

from app.api.main import create_app
from app.domain.models import Document, Relationship
from app.domain.terms import wording
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.browser.canvas import EDGE_PANEL, EDGE_POINT, click
from tests.browser.conftest import ARTIFACTS, AppThread, HostPages
from tests.browser.test_accessibility import AXE, violations
from tests.browser.test_markup_injection import GUARD, PROBE
from tests.unit.test_map_evidence import ENABLES_INFERRED, ORGS, TIES

SHOTS = ARTIFACTS / "evidence"
SCRIPT_CITATION = "<script>window.__xss=201</script>Brief"
IMG_REASON = '<img src=x onerror="window.__xss=202">partners'
BOLD_QUOTE = "<b>bold</b><svg onload=window.__xss=203>"
LOCATOR = '"><iframe src="javascript:window.__xss=204">'
PAYLOAD_TIE = Relationship.model_validate(
    {
        "id": "care-partners-with-fbh",
        "type": "PARTNERS_WITH",
        "source": "care",
        "target": "fbh",
        "sources": [
            {
                "citation": SCRIPT_CITATION,
                "locator": LOCATOR,
                "basis": "inferred",
                "reason": IMG_REASON,
                "year": 2020,
            },
            {"citation": "UTRASD et al. 2020", "basis": "stated", "quote": BOLD_QUOTE},
        ],
    }
)
"""A tie whose sources hold markup in the citation, locator, reason and quote; stated by its
second source, so it is drawn solid."""


class EvidenceServer(AppThread):
    """The app over an embedded store holding the test's graph, served in a thread."""

    def __init__(self, data_dir: Path, allowed_origin: str) -> None:
        store = MemoryStore(data_dir / "store")
        store.load(Document(organizations=ORGS, relationships=[*TIES, PAYLOAD_TIE]))
        settings = Settings(data_dir=data_dir / "app", embed_origins=allowed_origin)
        super().__init__(create_app(lambda: store, settings))
        self.framed = f"http://localhost:{self.port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[EvidenceServer]:
    with EvidenceServer(tmp_path_factory.mktemp("evidence"), host.allowed) as running:
        yield running


def ready(where: Page | Frame) -> None:
    where.wait_for_selector("body[data-map-ready='true']", state="attached")


def open_edge(where: Page | Frame, edge_id: str) -> None:
    """Point at the middle of the edge's curve and click, until its panel shows (pointing
    shows it; on a narrow screen the panel then lies under the pointer)."""
    click(where, EDGE_POINT, edge_id, EDGE_PANEL)


def open_legend(where: Page | Frame) -> None:
    if where.locator("#legend-box").get_attribute("open") is None:
        where.click("#legend-box summary")


def shot(where: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    where.screenshot(path=str(SHOTS / f"{name}.png"))


def clean(where: Page | Frame) -> None:
    """No payload ran or became an element."""
    state: dict[str, Any] = where.evaluate(PROBE)
    assert state == {"xss": None, "csp": [], "found": []}, state


def test_the_inferred_tie_is_dashed_and_its_panel_gives_each_source_basis(
    page: Page, server: EvidenceServer
) -> None:
    page.context.add_init_script(GUARD)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server.base}/maps/ecosystem")
    ready(page)
    drawn = page.evaluate(
        "(id) => window.solgraphMap.network.body.data.edges.get(id).dashes", ENABLES_INFERRED.id
    )
    assert drawn == [10, 6], "the tie UTRASD enables IMA Limpia is our reading: dashed"
    solid = page.evaluate(
        "() => window.solgraphMap.network.body.data.edges.get('utrasd-established-ima-limpia')"
        ".dashes"
    )
    assert solid is False, "the stated ESTABLISHED tie is solid"
    open_legend(page)
    entry = page.locator("#legend li[data-channel='basis']")
    assert entry.text_content() == "inferred (our reading of the source, not its words)"
    assert entry.locator("line").get_attribute("stroke-dasharray") == "10 6"

    open_edge(page, ENABLES_INFERRED.id)
    heading = page.locator("#details h2")
    assert (
        heading.text_content() == "Unión de Trabajadoras del Servicio Doméstico enables IMA Limpia"
    )
    assert heading.evaluate("h => getComputedStyle(h).fontStyle") == "italic"
    note = page.locator("#details .inferred-note")
    assert note.locator(".basis").text_content() == "inferred"
    assert "no source states this tie" in (note.text_content() or "")
    facts = dict(
        zip(
            page.locator("#details dt").all_text_contents(),
            page.locator("#details dd").all_text_contents(),
            strict=True,
        )
    )
    assert facts["Since"] == "undated, reported in 2020", "its earliest source is of 2020"
    assert facts["Evidence"] == "our inference: no source states it"
    items = page.locator("#details .sources li")
    assert items.count() == 2
    for index, source in enumerate(ENABLES_INFERRED.sources):
        item = items.nth(index)
        assert item.locator(".basis").text_content() == "inferred"
        assert item.locator(".cite").text_content() == f"{source.citation}, {source.locator}"
        assert item.locator(".reason").text_content() == f"Our reading: {source.reason}"
    shot(page, "desktop-map-inferred-edge-panel")

    page.click("#details .close")
    open_edge(page, "utrasd-established-ima-limpia")
    stated = page.locator("#details .sources li").first
    assert stated.locator(".basis").text_content() == "stated"
    assert stated.locator("q").text_content() == (
        "A worker-led and managed social enterprise was developed"
    )
    assert page.locator("#details .inferred-note").count() == 0, "a stated tie is not marked"
    assert page.locator("#details h2").evaluate("h => getComputedStyle(h).fontStyle") == "normal"
    clean(page)


def test_markup_in_a_sources_citation_reason_and_quote_is_shown_as_text(
    page: Page, server: EvidenceServer
) -> None:
    page.context.add_init_script(GUARD)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(f"{server.base}/maps/ecosystem")
    ready(page)
    open_edge(page, PAYLOAD_TIE.id)
    guess, words = page.locator("#details .sources li").all()
    assert guess.locator(".basis").text_content() == "inferred"
    assert guess.locator(".cite").text_content() == f"{SCRIPT_CITATION}, {LOCATOR}"
    assert guess.locator(".reason").text_content() == f"Our reading: {IMG_REASON}"
    assert words.locator(".basis").text_content() == "stated"
    assert words.locator("q").text_content() == BOLD_QUOTE
    clean(page)

    page.goto(f"{server.base}/?organization=care")
    page.wait_for_selector("#details .tie-sources li")
    tie = page.locator("#details .relationships li.tie", has_text="Fundación Bien Humano")
    cites = tie.locator(".tie-sources .cite").all_text_contents()
    assert cites == [f"{SCRIPT_CITATION}, {LOCATOR}", "UTRASD et al. 2020"]
    assert tie.locator(".reason").text_content() == f"Our reading: {IMG_REASON}"
    assert tie.locator("q").text_content() == BOLD_QUOTE
    for frame in page.frames:
        if frame.url not in ("", "about:blank"):
            clean(frame)
    assert dialogs == []


def test_in_a_600_px_iframe_the_dashes_legend_and_panel_fit(
    page: Page, server: EvidenceServer, host: HostPages
) -> None:
    page.set_viewport_size({"width": 940, "height": 640})
    src = f"{server.framed}/embed/ecosystem"
    page.goto(f"{host.allowed}/host?{urlencode({'src': src})}")
    page.frame_locator("#f").locator("body[data-map-ready='true']").wait_for(state="attached")
    [frame] = [f for f in page.frames if f != page.main_frame]
    outer = page.locator("#f").bounding_box()
    assert outer is not None
    bottom, right = outer["y"] + outer["height"], outer["x"] + outer["width"]
    open_legend(frame)
    legend = frame.locator("#legend li[data-channel='basis']").bounding_box()
    assert legend is not None and legend["y"] + legend["height"] <= bottom
    shot(page, "iframe-map-legend")
    frame.click("#legend-box summary")
    open_edge(frame, ENABLES_INFERRED.id)
    panel = frame.locator("#details").bounding_box()
    assert panel is not None and panel["x"] + panel["width"] <= right
    assert frame.locator("#details .sources li .basis").first.text_content() == "inferred"
    shot(page, "iframe-map-inferred-edge-panel")


def test_at_360_px_the_legend_and_panel_are_readable(page: Page, server: EvidenceServer) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server.base}/maps/ecosystem")
    ready(page)
    open_legend(page)
    assert page.is_visible("#legend li[data-channel='basis']")
    shot(page, "phone-map-legend")
    page.click("#legend-box summary")
    open_edge(page, ENABLES_INFERRED.id)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "phone-map-inferred-edge-panel")


ENABLED_BY = wording("relationship_types", "ENABLES").inverse
"""How an enabling tie reads in the panel of the organisation it enables."""


def test_the_explorer_shows_bases_and_keeps_the_switch_in_the_address(
    page: Page, server: EvidenceServer
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.base}/?organization=ima-limpia")
    page.wait_for_selector("#details .relationships li.tie")
    guess = page.locator("#details li.tie", has_text="Unión de Trabajadoras").filter(
        has_text=ENABLED_BY
    )
    assert guess.locator(".basis").first.text_content() == "inferred"
    assert guess.locator(".when").text_content() == "(undated, reported in 2020)"
    fbh = page.locator("#details li.tie", has_text="Fundación Bien Humano")
    assert fbh.locator(".when").text_content() == "(since 2021; inferred: start year)"
    assert page.locator("#details > section .sources li .basis").all_text_contents() == ["stated"]
    shot(page, "desktop-explorer-panel")

    page.check("#basis-switch input[value='stated']")
    page.wait_for_url("**/?organization=ima-limpia&basis=stated")
    page.wait_for_selector("#details .relationships + p.hint")
    assert "1 tie rests on our inference only" in (
        page.text_content("#details .relationships + p.hint") or ""
    )
    assert (
        page.locator("#details li.tie", has_text=ENABLED_BY)
        .filter(has_text="Unión de Trabajadoras")
        .count()
        == 0
    )
    fbh = page.locator("#details li.tie", has_text="Fundación Bien Humano")
    assert fbh.locator(".when").text_content() == "(undated, reported in 2020)", (
        "the inferred start year reads as unknown"
    )
    frame = page.locator("#map-frame").element_handle().content_frame()
    assert frame is not None
    frame.wait_for_url("**/embed/organizations/ima-limpia?basis=stated")
    ready(frame)
    assert "basis=stated" in page.input_value("#snippet")
    ids = frame.evaluate("() => window.solgraphMap.data.edges.map(e => e.id)")
    assert ENABLES_INFERRED.id not in ids
    shot(page, "desktop-explorer-stated")

    page.go_back()
    page.wait_for_url("**/?organization=ima-limpia")
    assert page.is_checked("#basis-switch input[value='any']")


def test_the_explorer_panel_at_360_px(page: Page, server: EvidenceServer) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{server.base}/?organization=ima-limpia")
    page.wait_for_selector("#details .relationships li.tie")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#details .relationships").scroll_into_view_if_needed()
    shot(page, "phone-explorer-panel")


@pytest.mark.parametrize(
    "path",
    [
        "/maps/ecosystem",
        "/maps/ecosystem?basis=stated",
        "/embed/organizations/utrasd?depth=2",
        "/?organization=ima-limpia",
        "/?organization=ima-limpia&basis=stated",
    ],
)
def test_no_serious_accessibility_violation(
    browser: Browser, server: EvidenceServer, path: str
) -> None:
    assert AXE.exists(), "make test installs axe-core with npm ci"
    # axe is injected as an inline script, which the pages' policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(server.base + path)
    if path.startswith(("/maps/", "/embed/")):
        ready(page)
        open_legend(page)
        open_edge(page, ENABLES_INFERRED.id if "stated" not in path else "afd-enables-ima-limpia")
    else:
        page.wait_for_selector("#details .relationships li.tie")
    found = violations(page)
    context.close()
    assert found == [], found
