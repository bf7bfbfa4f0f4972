"""Maps in Spanish, French and Portuguese in Chromium (issue 22, point 5): the legend, the
details and the table in the page's language, at 1280 px, in a 600 px frame on another site and
at 360 px; axe-core clean in every language. Screenshots: test-artifacts/languages-*.png."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page

from app.domain.languages import LANGUAGES, Language
from app.domain.messages import script_messages
from app.domain.terms import label
from tests.browser.conftest import ARTIFACTS, HostPages, LiveServer
from tests.browser.test_accessibility import violations

TRANSLATED = LANGUAGES[1:]


def said(lang: Language, message: str) -> str:
    """A script's message as the page's catalogue says it."""
    return script_messages(lang).get(message, message)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"languages-{name}.png"))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_ecosystem_map_reads_in_the_language_asked_for(
    page: Page, live: LiveServer, lang: Language
) -> None:
    page.goto(f"{live.base}/maps/ecosystem?lang={lang}")
    page.wait_for_selector("body[data-map-ready='true']", state="attached")
    assert page.evaluate("document.documentElement.lang") == lang
    page.locator("#legend-box").evaluate("box => { box.open = true; }")
    headings = page.locator("#legend h2").all_text_contents()
    assert said(lang, "Colour: movement") in headings
    assert said(lang, "Shape: kind of organisation") in headings
    items = page.locator("#legend li").all_text_contents()
    assert label("movements", "sse", lang) in items
    page.click("#as-table")
    assert page.locator("#as-table").text_content() == said(lang, "Map")
    assert said(lang, "Organisations") in page.locator("#map-table h2").all_text_contents()
    page.click("#as-table")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"ecosystem-{lang}-{width}")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_an_embed_in_a_600_px_frame_keeps_the_language_of_its_address(
    page: Page, live: LiveServer, host: HostPages, lang: Language
) -> None:
    embed = f"{live.base}/embed/organizations/ima-limpia/enablers?lang={lang}"
    page.set_viewport_size({"width": 600, "height": 700})
    page.goto(f"{host.allowed}/host?{urlencode({'src': embed})}")
    frame = page.frame_locator("#f")
    frame.locator("body[data-map-ready='true']").wait_for(state="attached")
    assert frame.locator("html").get_attribute("lang") == lang
    frame.locator("#legend-box").evaluate("box => { box.open = true; }")
    columns = frame.locator("#legend h2").all_text_contents()
    assert said(lang, "Columns: distance in the chain") in columns
    shot(page, f"enablers-embed-{lang}-600")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_maps_in_every_language_pass_axe(
    browser: Browser, live: LiveServer, lang: Language
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live.base}/maps/organizations/ima-limpia/enablers?lang={lang}")
    page.wait_for_selector("body[data-map-ready='true']", state="attached")
    found = violations(page)
    page.click("#as-table")
    found += violations(page)
    context.close()
    assert found == [], (lang, found)
