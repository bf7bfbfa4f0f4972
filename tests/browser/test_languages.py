"""Maps and the gaps page in Spanish, French and Portuguese in Chromium (issue 22, point 5):
words in the page's language at 1280 px, in a 600 px frame on another site and at 360 px, a
cell of the gaps matrix by its name in each language, and axe-core clean in every language.
Screenshots: test-artifacts/languages-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from babel import Locale
from playwright.sync_api import Browser, Page

from app.domain.languages import LANGUAGES, Language, country_name
from app.domain.messages import script_messages
from app.domain.terms import label, wording
from tests.browser.conftest import ARTIFACTS, HostPages, LiveServer
from tests.browser.test_accessibility import violations

TRANSLATED = LANGUAGES[1:]


@pytest.fixture(scope="module")
def seed_live(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[LiveServer]:
    """The brief's ecosystem alone, whose cells the brief's boxes describe."""
    with LiveServer(host.allowed, tmp_path_factory.mktemp("languages"), seed_only=True) as server:
        yield server


def said(lang: Language, message: str) -> str:
    """A script's message as the page's catalogue says it."""
    found = script_messages(lang).get(message, message)
    assert isinstance(found, str), f"{message!r} is a plural message: see counted()"
    return found


def plural_forms(lang: Language, singular: str) -> dict[str, str]:
    """A script's plural message as the page's catalogue gives it: its form per CLDR category."""
    forms = script_messages(lang)[singular]
    assert isinstance(forms, dict), f"{singular!r} is no plural message"
    return forms


def counted(lang: Language, singular: str, count: int) -> str:
    """A script's plural message said of ``count`` in ``lang``: the form of the count's CLDR
    plural category (Babel's rule for the language), the count in its place."""
    form = plural_forms(lang, singular)[Locale.parse(lang).plural_form(count)]
    return form.replace("{count}", str(count))


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"languages-{name}.png"))


def opened(page: Page, server: LiveServer, path: str, lang: Language) -> None:
    """An analysis page of ``server`` in ``lang``, once its script has drawn it."""
    page.goto(f"{server.base}{path}?lang={lang}")
    page.wait_for_selector("body[data-ready='true']")


