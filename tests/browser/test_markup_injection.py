"""Markup and script payloads in every free-text field, seen in a real headless Chromium.

The live server holds ``MARKUP_GROUPS`` (see conftest): cooperatives, their funders and their
ties with a payload in every field. On the explorer, every map and every embed, selecting and
clicking them must run no script (``window.__xss`` stays unset, no dialog, no CSP report), put
no element of theirs in the page, and show each payload as the very text it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Dialog, Page, Request
from pydantic import ValidationError

from app.domain.keys import new_key
from app.domain.models import Organization, Relationship, Source
from app.domain.terms import wording
from app.io.documents import seed_document
from app.maps.encoding import relationship_label
from app.store.memory import MemoryStore
from tests.browser.canvas import EDGE_POINT, EDGE_SELECTED, NODE_POINT, NODE_SELECTED, click
from tests.browser.conftest import (
    MARKUP,
    MARKUP_GROUPS,
    REFUSED_URLS,
    HostPages,
    LiveServer,
    MarkupGroup,
)
from tests.reliability.fields import free_text_paths, get_at
from tests.reliability.profile import count, scaled

GUARD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI + " " + event.sample);
}, true);
"""
"""Run in every frame before its own scripts: collects Content-Security-Policy reports, which
an injected inline script or handler would cause even though the policy blocks it."""

PROBE = """() => {
  const found = [];
  const foreign = ["img", "svg", "math", "mtext", "mglyph", "table", "b", "i", "object",
                   "embed", "base", "style", "form"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    // Our legend draws each swatch as an <svg> inside a list item; its words are vocabulary.
    const swatch = tag === "svg" && el.parentElement && el.parentElement.closest("#legend li");
    // The editing pages draw their one form inside #form-root.
    const ownForm = tag === "form" && el.classList.contains("edit-form") &&
        el.parentElement && el.parentElement.id === "form-root";
    // A profile shows its map as an image from this server.
    const ownImage = tag === "img" && el.id === "map" &&
        el.src.startsWith(location.origin + "/maps/organizations/");
    if (foreign.includes(tag) && !swatch && !ownForm && !ownImage) found.push(tag);
    // A story frames its saved views' maps, on this server.
    const storyMap = el.id === "story-map" && el.src.startsWith(location.origin + "/embed/views/");
    if (tag === "iframe" && el.id !== "map-frame" && !storyMap) found.push("iframe " + el.src);
    // Pages carry their data as inert JSON, and their scripts from /static/.
    const inert = el.type === "application/json" &&
        ["map-data", "page-data", "history-data", "profile-data", "messages"].includes(el.id);
    if (tag === "script" && !inert &&
        !(el.src && el.src.startsWith(location.origin + "/static/"))) found.push("script");
    // Map pages link their oEmbed answer, on this server, for content systems to discover.
    const discovery = el.rel === "alternate" && el.type === "application/json+oembed" &&
        el.href.startsWith(location.origin + "/oembed?");
    if (tag === "link" && !(el.parentElement === document.head &&
        (el.href.startsWith(location.origin + "/static/") || el.href.startsWith("data:") ||
         discovery))) {
      found.push("link " + el.href);
    }
    if (tag === "a" && /^\\s*javascript:/i.test(el.getAttribute("href") || "")) {
      found.push("javascript link");
    }
    for (const attribute of el.attributes) {
      if (attribute.name.startsWith("on")) found.push(tag + " " + attribute.name);
    }
  }
  return { xss: window.__xss === undefined ? null : String(window.__xss),
           csp: window.__csp || null, found: found };
}"""
"""What a payload would leave behind if it had been parsed as markup or run."""


@dataclass
class Watch:
    """Dialogs opened, script errors thrown and requests sent outside the server while a page
    is watched."""

    base: str
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.context.add_init_script(GUARD)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", self._request)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.outside.append(request.url)


@pytest.fixture
def watch(page: Page, live: LiveServer) -> Watch:
    watching = Watch(live.base)
    watching.attach(page)
    return watching


def assert_clean(page: Page, watch: Watch, where: str, payloads: int) -> None:
    """No payload ran or became an element, in the page or any of its frames."""
    for frame in page.frames:
        if frame.url in ("", "about:blank"):
            continue
        state: dict[str, Any] = frame.evaluate(PROBE)
        clean: dict[str, Any] = {"xss": None, "csp": [], "found": []}
        assert state == clean, f"{where}, frame {frame.url}: {state}"
    assert watch.dialogs == [], f"{where}: dialogs {watch.dialogs}"
    assert watch.errors == [], f"{where}: script errors {watch.errors}"
    assert watch.outside == [], f"{where}: requests outside the server {watch.outside}"
    count("payloads tried", payloads)


