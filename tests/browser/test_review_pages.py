"""Reviewing in pages, in Chromium (issue 21, points 4, 7 and 8): an editor merges one likely
duplicate and says another is not the same, accepts one import match and rejects another, and
imports a file by uploading it, reading the dry run's report and confirming; readers see the
pairs without buttons, markup in the data stays text, and axe-core finds nothing serious.

The data are two real 360Giving sample files (``shared/data/360giving``, see SOURCES.md), read
from there: the flat CSV and the JSON of the same grants, whose recipients carry other
identifiers, so the JSON's import leaves three name matches for review and the finder pairs the
same three organisations. Expected values come from the API before each action (its pairs, its
queue, its dry run) and from the files themselves, never from what the page printed; what an
action did is read back from the API. Screenshots go to test-artifacts/review-*.png.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from app.domain.keys import Role, new_key
from app.store.memory import MemoryStore
from tests.api.test_review_queue_api import package
from tests.browser.conftest import ARTIFACTS, XSS_NAME, HostPages, LiveServer
from tests.browser.test_accessibility import violations
from tests.browser.test_edit_forms import sign_in
from tests.conftest import SHARED

WIDTHS = (1280, 600, 360)
GRANTS = SHARED / "data" / "360giving"
CSV_FILE = GRANTS / "fundingproviders_grants_2_grants.csv"
JSON_FILE = GRANTS / "fundingproviders-grants_fixed_2_grants.json"
EDITOR = "Eddie Editor"


@dataclass(frozen=True)
class Reviewing:
    """A server over the seed, an editor's and a reader's key, and the import that left name
    matches for review (none when the fixture was asked for a server without imports)."""

    server: LiveServer
    tokens: dict[Role, str]
    import_id: str | None

    def api(self, role: Role = "editor") -> httpx.Client:
        return httpx.Client(
            base_url=self.server.base, headers={"Authorization": f"Bearer {self.tokens[role]}"}
        )

    def get(self, path: str) -> Any:
        with self.api() as api:
            answer = api.get(path)
            assert answer.status_code == 200, answer.text
            return answer.json()


def upload(api: httpx.Client, path: Path, dry_run: bool = False) -> Any:
    """Import one sample file through the API, as it is on disk."""
    answer = api.post(
        "/api/import",
        params={"filename": path.name, "dry_run": str(dry_run).lower()},
        content=path.read_bytes(),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def serve(host: HostPages, tmp_path: Path, imported: bool) -> Iterator[Reviewing]:
    with LiveServer(host.allowed, tmp_path, seed_only=True) as server:
        writer = MemoryStore(tmp_path)
        tokens: dict[Role, str] = {}
        holders: dict[Role, str] = {"editor": EDITOR, "reader": "Rita Reader"}
        for role, name in holders.items():
            record, token = new_key(name, role, "tests", datetime.now(UTC))
            writer.add_key(record)
            tokens[role] = token
        writer.close()
        reviewing = Reviewing(server, tokens, None)
        if imported:
            with reviewing.api() as api:
                upload(api, CSV_FILE)
                import_id = upload(api, JSON_FILE)["import_id"]
            reviewing = Reviewing(server, tokens, import_id)
        yield reviewing


@pytest.fixture
def reviewing(host: HostPages, tmp_path: Path) -> Iterator[Reviewing]:
    yield from serve(host, tmp_path, imported=True)


@pytest.fixture
def fresh(host: HostPages, tmp_path: Path) -> Iterator[Reviewing]:
    yield from serve(host, tmp_path, imported=False)


def shot(page: Page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=full_page)


def at_every_width(page: Page, name: str, full_page: bool = True) -> None:
    """The page as it stands at 1280, 600 and 360 pixels: nothing wider than the window, and
    a screenshot of each; the window is left at 1280."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        shot(page, f"{name}-{width}", full_page)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def pair_key(item: dict[str, Any]) -> tuple[str, str]:
    return item["first"]["id"], item["second"]["id"]


