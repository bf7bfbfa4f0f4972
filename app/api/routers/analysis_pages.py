"""The analyses as pages, each beside its JSON: gaps for funders (each gap linking to the
ranked matches that could close it, and the page to the funder's shortlist), the brief's
partnership types, brokers and bridges between the movements, and the what-if of a withdrawal.

Each page carries the same answer as its ``/api/...`` route for the same query, as inert JSON
with names and labels beside the ids, and its script draws it as text only. The what-if page
carries only the organisations picked; its script asks ``POST /api/analysis/what-if``.

Each analysis page also says, in HTML written here with every value escaped, which facts it
counts (a switch between ``basis=any`` and ``basis=stated`` that keeps the other parameters)
and which of its findings rest on our inference, each marked "inferred" with the reason on
hover, and each undated tie "undated, reported in YEAR".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.analysis.brokers import shared_brokers
from app.analysis.gaps import COUNTED, FINDINGS, Coverage, Gap, GapKind, coverage, gaps
from app.analysis.inference import inferred_values
from app.analysis.shortlist import remedy
from app.analysis.snapshot import Snapshot
from app.analysis.typology import Partnership, PartnershipType, partnerships
from app.api.deps import VOCAB, SnapshotsDep, StoreDep, checked, enum_of
from app.api.params import AsOf, Basis, ReaderLanguage, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.routers.analysis import MAX_REMOVED
from app.api.routers.matches import matches_address
from app.domain.errors import NotFound
from app.domain.evidence import Weighing, record_basis
from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.models import Organization, Relationship, Slug, Source
from app.domain.terms import label
from app.domain.timeline import reported
from app.maps.build import since_words
from app.maps.encoding import relationship_label
from app.maps.figures import shades
from app.maps.page import render_page

router = APIRouter(tags=["analysis"])
Indexer = Callable[[tuple[str, ...]], list[int]]
"""Organisation ids to their places in the page's list of organisations, named once each."""
Country = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.countries))]
Sector = Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))]
HEADINGS: dict[GapKind, tuple[str, str]] = {
    "single_enabler_dependency": (
        N_("SSE units that depend on a single enabler"),
        N_(
            "All their enabling support comes from one organisation; if it withdrew, none would "
            "be left."
        ),
    ),
    "worker_organisation_without_union_ally": (
        N_("Informal workers' organisations with no union ally"),
        N_("They have no tie of any kind to a trade union or federation."),
    ),
    "partnership_without_enabler": (
        N_("Partnerships with no enabling partner"),
        N_("No organisation outside the partnership enables it."),
    ),
    "cell_without_sse_unit": (
        N_("Countries and sectors with unions but no SSE unit"),
        N_(
            "Unions or informal workers' organisations are there, but no cooperative or other SSE "
            "unit."
        ),
    ),
    "single_point_of_failure": (
        N_("Organisations all support runs through"),
        N_("Without them, some enablers would no longer reach some of those they support."),
    ),
    "funding_sought_not_found": (
        N_("Funding sought but not found"),
        N_("Someone is looking for money for these organisations, and no funder supports them."),
    ),
}
"""Per kind of gap, a heading and one sentence a funder reads, in the order the page shows
them: dependencies first, as the question funders ask most."""


