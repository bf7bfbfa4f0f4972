"""The what-if, matches and shortlist pages in Spanish, French and Portuguese in Chromium
(issue 22): their words, the names of types, sectors and countries, and the reasons of each
match in the page's language, their addresses, switchers and maps keeping it, at 1280 and
360 px. Expected words come from the catalogues and graph_schema/terms. Screenshots:
test-artifacts/languages-<page>-<lang>-<width>.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from app.analysis.shortlist import EXACT
from app.domain.languages import LANGUAGES, Language, country_name
from app.domain.messages import gettext, script_messages
from app.domain.terms import label
from tests.browser.conftest import HostPages, LiveServer
from tests.browser.test_languages import at_two_widths, counted, opened

TRANSLATED = LANGUAGES[1:]
AFD = "French Development Agency (AFD)"


@pytest.fixture(scope="module")
def seed_live(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[LiveServer]:
    """The brief's ecosystem alone, whose boxes say who enables whom."""
    with LiveServer(host.allowed, tmp_path_factory.mktemp("matching"), seed_only=True) as server:
        yield server


def said(lang: Language, message: str, **values: str) -> str:
    """A script's message as the page's catalogue says it, its places filled."""
    text = script_messages(lang)[message]
    assert isinstance(text, str), f"{message!r} is a plural message"
    for place, value in values.items():
        text = text.replace("{" + place + "}", value)
    return text


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_what_if_page_reads_in_the_language_and_keeps_it(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    opened(page, seed_live, "/analysis/what-if", lang)
    assert page.locator("#picked").text_content() == said(lang, "None chosen yet.")
    page.fill("#search", "AFD")
    page.wait_for_selector("#suggestions [role=option][data-id='afd']")
    page.keyboard.press("Enter")
    page.click("#run")
    heading = said(lang, "If {names} withdrew", names=AFD)
    page.locator("#results-heading", has_text=heading).wait_for()
    assert page.url.endswith(f"/analysis/what-if?remove=afd&lang={lang}")
    # Box 3: CARE and Fundación Bien Humano still enable IMA Limpia without AFD.
    ima = page.locator("#lose-some li[data-id='ima-limpia']")
    withdrawn = f"{AFD}, {said(lang, 'withdrawn')}"
    assert ima.locator(".lost").text_content() == said(lang, "Loses {names}", names=withdrawn)
    assert said(lang, "Lose some of their enabling support") in (
        page.locator("#lose-some-heading").text_content() or ""
    )
    partnership = page.locator("#partnerships li").first.text_content() or ""
    assert said(lang, "it stays type {number}.", number="1") in partnership
    assert f"lang={lang}" in (page.get_attribute("#map-frame", "src") or "")
    switcher = page.locator("nav.languages a[hreflang='en']").get_attribute("href") or ""
    assert switcher.endswith("/analysis/what-if?remove=afd"), "the switcher keeps the view"
    at_two_widths(page, "what-if", lang, 900)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_matches_page_reads_in_the_language_with_its_reasons(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{seed_live.base}/analysis/matches/niscof-sacco?kind=enabler&lang={lang}")
    page.wait_for_selector("body[data-ready='true']")
    title = gettext("Who could enable {name}", lang).format(name="NISCOF SACCO")
    assert page.locator("h1").text_content() == title
    # Box 6: NISCOF's enablers in Kenya's street vending come first, COTU-K advocating.
    first = page.locator("#matches > li").first
    tier = gettext("Active in its country and sector", lang)
    assert first.locator(".tier").text_content() == said(
        lang, "{tier} · score {score}", tier=tier, score="13"
    )
    reason = first.locator(".reasons li").first.text_content() or ""
    assert label("sectors", "street_vending", lang).lower() in reason
    assert country_name("KE", lang) in reason
    mechanism = label("mechanisms", "advocacy", lang).lower()
    assert first.locator(".gives").first.text_content() == said(
        lang, "How it enables: {mechanisms}", mechanisms=mechanism
    )
    kinds = page.locator("#kinds a").all()
    assert [k.text_content() for k in kinds] == [
        gettext("Partners", lang),
        gettext("Enablers", lang),
    ]
    assert all((k.get_attribute("href") or "").endswith(f"lang={lang}") for k in kinds)
    assert said(lang, "What it counts") in page.locator("#how th").all_text_contents()
    at_two_widths(page, "matches", lang, 900)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_shortlist_reads_in_the_language_and_its_links_keep_it(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    opened(page, seed_live, "/analysis/shortlist", lang)
    assert page.locator("h1").text_content() == gettext("A funder's shortlist", lang)
    gaps = page.locator("#stats li.chains")
    total = int(gaps.locator("strong").text_content() or "")
    assert gaps.text_content() == counted(lang, "{count} gap in all", total)
    how = page.locator("#how").text_content() or ""
    assert how.startswith(gettext(EXACT, lang).split("{n}")[0]), "five of the seed's few: exact"
    # The seed's first pick: an enabler for an SSE unit depending on a single enabler.
    pick = page.locator("#picks > li").first
    could = said(lang, "{enabler} could enable {organisation}").split("}")[1].split("{")[0]
    assert could in (pick.locator("h3").text_content() or "")
    heading = gettext("SSE units that depend on a single enabler", lang)
    assert heading in (pick.locator(".closes").text_content() or "")
    every = pick.locator(".card-links a").get_attribute("href") or ""
    assert every.startswith("/analysis/matches/") and every.endswith(f"lang={lang}")
    gaps = page.get_by_role("link", name=gettext("The gaps", lang), exact=True)
    assert (gaps.get_attribute("href") or "").endswith(f"lang={lang}")
    at_two_widths(page, "shortlist", lang, 900)