def carried(group: MarkupGroup) -> int:
    """How many different payloads the group's records hold."""
    values = set()
    for record, relationship_type in (
        (group.coop, None),
        (group.funder, None),
        (group.partner_tie, "PARTNERS_WITH"),
        (group.funds_tie, "FUNDS"),
    ):
        dumped = record.model_dump(mode="json")
        model = Organization if relationship_type is None else Relationship
        values |= {get_at(dumped, p) for p in free_text_paths(model, relationship_type)}
    return len(values)


def text(page: Page, selector: str) -> str | None:
    return page.locator(selector).first.text_content()


def source_line(source: Source, link: bool) -> str:
    """A source's line in a sources list, as the README ("Reading the evidence on a map") says
    a map's panel and the explorer write it, as text: its basis; then, imported, "file
    CITATION, record LOCATOR", else "CITATION, LOCATOR"; on a map (``link``), " link" when it
    has a web address; then, stated, the quoted words, or, inferred, "Our reading: REASON".

    The payloads' sources name no fields (a source's fields are a controlled value), so the
    "on its ..." part, which names them, never shows here."""
    assert not source.fields
    where = f", record {source.locator}" if source.basis == "imported" else f", {source.locator}"
    cited = ("file " if source.basis == "imported" else "") + source.citation
    line = f"{source.basis} {cited}{where if source.locator else ''}"
    if link and source.url:
        line += " link"
    if source.basis == "stated" and source.quote:
        line += source.quote
    if source.basis == "inferred" and source.reason:
        line += f"Our reading: {source.reason}"
    return line


def map_sources(sources: list[Source]) -> list[str]:
    """The lines of a map's sources list (:func:`source_line`, with links)."""
    return [source_line(s, link=True) for s in sources]


def explorer_sources(sources: list[Source]) -> list[str]:
    """The lines of an explorer's sources list (:func:`source_line`, without links)."""
    return [source_line(s, link=False) for s in sources]


def inverse(kind: str) -> str:
    """How a tie of ``kind`` reads from its target's side, as the terms give it."""
    words = wording("relationship_types", kind).inverse
    assert words is not None
    return words


def explorer_tie(words: str, tie: Relationship) -> str:
    """An explorer's tie as text: its words, its start in brackets ("(undated)": the payloads'
    ties have no start year and no dated source), then its sources' lines."""
    assert tie.since is None and all(s.year is None for s in tie.sources)
    return f"{words} (undated)" + "".join(explorer_sources(tie.sources))


def open_map(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-map-ready='true']")


def check_node(page: Page, org: Organization) -> None:
    """Click the organisation's node: its details show its name, aliases and sources as text."""
    click(
        page,
        NODE_POINT,
        org.id,
        NODE_SELECTED,
    )
    assert text(page, "#details h2") == org.name
    assert page.locator("#details dt").first.text_content() == "Also known as"
    assert text(page, "#details dd") == ", ".join(org.aliases)
    assert page.locator("#details .sources li").all_text_contents() == map_sources(org.sources)
    hrefs = [a.get_attribute("href") for a in page.locator("#details .sources a").all()]
    assert hrefs == [s.url for s in org.sources if s.url]


NAMES = {
    o.id: o.name
    for o in [
        *seed_document().organizations,
        *(o for g in MARKUP_GROUPS for o in (g.coop, g.funder)),
    ]
}
"""Organisation names by id: a tie's details name its two ends."""


def check_edge(page: Page, tie: Relationship) -> None:
    """Click the tie's edge: its details show its ends and its sources as text."""
    click(
        page,
        EDGE_POINT,
        tie.id,
        EDGE_SELECTED,
    )
    heading = f"{NAMES[tie.source]} {relationship_label(tie.type)} {NAMES[tie.target]}"
    assert text(page, "#details h2") == heading
    assert page.locator("#details .sources li").all_text_contents() == map_sources(tie.sources)


