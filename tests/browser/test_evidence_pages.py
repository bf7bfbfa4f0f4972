"""What a person sees of the evidence on the analysis pages and the profile, in Chromium: each
finding or tie that rests on our inference carries the word "inferred", with the records it
rests on and our reasons on hover and for screen readers; undated ties read "undated,
reported in YEAR"; every page keeps "basis=stated" in the addresses it makes; nothing from
the data becomes markup; no serious axe-core violation.

The graph is written here, after the brief. Box 3: UTRASD developed IMA Limpia in 2021 "with
financial and technical support from enabling partners including the French Development
Agency, CARE Latin America and the Caribbean"; Box 5: a platform cooperative "is being
established in South Africa, facilitated by the Social Law Project (SLP), in close
partnership with" SADSAWU. The inferences are ours, made for the test, each with its
reason: that UTRASD also enables IMA Limpia, CARE's start year, AFD's country and how SLP's
facilitation is sorted. Which findings rest on them is the analyses' rule, read from the
JSON API; what the pages say of each is computed here from the records.

Screenshots for a person to look at are saved under ``test-artifacts/evidence/``: desktop
(1280 wide), in a 600 px high iframe, and at 360 px, each scrolled to an inferred mark.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Frame, Page, Request

from app.api.main import create_app
from app.api.routers.analysis_pages import FIELD_WORDS
from app.domain.models import Document, Organization, Relationship
from app.domain.terms import wording
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.browser.conftest import ARTIFACTS, AppThread
from tests.browser.test_accessibility import AXE, violations
from tests.browser.test_markup_injection import GUARD

SHOTS = ARTIFACTS / "evidence"
BRIEF = {"citation": "ILO Brief (Trade unions and SSE partnerships)", "year": 2022}
BOX3 = "A worker-led and managed social enterprise was developed"
SUPPORT = (
    "financial and technical support from enabling partners including the French "
    "Development Agency, CARE Latin America and the Caribbean"
)
BOX5 = "facilitated by the Social Law Project (SLP), in close partnership with"


def stated(locator: str, quote: str, **extra: Any) -> dict[str, Any]:
    return {**BRIEF, "locator": locator, "quote": quote, **extra}


def inferred(locator: str, reason: str, **extra: Any) -> dict[str, Any]:
    return {**BRIEF, "locator": locator, "basis": "inferred", "reason": reason, **extra}


def mode(reason: str, locator: str = "Box 3") -> dict[str, Any]:
    """Our source for an enabling tie's mode: the brief names direct and indirect enabling
    partners by kind, not one by one."""
    return inferred(locator, reason, fields=["mode"])


def organization(id: str, name: str, kind: str, movement: str, **extra: Any) -> Organization:
    fields = {"sources": [stated("Box 3", BOX3)], **extra}
    return Organization.model_validate(
        {"id": id, "name": name, "type": kind, "movement": movement, **fields}
    )


def tie(id: str, kind: str, source: str, target: str, **extra: Any) -> Relationship:
    return Relationship.model_validate(
        {"id": id, "type": kind, "source": source, "target": target, **extra}
    )


UTRASD = organization(
    "utrasd",
    "Unión de Trabajadoras del Servicio Doméstico",
    "trade_union",
    "labour",
    aliases=["UTRASD"],
    countries=["CO"],
    sectors=["domestic_work"],
)
IMA = organization(
    "ima-limpia",
    "IMA Limpia",
    "social_enterprise",
    "sse",
    countries=["CO"],
    sectors=["domestic_work"],
)
AFD_COUNTRY = "The brief calls it the French Development Agency; we take its country from that."
AFD = organization(
    "afd",
    "French Development Agency",
    "development_agency",
    "enabler",
    aliases=["AFD"],
    countries=["FR"],
    sources=[stated("Box 3", SUPPORT), inferred("Box 3", AFD_COUNTRY, fields=["countries"])],
)
CARE = organization(
    "care-lac",
    "CARE Latin America and the Caribbean",
    "ngo",
    "enabler",
    sources=[stated("Box 3", SUPPORT)],
)
SLP = organization(
    "slp",
    "Social Law Project",
    "ngo",
    "enabler",
    aliases=["SLP"],
    countries=["ZA"],
    sources=[stated("Box 5", BOX5)],
)
PLATFORM = organization(
    "platform-cooperative",
    "Digital Platform Cooperative Project",
    "platform_cooperative",
    "sse",
    countries=["ZA"],
    sectors=["domestic_work"],
    sources=[stated("Box 5", BOX5)],
)
SADSAWU = organization(
    "sadsawu",
    "South African Domestic Service and Allied Workers Union",
    "trade_union",
    "labour",
    aliases=["SADSAWU"],
    countries=["ZA"],
    sectors=["domestic_work"],
    sources=[stated("Box 5", BOX5)],
)
ORGS = [UTRASD, IMA, AFD, CARE, SLP, PLATFORM, SADSAWU]

UTRASD_ENABLES_REASON = "UTRASD set the enterprise up; that it also trains its workers is ours."
AFD_MODE_REASON = "A development agency; the brief lists such agencies among indirect enablers."
CARE_SINCE_REASON = "The brief gives no year for the support; we date it from the 2021 launch."
SLP_SORT_REASON = (
    "The brief says SLP facilitates the project; sorting that as facilitation is ours."
)
ESTABLISHED = tie(
    "utrasd-established-ima-limpia",
    "ESTABLISHED",
    "utrasd",
    "ima-limpia",
    since=2021,
    sources=[stated("Box 3", "In 2021 the Union of Domestic Service Workers")],
)
UTRASD_ENABLES = tie(
    "utrasd-enables-ima-limpia",
    "ENABLES",
    "utrasd",
    "ima-limpia",
    mode="direct",
    mechanisms=["training"],
    sources=[
        {
            "citation": "UTRASD et al. 2020",
            "locator": "Box 3",
            "year": 2020,
            "basis": "inferred",
            "reason": UTRASD_ENABLES_REASON,
        }
    ],
)
AFD_ENABLES = tie(
    "afd-enables-ima-limpia",
    "ENABLES",
    "afd",
    "ima-limpia",
    mode="indirect",
    mechanisms=["finance"],
    sources=[stated("Box 3", SUPPORT), mode(AFD_MODE_REASON)],
)
CARE_ENABLES = tie(
    "care-lac-enables-ima-limpia",
    "ENABLES",
    "care-lac",
    "ima-limpia",
    mode="direct",
    mechanisms=["finance"],
    since=2021,
    sources=[
        stated("Box 3", SUPPORT),
        inferred("Box 3", CARE_SINCE_REASON, fields=["since"]),
        mode("A civil society organisation; the brief counts CSOs among direct enablers."),
    ],
)
SLP_ENABLES = tie(
    "slp-enables-platform-cooperative",
    "ENABLES",
    "slp",
    "platform-cooperative",
    mode="direct",
    mechanisms=["facilitation"],
    sources=[
        stated("Box 5", BOX5),
        inferred("Box 5", SLP_SORT_REASON, fields=["mechanisms"]),
        mode("A non-profit; the brief counts NGOs among direct enablers.", "Box 5"),
    ],
)
SADSAWU_PARTNERS = tie(
    "sadsawu-partners-with-platform-cooperative",
    "PARTNERS_WITH",
    "sadsawu",
    "platform-cooperative",
    sources=[stated("Box 5", BOX5)],
)
TIES = [ESTABLISHED, UTRASD_ENABLES, AFD_ENABLES, CARE_ENABLES, SLP_ENABLES, SADSAWU_PARTNERS]
GRAPH = Document(organizations=ORGS, relationships=TIES)
NAMES = {o.id: o.name for o in ORGS}
RECORDS: dict[str, Organization | Relationship] = {
    **{o.id: o for o in ORGS},
    **{r.id: r for r in TIES},
}

SCRIPT_CITATION = "<script>window.__xss=301</script>Brief"
IMG_REASON = '<img src=x onerror="window.__xss=302">ours'
SVG_REASON = "<svg onload=window.__xss=303>also ours"


def with_payloads() -> Document:
    """The graph with markup in the reasons and a citation of the inferred sources that the
    pages show on hover, read out, or list."""
    utrasd_source = UTRASD_ENABLES.sources[0].model_copy(update={"reason": IMG_REASON})
    care_source = CARE_ENABLES.sources[1].model_copy(
        update={"citation": SCRIPT_CITATION, "reason": SVG_REASON}
    )
    ties = {
        UTRASD_ENABLES.id: UTRASD_ENABLES.model_copy(update={"sources": [utrasd_source]}),
        CARE_ENABLES.id: CARE_ENABLES.model_copy(
            update={"sources": [CARE_ENABLES.sources[0], care_source]}
        ),
    }
    return Document(organizations=ORGS, relationships=[ties.get(r.id, r) for r in TIES])


class Served(AppThread):
    """The app over an embedded store holding ``document``, served in a thread."""

    def __init__(self, document: Document, data_dir: Path) -> None:
        store = MemoryStore(data_dir / "store")
        store.load(document)
        super().__init__(create_app(lambda: store, Settings(data_dir=data_dir / "app")))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with Served(GRAPH, tmp_path_factory.mktemp("evidence-pages")) as running:
        yield running


@pytest.fixture(scope="module")
def marked_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with Served(with_payloads(), tmp_path_factory.mktemp("evidence-payloads")) as running:
        yield running


# What the pages say, computed from the records by the rules the README gives.


def dates(rel: Relationship) -> str:
    """A tie's years in words: "since 2021", or, undated, "undated, reported in" the year of
    its earliest dated source (the brief's Box 3 sources here are dated)."""
    if rel.since is not None:
        return f"since {rel.since}"
    return f"undated, reported in {min(s.year for s in rel.sources if s.year is not None)}"


def reasons(record: Organization | Relationship) -> list[str]:
    """Our reasons, each after the fields its source backs in words ("the record" for all of
    it)."""
    return [
        f"{', '.join(FIELD_WORDS[f] for f in s.fields) if s.fields else 'the record'}: {s.reason}"
        for s in record.sources
        if s.basis == "inferred"
    ]


def sentence(rel: Relationship) -> str:
    """A tie as the analysis pages name it: who, how, whom, and when."""
    words = rel.type.replace("_", " ").lower()
    return f"{NAMES[rel.source]} {words} {NAMES[rel.target]} ({dates(rel)})"


def named(record_id: str) -> tuple[str, list[str]]:
    """A record a finding rests on as the analysis pages name it, with our reasons: a tie as
    a sentence, an organisation by name."""
    record = RECORDS[record_id]
    words = sentence(record) if isinstance(record, Relationship) else record.name
    return words, reasons(record)


def rests_on(records: list[tuple[str, list[str]]]) -> str:
    """What an "inferred" mark says: each record the finding rests on, with our reasons."""
    return "; ".join(f"{words} ({'; '.join(why)})" if why else words for words, why in records)


def mark_of(where: Any) -> tuple[str | None, str | None, str | None]:
    """The first "inferred" mark in ``where``: its visible word, hover text and the words a
    screen reader hears after it."""
    found = where.locator(".inferred-mark").first
    spoken = found.locator(".visually-hidden").text_content()
    word = found.evaluate("m => m.firstChild.textContent")
    return word, found.get_attribute("title"), spoken


def ready(where: Page | Frame) -> None:
    where.wait_for_selector("body[data-ready='true']", state="attached")


def api(page: Page, base: str, path: str) -> Any:
    response = page.request.get(base + path)
    assert response.ok, response.text()
    return response.json()


# The gaps page


def test_the_gap_resting_on_inference_is_marked_with_its_tie_and_reason(
    page: Page, server: Served
) -> None:
    answer = api(page, server.base, "/api/analysis/gaps")
    [gap] = [g for g in answer["gaps"] if g["kind"] == "single_enabler_dependency"]
    assert gap["organizations"] == [PLATFORM.id, SLP.id], "Box 5: SLP facilitates it alone"
    assert gap["inferred_records"] == [SLP_ENABLES.id], "the analysis reads the mechanisms"
    page.goto(server.base + "/analysis/gaps")
    ready(page)
    line = page.locator(".gap-kind li", has_text="depends on")
    assert line.count() == 1
    said = rests_on([(sentence(SLP_ENABLES), reasons(SLP_ENABLES))])
    assert said.startswith(
        "Social Law Project enables Digital Platform Cooperative Project (undated, reported "
        f"in 2022) (mechanisms: {SLP_SORT_REASON}; mode: "
    )
    assert mark_of(line) == ("inferred", said, f" (our inference: {said})")
    unmarked = [g for g in answer["gaps"] if not g["rests_on_inference"]]
    marks = page.locator(".gap-kind li .inferred-mark").count()
    assert marks == len(answer["gaps"]) - len(unmarked), "one mark per gap resting on inference"


def test_the_gaps_page_keeps_the_facts_counted_in_every_address(page: Page, server: Served) -> None:
    page.goto(server.base + "/analysis/gaps?basis=stated")
    ready(page)
    assert page.get_attribute("#filter-clear", "href") == "/analysis/gaps?basis=stated"
    maps = page.locator(".gap-kind li a:not(.gap-matches)").evaluate_all(
        "links => links.map(a => a.search)"
    )
    assert maps and set(maps) == {"?basis=stated"}
    matches = page.locator(".gap-kind li a.gap-matches").evaluate_all(
        "links => links.map(a => a.search)"
    )
    assert matches and all(m.endswith("&basis=stated") for m in matches)
    page.click("#matrix button[data-cell='ZA/domestic_work']")
    narrowed = page.get_by_role("link", name="Gaps in this country and sector only")
    assert narrowed.get_attribute("href") == (
        "/analysis/gaps?country=ZA&sector=domestic_work&basis=stated"
    )
    page.select_option("#filter-country", "ZA")
    page.fill("#filter-year", "2023")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/analysis/gaps?country=ZA&as_of=2023&basis=stated")
    ready(page)
    assert page.get_attribute(".basis-switch a[aria-current=page]", "href") == (
        "/analysis/gaps?country=ZA&as_of=2023&basis=stated"
    )


# The partnership types page


def test_a_partnership_names_the_tie_it_rests_on_and_dates_the_undated_one(
    page: Page, server: Served
) -> None:
    answer = api(page, server.base, "/api/partnerships")
    [ima] = [p for p in answer["items"] if p["sse_unit"] == IMA.id]
    assert UTRASD_ENABLES.id in ima["inferred_records"]
    page.goto(server.base + "/analysis/partnerships")
    ready(page)
    card = page.locator("article#partnership-ima-limpia")
    records = [named(i) for i in ima["inferred_records"]]
    said = rests_on(records)
    assert mark_of(card.locator(".rests")) == ("inferred", said, f" (our inference: {said})")
    rests = card.locator(".rests").evaluate(
        "p => [...p.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('')"
    )
    assert rests == " Rests on our reading of: " + "; ".join(words for words, _ in records)
    card.locator("summary").click()
    guess = card.locator(".evidence li", has_text=sentence(UTRASD_ENABLES))
    assert (guess.text_content() or "").startswith(
        "Unión de Trabajadoras del Servicio Doméstico enables IMA Limpia (undated, reported in "
        "2020)"
    ), "Box 3's source is of 2020; the tie has no year of its own"
    said = "; ".join(reasons(UTRASD_ENABLES))
    assert mark_of(guess) == ("inferred", said, f" (our inference: {said})")
    established = card.locator(".evidence li", has_text=sentence(ESTABLISHED))
    assert established.locator(".inferred-mark").count() == 0, "a stated tie is not marked"


def test_the_partnerships_page_keeps_the_facts_counted(page: Page, server: Served) -> None:
    page.goto(server.base + "/analysis/partnerships?basis=stated")
    ready(page)
    link = page.get_by_role("link", name="Map of this partnership around IMA Limpia")
    assert link.get_attribute("href") == "/maps/partnerships/partnership-ima-limpia?basis=stated"
    page.select_option("#filter-country", "CO")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**/analysis/partnerships?country=CO&basis=stated")
    ready(page)
    card = page.locator("article#partnership-ima-limpia")
    assert card.locator(".evidence li", has_text=sentence(UTRASD_ENABLES)).count() == 0, (
        "a tie only we inferred is left out when counting stated facts"
    )


# The brokers page


def test_a_broker_resting_on_inference_is_marked(page: Page, server: Served) -> None:
    answer = api(page, server.base, "/api/analysis/brokers")
    marked = {b["organization"] for b in answer["brokers"] if b["rests_on_inference"]}
    assert IMA.id in marked, "IMA Limpia's own ties include the one we inferred"
    page.goto(server.base + "/analysis/brokers")
    ready(page)
    rows = page.locator("#brokers tbody th").all()
    assert [row.locator("a").text_content() for row in rows] == [
        NAMES[b["organization"]] for b in answer["brokers"]
    ]
    for row, broker in zip(rows, answer["brokers"], strict=True):
        assert row.locator(".inferred-mark").count() == (broker["organization"] in marked)
    [ima] = [b for b in answer["brokers"] if b["organization"] == IMA.id]
    said = rests_on([named(i) for i in ima["inferred_records"]])
    row = page.locator("#brokers tbody th", has_text=IMA.name)
    assert mark_of(row) == ("inferred", said, f" (our inference: {said})")


# The what-if page


def test_a_loss_resting_on_inference_is_marked_and_basis_is_sent(
    page: Page, server: Served
) -> None:
    asked: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/api/analysis/what-if"):
            asked.append(json.loads(request.post_data or "{}"))

    page.on("request", record)
    page.goto(server.base + "/analysis/what-if?remove=utrasd")
    ready(page)
    page.locator("#results-heading", has_text="withdrew").wait_for()
    assert asked == [{"remove": ["utrasd"], "as_of": None, "basis": "any"}]
    loss = page.locator("#lose-some li[data-id='ima-limpia']")
    words = "Unión de Trabajadoras del Servicio Doméstico (UTRASD) enables IMA Limpia"
    said = rests_on([(words, reasons(UTRASD_ENABLES))])
    assert mark_of(loss.locator(".rests")) == ("inferred", said, f" (our inference: {said})")
    assert loss.locator(".rests").text_content() == (
        f"inferred (our inference: {said}) Rests on our reading of: {words}"
    )


def test_the_what_if_switch_keeps_the_picks_and_the_stated_answer(
    page: Page, server: Served
) -> None:
    asked: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.url.endswith("/api/analysis/what-if"):
            asked.append(json.loads(request.post_data or "{}"))

    page.on("request", record)
    page.goto(server.base + "/analysis/what-if?remove=utrasd&basis=stated")
    ready(page)
    page.locator("#results-heading", has_text="withdrew").wait_for()
    assert asked[-1]["basis"] == "stated"
    stated_answer = page.request.post(
        server.base + "/api/analysis/what-if", data={"remove": ["utrasd"], "basis": "stated"}
    ).json()
    assert not any(x["rests_on_inference"] for x in stated_answer["lose_some"])
    assert page.locator("#losses .inferred-mark").count() == 0
    assert page.get_attribute("#map-frame", "src") == (
        "/embed/organizations/ima-limpia/enablers?basis=stated"
    )
    links = page.locator(".basis-switch a")
    assert links.evaluate_all("as => as.map(a => a.getAttribute('href'))") == [
        "/analysis/what-if?remove=utrasd",
        "/analysis/what-if?remove=utrasd&basis=stated",
    ]
    page.fill("#search", "AFD")
    page.wait_for_selector("#suggestions [role=option][data-id='afd']")
    page.keyboard.press("Enter")
    page.fill("#year", "2022")
    page.click("#run")
    page.wait_for_url("**/analysis/what-if?remove=utrasd&remove=afd&year=2022&basis=stated")
    assert links.evaluate_all("as => as.map(a => a.getAttribute('href'))") == [
        "/analysis/what-if?remove=utrasd&remove=afd&year=2022",
        "/analysis/what-if?remove=utrasd&remove=afd&year=2022&basis=stated",
    ]
    page.get_by_role("link", name="every fact, inferences marked").click()
    page.wait_for_url("**/analysis/what-if?remove=utrasd&remove=afd&year=2022")
    ready(page)
    page.locator("#lose-some li[data-id='ima-limpia'] .inferred-mark").wait_for()
    assert asked[-1] == {"remove": ["utrasd", "afd"], "as_of": 2022, "basis": "any"}


# The profile

ENABLED_BY = wording("relationship_types", "ENABLES").inverse
ESTABLISHED_BY = wording("relationship_types", "ESTABLISHED").inverse
"""How a profile says a tie to it, from its side (the terms' inverse phrases)."""


def test_the_profile_gives_each_source_its_basis_and_marks_what_we_inferred(
    page: Page, server: Served
) -> None:
    page.goto(server.base + "/organizations/ima-limpia")
    ready(page)
    guess = page.locator("#ties li.tie", has_text=f"{ENABLED_BY} Unión de Trabajadoras")
    assert guess.locator(".when").text_content() == " (undated, reported in 2020)"
    said = "; ".join(reasons(UTRASD_ENABLES))
    assert mark_of(guess.locator(".tie-words")) == ("inferred", said, f" (our inference: {said})")
    [source] = guess.locator(".tie-sources li").all()
    assert source.locator(".basis").text_content() == "inferred"
    assert source.locator(".cite").text_content() == "UTRASD et al. 2020, Box 3"
    assert source.locator(".reason").text_content() == f"Our reading: {UTRASD_ENABLES_REASON}"
    care = page.locator("#ties li.tie").filter(
        has=page.locator(".tie-words", has_text=f"{ENABLED_BY} {CARE.name}")
    )
    assert care.locator(".when").text_content() == " (since 2021)"
    assert care.locator(".inferred-mark").evaluate("m => m.firstChild.textContent") == (
        "inferred: mode, start year"
    )
    stated_source, since_source, _ = care.locator(".tie-sources li").all()
    assert stated_source.locator(".basis").text_content() == "stated"
    assert stated_source.locator("q").text_content() == SUPPORT
    assert since_source.locator(".about").text_content() == " on its start year"
    established = page.locator("#ties li.tie", has_text=f"{ESTABLISHED_BY} ")
    assert established.locator(".when").text_content() == " (since 2021)"
    assert established.locator(".inferred-mark").count() == 0
    assert page.locator("#sources li .basis").all_text_contents() == ["stated"]
    assert page.locator("#record-note").is_hidden()
    afd = page.locator("#enablers li", has_text=AFD.name).locator(".inferred-mark")
    assert afd.evaluate("m => m.firstChild.textContent") == "inferred: mode"
    assert afd.get_attribute("title") == AFD_MODE_REASON, "AFD's mode is our reading"


def test_the_profile_marks_an_inferred_fact_and_counts_only_stated_ones_on_request(
    page: Page, server: Served
) -> None:
    page.goto(server.base + "/organizations/afd")
    ready(page)
    terms = page.locator("#facts dt").all_text_contents()
    values = page.locator("#facts dd").evaluate_all(
        "dds => dds.map(d => [d.firstChild.textContent, d.querySelectorAll('.inferred-mark')"
        ".length])"
    )
    facts = dict(zip(terms, values, strict=True))
    assert facts["Countries"] == ["France", 1]
    assert facts["Type"] == ["Development agency", 0]
    country = page.locator("#facts dd").nth(terms.index("Countries"))
    assert mark_of(country) == ("inferred", AFD_COUNTRY, f" (our inference: {AFD_COUNTRY})")

    page.goto(server.base + "/organizations/ima-limpia")
    ready(page)
    page.get_by_role("link", name="only what sources state").click()
    page.wait_for_url("**/organizations/ima-limpia?basis=stated")
    ready(page)
    assert page.locator("#ties li.tie", has_text=f"{ENABLED_BY} Unión de Trabajadoras").count() == 0
    assert page.text_content("#ties p.hint") == (
        "1 tie rests on our inference only, left out while counting only what sources state."
    )
    care = page.locator("#ties li.tie").filter(
        has=page.locator(".tie-words", has_text=f"{ENABLED_BY} {CARE.name}")
    )
    assert care.locator(".when").text_content() == " (undated, reported in 2022)", (
        "the inferred start year reads as unknown; the stated source is of 2022"
    )
    assert page.get_attribute("#map", "src") == "/maps/organizations/ima-limpia.svg?basis=stated"
    assert page.get_attribute("#explore", "href") == "/?organization=ima-limpia&basis=stated"
    # Profiles keep the switch; a tie's own page (``/relationships/...``) has none.
    links = page.locator("#ties a:not(.tie-link)").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )
    assert links and all(link.endswith("?basis=stated") for link in links)


