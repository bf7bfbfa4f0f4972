"""The explorer, maps and embeds in a real headless Chromium.

The brief's Box 3: UTRASD established IMA Limpia, so UTRASD's details show IMA Limpia; and "A
worker-led and managed social enterprise was developed with financial and technical support
from enabling partners including the French Development Agency", the words AFD's details cite.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Dialog, Page, Request

from tests.browser.canvas import NODE_POINT, NODE_SELECTED, click
from tests.browser.conftest import XSS_NAME, HostPages, LiveServer


def test_explorer_search_select_shows_ima_limpia(page: Page, live: LiveServer) -> None:
    outside: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith((live.base, "data:", "blob:")):
            outside.append(request.url)

    page.on("request", record)
    page.goto(live.base + "/")
    page.fill("#search", "UTRASD")
    page.click("#suggestions button[data-id='utrasd']")  # click 1: the suggestion
    page.wait_for_selector("#details h2")
    assert page.text_content("#details h2") == "Unión de Trabajadoras del Servicio Doméstico"
    page.wait_for_selector("#details .relationships li:has-text('IMA Limpia')")
    page.click("#view-enablers")  # click 2: the enablers map
    frame = page.frame_locator("#map-frame")
    # The frame held UTRASD's own map a moment ago: wait for the new map's title, not any map.
    frame.locator("#map-title").filter(has_text="Who enables").wait_for()
    frame.locator("body[data-map-ready='true']").wait_for()
    assert "/embed/organizations/utrasd/enablers" in page.input_value("#snippet")
    assert outside == [], "the page loads nothing from outside the server"


def test_map_shows_legend_and_details_on_click(page: Page, live: LiveServer) -> None:
    page.goto(live.base + "/maps/organizations/ima-limpia/enablers")
    page.wait_for_selector("body[data-map-ready='true']")
    assert page.locator("#legend li").count() > 10
    click_node(page, "afd")
    page.wait_for_selector("#details h2")
    assert page.text_content("#details h2") == "French Development Agency"
    sources = page.locator("#details .sources li").first
    assert sources.locator(".cite").text_content() == (
        "ILO Brief (Trade unions and SSE partnerships), Box 3"
    )
    assert "financial and technical support from enabling partners including the French " in (
        sources.locator("q").text_content() or ""
    )


def click_node(page: Page, node_id: str) -> None:
    """Click an organisation's node on the canvas, where vis-network drew it, until chosen."""
    click(page, NODE_POINT, node_id, NODE_SELECTED)


def test_injected_markup_stays_text(page: Page, live: LiveServer) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(live.base + "/maps/organizations/xss-payload")
    page.wait_for_selector("body[data-map-ready='true']")
    assert page.text_content("#map-title") == f"{XSS_NAME} and its ties"
    click_node(page, "xss-payload")
    page.wait_for_selector("#details h2")
    assert page.text_content("#details h2") == XSS_NAME
    assert page.locator("#details img, #details script, #details b").count() == 0
    page.goto(live.base + "/?organization=xss-payload")
    page.wait_for_selector("#details h2")
    assert page.text_content("#details h2") == XSS_NAME
    page.fill("#search", "img src")
    page.wait_for_selector("#suggestions button[data-id='xss-payload']")
    assert page.evaluate("window.__xss") is None, "no injected script ran"
    assert dialogs == []


def test_embed_in_an_allowed_origin_and_refused_elsewhere(
    page: Page, live: LiveServer, host: HostPages
) -> None:
    embed = f"{live.base}/embed/organizations/utrasd"
    page.goto(f"{host.allowed}/host?{urlencode({'src': embed})}")
    frame = page.frame_locator("#f")
    frame.locator("body[data-map-ready='true']").wait_for()
    assert "Servicio Doméstico" in (frame.locator("#map-title").text_content() or "")
    page.goto(f"{host.refused}/host?{urlencode({'src': embed})}")
    page.wait_for_timeout(1500)
    [framed] = [f for f in page.frames if f != page.main_frame]
    assert framed.evaluate("document.getElementById('map')") is None, "framing was refused"


@pytest.mark.parametrize(("width", "maxwidth"), [(1280, None), (600, 560), (360, 340)])
def test_a_pasted_map_link_becomes_the_map_on_another_site(
    page: Page, live: LiveServer, host: HostPages, width: int, maxwidth: int | None
) -> None:
    """What a content system following oEmbed discovery does with a pasted link: read the
    page's discovery link, fetch the answer, and place its ``html`` in its own page."""
    link = f"{live.base}/maps/organizations/ima-limpia/enablers"
    found = re.search(r'type="application/json\+oembed" href="([^"]+)"', httpx.get(link).text)
    assert found is not None
    asked = html.unescape(found[1]) + (f"&maxwidth={maxwidth}" if maxwidth else "")
    answer = httpx.get(asked).json()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{host.allowed}/host?src=about:blank")
    place = "markup => { document.body.innerHTML = markup; }"
    page.evaluate(place, answer["html"])
    placed = "iframe[title='Who enables IMA Limpia']"
    frame = page.frame_locator(placed)
    frame.locator("body[data-map-ready='true']").wait_for()
    assert (frame.locator("#map-title").text_content() or "") == "Who enables IMA Limpia"
    box = page.locator(placed).bounding_box()
    assert box is not None and box["width"] == (maxwidth or 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= max(width, box["width"] + 16)


def test_explorer_fits_360_pixels(page: Page, live: LiveServer) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live.base + "/?organization=utrasd")
    page.wait_for_selector("#details h2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_png_export_of_the_current_view(page: Page, live: LiveServer) -> None:
    page.goto(live.base + "/maps/organizations/utrasd")
    page.wait_for_selector("body[data-map-ready='true']")
    with page.expect_download() as download:
        page.click("#export-png")
    path = download.value.path()
    assert path is not None
    with open(path, "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"
