"""Signing in, the editing form, the story builder and the review pages in Spanish, French and
Portuguese in Chromium (issue 22): our words in the page's language, vocabulary choices named in
it while their values stay keys, nothing wider than the window at 1280 and 360 px, and axe-core
clean. Expected words come from the catalogues and graph_schema/terms. Screenshots:
test-artifacts/languages-<page>-<lang>-<width>.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from babel.numbers import format_decimal
from playwright.sync_api import Browser, BrowserContext, Page

from app.domain.languages import LANGUAGES, Language, country_name
from app.domain.messages import gettext
from app.domain.terms import label, wording
from tests.browser.conftest import HostPages
from tests.browser.test_accessibility import violations
from tests.browser.test_languages import at_two_widths, counted, said
from tests.browser.test_review_pages import EDITOR, Reviewing, serve

TRANSLATED = LANGUAGES[1:]


@pytest.fixture(scope="module")
def curating(tmp_path_factory: pytest.TempPathFactory, host: HostPages) -> Iterator[Reviewing]:
    """The seed, an editor's key, and an import whose name matches await review."""
    yield from serve(host, tmp_path_factory.mktemp("curation"), imported=True)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser (no session), in which axe may run (our pages forbid inline scripts)."""
    opened = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def signed_in(context: BrowserContext, curating: Reviewing, lang: Language) -> Page:
    """A page of ``context`` signed in with the editor's key through the sign-in page in
    ``lang``, which leads back to the explorer."""
    page = context.new_page()
    page.goto(f"{curating.server.base}/sign-in?lang={lang}")
    page.locator("#key").fill(curating.tokens["editor"])
    page.locator("#key").press("Enter")
    page.wait_for_url(f"{curating.server.base}/")
    return page


@pytest.mark.parametrize("lang", TRANSLATED)
def test_signing_in_reads_in_the_language_asked_for(
    context: BrowserContext, curating: Reviewing, lang: Language
) -> None:
    page = context.new_page()
    page.goto(f"{curating.server.base}/sign-in?next=/review/imports&lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").text_content() == gettext("Sign in", lang)
    assert page.locator("label[for='key']").text_content() == gettext("API key", lang)
    found = violations(page)
    page.locator("#key").fill("sgk_not_a_key")
    page.locator("#key").press("Enter")
    wrong = gettext(
        "That is not a valid API key (or it was revoked). Check it, or ask an admin for one.",
        lang,
    )
    assert page.locator("#key-error").text_content() == wrong
    assert page.evaluate("document.documentElement.lang") == lang, "the form keeps it"
    at_two_widths(page, "sign-in", lang, 800)
    page.locator("#key").fill(curating.tokens["editor"])
    page.locator("#key").press("Enter")
    page.wait_for_url("**/review/imports")
    page.goto(f"{curating.server.base}/sign-in?lang={lang}")
    assert page.locator("h1").text_content() == gettext("Signed in", lang)
    page.wait_for_selector("body[data-role='editor']")  # account.js has asked who it is
    assert (page.locator("#account").text_content() or "") == f"{EDITOR} ({said(lang, 'editor')})"
    page.locator("summary").click()  # "Use another key" opened, so axe sees its form
    found += violations(page)
    at_two_widths(page, "signed-in", lang, 800)
    assert found == [], found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_organisation_form_reads_in_the_language_and_sends_keys(
    context: BrowserContext, curating: Reviewing, lang: Language
) -> None:
    page = signed_in(context, curating, lang)
    page.goto(f"{curating.server.base}/new/organization?lang={lang}")
    page.wait_for_selector("#form-root form")
    assert page.locator("h1").text_content() == gettext("Add an organisation", lang)
    required = f"{gettext('Type', lang)} {said(lang, '(required)')}"
    assert page.locator("label[for='f-type']").text_content() == required
    union = label("organization_types", "trade_union", lang)
    page.select_option("#f-type", label=union)
    assert page.input_value("#f-type") == "trade_union", "the value stays the key"
    definition = wording("organization_types", "trade_union", lang).definition
    assert page.locator("#d-type").text_content() == definition
    countries = page.locator("#f-countries option").all_text_contents()
    assert f"{country_name('ZA', lang)} (ZA)" in countries
    page.locator("button[type='submit']").click()
    problems = page.locator(".summary li").count()
    heading = counted(lang, "{count} thing to fix", problems)
    assert page.locator(".summary h2").text_content() == heading
    fill = said(lang, "Fill in the {field}.").replace("{field}", gettext("Name", lang).lower())
    assert page.locator("#e-name").text_content() == fill
    found = violations(page)
    at_two_widths(page, "edit", lang, 900)
    page.goto(f"{curating.server.base}/new/story?lang={lang}")
    page.wait_for_selector("#builder-root form")
    assert said(lang, "Save a new view") in page.locator("h2").all_text_contents()
    kinds = page.locator("#f-view\\.kind option").all_text_contents()
    assert gettext("The ecosystem", lang) in kinds
    found += violations(page)
    at_two_widths(page, "story-builder", lang, 900)
    assert found == [], found


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_review_pages_read_in_the_language_asked_for(
    context: BrowserContext, curating: Reviewing, lang: Language
) -> None:
    page = signed_in(context, curating, lang)
    page.goto(f"{curating.server.base}/review/imports/{curating.import_id}?lang={lang}")
    page.wait_for_selector("article.candidate")
    first = page.locator("article.candidate").first
    accept = said(lang, "Accept: the same, merge")
    assert first.get_by_role("button", name=accept).is_visible()
    assert said(lang, "Record id") in first.locator("dt").all_text_contents()
    waiting = curating.get(f"/api/imports/{curating.import_id}")
    total = format_decimal(len(waiting["candidates"]), locale=lang)
    about = page.locator(".about").all_text_contents()
    assert any(f"{total}." in line for line in about), about
    found = violations(page)
    at_two_widths(page, "review-import", lang, 900)
    page.goto(f"{curating.server.base}/review/duplicates?lang={lang}")
    page.wait_for_selector("article.pair")
    keep = said(lang, "Merge, keep left")
    assert page.locator("article.pair").first.get_by_role("button", name=keep).is_visible()
    link = page.locator("article.pair h3 a").first.get_attribute("href") or ""
    assert link.endswith(f"?lang={lang}"), "profiles open in the page's language"
    found += violations(page)
    at_two_widths(page, "review-duplicates", lang, 900)
    assert found == [], found