def test_an_editor_merges_one_pair_and_says_another_is_not_the_same(
    page: Page, reviewing: Reviewing
) -> None:
    base = reviewing.server.base
    before = reviewing.get("/api/duplicates?limit=200")["items"]
    assert len(before) >= 2
    merged, rejected = before[0], before[1]
    sign_in(page, base, reviewing.tokens["editor"])
    link = page.get_by_role("link", name="Review duplicates")
    link.wait_for()
    link.click()
    page.wait_for_url(f"{base}/review/duplicates")
    articles = page.locator("article.pair")
    articles.first.wait_for()
    shown = [
        (a.get_attribute("data-first"), a.get_attribute("data-second")) for a in articles.all()
    ]
    assert shown == [pair_key(p) for p in before]
    first = articles.nth(0)
    left = first.locator(".side").nth(0)
    assert left.locator("h3 a").text_content() == merged["first"]["name"]
    assert first.locator(".for li").all_text_contents() == merged["reasons"]
    assert first.locator(".against li").all_text_contents() == merged["against"]
    at_every_width(page, "duplicates")

    # With the keyboard: the merge button, then the confirmation it opens.
    first.get_by_role("button", name="Merge, keep left").focus()
    page.keyboard.press("Enter")
    confirm = first.locator(".confirm")
    confirm.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('confirm')")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first.locator(".outcome").wait_for()
    keep, drop = merged["first"]["id"], merged["second"]["id"]
    with reviewing.api() as api:
        assert api.get(f"/api/organizations/{drop}").status_code == 404
        assert api.get(f"/api/organizations/{keep}").status_code == 200
    trail = reviewing.get(f"/api/changes?id={keep}&limit=200")["items"]
    assert (EDITOR, f"merge {drop} into {keep}") in [(e["actor"], e["action"]) for e in trail]

    second = articles.nth(1)
    second.get_by_role("button", name="Not the same").click()
    second.locator(".outcome").wait_for()
    assert "not be proposed again" in (second.locator(".outcome").text_content() or "")
    kept = reviewing.get("/api/duplicates/rejected")["items"]
    assert [(p["first"], p["second"], p["rejected_by"]) for p in kept] == [
        (*pair_key(rejected), EDITOR)
    ]
    after = [pair_key(p) for p in reviewing.get("/api/duplicates?limit=200")["items"]]
    assert pair_key(merged) not in after and pair_key(rejected) not in after
    at_every_width(page, "duplicates-decided", full_page=False)
    page.reload()
    page.locator("#review-root p.about").wait_for()
    reloaded = [
        (a.get_attribute("data-first"), a.get_attribute("data-second"))
        for a in page.locator("article.pair").all()
    ]
    assert reloaded == after


def test_an_editor_accepts_one_import_match_and_rejects_another(
    page: Page, reviewing: Reviewing
) -> None:
    base = reviewing.server.base
    import_id = reviewing.import_id
    queue = reviewing.get(f"/api/imports/{import_id}/candidates")["items"]
    assert [c["status"] for c in queue] == ["pending"] * 3
    accepted, rejected = queue[0], queue[1]
    sign_in(page, base, reviewing.tokens["editor"])
    page.get_by_role("link", name="Imports").click()
    page.wait_for_url(f"{base}/review/imports")
    page.get_by_role("link", name=JSON_FILE.name).click()
    page.wait_for_url(f"{base}/review/imports/{import_id}")
    articles = page.locator("article.candidate")
    articles.first.wait_for()
    assert [a.get_attribute("data-candidate") for a in articles.all()] == [c["id"] for c in queue]
    one = page.locator(f'article[data-candidate="{accepted["id"]}"]')
    assert one.locator(".for li").all_text_contents() == accepted["evidence_for"]
    assert one.locator(".against li").all_text_contents() == accepted["evidence_against"]
    imported_name = one.locator(".side").nth(0).locator("h3 a").text_content()
    assert imported_name == accepted["imported_name"]
    at_every_width(page, "import-matches")

    one.get_by_role("button", name="Accept: the same, merge").click()
    one.locator(".outcome").wait_for()
    other = page.locator(f'article[data-candidate="{rejected["id"]}"]')
    other.get_by_role("button", name="Reject: not the same").click()
    other.locator(".outcome").wait_for()
    after = {c["id"]: c for c in reviewing.get(f"/api/imports/{import_id}/candidates")["items"]}
    assert (after[accepted["id"]]["status"], after[accepted["id"]]["decided_by"]) == (
        "accepted",
        EDITOR,
    )
    assert (after[rejected["id"]]["status"], after[rejected["id"]]["decided_by"]) == (
        "rejected",
        EDITOR,
    )
    assert after[queue[2]["id"]]["status"] == "pending"
    with reviewing.api() as api:
        assert api.get(f"/api/organizations/{accepted['imported']}").status_code == 404
        assert api.get(f"/api/organizations/{rejected['imported']}").status_code == 200
        assert api.get(f"/api/organizations/{rejected['stored']}").status_code == 200
    at_every_width(page, "import-matches-decided", full_page=False)


