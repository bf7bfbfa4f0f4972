"""Signing in and out in Chromium (issue 21, points 1 and 8): from a profile, with the
keyboard only, at 1280, 600 and 360 pixels; the cookie as the browser keeps it; axe-core on
the sign-in and signed-in pages. Screenshots go to test-artifacts/sign-in-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from app.api.sessions import SESSION_COOKIE
from app.domain.keys import new_key
from app.store.memory import MemoryStore
from tests.browser.conftest import ARTIFACTS, HostPages, LiveServer
from tests.browser.test_accessibility import violations

WIDTHS = (1280, 600, 360)


@pytest.fixture
def signed(host: HostPages, tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """A server over the seed, and an editor key (Eddie Editor) stored in it."""
    with LiveServer(host.allowed, tmp_path, seed_only=True) as server:
        writer = MemoryStore(tmp_path)
        record, token = new_key("Eddie Editor", "editor", "tests", datetime.now(UTC))
        writer.add_key(record)
        writer.close()
        yield server, token


def at_every_width(page: Page, name: str) -> None:
    """The page at 1280, 600 and 360 pixels: nothing wider than the window, and a screenshot
    of each; the window is left at 1280."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.screenshot(path=str(ARTIFACTS / f"sign-in-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})


def test_a_person_signs_in_from_a_profile_and_out_again(
    page: Page, signed: tuple[LiveServer, str]
) -> None:
    server, token = signed
    page.goto(f"{server.base}/organizations/utrasd")
    page.wait_for_selector("body[data-ready='true']")
    account = page.locator("#account")
    assert account.text_content() == "Sign in"
    account.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in?next=%2Forganizations%2Futrasd")
    at_every_width(page, "form")
    page.locator("#key").focus()
    page.keyboard.type("sgk_not_a_key")
    page.keyboard.press("Enter")
    page.wait_for_selector("#key-error")
    assert "not a valid API key" in (page.locator("#key-error").text_content() or "")
    assert page.locator("#key").get_attribute("aria-invalid") == "true"
    assert page.locator("#key").input_value() == ""  # the wrong key is not echoed back
    at_every_width(page, "wrong-key")
    page.locator("#key").fill(token)
    page.keyboard.press("Enter")
    page.wait_for_url("**/organizations/utrasd")
    page.wait_for_selector("body[data-role='editor']")
    assert page.locator("#account").text_content() == "Eddie Editor (editor)"
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies[SESSION_COOKIE]
    assert (session["httpOnly"], session["sameSite"]) == (True, "Strict")
    assert token not in session["value"]
    kept = page.evaluate(
        "JSON.stringify([document.cookie, {...localStorage}, {...sessionStorage}])"
    )
    assert SESSION_COOKIE not in kept and token not in kept and token.split("_")[2] not in kept
    page.locator("#account").click()
    page.wait_for_selector("#who")
    assert page.locator("#who").text_content() == "Eddie Editor"
    at_every_width(page, "signed-in")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in?signed_out=true")
    assert "You are signed out" in (page.locator("main").text_content() or "")
    assert SESSION_COOKIE not in {c["name"] for c in page.context.cookies()}
    page.goto(f"{server.base}/organizations/utrasd")
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#account").text_content() == "Sign in"


def test_the_sign_in_pages_pass_axe(browser: Browser, signed: tuple[LiveServer, str]) -> None:
    server, token = signed
    # axe is injected as an inline script, which the pages' policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    checked = context.new_page()
    checked.goto(f"{server.base}/sign-in")
    form_problems = violations(checked)
    checked.locator("#key").fill("wrong")
    checked.locator("#key").press("Enter")
    checked.wait_for_selector("#key-error")
    error_problems = violations(checked)
    checked.locator("#key").fill(token)
    checked.locator("#key").press("Enter")
    checked.wait_for_url(f"{server.base}/")
    checked.goto(f"{server.base}/sign-in")
    checked.locator("summary").click()  # "Use another key" opened, so axe sees its form
    signed_in_problems = violations(checked)
    context.close()
    assert (form_problems, error_problems, signed_in_problems) == ([], [], [])
