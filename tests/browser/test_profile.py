"""An organisation's profile page: facts, relationships, enablers, peers and its map, in words,
and printable on A4 (Chromium's print to PDF).

Facts from the brief's Box 3: IMA Limpia is a Colombian social enterprise established by UTRASD
and enabled by CARE, Fundación Bien Humano and AFD."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import ARTIFACTS, LiveServer


def test_the_profile_reads_in_words_and_prints_on_a4(page: Page, live: LiveServer) -> None:
    page.goto(f"{live.base}/organizations/ima-limpia")
    page.wait_for_selector("body[data-ready='true']")
    assert page.text_content("h1") == "IMA Limpia"
    facts = page.text_content("#facts") or ""
    assert "Colombia" in facts and "Domestic work" in facts and "_" not in facts
    ties = page.text_content("#ties") or ""
    assert "Unión de Trabajadoras del Servicio Doméstico established it" in ties
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
