"""Accessibility in Chromium: axe-core (the npm package, installed by ``make test``) finds no
serious or critical violation on the explorer and the map pages, and a person with only a
keyboard gets from search to an organisation's enablers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import LiveServer

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "/",
    "/?organization=ima-limpia&map=enablers",
    "/maps/ecosystem",
    "/maps/organizations/utrasd?depth=2",
    "/maps/organizations/ima-limpia/enablers",
    "/maps/partnerships/partnership-ima-limpia",
    "/embed/ecosystem",
]


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target) }))"
    )
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(browser: Browser, live: LiveServer, path: str) -> None:
    assert AXE.exists(), "make test installs axe-core with npm ci"
    # Our pages forbid inline scripts; axe is injected as one, so this context lets it run.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(live.base + path)
    if path.startswith(("/maps/", "/embed/")):
        page.wait_for_selector("body[data-map-ready='true']", state="attached")
    else:
        page.wait_for_selector("#map-frame")
        page.wait_for_timeout(800)
    found = violations(page)
    if path.startswith("/maps/"):
        page.click("#as-table")
        found += violations(page)
    context.close()
    assert found == [], found


def test_from_search_to_enablers_with_the_keyboard_only(page: Page, live: LiveServer) -> None:
    page.goto(live.base + "/")

    def tab_to(element_id: str) -> None:
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement && document.activeElement.id") == (
                element_id
            ):
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("search")
    page.keyboard.type("IMA Limpia")
    page.wait_for_selector("#suggestions button[data-id='ima-limpia']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#details h2:has-text('IMA Limpia')")
    tab_to("view-enablers")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('map-frame').contentWindow.location.pathname"
        " === '/embed/organizations/ima-limpia/enablers'"
    )
    frame = page.frame_locator("#map-frame")
    frame.locator("body[data-map-ready='true']").wait_for(state="attached")
    assert frame.locator("#map-title").text_content() == "Who enables IMA Limpia"