@router.get("/analysis/gaps", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def gaps_page(
    snapshots: SnapshotsDep,
    lang: ReaderLanguage,
    country: Country = None,
    sector: Sector = None,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> HTMLResponse:
    """Gaps for funders as a page, in the reader's language: the country-by-sector matrix,
    whose cells list the organisations behind each number, and the gaps, by kind, with why
    each matters."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"gaps page {country} {sector} {lang}",
        lambda: render_gaps(snapshot, country, sector, lang),
    )
    return HTMLResponse(page, headers=language_headers(lang))


def address(path: str, query: Mapping[str, object]) -> str:
    """``path`` with the query parameters that are given (not ``None``); a list repeats its
    parameter (``remove=a&remove=b``)."""
    given = urlencode({k: v for k, v in query.items() if v is not None}, doseq=True)
    return path + (f"?{given}" if given else "")


def asked(snapshot: Snapshot, query: Mapping[str, object]) -> dict[str, object]:
    """``query`` with the snapshot's weighing last, when it is not the default."""
    return {**query, "basis": None if snapshot.weighing == "any" else snapshot.weighing}


BASES: dict[Weighing, str] = {
    "any": N_("every fact, inferences marked"),
    "stated": N_("only what sources state"),
}
"""The two weighings a page can count, as its switch names them."""
SHOWN = 100
"""Findings resting on inference that a page lists; the JSON lists them all."""
RECORDS_SHOWN = 10
"""Inferred records named under one finding; the JSON names them all."""


def basis_switch(
    path: str, query: Mapping[str, object], basis: Weighing, lang: Language = DEFAULT
) -> Markup:
    """Links to ``path`` counting each weighing, with the other parameters of ``query`` kept;
    the one shown is marked as the current page."""
    links = []
    for weighing, words in BASES.items():
        href = address(path, {**query, "basis": None if weighing == "any" else weighing})
        current = Markup(' aria-current="page"') if weighing == basis else ""
        links.append(Markup('<a href="{}"{}>{}</a>').format(href, current, gettext(words, lang)))
    counted = gettext(N_("Facts counted"), lang)
    return Markup('<nav class="basis-switch" aria-label="{}"><span>{}</span> {}</nav>').format(
        counted, gettext(N_("Facts counted:"), lang), Markup(" ").join(links)
    )


def tie_dates(rel: Relationship, lang: Language = DEFAULT) -> str:
    """A tie's years in words: "2015 to 2020" (written with a dash), "since 2015", or, with
    no ``since``, "undated, reported in 2020" (the year of its earliest evidence), then its
    end if known."""
    if rel.since is not None:
        if rel.until is not None:
            return f"{rel.since}\N{EN DASH}{rel.until}"
        return gettext(N_("since {year}"), lang).format(year=rel.since)
    first = reported(rel)
    words = [since_words(None, first, lang)]
    if rel.until is not None:
        words.append(gettext(N_("until {year}"), lang).format(year=rel.until))
    return ", ".join(words)


def inferred_section(
    snapshot: Snapshot,
    findings: list[tuple[str, tuple[str, ...]]],
    none: str,
    lang: Language = DEFAULT,
) -> Markup:
    """The findings of a page that rest on inference, each with its inferred records: a tie
    as a sentence with its years, an organisation by name, each marked "inferred" with the
    reason on hover (and for screen readers). ``findings`` pairs a finding's words with the
    ids of its inferred records; ``none`` (a marked message) says that no finding does. Every
    value is escaped."""
    if not findings:
        return Markup('<p class="none">{}</p>').format(gettext(none, lang))
    items = []
    for words, ids in findings[:SHOWN]:
        named = [
            Markup("<li>{}</li>").format(_record_line(snapshot, i, lang))
            for i in ids[:RECORDS_SHOWN]
        ]
        if len(ids) > RECORDS_SHOWN:
            also = gettext(N_("and {count} more (see the JSON)"), lang)
            named.append(Markup("<li>{}</li>").format(also.format(count=len(ids) - RECORDS_SHOWN)))
        rests = _mark(gettext(N_("it rests on the records below"), lang), lang)
        items.append(
            Markup("<li>{} {}<ul>{}</ul></li>").format(words, rests, Markup("").join(named))
        )
    more = len(findings) - SHOWN
    tail = (
        Markup('<p class="note">{}</p>').format(
            gettext(N_("And {count} more; the JSON lists them all."), lang).format(count=more)
        )
        if more > 0
        else ""
    )
    return Markup('<ul class="inferred-list">{}</ul>{}').format(Markup("").join(items), tail)


def _mark(reason: str, lang: Language = DEFAULT) -> Markup:
    """The "inferred" marker: a word, not a colour, with the reason on hover and read out."""
    return Markup(
        '<span class="inferred-mark" title="{}">{}<span class="visually-hidden"> ({})</span></span>'
    ).format(reason, gettext(N_("inferred"), lang), reason)


def _record_line(snapshot: Snapshot, record_id: str, lang: Language = DEFAULT) -> Markup:
    """A record of the snapshot in words, marked with the reasons of its inferred sources."""
    words, reasons = _record_words(snapshot, record_id, lang)
    return Markup("{} {}").format(words, _mark("; ".join(reasons), lang))


def _record_words(
    snapshot: Snapshot, record_id: str, lang: Language = DEFAULT
) -> tuple[str, list[str]]:
    """A record of the snapshot in words (a tie as a sentence with its years, an organisation
    by name) and the reasons of its inferred sources, each after the fields it backs."""
    sought = (r for r in snapshot.sought if r.id == record_id)
    tie = snapshot.relationships.get(record_id) or next(sought, None)
    record = tie if tie is not None else snapshot.organization(record_id)
    if isinstance(record, Relationship):
        ends = (snapshot.organization(i).name for i in (record.source, record.target))
        source, target = ends
        verb = relationship_label(record.type, lang)
        words = f"{source} {verb} {target} ({tie_dates(record, lang)})"
    else:
        words = record.name
    return words, inferred_reasons(record, lang)


FIELD_WORDS: dict[str, str] = {
    "since": N_("start year"),
    "until": N_("end year"),
    "founded": N_("founding year"),
    "aliases": N_("other names"),
    "countries": N_("countries"),
    "sectors": N_("sectors"),
    "type": N_("type"),
    "mode": N_("mode"),
    "mechanisms": N_("mechanisms"),
    "movement": N_("movement"),
    "status": N_("status"),
    "activities": N_("activities"),
    "amount": N_("amount"),
    "currency": N_("currency"),
    "awarded": N_("award date"),
    "level": N_("level"),
    "programme": N_("programme"),
    "reference": N_("reference"),
    "description": N_("description"),
    "identifiers": N_("identifiers"),
    "name": N_("name"),
    "source": N_("who it comes from"),
    "target": N_("whom it reaches"),
}
"""The fields of a record that a source may back, as a reason names them (analysis.js names
them alike)."""


def inferred_reasons(record: Organization | Relationship, lang: Language = DEFAULT) -> list[str]:
    """Our reasons for what we inferred of ``record``, in ``lang``, each after the fields it
    backs in words: "end year: the pandemic's onset was in 2020", "the record: ..." for the
    record as a whole (the reason itself is a curator's, and stays as written)."""
    return [
        gettext(N_("{fields}: {reason}"), lang).format(
            fields=", ".join(gettext(FIELD_WORDS.get(f, f), lang) for f in s.fields)
            if s.fields
            else gettext(N_("the record"), lang),
            reason=s.reason,
        )
        for s in record.sources
        if s.basis == "inferred"
    ]


def inferred_named(
    snapshot: Snapshot, ids: Iterable[str], lang: Language = DEFAULT
) -> dict[str, dict[str, Any]]:
    """The inferred records that a page's findings rest on, by id, each in words with its
    reasons: what a page's script names beside the word "inferred"."""
    named = {}
    for record_id in sorted(set(ids)):
        words, reasons = _record_words(snapshot, record_id, lang)
        named[record_id] = {"words": words, "reasons": reasons}
    return named


def render_gaps(
    snapshot: Snapshot, country: str | None, sector: str | None, lang: Language = DEFAULT
) -> str:
    """The complete page in ``lang``: its title, the link to the same answer as JSON (which
    stays English), and its data."""
    query = asked(snapshot, {"country": country, "sector": sector, "as_of": snapshot.as_of})
    data = gaps_data(snapshot, country, sector, lang)
    found = snapshot.remember(
        f"gaps {country} {sector}", lambda: gaps(snapshot, country=country, sector=sector)
    )
    findings = [
        (f"{gettext(HEADINGS[g.kind][0], lang)}: {g.lead.say(lang)}", g.inferred_records)
        for g in found
        if g.rests_on_inference
    ]
    return analysis_page(
        "gaps.html",
        "/analysis/gaps",
        "/api/analysis/gaps",
        snapshot,
        query,
        data,
        inferred_section(snapshot, findings, N_("No gap here rests on our inference."), lang),
        lang,
        figure_link=address("/figures/coverage.svg", query),
        shortlist_link=address(
            "/analysis/shortlist",
            {
                **asked(snapshot, {"as_of": snapshot.as_of}),
                "lang": None if lang == DEFAULT else lang,
            },
        ),
    )


def analysis_page(
    name: str,
    path: str,
    json_path: str,
    snapshot: Snapshot,
    query: Mapping[str, object],
    data: dict[str, Any],
    inferred: Markup,
    lang: Language,
    **more: object,
) -> str:
    """An analysis page from template ``name`` in ``lang``: its title and data, the link to the
    same answer as JSON at ``json_path`` (which stays English), the basis switch and the
    language switcher keeping the view (``query``), what rests on inference (``inferred``),
    and the scripts' catalogue; ``more`` fills the template's own places."""
    kept = {"lang": None if lang == DEFAULT else lang}
    shown = [(k, str(v)) for k, v in query.items() if v is not None]
    return render_page(
        name,
        lang,
        path,
        shown,
        title=data["title"],
        basis=snapshot.weighing,
        json_link=address(json_path, query),
        basis_switch=basis_switch(path, {**query, **kept}, snapshot.weighing, lang),
        inferred=inferred,
        data=data,
        **more,
    )


def gaps_data(
    snapshot: Snapshot, country: str | None, sector: str | None, lang: Language = DEFAULT
) -> dict[str, Any]:
    """What the page draws, in ``lang``: the matrix with names and labels, the cells by
    organisation index, the colour scale of the figure, and the gaps grouped by kind, each
    kind with the brief's finding that makes it matter (said once, not once per gap, to keep
    the page light on a large ecosystem)."""
    matrix = snapshot.remember(
        f"coverage {country} {sector}",
        lambda: coverage(snapshot, country=country, sector=sector),
    )
    found = snapshot.remember(
        f"gaps {country} {sector}", lambda: gaps(snapshot, country=country, sector=sector)
    )
    whole = snapshot.remember("coverage None None", lambda: coverage(snapshot))
    index: dict[str, int] = {}

    def ref(ids: tuple[str, ...]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    title = (
        gettext(N_("Gaps for funders in {year}"), lang).format(year=snapshot.as_of)
        if snapshot.as_of
        else gettext(N_("Gaps for funders"), lang)
    )
    return {
        "title": title,
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "country": country,
        "sector": sector,
        "countries": _countries(matrix.countries, lang),
        "sectors": _sectors(matrix.sectors, lang),
        "choices": {
            "countries": _countries(whole.countries, lang),
            "sectors": _sectors(whole.sectors, lang),
        },
        "cells": _cells(matrix, ref),
        "kinds": [
            {
                "kind": kind,
                "heading": gettext(heading, lang),
                "about": gettext(about, lang),
                "why": _capitalised(gettext(FINDINGS[kind], lang)),
                "gaps": _gaps(snapshot, found, kind, ref, lang),
            }
            for kind, (heading, about) in HEADINGS.items()
        ],
        "scale": [asdict(shade) for shade in shades()],
        "organizations": [_organization(snapshot, i, lang) for i in index],
        "inferred": inferred_named(snapshot, (i for g in found for i in g.inferred_records), lang),
    }


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _countries(keys: tuple[str, ...], lang: Language = DEFAULT) -> list[dict[str, str]]:
    """Countries by name, as a person looks them up."""
    rows = [{"key": k, "name": country_name(k, lang)} for k in keys]
    return sorted(rows, key=lambda r: r["name"])


def _sectors(keys: tuple[str, ...], lang: Language = DEFAULT) -> list[dict[str, str]]:
    return [{"key": k, "label": label("sectors", k, lang)} for k in keys]


def _cells(matrix: Coverage, ref: Indexer) -> list[dict[str, Any]]:
    """The cells with any organisation, each family's organisations as indexes."""
    return [
        {
            "country": cell.country,
            "sector": cell.sector,
            **{family: ref(getattr(cell.organizations, family)) for family in COUNTED},
            "enablers": ref(cell.organizations.enablers),
        }
        for cell in matrix.cells
        if cell.unions or cell.worker_organisations or cell.sse_units
    ]


def _gaps(
    snapshot: Snapshot,
    found: tuple[Gap, ...],
    kind: GapKind,
    ref: Indexer,
    lang: Language = DEFAULT,
) -> list[dict[str, Any]]:
    """The gaps of ``kind``, each with the page of matches that could close it and the
    organisation they are for (``None`` when no match would)."""
    return [
        {
            "organizations": ref(gap.organizations),
            **_matches_page(snapshot, gap, ref, lang),
            "country": gap.country and country_name(gap.country, lang),
            "sector": gap.sector and label("sectors", gap.sector, lang),
            "rests_on_inference": gap.rests_on_inference,
            "inferred_records": list(gap.inferred_records),
        }
        for gap in found
        if gap.kind == kind
    ]


def _matches_page(
    snapshot: Snapshot, gap: Gap, ref: Indexer, lang: Language = DEFAULT
) -> dict[str, Any]:
    """The page ranking who could close ``gap`` (``matches``, in ``lang``), for the
    organisation its remedy names first (``matches_for``, by index), and the kind of match."""
    wanted = remedy(snapshot, gap)
    if wanted is None or not wanted.organizations:
        return {"matches": None, "matches_for": None, "match_kind": None}
    first = wanted.organizations[0]
    return {
        "matches": matches_address(first, wanted.kind, snapshot.as_of, snapshot.weighing, page=True)
        + ("" if lang == DEFAULT else f"&lang={lang}"),
        "matches_for": ref((first,))[0],
        "match_kind": wanted.kind,
    }


def _organization(
    snapshot: Snapshot, organization_id: str, lang: Language = DEFAULT
) -> dict[str, str]:
    org = snapshot.organization(organization_id)
    return {
        "id": org.id,
        "name": org.name,
        "short": org.short_name() if org.short_name() != org.name else "",
        "type": label("organization_types", org.type, lang).lower(),
    }


@dataclass(frozen=True)
class TypeRow:
    """One row of the brief's table of partnership types, in our words: what the type is, its
    key characteristics and the brief's examples (names, places and citations as the brief
    gives them), and how the graph tells it (``app.analysis.typology``)."""

    heading: str
    characteristics: tuple[str, ...]
    examples: tuple[str, ...]
    rule: str


TYPE_ROWS: dict[PartnershipType, TypeRow] = {
    1: TypeRow(
        N_("Unions and informal workers' organisations set up SSE units of their own"),
        (
            N_("The most common kind of partnership, found in every context the research studied."),
            N_(
                "Often led by formal trade unions, or by associations and organisations that "
                "informal workers run themselves."
            ),
            N_(
                "The units they set up take many SSE forms, above all cooperatives, mutual "
                "societies and social enterprises."
            ),
        ),
        (
            N_(
                "Dominican Republic: the National Union of Domestic Workers (FENAMUTRA) set up the "
                "COOPFENAMUTRA cooperative (Imparcial RD 2021)."
            ),
            N_(
                "India: the Self-Employment Women's Association (SEWA) has built several SSE "
                "units, among them VimoSEWA Cooperative Limited, which insures SEWA members and "
                "other informal workers (ILO 2019)."
            ),
            N_(
                "Trinidad and Tobago: the National Union of Domestic Employees (NUDE) set up the "
                "Service Workers Centre Cooperative Society Limited (SWCC), a worker cooperative "
                "(ILO 2018b)."
            ),
        ),
        N_(
            "A union or informal workers' organisation of the partnership established its SSE unit."
        ),
    ),
    2: TypeRow(
        N_(
            "Established trade unions work with the SSE to organise, represent or serve informal "
            "workers"
        ),
        (
            N_(
                "Most often a trade union looks for SSE units that already exist and works with "
                "them to reach informal workers."
            ),
        ),
        (
            N_(
                "Brazil: unions and the SSE made their alliance formal by creating the Central de "
                "Cooperativas e Empreendimentos Solidários (UNISOL Brasil), a hybrid of "
                "associations, cooperatives and other SSE units in which the national Central "
                "Única dos Trabalhadores (CUT) takes an active part (Hunt and Sarwar, unpublished)."
            ),
            N_(
                "Rwanda: the Centrale des Syndicats des Travailleurs au Rwanda (CESTRAR) "
                "approached members of a motorcycle taxi drivers' mutual fund in Kigali and "
                "helped them organise into unions (Manzi 2007)."
            ),
        ),
        N_("A trade union or federation is a member, and no member established the SSE unit."),
    ),
    3: TypeRow(
        N_("An enabling partner brings unions and the SSE together"),
        (
            N_(
                "Enabling partners (academics, other technical experts, NGOs) take the lead in "
                "conceiving and founding the initiative, to help informal workers act together."
            ),
            N_("Their role depends on what the partnership needs: short, lasting or occasional."),
        ),
        (
            N_(
                "South Africa: the Social Law Project leads the Digital Platform Cooperative "
                "Project, a young platform cooperative owned by domestic workers, set up with the "
                "South African Domestic Service and Allied Workers Union (SADSAWU) and United "
                "Domestic Workers of South Africa (UDWOSA) (Hunt and Sarwar, unpublished)."
            ),
        ),
        N_(
            "An enabling partner established or facilitates the SSE unit and is itself tied to a "
            "union or informal workers' organisation of the partnership."
        ),
    ),
}
"""The brief's table ("Partnerships between trade unions and the SSE to support informal
economy workers"), row by row."""


@router.get("/analysis/partnerships", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def partnerships_page(
    snapshots: SnapshotsDep,
    lang: ReaderLanguage,
    country: Country = None,
    sector: Sector = None,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> HTMLResponse:
    """The brief's table of partnership types reproduced from the graph: each type with the
    partnerships classified so, their members, enablers and evidence, and a link to each map."""
    country = checked("country", country, VOCAB.countries)
    sector = checked("sector", sector, VOCAB.sectors)
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"partnerships page {country} {sector} {lang}",
        lambda: render_partnerships(snapshot, country, sector, lang),
    )
    return HTMLResponse(page, headers=language_headers(lang))


def render_partnerships(
    snapshot: Snapshot, country: str | None, sector: str | None, lang: Language = DEFAULT
) -> str:
    """The complete page in ``lang``: its title, the link to the same answer as JSON (which
    stays English), and its data."""
    query = asked(snapshot, {"country": country, "sector": sector, "as_of": snapshot.as_of})
    data = partnerships_data(snapshot, country, sector, lang)
    found = snapshot.remember(
        f"partnerships None {country} {sector}",
        lambda: partnerships(snapshot, country=country, sector=sector),
    )
    findings = [
        (_partnership_line(snapshot, p, lang), p.inferred_records)
        for p in found
        if p.rests_on_inference
    ]
    return analysis_page(
        "partnerships.html",
        "/analysis/partnerships",
        "/api/partnerships",
        snapshot,
        query,
        data,
        inferred_section(
            snapshot, findings, N_("No partnership here rests on our inference."), lang
        ),
        lang,
    )


def _partnership_line(snapshot: Snapshot, found: Partnership, lang: Language = DEFAULT) -> str:
    """A partnership in a few words: its SSE unit and its type."""
    kind = (
        gettext(N_("type {number}"), lang).format(number=found.type)
        if found.type
        else gettext(N_("no type"), lang)
    )
    around = gettext(N_("Partnership around {unit} ({kind})"), lang)
    return around.format(unit=snapshot.organizations[found.sse_unit].name, kind=kind)


def partnerships_data(
    snapshot: Snapshot, country: str | None, sector: str | None, lang: Language = DEFAULT
) -> dict[str, Any]:
    """What the page draws: the table's rows, each with the partnerships of its type, then
    those of no type. Organisations, ties and sources are listed once each and referred to by
    index, as partnerships around one federation share its ties and a large ecosystem cites
    the same few sources thousands of times. The key of the partnerships is the one
    ``/api/partnerships`` uses, so both share one computation."""
    found = snapshot.remember(
        f"partnerships None {country} {sector}",
        lambda: partnerships(snapshot, country=country, sector=sector),
    )
    every = partnerships(snapshot)
    index: dict[str, int] = {}
    cited: dict[str, int] = {}
    sources: list[dict[str, Any]] = []
    tied: dict[str, int] = {}
    ties: list[dict[str, Any]] = []

    def ref(ids: Iterable[str]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    def cite(source: Source) -> int:
        """The source's index, each distinct source listed once (keyed by its JSON, as a
        source with fields is not hashable)."""
        key = source.model_dump_json()
        if key not in cited:
            cited[key] = len(sources)
            sources.append(source.model_dump())
        return cited[key]

    def tie_ref(rels: Iterable[Relationship]) -> list[int]:
        for rel in rels:
            if rel.id not in tied:
                tied[rel.id] = len(ties)
                ties.append(_tie(rel, ref, [cite(s) for s in rel.sources], lang))
        return [tied[rel.id] for rel in rels]

    kept = asked(snapshot, {"as_of": snapshot.as_of})
    shown = [_partnership(snapshot, p, ref, tie_ref, kept, lang) for p in found]
    return {
        "title": gettext(N_("Partnership types in {year}"), lang).format(year=snapshot.as_of)
        if snapshot.as_of
        else gettext(N_("Partnership types"), lang),
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "country": country,
        "sector": sector,
        "choices": {
            "countries": _countries(tuple({c for p in every for c in p.countries}), lang),
            "sectors": _sectors(tuple(sorted({s for p in every for s in p.sectors})), lang),
        },
        "types": [
            {
                "type": kind,
                **_row_in(row, lang),
                "partnerships": [s for s, p in zip(shown, found, strict=True) if p.type == kind],
            }
            for kind, row in TYPE_ROWS.items()
        ],
        "untyped": [s for s, p in zip(shown, found, strict=True) if p.type is None],
        "organizations": [_named(snapshot, i, lang) for i in index],
        "ties": ties,
        "sources": sources,
        "inferred": inferred_named(snapshot, (i for p in found for i in p.inferred_records), lang),
    }


def _row_in(row: TypeRow, lang: Language) -> dict[str, Any]:
    """A row of the brief's table in ``lang``."""
    return {
        "heading": gettext(row.heading, lang),
        "characteristics": [gettext(c, lang) for c in row.characteristics],
        "examples": [gettext(e, lang) for e in row.examples],
        "rule": gettext(row.rule, lang),
    }


def _partnership(
    snapshot: Snapshot,
    found: Partnership,
    ref: Indexer,
    tie_ref: Callable[[list[Relationship]], list[int]],
    query: Mapping[str, object],
    lang: Language = DEFAULT,
) -> dict[str, Any]:
    """One partnership in words, with the ties among its organisations as its evidence, and
    its map for the page's year and weighing (``query``)."""
    return {
        "id": found.id,
        "map": address(
            f"/maps/partnerships/{found.id}",
            {**query, "lang": None if lang == DEFAULT else lang},
        ),
        "sse_unit": ref((found.sse_unit,))[0],
        "members": ref(tuple(m for m in found.members if m != found.sse_unit)),
        "enablers": ref(found.enablers),
        "countries": [country_name(c, lang) for c in found.countries],
        "sectors": [label("sectors", s, lang) for s in found.sectors],
        "explanation": found.said.say(lang),
        "evidence": tie_ref(_ties_among(snapshot, {*found.members, *found.enablers})),
        "rests_on_inference": found.rests_on_inference,
        "inferred_records": list(found.inferred_records),
    }


def _tie(
    rel: Relationship, ref: Indexer, sources: list[int], lang: Language = DEFAULT
) -> dict[str, Any]:
    """A tie as a sentence's parts: who, how, whom, when (in words too, "undated, reported in
    YEAR" for an undated one), doing what, on which sources, and on what basis."""
    return {
        "id": rel.id,
        "source": ref((rel.source,))[0],
        "relationship": relationship_label(rel.type, lang),
        "target": ref((rel.target,))[0],
        "since": rel.since,
        "until": rel.until,
        "reported": reported(rel),
        "dates": tie_dates(rel, lang),
        "activities": rel.activities,
        "sources": sources,
        "basis": record_basis(rel),
        "inferred": list(inferred_values(rel)),
    }


def _ties_among(snapshot: Snapshot, ids: set[str]) -> list[Relationship]:
    """The relationships in force between organisations of ``ids``, by id."""
    graph = snapshot.graph
    keys = {key for a in ids for _, b, key in graph.out_edges(a, keys=True) if b in ids}
    return [snapshot.relationships[key] for key in sorted(keys)]


TOP = 20
"""Brokers listed unless asked otherwise, as ``/api/analysis/brokers`` does."""
Top = Annotated[int, Query(ge=1, le=200, description="How many brokers to list.")]


@router.get("/analysis/brokers", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def brokers_page(
    snapshots: SnapshotsDep,
    lang: ReaderLanguage,
    as_of: AsOf = None,
    basis: Basis = "any",
    top: Top = TOP,
) -> HTMLResponse:
    """Brokers and bridges between the labour and SSE movements as ranked tables, by name, in
    the reader's language."""
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"brokers page {top} {lang}", lambda: render_brokers(snapshot, top, lang)
    )
    return HTMLResponse(page, headers=language_headers(lang))


def render_brokers(snapshot: Snapshot, top: int, lang: Language = DEFAULT) -> str:
    """The complete page in ``lang``: its title, the link to the same answer as JSON (which
    stays English), and its data."""
    query = asked(snapshot, {"as_of": snapshot.as_of, "top": None if top == TOP else top})
    data = brokers_data(snapshot, top, lang)
    found = shared_brokers(snapshot, top)
    broker, bridge = gettext(N_("Broker: {name}"), lang), gettext(N_("Bridge: {name}"), lang)
    names = snapshot.organizations
    findings = [
        *(
            (broker.format(name=names[b.organization].name), b.inferred_records)
            for b in found.brokers
            if b.rests_on_inference
        ),
        *(
            (bridge.format(name=names[b.organization].name), b.inferred_records)
            for b in found.bridges
            if b.rests_on_inference
        ),
    ]
    return analysis_page(
        "brokers.html",
        "/analysis/brokers",
        "/api/analysis/brokers",
        snapshot,
        query,
        data,
        inferred_section(
            snapshot, findings, N_("No broker or bridge here rests on our inference."), lang
        ),
        lang,
    )


def brokers_data(snapshot: Snapshot, top: int, lang: Language = DEFAULT) -> dict[str, Any]:
    """What the page draws: brokers ranked by betweenness, with constraint, then the bridges,
    organisations by index; and whether betweenness is exact or a sampled estimate, with the
    sample's size. The key is the one ``/api/analysis/brokers`` uses, to share one computation."""
    found = shared_brokers(snapshot, top)
    index: dict[str, int] = {}

    def ref(ids: Iterable[str]) -> list[int]:
        return [index.setdefault(i, len(index)) for i in ids]

    return {
        "title": gettext(N_("Brokers and bridges in {year}"), lang).format(year=snapshot.as_of)
        if snapshot.as_of
        else gettext(N_("Brokers and bridges"), lang),
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "top": top,
        "exact": found.exact,
        "sample_size": found.sample_size,
        "organization_count": len(snapshot.organizations),
        "brokers": [
            {
                "organization": ref((b.organization,))[0],
                "betweenness": b.betweenness,
                "constraint": b.constraint,
                "rests_on_inference": b.rests_on_inference,
                "inferred_records": list(b.inferred_records),
            }
            for b in found.brokers
        ],
        "bridges": [
            {
                "organization": ref((b.organization,))[0],
                "labour": ref(b.labour),
                "sse": ref(b.sse),
                "score": b.score,
                "rests_on_inference": b.rests_on_inference,
                "inferred_records": list(b.inferred_records),
            }
            for b in found.bridges
        ],
        "organizations": [_named(snapshot, i, lang) for i in index],
        "inferred": inferred_named(
            snapshot,
            [
                *(i for b in found.brokers for i in b.inferred_records),
                *(i for b in found.bridges for i in b.inferred_records),
            ],
            lang,
        ),
    }


@router.get("/analysis/what-if", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def what_if_page(
    store: StoreDep,
    lang: ReaderLanguage,
    remove: Annotated[
        list[Slug] | None,
        Query(max_length=MAX_REMOVED, description="Organisations that withdraw, by id."),
    ] = None,
    year: AsOf = None,
    basis: Basis = "any",
) -> HTMLResponse:
    """The what-if as a page, in the reader's language: pick organisations to withdraw and a
    year; the page's script asks ``POST /api/analysis/what-if`` and shows, by name, who loses
    all or some support, on a map.

    The picks live in the address (``?remove=afd&remove=...&year=&basis=&lang=``); the page
    names them. ``basis`` is carried in the data, for the script to send with its question,
    and in the page's "Facts counted" switch, whose links (and the language switcher's) the
    script keeps in step with the picks. Countries, types and relationships come named in
    the page's language, for the organisations and ties the script fetches."""
    asked = list(dict.fromkeys(remove or []))
    found = {o.id: o for o in store.get_organizations(asked)}
    missing = [i for i in asked if i not in found]
    if missing:
        raise NotFound("organization", ", ".join(missing))
    data = {
        "year": year,
        "basis": basis,
        "picked": [{"id": i, "name": found[i].name, "short": _short(found[i])} for i in asked],
        "max": MAX_REMOVED,
        "countries": {code: country_name(code, lang) for code in VOCAB.countries},
        "types": {key: label("organization_types", key, lang) for key in VOCAB.organization_types},
        "relationships": {key: relationship_label(key, lang) for key in VOCAB.relationship_types},
    }
    query = {"remove": asked or None, "year": year}
    kept = {"lang": None if lang == DEFAULT else lang}
    shown = [
        *(("remove", i) for i in asked),
        *((("year", str(year)),) if year is not None else ()),
        *((("basis", basis),) if basis != "any" else ()),
    ]
    page = render_page(
        "what-if.html",
        lang,
        "/analysis/what-if",
        shown,
        title=gettext(N_("What if someone withdrew"), lang),
        basis=basis,
        basis_switch=basis_switch("/analysis/what-if", {**query, **kept}, basis, lang),
        data=data,
    )
    return HTMLResponse(page, headers=language_headers(lang))


def _named(snapshot: Snapshot, organization_id: str, lang: Language = DEFAULT) -> dict[str, str]:
    """An organisation as a person reads it: name, short name if another, type and movement."""
    org = snapshot.organization(organization_id)
    return {
        "id": org.id,
        "name": org.name,
        "short": _short(org),
        "type": label("organization_types", org.type, lang),
        "movement": label("movements", org.movement, lang),
    }


def _short(org: Organization) -> str:
    """The short name (usually the acronym), or nothing when it is the name itself."""
    return org.short_name() if org.short_name() != org.name else ""
