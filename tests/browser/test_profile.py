"""An organisation's profile page: facts, relationships, enablers, peers and its map, in words,
and printable on A4 (Chromium's print to PDF).

Facts from the brief's Box 3: IMA Limpia is a Colombian social enterprise established by UTRASD
and enabled by CARE, Fundación Bien Humano and AFD."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from app.domain.models import Document
from app.domain.terms import wording
from app.store.memory import MemoryStore
from tests.browser.conftest import ARTIFACTS, HostPages, LiveServer
from tests.browser.test_accessibility import violations


def test_the_profile_reads_in_words_and_prints_on_a4(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/organizations/ima-limpia")
    page.wait_for_selector("body[data-ready='true']")
    assert page.text_content("h1") == "IMA Limpia"
    facts = page.text_content("#facts") or ""
    assert "Colombia" in facts and "Domestic work" in facts and "_" not in facts
    ties = page.text_content("#ties") or ""
    established_by = wording("relationship_types", "ESTABLISHED").inverse
    assert f"{established_by} Unión de Trabajadoras del Servicio Doméstico" in ties
    enablers = page.locator("#enablers li").all_text_contents()
    assert any(e.startswith("French Development Agency — enables it") for e in enablers)
    assert page.locator("#peers li a").count() >= 1
    page.wait_for_function("() => document.getElementById('map').naturalWidth > 0")
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "profile-ima-limpia.pdf"), format="A4")
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 3, "a few A4 pages"


def test_an_unknown_profile_is_a_short_page(page: Page, live: LiveServer) -> None:
    response = page.goto(f"{live.base}/organizations/nobody")
    assert response is not None and response.status == 404
    assert page.text_content("main.map-error h1") == "Not Found"


@pytest.mark.parametrize("width", [1280, 600, 360])
def test_the_history_says_what_changed_in_words(
    page: Page, browser: Browser, host: HostPages, tmp_path: Path, width: int
) -> None:
    """Another writer renames IMA Limpia and dates its founding; the profile's history then
    reads, newest first, each field before and after (struck through, then marked), with no
    serious axe-core violation."""
    with LiveServer(host.allowed, tmp_path, seed_only=True) as server:
        page.goto(f"{server.base}/organizations/ima-limpia")  # the seed is loaded by now
        writer = MemoryStore(tmp_path)
        ima = writer.get_organization("ima-limpia")
        renamed = ima.model_copy(update={"name": "IMA Limpia S.A.S.", "founded": 2003})
        writer.load(Document(organizations=[renamed]), actor="cli:ana")
        writer.close()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{server.base}/organizations/ima-limpia")
        page.wait_for_selector("body[data-ready='true']")
        entries = page.locator("#history > li")
        assert entries.count() == 2
        newest = entries.nth(0)
        assert "command line: updated (load)" in (newest.text_content() or "")
        lines = newest.locator(".fields li").all_text_contents()
        assert lines[0] == "Name: IMA Limpia → IMA Limpia S.A.S."
        assert newest.locator("del").first.text_content() == "IMA Limpia"
        assert "created" in (entries.nth(1).text_content() or "")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("#h-history").scroll_into_view_if_needed()
        # axe is injected as an inline script, which the page's policy forbids.
        context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
        checked = context.new_page()
        checked.goto(f"{server.base}/organizations/ima-limpia")
        checked.wait_for_selector("body[data-ready='true']")
        found = violations(checked)
        context.close()
        assert found == [], found
