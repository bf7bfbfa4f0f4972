"""Stories in Chromium (issue 21, points 5, 6 and 8): an editor builds a three-view story in
the builder, saving the views there too, plays it with buttons and arrow keys, and another
allowed site embeds it, its maps included; a site not allowed cannot frame it. The expected
story is read back from /api/stories; the expected map titles are the views' own.
Screenshots go to test-artifacts/story-*.png."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import httpx
from playwright.sync_api import Browser, Page

from tests.browser.conftest import ARTIFACTS, HostPages
from tests.browser.test_accessibility import violations
from tests.browser.test_edit_forms import Curating, curating, get, sign_in

__all__ = ["curating"]  # the fixture, used by name

WIDTHS = (1280, 600, 360)
VIEWS = [
    ("Who enables IMA Limpia", "enablers", "ima-limpia"),
    ("UTRASD and its ties", "organization", "utrasd"),
    ("The whole ecosystem", "ecosystem", None),
]


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"story-{name}.png"))


def build_story(page: Page, base: str) -> None:
    """Build 'IMA Limpia's support' from three new views, as a person would."""
    page.goto(f"{base}/stories")
    page.get_by_role("link", name="Build a story").click()
    page.wait_for_selector("#f-title")
    page.locator("#f-title").fill("IMA Limpia's support")
    page.locator("#f-caption").fill("How a *domestic workers' union* built a social enterprise.")
    for title, kind, focus in VIEWS:
        page.locator("#f-view\\.title").fill(title)
        page.locator("#f-view\\.kind").select_option(kind)
        if focus:
            page.locator("#f-view\\.focus").fill(focus)
        page.locator("#f-view\\.caption").fill(f"About **{title}**.")
        page.get_by_role("button", name="Save this view").click()
        page.get_by_text(f"Saved the view \u201c{title}\u201d").wait_for()
        assert page.locator("#f-view\\.focus").input_value() == ""  # ready for the next
    page.locator("#f-steps\\.1\\.caption").fill("UTRASD [in the brief](https://www.ilo.org/).")
    page.get_by_role("button", name="Save the story").click()
    page.wait_for_url(f"{base}/stories/ima-limpia-s-support")


def test_an_editor_builds_a_three_view_story_and_plays_it(page: Page, curating: Curating) -> None:
    base = curating.server.base
    sign_in(page, base, curating.tokens["editor"])
    build_story(page, base)
    story = get(curating, "/api/stories/ima-limpia-s-support")
    assert [step["view"] for step in story["steps"]] == [
        "who-enables-ima-limpia",
        "utrasd-and-its-ties",
        "the-whole-ecosystem",
    ]
    view = get(curating, "/api/views/who-enables-ima-limpia")
    assert view["map"] == {
        "kind": "enablers",
        "focus": "ima-limpia",
        "country": None,
        "sector": None,
        "type": None,
        "movement": None,
        "year": None,
        "depth": None,
        "basis": "any",
    }
    assert page.locator("#where").text_content() == "Step 1 of 3"
    frame = page.frame_locator("#story-map")
    frame.locator("body[data-map-ready='true']").wait_for()
    assert frame.locator("#map-title").text_content() == "Who enables IMA Limpia"
    shot(page, "page-1280")
    page.get_by_role("button", name="Next").click()
    assert page.locator("#where").text_content() == "Step 2 of 3"
    caption = page.locator("#step-2 .caption a")
    assert caption.get_attribute("href") == "https://www.ilo.org/"
    assert caption.get_attribute("rel") == "noopener noreferrer nofollow"
    page.keyboard.press("ArrowRight")
    assert page.locator("#where").text_content() == "Step 3 of 3"
    assert page.get_by_role("button", name="Next").is_disabled()
    assert page.url.endswith("#step-3")
    page.keyboard.press("ArrowLeft")
    assert page.locator("#step-2").is_visible() and page.locator("#step-3").is_hidden()
    trail = get(curating, "/api/changes?entity=story&id=ima-limpia-s-support")
    assert [(e["actor"], e["change"]) for e in trail["items"]] == [("Eddie Editor", "created")]


def test_another_allowed_site_embeds_the_story(
    page: Page, curating: Curating, host: HostPages
) -> None:
    base = curating.server.base
    sign_in(page, base, curating.tokens["editor"])
    build_story(page, base)
    code = page.locator("#embed-code").input_value()
    embed = f"{base}/embed/stories/ima-limpia-s-support"
    assert code.startswith(f'<iframe src="{embed}"')
    # What a content system does with the story's link: discover, ask oEmbed, place its html.
    found = re.search(r'type="application/json\+oembed" href="([^"]+)"', page.content())
    assert found is not None
    for width in WIDTHS:
        maxwidth = min(800, width - 20)
        answer = httpx.get(html.unescape(found[1]) + f"&maxwidth={maxwidth}").json()
        assert answer["html"].startswith(f'<iframe src="{embed}" width="{maxwidth}"')
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{host.allowed}/host?src=about:blank")
        page.evaluate("markup => { document.body.innerHTML = markup; }", answer["html"])
        story = page.frame_locator('iframe[title="IMA Limpia\'s support"]')
        story.locator("#where").wait_for()
        assert story.locator("h1").text_content() == "IMA Limpia's support"
        story.frame_locator("#story-map").locator("body[data-map-ready='true']").wait_for()
        story.get_by_role("button", name="Next").click()
        assert story.locator("#where").text_content() == "Step 2 of 3"
        back = story.get_by_role("link", name="Open this story in Solidarity Graph")
        assert back.get_attribute("target") == "_top"
        # The story fits its frame: nothing scrolls its title out of sight.
        [inner] = [f for f in page.frames if "/embed/stories/" in f.url]
        fitted = "[window.scrollY, document.documentElement.scrollHeight - window.innerHeight]"
        assert inner.evaluate(fitted) == [0, 0], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        shot(page, f"embed-{width}")
    page.goto(f"{host.refused}/host?src={quote(embed)}")
    page.wait_for_timeout(1500)
    [framed] = [f for f in page.frames if f != page.main_frame]
    assert framed.evaluate("document.getElementById('where')") is None, "framing was refused"


