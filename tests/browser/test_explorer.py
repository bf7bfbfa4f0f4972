"""The explorer as a person uses it: mostly map, a view that lives in the address, keyboard
search, and filters that offer only what the data holds.

Facts from the brief: UTRASD is a Colombian union (Box 3); Colombia and street vending share no
organisation in the seed, while Kenya and street vending do (Box 6: KENASVIT, NISCOF).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import ARTIFACTS, LiveServer

SHOTS = ARTIFACTS / "explorer"


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def shows(page: Page, view: str) -> bool:
    """Wait until the map frame shows ``view`` (path and query); fail after the timeout."""
    page.wait_for_function(
        "(view) => { const f = document.getElementById('map-frame').contentWindow.location;"
        " return f.pathname + f.search === view; }",
        arg=view,
    )
    return True


def test_the_map_takes_most_of_the_window(page: Page, live: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live.base + "/")
    box = page.locator("#map-frame").bounding_box()
    assert box is not None
    assert box["width"] * box["height"] >= 0.6 * 1280 * 800
    assert page.is_hidden("#views"), "no map buttons before an organisation is chosen"


def test_keyboard_search_and_a_view_that_lives_in_the_address(page: Page, live: LiveServer) -> None:
    page.goto(live.base + "/")
    page.focus("#search")
    page.keyboard.type("UTRASD")
    page.wait_for_selector("#suggestions button[data-id='utrasd']")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#details h2:has-text('Servicio Doméstico')")
    assert query(page)["organization"] == ["utrasd"]
    assert shows(page, "/embed/organizations/utrasd")
    page.click("#view-enablers")
    assert query(page)["map"] == ["enablers"]
    assert shows(page, "/embed/organizations/utrasd/enablers")
    page.evaluate("history.back()")
    page.wait_for_function("() => !location.search.includes('enablers')")
    assert shows(page, "/embed/organizations/utrasd")
    shared = f"{live.base}/?organization=utrasd&map=enablers"
    page.goto(shared)
    page.wait_for_selector("#details h2:has-text('Servicio Doméstico')")
    assert shows(page, "/embed/organizations/utrasd/enablers")
    assert page.get_attribute("#view-enablers", "aria-pressed") == "true"


def test_an_unknown_organisation_gets_words_not_a_status_code(page: Page, live: LiveServer) -> None:
    page.goto(live.base + "/?organization=ima-limpa")
    page.wait_for_selector("#details h2:has-text('No organisation')")
    assert "404" not in (page.text_content("#details") or "")
    suggestion = page.locator(".did-you-mean a").first
    suggestion.wait_for()
    assert suggestion.get_attribute("href") == "/?organization=ima-limpia", "a near miss"


def test_filters_offer_what_the_data_holds_and_say_when_nothing_matches(
    page: Page, live: LiveServer
) -> None:
    facets = page.request.get(live.base + "/api/facets").json()
    page.goto(live.base + "/")
    page.wait_for_selector("#filter-country option[value='KE']", state="attached")
    offered = page.eval_on_selector_all(
        "#filter-country option", "options => options.map(o => o.value).filter(Boolean)"
    )
    assert sorted(offered) == sorted(v["key"] for v in facets["countries"])
    assert len(offered) < 20, "only the countries organisations have, not all 249"
    kenya = page.text_content("#filter-country option[value='KE']") or ""
    assert kenya.startswith("Kenya (")
    page.click("#filters summary")
    page.select_option("#filter-country", "CO")
    page.select_option("#filter-sector", "street_vending")
    page.wait_for_selector("#filter-empty:not([hidden])")
    assert query(page)["country"] == ["CO"] and query(page)["sector"] == ["street_vending"]
    assert "Colombia" in (page.text_content("#filter-empty") or "")
    page.click("#clear-filters")
    page.wait_for_selector("#filter-empty", state="hidden")
    assert shows(page, "/embed/ecosystem")
    page.select_option("#filter-country", "KE")
    page.select_option("#filter-sector", "street_vending")
    assert page.is_hidden("#filter-empty")
    assert shows(page, "/embed/ecosystem?country=KE&sector=street_vending")


def test_a_funders_question_by_clicking_only_and_shared_as_an_address(
    page: Page, live: LiveServer
) -> None:
    """From the explorer to "which organisations in Colombia's domestic-work sector depend on a
    single enabler?" by clicks alone; the answer's address opens the same view again. Box 3:
    IMA Limpia, Colombia's domestic-work social enterprise, has four enablers, so none of
    that cell's organisations hangs on one."""
    page.goto(live.base + "/")
    page.click("text=Gaps for funders")
    page.wait_for_url("**/analysis/gaps")
    page.click("#matrix button[data-cell='CO/domestic_work']")
    page.click("text=Gaps in this country and sector only")
    page.wait_for_url("**/analysis/gaps?*")
    page.wait_for_selector("body[data-ready='true']")
    assert query(page)["country"] == ["CO"] and query(page)["sector"] == ["domestic_work"]
    answer = page.text_content("#gaps") or ""
    shared = page.url
    page.goto(live.base + "/")
    page.goto(shared)
    page.wait_for_selector("body[data-ready='true']")
    assert (page.text_content("#gaps") or "") == answer
    assert "IMA Limpia depends on" not in answer, "four enablers, not one (Box 3)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gaps-colombia-domestic-work.png"), full_page=True)


@pytest.mark.parametrize("view", ["/", "/?organization=ima-limpia&map=enablers", "/?country=KE"])
def test_screenshots_of_the_explorer(browser: Browser, live: LiveServer, view: str) -> None:
    """For people to look at: 1400x900, and 360 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = view.strip("/?").replace("&", "_").replace("=", "-") or "start"
    for label, width, height in (("desktop", 1400, 900), ("phone", 360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height})
        tab = context.new_page()
        tab.goto(live.base + view)
        tab.frame_locator("#map-frame").locator("body[data-map-ready='true']").wait_for(
            state="attached"
        )
        tab.screenshot(path=str(SHOTS / f"explorer-{name}-{label}.png"))
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
