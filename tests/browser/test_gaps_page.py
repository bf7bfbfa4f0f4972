"""The gaps page for funders in a real headless Chromium: the country-by-sector table, the
organisations behind a cell, and the gaps in words; screenshots under test-artifacts/analysis/.

Box 3 of the brief: UTRASD developed IMA Limpia, a Colombian domestic-work social enterprise,
"with financial and technical support from enabling partners including the French Development
Agency, CARE Latin America and the Caribbean and Fundación Bien Humano". Box 5: the Social Law
Project is the enabling partner of the South African platform cooperative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, Request

from app.maps.figures import shades
from tests.browser.conftest import ARTIFACTS, MARKUP_GROUPS, HostPages, LiveServer
from tests.browser.test_accessibility import AXE, violations

SHOTS = ARTIFACTS / "analysis"
COLOMBIA_DOMESTIC = re.compile(r"^Colombia, Domestic work: ")
ENABLERS = [
    "Unión de Trabajadoras del Servicio Doméstico",
    "French Development Agency",
    "CARE Latin America and the Caribbean",
    "Fundación Bien Humano",
]


@pytest.fixture(scope="module")
def seed_live(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[LiveServer]:
    """The brief's ecosystem alone, as a funder would see it."""
    data = tmp_path_factory.mktemp("gaps")
    with LiveServer(host.allowed, data, seed_only=True) as server:
        yield server


def open_gaps(page: Page, base: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base + "/analysis/gaps")
    page.wait_for_selector("body[data-ready='true']")


def test_a_cell_lists_ima_limpia_and_its_enablers(page: Page, seed_live: LiveServer) -> None:
    outside: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith((seed_live.base, "data:")):
            outside.append(request.url)

    page.on("request", record)
    open_gaps(page, seed_live.base, 1400, 900)
    assert page.get_attribute("h1 + a", "href") == "/api/analysis/gaps"
    # What a screen reader says for the cell: its numbers in words.
    words = "Colombia, Domestic work: 1 union or workers' organisation, 1 SSE unit, 4 enablers"
    cell = page.get_by_role("button", name=words, exact=True)
    cell.click()
    panel = page.locator("#cell")
    assert panel.locator("h3").text_content() == "Colombia · Domestic work"
    sse = panel.locator("h4:has-text('SSE units') + ul a")
    assert sse.all_text_contents() == ["IMA Limpia"]
    assert sse.get_attribute("href") == "/maps/organizations/ima-limpia"
    enablers = panel.locator("h4:has-text('Enablers') + ul a").all_text_contents()
    assert sorted(enablers) == sorted(ENABLERS)
    assert cell.get_attribute("aria-pressed") == "true"
    assert page.evaluate("location.hash") == "#CO/domestic_work", "the cell is in the address"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gaps-1400x900.png"))
    page.screenshot(path=str(SHOTS / "gaps-1400-full.png"), full_page=True)
    assert outside == [], "the page loads nothing from outside the server"


def test_cells_wear_the_figures_colours(page: Page, seed_live: LiveServer) -> None:
    open_gaps(page, seed_live.base, 1400, 900)
    chips = page.get_by_role("button", name=COLOMBIA_DOMESTIC).locator(".chip")
    assert chips.all_text_contents() == ["1", "1", "4"]
    colours = chips.evaluate_all("(cs) => cs.map((c) => getComputedStyle(c).backgroundColor)")
    one, four = ([s for s in shades() if s.low <= n][-1] for n in (1, 4))
    assert colours == [rgb(one.background), rgb(one.background), rgb(four.background)]


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


UNMARKED = """(items) => items.map((item) => {
  const copy = item.cloneNode(true);
  copy.querySelectorAll(".inferred-mark, .gap-matches").forEach((mark) => mark.remove());
  return copy.textContent.trim();
})"""
"""The text of each item without its "inferred" mark (which ``test_evidence_pages`` checks)
and its link to the matches (which ``test_matching_browser`` follows)."""


def test_the_gaps_read_as_names(page: Page, seed_live: LiveServer) -> None:
    open_gaps(page, seed_live.base, 1400, 900)
    lines = page.locator(".gap-kind li").evaluate_all(UNMARKED)
    assert "Digital Platform Cooperative Project depends on Social Law Project (SLP) alone" in lines
    assert "Uganda · Transport: Amalgamated Transport and General Workers Union (ATGWU)" in lines
    assert not [line for line in lines if re.search(r"\b[a-z]+-[a-z-]+\b", line)], "no ids"
    single = page.locator(".gap-kind", has_text="depend on a single enabler")
    single.locator("summary").click()
    assert "Box 6" in (single.locator("details p").text_content() or "")


def test_an_address_opens_its_cell_and_filters_narrow(page: Page, seed_live: LiveServer) -> None:
    page.goto(seed_live.base + "/analysis/gaps?country=CO#CO/care_work")
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#cell h3").text_content() == "Colombia · Care work"
    assert page.locator("#matrix tbody th").all_text_contents() == ["Colombia"]
    assert page.input_value("#filter-country") == "CO"
    page.select_option("#filter-country", "")
    page.select_option("#filter-sector", "street_vending")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"/analysis/gaps\?sector=street_vending$"))
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#matrix tbody th").all_text_contents() == ["Kenya"]


def test_fits_360_pixels(page: Page, seed_live: LiveServer) -> None:
    open_gaps(page, seed_live.base, 360, 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gaps-360x800.png"))
    page.get_by_role("button", name=COLOMBIA_DOMESTIC).click()
    page.locator("#cell h4:has-text('Enablers') + ul a", has_text=ENABLERS[1]).wait_for()
    page.screenshot(path=str(SHOTS / "gaps-360-cell.png"))
    page.screenshot(path=str(SHOTS / "gaps-360-full.png"), full_page=True)


def test_markup_in_names_stays_text(page: Page, live: LiveServer) -> None:
    """The shared live server adds cooperatives in Colombia's domestic work whose funders and
    names are markup payloads (see conftest)."""
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_gaps(page, live.base, 1400, 900)
    page.get_by_role("button", name=COLOMBIA_DOMESTIC).click()
    shown = set(page.locator("#cell a").all_text_contents())
    assert {o.name for g in MARKUP_GROUPS for o in (g.coop, g.funder)} <= shown
    assert page.locator("main img, main script, main iframe, main b, main svg").count() == 0
    assert page.evaluate("window.__xss") is None, "no injected script ran"
    assert dialogs == []


@pytest.mark.parametrize("width", [1400, 360])
def test_no_serious_accessibility_violation(
    browser: Browser, seed_live: LiveServer, width: int
) -> None:
    assert AXE.exists(), "make test installs axe-core with npm ci"
    # axe is injected as an inline script, which the page's policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(seed_live.base + "/analysis/gaps#CO/domestic_work")
    page.wait_for_selector("body[data-ready='true']")
    page.locator(".gap-kind summary").first.click()
    found = violations(page)
    context.close()
    assert found == [], found