def test_story_pages_pass_axe(browser: Browser, curating: Curating) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    checked = context.new_page()
    base = curating.server.base
    sign_in(checked, base, curating.tokens["editor"])
    checked.goto(f"{base}/new/story")
    checked.get_by_role("button", name="Save the story").click()  # its problems shown too
    found = {"builder": violations(checked)}
    build_story(checked, base)
    found["story"] = violations(checked)
    checked.goto(f"{base}/embed/stories/ima-limpia-s-support")
    found["embed"] = violations(checked)
    checked.goto(f"{base}/stories")
    found["list"] = violations(checked)
    context.close()
    assert found == {"builder": [], "story": [], "embed": [], "list": []}


def test_an_editor_pins_a_views_organisations_where_placed(page: Page, curating: Curating) -> None:
    """Issue 21, point 5: a curator drags organisations (here, moves one as a drag ends), saves
    the places, and the view's map is then drawn with them by the server."""
    base = curating.server.base
    view = {
        "id": "ima",
        "title": "IMA Limpia",
        "map": {"kind": "organization", "focus": "ima-limpia"},
    }
    with curating.api("editor") as api:
        assert api.post("/api/views", json=view).status_code == 201
    sign_in(page, base, curating.tokens["editor"])
    page.goto(f"{base}/views/ima")
    page.frame_locator("#story-map").locator("body[data-map-ready='true']").wait_for()
    [frame] = [f for f in page.frames if "/embed/views/ima" in f.url]
    frame.evaluate("() => window.solgraphMap.network.moveNode('ima-limpia', 123, -45)")
    with frame.expect_navigation():  # saved, the map reloads to draw the places from the server
        page.get_by_role("button", name="Save these places").click()
    page.get_by_text("Saved the places of").wait_for()
    saved = get(curating, "/api/views/ima")
    assert saved["pinned"]["ima-limpia"] == [123, -45]
    page.frame_locator("#story-map").locator("body[data-map-ready='true']").wait_for()
    [frame] = [f for f in page.frames if "/embed/views/ima" in f.url]
    drawn = frame.evaluate("() => window.solgraphMap.data.nodes.find(n => n.id === 'ima-limpia')")
    assert (drawn["x"], drawn["y"]) == (123, -45)
    trail = get(curating, "/api/changes?entity=view&id=ima")
    assert [(e["actor"], e["change"]) for e in trail["items"]] == [
        ("Eddie Editor", "created"),
        ("Eddie Editor", "updated"),
    ]
    shot(page, "pins-1280")


def test_the_builder_says_what_to_do_about_a_taken_title_or_an_unknown_organisation(
    page: Page, curating: Curating
) -> None:
    """What a newcomer met: a second view with a taken title, and two identifiers typed into
    one field."""
    base = curating.server.base
    sign_in(page, base, curating.tokens["editor"])
    page.goto(f"{base}/new/story")
    for focus in ("utrasd", "ab-utrasd"):
        page.locator("#f-view\\.title").fill("UTRASD's ties")
        page.locator("#f-view\\.kind").select_option("organization")
        page.locator("#f-view\\.focus").fill(focus)
        page.get_by_role("button", name="Save this view").click()
        if focus == "utrasd":
            page.get_by_text("Saved the view").wait_for()
    page.wait_for_selector("#e-view\\.focus:not([hidden])")
    assert "no organisation with id 'ab-utrasd'" in (
        page.locator("#e-view\\.focus").text_content() or ""
    )
    page.locator("#f-view\\.focus").fill("utrasd")
    page.get_by_role("button", name="Save this view").click()
    page.wait_for_selector("#e-view\\.title:not([hidden])")
    assert "another title" in (page.locator("#e-view\\.title").text_content() or "")
    assert [v["id"] for v in get(curating, "/api/views")["items"]] == ["utrasd-s-ties"]


def test_a_story_plays_in_the_explorer(page: Page, curating: Curating) -> None:
    """Issue 21, point 5: /?story=ID plays the story in the explorer; each step turns the
    explorer to its view (the map of the saved view, the organisation in the details)."""
    base = curating.server.base
    sign_in(page, base, curating.tokens["editor"])
    build_story(page, base)
    page.get_by_role("link", name="Play it in the explorer").click()
    page.wait_for_url(f"{base}/?story=ima-limpia-s-support")
    assert page.locator("#story-where").text_content() == "Step 1 of 3"
    frame = page.locator("#map-frame")
    page.frame_locator("#map-frame").locator("body[data-map-ready='true']").wait_for()
    assert (frame.get_attribute("src") or "").endswith("/embed/views/who-enables-ima-limpia")
    page.get_by_role("button", name="Next").click()
    assert page.locator("#story-where").text_content() == "Step 2 of 3"
    page.frame_locator("#map-frame").locator("#map-title").filter(
        has_text="UTRASD and its ties"
    ).wait_for()
    page.locator("#details h2").wait_for()
    utrasd = get(curating, "/api/organizations/utrasd")["name"]
    assert page.locator("#details h2").text_content() == utrasd
    page.keyboard.press("ArrowRight")
    assert page.locator("#story-where").text_content() == "Step 3 of 3"
    assert page.get_by_role("button", name="Next").is_disabled()
    shot(page, "explorer-1280")