# Markup in the evidence stays text

PAYLOAD_PROBE = """() => {
  const foreign = ["img", "svg", "math", "script", "iframe", "style", "link", "b", "i",
                   "object", "embed", "base", "form"];
  const ours = "#map, #map-frame, #filters, #picker";
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    if (foreign.includes(el.localName) && !el.matches(ours)) found.push(el.localName);
    for (const attribute of el.attributes) {
      if (attribute.name.startsWith("on")) found.push(el.localName + " " + attribute.name);
    }
  }
  return { xss: window.__xss === undefined ? null : String(window.__xss),
           csp: window.__csp || null, found: found };
}"""
"""What a payload would leave in a page's main part had it been parsed as markup or run; the
page's own map image or frame and its forms are not payloads."""


@pytest.mark.parametrize(
    "path",
    [
        "/analysis/partnerships",
        "/analysis/brokers",
        "/analysis/what-if?remove=utrasd",
        "/organizations/ima-limpia",
    ],
)
def test_markup_in_reasons_and_citations_stays_text(
    page: Page, marked_up: Served, path: str
) -> None:
    page.context.add_init_script(GUARD)
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(marked_up.base + path)
    ready(page)
    if "what-if" in path:
        page.locator("#losses .inferred-mark").first.wait_for()
    hover = page.locator(".inferred-mark").evaluate_all("ms => ms.map(m => m.title)")
    assert any(IMG_REASON in said for said in hover), hover
    if path.startswith("/organizations/"):
        reasons_shown = page.locator("#ties .reason").all_text_contents()
        assert f"Our reading: {SVG_REASON}" in reasons_shown
        assert f"{SCRIPT_CITATION}, Box 3" in page.locator("#ties .cite").all_text_contents()
    state: dict[str, Any] = page.evaluate(PAYLOAD_PROBE)
    assert state == {"xss": None, "csp": [], "found": []}, state
    assert dialogs == []