def at_two_widths(page: Page, name: str, lang: Language, height: int) -> None:
    """The page at 1280 and 360 pixels: nothing wider than the window, and a screenshot of
    each, named ``name``, the language and the width."""
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"{name}-{lang}-{width}")


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
    at_two_widths(page, "ecosystem", lang, 800)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_an_embed_in_a_600_px_frame_keeps_the_language_of_its_address(
    page: Page, live: LiveServer, host: HostPages, lang: Language
) -> None:
    embed = f"{live.base}/embed/organizations/ima-limpia/enablers?lang={lang}"
    page.set_viewport_size({"width": 640, "height": 700})
    page.goto(f"{host.allowed}/host?{urlencode({'src': embed})}")
    page.locator("#f").evaluate("frame => { frame.width = '600'; }")  # the host's is 900
    frame = page.frame_locator("#f")
    frame.locator("body[data-map-ready='true']").wait_for(state="attached")
    assert frame.locator("body").evaluate("body => body.scrollWidth") <= 600
    assert frame.locator("html").get_attribute("lang") == lang
    frame.locator("#legend-box").evaluate("box => { box.open = true; }")
    columns = frame.locator("#legend h2").all_text_contents()
    assert said(lang, "Columns: distance in the chain") in columns
    shot(page, f"enablers-embed-{lang}-600")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_gaps_page_reads_in_the_language_asked_for(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    opened(page, seed_live, "/analysis/gaps", lang)
    assert page.evaluate("document.documentElement.lang") == lang
    domestic = label("sectors", "domestic_work", lang)
    assert domestic in page.locator("#matrix thead").text_content()  # type: ignore[operator]
    # Box 3: IMA Limpia is Colombia's domestic-work SSE unit, with four enablers.
    counts = ", ".join(
        [
            counted(lang, "{count} union or workers' organisation", 1),
            counted(lang, "{count} SSE unit", 1),
            counted(lang, "{count} enabler", 4),
        ]
    )
    cell = said(lang, "{country}, {sector}: {counts}")
    country = country_name("CO", lang)
    name = cell.replace("{country}", country).replace("{sector}", domestic)
    page.get_by_role("button", name=name.replace("{counts}", counts), exact=True).click()
    assert "IMA Limpia" in (page.locator("#cell").text_content() or "")
    narrowed = page.locator("#cell .more a").get_attribute("href") or ""
    assert narrowed.endswith(f"lang={lang}"), "the page's own addresses keep its language"
    at_two_widths(page, "gaps", lang, 900)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_explorer_reads_in_the_language_and_its_map_and_embed_code_keep_it(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    page.goto(f"{seed_live.base}/?lang={lang}")
    page.fill("#search", "UTRASD")
    page.click("#suggestions button[data-id='utrasd']")
    page.wait_for_selector("#details h3")
    headings = page.locator("#details h3").all_text_contents()
    assert said(lang, "Relationships") in headings and said(lang, "Enablers") in headings
    assert f"lang={lang}" in page.url, "the explorer's address keeps its language"
    frame = page.locator("#map-frame")
    assert f"lang={lang}" in (frame.get_attribute("src") or "")
    page.frame_locator("#map-frame").locator("body[data-map-ready='true']").wait_for(
        state="attached"
    )
    assert f"lang={lang}" in page.input_value("#snippet"), "the embed code carries the language"
    at_two_widths(page, "explorer", lang, 800)


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_explorers_ties_read_from_the_chosen_organisations_side(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    """An incoming tie reads by its type's inverse phrase ("was established by UTRASD"), as the
    terms give it; Portuguese no longer says "é membro de esta organização"."""
    page.goto(f"{seed_live.base}/?lang={lang}")
    page.fill("#search", "IMA Limpia")
    page.click("#suggestions button[data-id='ima-limpia']")
    page.wait_for_selector("#details .tie-words")
    ties = page.request.get(f"{seed_live.base}/api/organizations/ima-limpia").json()[
        "relationships"
    ]
    words = {t["type"]: wording("relationship_types", t["type"], lang) for t in ties}
    expected = {
        f"{words[t['type']].label if t['direction'] == 'out' else words[t['type']].inverse} "
        + t["other"]["name"]
        for t in ties
    }
    assert any(t["direction"] == "in" for t in ties), "the seed gives IMA Limpia incoming ties"
    shown = set(page.locator("#details .tie-words").all_text_contents())
    assert shown == expected, "each tie reads from IMA Limpia's side, incoming ones by the inverse"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_brokers_page_reads_in_the_language_asked_for(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    opened(page, seed_live, "/analysis/brokers", lang)
    terms = page.locator("#measures dt").all_text_contents()
    assert terms == [said(lang, "Betweenness"), said(lang, "Constraint"), said(lang, "Bridge")]
    headings = page.locator("#brokers th[scope='col']").all_text_contents()
    assert said(lang, "Rank") in headings and said(lang, "Constraint") in headings
    # es, fr and pt write a decimal comma (CLDR), as the measures now do.
    measures = page.locator("#brokers td.num").all_text_contents()
    assert all("," in m and "." not in m for m in measures if m.strip() and not m.isdigit())
    at_two_widths(page, "brokers", lang, 900)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_partnership_types_read_in_the_language_asked_for(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    opened(page, seed_live, "/analysis/partnerships", lang)
    summary = page.locator("#summary").text_content() or ""
    assert said(lang, "Type {number}").replace("{number}", "1") in summary
    # Box 5: the Social Law Project, an enabling partner, makes the platform cooperative type 3.
    card = page.locator("#type-3 article").first
    assert "SLP" in (card.text_content() or "")
    assert said(lang, "Union side") in card.locator("dt").all_text_contents()
    assert f"lang={lang}" in (card.locator(".card-links a").get_attribute("href") or "")
    at_two_widths(page, "partnerships", lang, 900)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_scripts_plural_message_takes_the_form_of_the_counts_plural_category(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    opened(page, seed_live, "/analysis/gaps", lang)
    forms = plural_forms(lang, "{count} organisation")
    assert len(set(forms.values())) == 3, "one, many (exact millions) and other differ"
    saying = "([one, other, count]) => SolgraphText.ngettext(one, other, count)"
    says = {
        n: page.evaluate(saying, ["{count} organisation", "{count} organisations", n])
        for n in (0, 1, 2, 1_000_000)
    }
    # French and Portuguese say 0 in the singular, Spanish in the plural; a million takes
    # the "many" form in all three ("1 000 000 de organizaciones").
    zero = "other" if lang == "es" else "one"
    assert says == {0: forms[zero], 1: forms["one"], 2: forms["other"], 1_000_000: forms["many"]}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_what_if_tiles_say_their_counts_in_the_pages_plural_forms(
    page: Page, seed_live: LiveServer, lang: Language
) -> None:
    page.goto(f"{seed_live.base}/analysis/what-if?remove=afd&lang={lang}")
    page.wait_for_selector("body[data-ready='true']")
    # Box 3: without AFD no one loses all support, IMA Limpia some, its partnership changes
    # and no chain breaks.
    tiles = [
        ("{count} organisation would lose all its enabling support", 0),
        ("{count} organisation would lose some of it", 1),
        ("{count} partnership would lose an enabler or a member", 1),
        ("{count} chain of support would break", 0),
    ]
    shown = page.locator("#stats li").all_text_contents()
    assert shown == [counted(lang, message, n) for message, n in tiles]
    none = plural_forms(lang, "{count} chain of support would break")
    zero = "other" if lang == "es" else "one"  # "0 chaîne de soutien se romprait"
    assert shown[3] == none[zero].replace("{count}", "0")


AXE_PAGES = {
    "map": ("/maps/organizations/ima-limpia/enablers", "body[data-map-ready='true']"),
    "gaps": ("/analysis/gaps", "body[data-ready='true']"),
    "brokers": ("/analysis/brokers", "body[data-ready='true']"),
    "partnerships": ("/analysis/partnerships", "body[data-ready='true']"),
    "explorer": ("/?organization=ima-limpia", "#details h3"),
    "what-if": ("/analysis/what-if?remove=afd", "body[data-ready='true']"),
    "matches": ("/analysis/matches/niscof-sacco?kind=enabler", "body[data-ready='true']"),
    "shortlist": ("/analysis/shortlist", "body[data-ready='true']"),
    "profile": ("/organizations/ima-limpia", "body[data-ready='true']"),
    "relationship": ("/relationships/utrasd-enables-ima-limpia", "body[data-ready='true']"),
    "stories": ("/stories", "h1"),
    "sign-in": ("/sign-in", "#key"),
    "edit": ("/new/organization", "main .notice"),
    "review": ("/review/duplicates", "#review-root .about"),
    "error": ("/organizations/ghost/edit", "main.map-error"),
}
"""Each translated page, and what shows it is drawn."""


@pytest.mark.parametrize("shown", AXE_PAGES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translated_page_passes_axe_in_every_language(
    browser: Browser, seed_live: LiveServer, lang: Language, shown: str
) -> None:
    address, ready = AXE_PAGES[shown]
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{seed_live.base}{address}{'&' if '?' in address else '?'}lang={lang}")
    page.wait_for_selector(ready, state="attached")
    found = violations(page)
    if shown == "map":
        page.click("#as-table")
        found += violations(page)
    context.close()
    assert found == [], (lang, shown, found)