def csv_recipients(path: Path) -> list[str]:
    """The recipients' names in a 360Giving flat CSV, read with the csv module."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row["Recipient Org:Name"] for row in csv.DictReader(handle)]


def test_a_file_is_uploaded_checked_then_imported(page: Page, fresh: Reviewing) -> None:
    base = fresh.server.base
    rows = csv_recipients(CSV_FILE)
    with fresh.api() as api:
        expected = upload(api, CSV_FILE, dry_run=True)["importer"]["summary"]
    assert expected["records_read"] == len(rows)
    assert fresh.get("/api/imports")["total"] == 0
    sign_in(page, base, fresh.tokens["editor"])
    page.goto(f"{base}/import")
    page.locator("#file").set_input_files(str(CSV_FILE))
    page.get_by_role("button", name="Check the file").click()
    report = page.locator(".report")
    report.get_by_role("heading", name="What importing it would do").wait_for()
    for name in ("records_read", "created", "matched", "candidates", "relationships"):
        assert report.locator(f'dd[data-count="{name}"]').text_content() == str(expected[name])
    assert fresh.get("/api/imports")["total"] == 0, "a dry run writes nothing"
    at_every_width(page, "upload-dry-run")
    page.get_by_role("button", name="Import it").click()
    report.get_by_role("heading", name="Imported").wait_for()
    imports = fresh.get("/api/imports")["items"]
    assert [i["origin"] for i in imports] == [CSV_FILE.name]
    for name in set(rows):
        found = fresh.get(f"/api/organizations?q={name.strip()}")["items"]
        assert name.strip() in [o["name"] for o in found], name

    # The same grants as JSON: their recipients match by name only, so they await review.
    with fresh.api() as api:
        matches = upload(api, JSON_FILE, dry_run=True)["importer"]["candidates"]
    assert matches
    page.locator("#file").set_input_files(str(JSON_FILE))
    page.get_by_role("button", name="Check the file").click()
    report.get_by_role("heading", name="What importing it would do").wait_for()
    listed = report.locator("h3:has-text('Name matches to review') + ul li")
    assert listed.count() == len(matches)
    page.get_by_role("button", name="Import it").click()
    review = page.get_by_role("link", name=f"Review its {len(matches)} name matches")
    review.wait_for()
    at_every_width(page, "upload-imported", full_page=False)
    review.click()
    page.locator("article.candidate").first.wait_for()
    newest = fresh.get("/api/imports")["items"][0]
    assert page.url == f"{base}/review/imports/{newest['id']}"
    assert page.locator("article.candidate").count() == newest["pending"] == len(matches)


def test_readers_see_the_pairs_without_buttons(page: Page, reviewing: Reviewing) -> None:
    base = reviewing.server.base
    total = reviewing.get("/api/duplicates")["total"]
    page.goto(f"{base}/review/duplicates")
    page.locator("article.pair").first.wait_for()
    assert page.locator("article.pair").count() == total
    assert page.locator("article.pair button").count() == 0
    assert page.get_by_role("link", name="Sign in").first.is_visible()
    sign_in(page, base, reviewing.tokens["reader"])
    page.goto(f"{base}/review/imports/{reviewing.import_id}")
    page.locator("article.candidate").first.wait_for()
    assert page.locator("article.candidate button").count() == 0
    assert page.get_by_role("link", name="Import a file").is_hidden()


def test_markup_in_pairs_and_matches_stays_text(page: Page, fresh: Reviewing) -> None:
    source = {"citation": XSS_NAME, "locator": "<i>p. 1</i>"}
    with fresh.api() as api:
        for org_id in ("markup-one", "markup-two"):
            body = {
                "id": org_id,
                "name": XSS_NAME,
                "aliases": ["</script><b id=injected>bold</b>"],
                "type": "cooperative",
                "movement": "sse",
                "identifiers": ['"><svg onload="window.__xss=4">'],
                "sources": [source],
            }
            assert api.post("/api/organizations", json=body).status_code == 201
    sign_in(page, fresh.server.base, fresh.tokens["editor"])
    page.goto(f"{fresh.server.base}/review/duplicates")
    pair = page.locator('article[data-first="markup-one"]')
    pair.wait_for()
    assert pair.locator("h2").text_content() == f"{XSS_NAME} and {XSS_NAME}"
    assert page.locator("#injected, main img, main svg, main b, main i").count() == 0
    assert page.evaluate("window.__xss") is None
    # A grant to an organisation of that name: a name match for review, the payload in both
    # names (tests/api/test_review_queue_api.py makes such packages).
    with fresh.api() as api:
        answer = api.post(
            "/api/import", params={"filename": "markup.json"}, content=package(XSS_NAME)
        )
        assert answer.status_code == 200, answer.text
        import_id = answer.json()["import_id"]
    queue = fresh.get(f"/api/imports/{import_id}/candidates")["items"]
    assert queue
    page.goto(f"{fresh.server.base}/review/imports/{import_id}")
    page.locator("article.candidate").first.wait_for()
    imported = page.locator("article.candidate .side").first.locator("h3 a")
    assert imported.first.text_content() == XSS_NAME
    assert page.locator("#injected, main img, main svg, main b, main i").count() == 0
    assert page.evaluate("window.__xss") is None


def test_review_pages_pass_axe(browser: Browser, reviewing: Reviewing) -> None:
    # axe is injected as an inline script, which the pages' policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    checked = context.new_page()
    base = reviewing.server.base
    sign_in(checked, base, reviewing.tokens["editor"])
    found: list[dict[str, Any]] = []
    checked.goto(f"{base}/review/duplicates")
    checked.locator("article.pair").first.get_by_role("button", name="Merge, keep right").click()
    checked.locator(".confirm").first.wait_for()
    found += violations(checked)
    checked.goto(f"{base}/review/imports")
    checked.locator(".imports").wait_for()
    found += violations(checked)
    checked.goto(f"{base}/review/imports/{reviewing.import_id}")
    candidate = checked.locator("article.candidate").first
    candidate.get_by_role("button", name="Reject: not the same").click()
    candidate.locator(".outcome").wait_for()
    found += violations(checked)
    checked.goto(f"{base}/import")
    checked.get_by_role("button", name="Check the file").click()  # no file: the problem shown
    checked.locator("#file-error").wait_for()
    found += violations(checked)
    checked.locator("#file").set_input_files(str(JSON_FILE))
    checked.get_by_role("button", name="Check the file").click()
    checked.get_by_role("heading", name="What importing it would do").wait_for()
    found += violations(checked)
    context.close()
    assert found == [], found


def test_the_sample_files_name_the_same_recipients() -> None:
    """What the fixture relies on, read from the files themselves: every recipient of the CSV
    is a recipient of the JSON too, so the second import meets the first one's names."""
    grants = json.loads(JSON_FILE.read_text(encoding="utf-8"))["grants"]
    in_json = {g["recipientOrganization"][0]["name"].strip() for g in grants}
    in_csv = {name.strip() for name in csv_recipients(CSV_FILE)}
    assert in_csv <= in_json