# Every page readable: screenshots, widths, axe-core


def first_mark(where: Page | Frame, path: str) -> None:
    """Open ``path``, wait for it, and scroll its first inferred mark into view."""
    where.goto(path)
    show_first_mark(where, path)


def show_first_mark(where: Page | Frame, path: str) -> None:
    """Wait for the page's answer or map, then scroll its first inferred mark into view."""
    ready(where)
    if "what-if" in path:
        where.locator("#losses .inferred-mark").first.wait_for()
    if "/organizations/" in path:
        where.wait_for_function("() => document.getElementById('map').naturalWidth > 0")
    where.locator("main .inferred-mark").first.scroll_into_view_if_needed()


SCREENS = {
    "gaps": "/analysis/gaps",
    "partnerships": "/analysis/partnerships",
    "what-if": "/analysis/what-if?remove=utrasd",
    "profile": "/organizations/ima-limpia",
}


@pytest.mark.parametrize("name", SCREENS)
def test_screenshots_at_1280_in_a_600_px_frame_and_at_360(
    browser: Browser, server: Served, name: str
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = server.base + SCREENS[name]
    for label, width, height in (("desktop", 1280, 800), ("phone", 360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        first_mark(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"{label}-{name}.png"))
        context.close()
    context = browser.new_context(viewport={"width": 940, "height": 640})
    page = context.new_page()
    # The pages may be framed by the site itself: a page of ours holds the 600 px frame.
    page.goto(server.base + "/static/analysis.css")
    page.evaluate(
        """(src) => { const f = document.createElement('iframe');
        f.src = src; f.width = 900; f.height = 600; f.id = 'f';
        document.body.replaceChildren(f); }""",
        SCREENS[name],
    )
    page.frame_locator("#f").locator("body[data-ready='true']").wait_for(state="attached")
    inner = page.locator("#f").element_handle().content_frame()
    assert inner is not None
    show_first_mark(inner, SCREENS[name])
    assert inner.evaluate("document.documentElement.scrollWidth") <= 900
    page.screenshot(path=str(SHOTS / f"iframe-{name}.png"))
    context.close()


@pytest.mark.parametrize("basis", ["any", "stated"])
@pytest.mark.parametrize(
    "path",
    [
        "/analysis/gaps",
        "/analysis/partnerships",
        "/analysis/brokers",
        "/analysis/what-if?remove=utrasd",
        "/organizations/ima-limpia",
        "/organizations/afd",
    ],
)
def test_no_serious_accessibility_violation(
    browser: Browser, server: Served, path: str, basis: str
) -> None:
    assert AXE.exists(), "make test installs axe-core with npm ci"
    # axe is injected as an inline script, which the pages' policy forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    joined = "&" if "?" in path else "?"
    page.goto(server.base + path + (f"{joined}basis=stated" if basis == "stated" else ""))
    ready(page)
    if "what-if" in path:
        page.locator("#results-heading", has_text="withdrew").wait_for()
    found = violations(page)
    context.close()
    assert found == [], found
