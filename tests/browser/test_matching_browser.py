"""From the gaps page to who could fill a gap, in a real headless Chromium: a funder follows a
gap's link to a ranked list of matches, each with its reasons and their sources in words;
the shortlist page sits beside the gaps page; the profile lists its matches; names stay text;
axe-core finds no serious violation. Screenshots under test-artifacts/matching/: desktop
(1280 wide), in a 600 px iframe, and at 360 px.

Box 6 of the brief: NISCOF "has since focused on securing seed funding to revive the SACCO";
the brief names "COTU-K support to NISCOF in Kenya", a street vendors' organisation. So the
gap "funding sought" leads to the SACCO's enablers, COTU-K first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page

from tests.browser.conftest import ARTIFACTS, MARKUP_GROUPS, HostPages, LiveServer
from tests.browser.test_accessibility import AXE, violations

SHOTS = ARTIFACTS / "matching"
COTU_K = "Central Organization of Trade Unions Kenya"
SACCO = "/analysis/matches/niscof-sacco?kind=enabler"


@pytest.fixture(scope="module")
def seed_live(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[LiveServer]:
    """The brief's ecosystem alone, as a funder would see it."""
    data = tmp_path_factory.mktemp("matching")
    with LiveServer(host.allowed, data, seed_only=True) as server:
        yield server


def ready(page: Page) -> None:
    page.wait_for_selector("body[data-ready='true']", state="attached")


def test_from_a_gap_to_a_ranked_list_with_reasons_and_sources(
    page: Page, seed_live: LiveServer
) -> None:
    page.goto(seed_live.base + "/analysis/gaps")
    ready(page)
    gap = page.locator(".gap-kind li", has_text="seeks funding for")
    # One click (of the two the issue allows): the gap's link to who could enable the SACCO.
    gap.get_by_role("link", name="Who could enable NISCOF SACCO").click()
    page.wait_for_url(seed_live.base + SACCO)
    ready(page)
    assert page.locator("h1").text_content() == "Who could enable NISCOF SACCO"
    first = page.locator("#matches > li").first
    assert (first.locator("h3 a").text_content() or "").startswith(COTU_K)
    assert first.locator(".tier").text_content() == "Active in its country and sector · score 13"
    reasons = first.locator(".reasons > li")
    said = reasons.first.text_content() or ""
    assert said.startswith("enables NISCOF in street vending in Kenya")
    assert "Sources: ILO Brief (Trade unions and SSE partnerships), Box 6" in said
    assert (first.locator(".gives").first.text_content() or "") == "How it enables: advocacy"
    # The ranking's weights, each with the brief's words.
    how = page.locator("#how tbody tr").first.text_content() or ""
    assert "Tailoring support to sector and geography is critical" in how
    # The other kind of match is one click away; the page keeps the answer's address as JSON.
    assert page.get_attribute("#kinds a[aria-current=page]", "href") == SACCO
    assert (
        page.get_attribute("h1 + a", "href")
        == "/api/organizations/niscof-sacco/matches?kind=enabler"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "desktop-matches.png"), full_page=True)


def test_the_shortlist_is_linked_from_the_gaps_page(page: Page, seed_live: LiveServer) -> None:
    page.goto(seed_live.base + "/analysis/gaps")
    ready(page)
    page.click("#shortlist-link")
    page.wait_for_url(seed_live.base + "/analysis/shortlist")
    ready(page)
    picks = page.locator("#picks > li")
    assert picks.count() == 5
    first = picks.first
    assert " could " in (first.locator("h3").text_content() or "")
    assert first.locator(".closes li").count() >= 1
    assert "Sources: " in (first.locator(".reasons li").first.text_content() or "")
    assert (page.locator("#how").text_content() or "").startswith("Exact:")
    page.fill("#filter-n", "2")
    page.click("#filters button[type=submit]")
    page.wait_for_url(seed_live.base + "/analysis/shortlist?n=2")
    ready(page)
    assert page.locator("#picks > li").count() == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(seed_live.base + "/analysis/shortlist")
    ready(page)
    page.screenshot(path=str(SHOTS / "desktop-shortlist.png"), full_page=True)


def test_the_profile_lists_its_matches(page: Page, seed_live: LiveServer) -> None:
    page.goto(seed_live.base + "/organizations/niscof-sacco")
    ready(page)
    section = page.locator("section", has=page.locator("h2", has_text="Who could enable it"))
    assert (section.locator("li").first.text_content() or "").startswith(COTU_K)
    section.get_by_role("link", name="ranked, with the sources of each reason").click()
    page.wait_for_url(seed_live.base + SACCO)


@pytest.mark.parametrize("path", [SACCO, "/analysis/shortlist"])
def test_fits_360_pixels_and_a_600_px_frame(
    browser: Browser, seed_live: LiveServer, path: str
) -> None:
    name = "matches" if "matches" in path else "shortlist"
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(seed_live.base + path)
    ready(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"))
    context.close()
    context = browser.new_context(viewport={"width": 640, "height": 640})
    page = context.new_page()
    # The pages may be framed by the site itself: a page of ours holds the 600 px frame.
    page.goto(seed_live.base + "/static/analysis.css")
    page.evaluate(
        """(src) => { const f = document.createElement('iframe');
        f.src = src; f.width = 600; f.height = 600; f.id = 'f';
        document.body.replaceChildren(f); }""",
        path,
    )
    page.frame_locator("#f").locator("body[data-ready='true']").wait_for(state="attached")
    inner = page.locator("#f").element_handle().content_frame()
    assert inner is not None
    assert inner.evaluate("document.documentElement.scrollWidth") <= 600
    page.screenshot(path=str(SHOTS / f"iframe-{name}.png"))
    context.close()


def test_markup_in_names_stays_text(page: Page, live: LiveServer) -> None:
    """The shared live server adds funders of Colombian domestic-work cooperatives whose names
    and sources are markup payloads (see conftest): they are IMA Limpia's enabler matches."""
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(live.base + "/analysis/matches/ima-limpia?kind=enabler&limit=100")
    ready(page)
    shown = set(page.locator("#matches h3 a").all_text_contents())
    assert {g.funder.name for g in MARKUP_GROUPS} <= shown
    assert page.locator("main img, main script, main iframe, main b, main svg").count() == 0
    assert page.evaluate("window.__xss") is None, "no injected script ran"
    assert dialogs == []


@pytest.mark.parametrize("path", [SACCO, "/analysis/shortlist", "/analysis/matches/kkpkp"])
@pytest.mark.parametrize("width", [1280, 360])
def test_no_serious_accessibility_violation(
    browser: Browser, seed_live: LiveServer, path: str, width: int
) -> None:
    assert AXE.exists(), "make test installs axe-core with npm ci"
    # axe is injected as an inline script, which the page's policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(seed_live.base + path)
    ready(page)
    found = violations(page)
    context.close()
    assert found == [], found