VISITED = MARKUP_GROUPS[:: len(MARKUP_GROUPS) // scaled(2, len(MARKUP_GROUPS))]
"""The groups toured page by page: two in the fast profile, all in the long one; the
ecosystem test clicks every group's organisations in either profile."""


@pytest.mark.parametrize("group", VISITED, ids=lambda g: g.coop.id)
def test_maps_and_embeds_show_payloads_as_text(
    page: Page, live: LiveServer, watch: Watch, group: MarkupGroup
) -> None:
    coop, funder = group.coop, group.funder
    for prefix in ("maps", "embed"):
        where = f"/{prefix}/organizations/{coop.id}"
        open_map(page, live.base + where)
        assert text(page, "#map-title") == f"{coop.name} and its ties"
        check_node(page, coop)
        check_node(page, funder)
        check_edge(page, group.funds_tie)
        check_edge(page, group.partner_tie)
        assert_clean(page, watch, where, carried(group))

        where = f"/{prefix}/organizations/{coop.id}/enablers"
        open_map(page, live.base + where)
        assert text(page, "#map-title") == f"Who enables {coop.name}"
        check_node(page, funder)
        check_edge(page, group.funds_tie)
        assert_clean(page, watch, where, carried(group))

        where = f"/{prefix}/partnerships/{group.partnership_id}"
        open_map(page, live.base + where)
        assert (text(page, "#map-title") or "").startswith(f"Partnership around {coop.name} (")
        check_node(page, coop)
        check_edge(page, group.partner_tie)
        assert_clean(page, watch, where, carried(group))

        where = f"/{prefix}/organizations/{funder.id}"
        open_map(page, live.base + where)
        assert text(page, "#map-title") == f"{funder.name} and its ties"
        check_node(page, funder)
        assert_clean(page, watch, where, carried(group))


@pytest.mark.parametrize("group", VISITED, ids=lambda g: g.coop.id)
def test_explorer_shows_payloads_as_text(
    page: Page, live: LiveServer, watch: Watch, group: MarkupGroup
) -> None:
    coop, funder = group.coop, group.funder
    utrasd = page.request.get(live.base + "/api/organizations/utrasd").json()["name"]

    page.goto(f"{live.base}/?organization={coop.id}")
    page.wait_for_selector("#details .sources li")
    assert text(page, "#details h2") == coop.name
    assert text(page, "#details dd") == ", ".join(coop.aliases)
    assert text(page, "#details p.description") == coop.description
    ties = page.locator("#details .relationships li.tie").all_text_contents()
    assert sorted(ties) == sorted(
        [
            explorer_tie(f"{inverse('FUNDS')} {funder.name}", group.funds_tie),
            explorer_tie(f"{inverse('PARTNERS_WITH')} {utrasd}", group.partner_tie),
        ]
    )
    [enabler] = page.locator("#details .enablers li").all_text_contents()
    assert enabler.startswith(f"{funder.name} — ")
    sources = page.locator("#details > section .sources li").all_text_contents()
    assert sources == explorer_sources(coop.sources)
    frame = page.locator("#map-frame").element_handle().content_frame()
    assert frame is not None
    frame.wait_for_url(f"**/embed/organizations/{coop.id}")
    frame.wait_for_selector("body[data-map-ready='true']")
    assert frame.text_content("#map-title") == f"{coop.name} and its ties"
    assert_clean(page, watch, f"explorer on {coop.id}", carried(group))

    page.click("#view-enablers")
    frame.wait_for_url(f"**/embed/organizations/{coop.id}/enablers")
    frame.wait_for_selector("body[data-map-ready='true']")
    assert frame.text_content("#map-title") == f"Who enables {coop.name}"
    assert_clean(page, watch, f"explorer's enablers map of {coop.id}", carried(group))

    for org in (coop, funder):
        page.fill("#search", org.name)
        button = page.locator(f"#suggestions button[data-id='{org.id}']")
        button.wait_for()
        assert button.text_content() == f"{org.name} ({org.aliases[0]})"
    page.locator(f"#suggestions button[data-id='{funder.id}']").click()
    page.wait_for_function(
        "(name) => document.querySelector('#details h2')?.textContent === name", arg=funder.name
    )
    ties = page.locator("#details .relationships li.tie").all_text_contents()
    assert ties == [explorer_tie(f"funds {coop.name}", group.funds_tie)]
    sources = page.locator("#details > section .sources li").all_text_contents()
    assert sources == explorer_sources(funder.sources)
    assert_clean(page, watch, f"explorer on {funder.id}", carried(group))


@pytest.mark.parametrize("prefix", ["maps", "embed"])
def test_ecosystem_map_shows_every_payload_name_as_text(
    page: Page, live: LiveServer, watch: Watch, prefix: str
) -> None:
    open_map(page, f"{live.base}/{prefix}/ecosystem")
    for group in MARKUP_GROUPS:
        check_node(page, group.coop)
        check_node(page, group.funder)
    check_edge(page, MARKUP_GROUPS[0].funds_tie)
    assert_clean(page, watch, f"/{prefix}/ecosystem", len(MARKUP))


def test_payloads_in_urls_stay_text(page: Page, live: LiveServer, watch: Watch) -> None:
    """A payload as an id in the explorer's address or a map's path: a 4xx, shown as text."""
    for payload in MARKUP[:: len(MARKUP) // scaled(4, len(MARKUP))]:
        page.goto(f"{live.base}/?organization={quote(payload, safe='')}")
        page.wait_for_selector("#details h2:has-text('No organisation')")
        response = page.goto(f"{live.base}/maps/organizations/{quote(payload, safe='')}")
        assert response is not None and 400 <= response.status < 500
        assert response.headers["content-type"].startswith("text/html")
        assert page.locator("main.map-error h1").count() == 1, "a short HTML error page"
        assert_clean(page, watch, f"addresses with {payload!r}", 2)


def test_script_urls_are_refused() -> None:
    """``javascript:``, ``data:`` and quote-breaking URLs never reach a page: the model refuses."""
    for url in REFUSED_URLS:
        with pytest.raises(ValidationError):
            Source.model_validate({"citation": "c", "url": url})
        count("payloads tried")


def test_the_checks_catch_a_page_that_writes_markup(
    page: Page, live: LiveServer, watch: Watch
) -> None:
    """A map.js that wrote data as markup would fail the checks above: they are not vacuous."""
    script = page.request.get(live.base + "/static/map.js").text()
    unsafe = script.replace("node.textContent = String(text)", "node.innerHTML = String(text)")
    assert unsafe != script
    page.route(
        "**/static/map.js", lambda route: route.fulfill(body=unsafe, content_type="text/javascript")
    )
    group = MARKUP_GROUPS[0]
    open_map(page, f"{live.base}/maps/organizations/{group.coop.id}")
    click(page, NODE_POINT, group.coop.id, NODE_SELECTED)
    page.wait_for_selector("#details h2")
    assert text(page, "#details h2") != group.coop.name, "the name was parsed as markup"
    state = page.evaluate(PROBE)
    assert "img" in state["found"] and "img onerror" in state["found"]
    assert any(report.startswith("script-src") for report in state["csp"]), state["csp"]
    with pytest.raises(AssertionError):
        assert_clean(page, watch, "unsafe map.js", 0)


@pytest.fixture
def curated(host: HostPages, tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """A server of its own over the payload groups (the tests below write to it), and an
    editor's key stored in it."""
    with LiveServer(host.allowed, tmp_path) as server:
        writer = MemoryStore(tmp_path)
        record, token = new_key("Payload Editor", "editor", "tests", datetime.now(UTC))
        writer.add_key(record)
        writer.close()
        yield server, token


@pytest.mark.parametrize("group", VISITED, ids=lambda g: g.coop.id)
def test_forms_history_and_captions_show_payloads_as_text(
    page: Page, curated: tuple[LiveServer, str], group: MarkupGroup
) -> None:
    """Issue 21, point 7: the editing forms hold each payload as the value of its field; a
    history's before and after show them as text; a caption's Markdown never lets one through."""
    server, token = curated
    watching = Watch(server.base)
    watching.attach(page)
    page.goto(f"{server.base}/sign-in")
    page.locator("#key").fill(token)
    page.locator("#key").press("Enter")
    page.wait_for_url(f"{server.base}/")
    coop, tie = group.coop, group.partner_tie
    page.goto(f"{server.base}/organizations/{coop.id}/edit")
    page.wait_for_selector("#f-name")
    assert page.locator("#f-name").input_value() == coop.name
    assert page.locator("#f-aliases").input_value() == "\n".join(coop.aliases)
    assert page.locator("#f-description").input_value() == (coop.description or "")
    assert_clean(page, watching, f"edit {coop.id}", carried(group))
    page.goto(f"{server.base}/relationships/{tie.id}/edit")
    page.wait_for_selector("#f-type")
    assert_clean(page, watching, f"edit {tie.id}", carried(group))
    before, after = coop.name, MARKUP[(MARKUP.index(coop.name) + 1) % len(MARKUP)] + " (renamed)"
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.base, headers=auth) as api:
        assert api.patch(f"/api/organizations/{coop.id}", json={"name": after}).is_success
        view = {
            "id": f"view-{coop.id}",
            "title": coop.name,
            "caption": "\n\n".join(MARKUP),
            "map": {"kind": "organization", "focus": coop.id},
        }
        assert api.post("/api/views", json=view).status_code == 201
        steps = [{"view": view["id"], "caption": payload} for payload in MARKUP[:5]]
        story = {"id": f"story-{coop.id}", "title": after, "caption": MARKUP[0], "steps": steps}
        assert api.post("/api/stories", json=story).status_code == 201
    page.goto(f"{server.base}/organizations/{coop.id}")
    page.wait_for_selector("body[data-ready='true']")
    newest = page.locator("#history > li").first
    assert newest.locator("del").first.text_content() == before
    assert newest.locator("ins").first.text_content() == after
    assert_clean(page, watching, f"history of {coop.id}", 2)
    for path in (
        f"/views/{view['id']}",
        f"/stories/{story['id']}",
        f"/embed/stories/{story['id']}",
    ):
        page.goto(server.base + path)
        page.frame_locator("#story-map").locator("body[data-map-ready='true']").wait_for()
        captions = page.locator(".step .caption").first.text_content() or ""
        assert "window.__xss" in captions  # the payloads are there, as text
        assert_clean(page, watching, path, len(MARKUP))
