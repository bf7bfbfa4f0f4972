"""Matches and the funder's shortlist as pages, beside the gaps page: who could fill a gap,
ranked, each with its reasons and the sources behind them; and the introductions that close
the most gaps.

Each page carries the same answer as its JSON (``/api/organizations/{id}/matches``,
``POST /api/analysis/shortlist``) as inert JSON, with names, labels and sources beside the
ids, and its script draws it as text only. As on the other analysis pages, a "Facts counted"
switch keeps the other parameters, and what rests on our inference is marked "inferred".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.analysis.gaps import Gap
from app.analysis.matching import Match, Matches, MatchKind, matches
from app.analysis.shortlist import shortlist
from app.analysis.snapshot import Snapshot
from app.analysis.weights import Weight, weights
from app.api.deps import SnapshotsDep, StoreDep
from app.api.params import AsOf, Basis, OrganizationId, ReaderLanguage, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.routers.analysis import MAX_INTRODUCTIONS
from app.api.routers.analysis_pages import (
    HEADINGS,
    address,
    analysis_page,
    asked,
    basis_switch,
    inferred_named,
    inferred_section,
)
from app.api.routers.matches import LIMIT, Kind, MatchLimit, matches_address
from app.domain.languages import DEFAULT, Language, country_name
from app.domain.messages import N_, gettext
from app.domain.models import Organization, Source
from app.domain.terms import label
from app.maps.page import render_page

router = APIRouter(tags=["analysis"])

TIERS = {
    "same_country_and_sector": N_("Same country and sector"),
    "same_sector_elsewhere": N_("Same sector, elsewhere"),
    "active_in_country_and_sector": N_("Active in its country and sector"),
    "active_in_sector_elsewhere": N_("Active in its sector, elsewhere"),
}
"""Each tier of ``graph_schema/matching.yaml`` as a page names it (a match's own reason says
what a tier elsewhere is for: exchange rather than partnership)."""
TIER_FINDINGS = {
    "same_country_and_sector": N_("{name}: same country and sector"),
    "same_sector_elsewhere": N_("{name}: same sector, elsewhere"),
    "active_in_country_and_sector": N_("{name}: active in its country and sector"),
    "active_in_sector_elsewhere": N_("{name}: active in its sector, elsewhere"),
}
"""A match that rests on inference, as the page's inferred section names it."""
KINDS: dict[MatchKind, tuple[str, str, str]] = {
    "partner": (
        N_("Who could partner with {name}"),
        N_("Who could partner with {name} in {year}"),
        N_("Partners"),
    ),
    "enabler": (
        N_("Who could enable {name}"),
        N_("Who could enable {name} in {year}"),
        N_("Enablers"),
    ),
}
"""Per kind of match, the page's title (now, and in a year) and the label of its switch."""
SHORTLIST = 5
"""Introductions the shortlist page proposes unless asked otherwise."""
Budget = Annotated[
    int, Query(ge=1, le=MAX_INTRODUCTIONS, description="The budget: at most this many.")
]


@router.get(
    "/analysis/matches/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def matches_page(
    store: StoreDep,
    snapshots: SnapshotsDep,
    organization_id: OrganizationId,
    lang: ReaderLanguage,
    kind: Kind = "partner",
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: MatchLimit = LIMIT,
) -> HTMLResponse:
    """Who could partner with an organisation, or enable it, as a ranked list in the reader's
    language: each match with its tier, its reasons in words, the sources behind each reason,
    and for an enabler its mechanisms and whom it enables there."""
    org = store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"matches page {organization_id} {kind} {limit} {lang}",
        lambda: render_matches(snapshot, org, kind, limit, lang),
    )
    return HTMLResponse(page, headers=language_headers(lang))


def render_matches(
    snapshot: Snapshot, org: Organization, kind: MatchKind, limit: int, lang: Language = DEFAULT
) -> str:
    """The complete page in ``lang``: its title, the link to the same answer as JSON (which
    stays English), and its data."""
    found = snapshot.remember(
        f"matches {org.id} {kind} {limit}", lambda: matches(snapshot, org.id, kind, limit=limit)
    )
    data = matches_data(snapshot, org, found, lang)
    query = asked(snapshot, {"kind": kind, "as_of": snapshot.as_of, "limit": _limit(limit)})
    findings = [
        (
            gettext(TIER_FINDINGS[m.tier], lang).format(name=_name(snapshot, m.organization)),
            m.inferred_records,
        )
        for m in found.items
        if m.rests_on_inference
    ]
    return analysis_page(
        "matches.html",
        f"/analysis/matches/{org.id}",
        f"/api/organizations/{org.id}/matches",
        snapshot,
        query,
        data,
        inferred_section(snapshot, findings, N_("No match here rests on our inference."), lang),
        lang,
    )


def matches_data(
    snapshot: Snapshot, org: Organization, found: Matches, lang: Language = DEFAULT
) -> dict[str, Any]:
    """What the page draws, in ``lang``: the organisation, the two kinds of match (as links),
    how they are ranked (the weights, in our words and the brief's), and the matches;
    organisations and sources listed once each and referred to by index."""
    kind = found.kind
    refs = _Refs(snapshot, lang)
    me = refs.org(org.id, org)
    switch = []
    for other, (_, _, words) in KINDS.items():
        href = matches_address(org.id, other, snapshot.as_of, snapshot.weighing, page=True)
        switch.append(
            {
                "label": gettext(words, lang),
                "href": href + ("" if lang == DEFAULT else f"&lang={lang}"),
                "current": other == kind,
            }
        )
    now, then, _ = KINDS[kind]
    title = (
        gettext(then, lang).format(name=org.short_name(), year=snapshot.as_of)
        if snapshot.as_of
        else gettext(now, lang).format(name=org.short_name())
    )
    return {
        "title": title,
        "organization": me,
        "kind": kind,
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "shown": len(found.items),
        "total": found.total,
        "note": found.noted.say(lang) if found.noted else None,
        "kinds": switch,
        "how": _how(kind, lang),
        "matches": [refs.match(m) for m in found.items],
        "organizations": refs.organizations,
        "sources": refs.sources,
        "inferred": inferred_named(
            snapshot, (i for m in found.items for i in m.inferred_records), lang
        ),
    }


@router.get("/analysis/shortlist", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def shortlist_page(
    snapshots: SnapshotsDep,
    lang: ReaderLanguage,
    n: Budget = SHORTLIST,
    as_of: AsOf = None,
    basis: Basis = "any",
) -> HTMLResponse:
    """A funder's shortlist as a page, in the reader's language: the introductions, at most
    ``n``, that close the most gaps, each with the gaps it closes, its reasons and their
    sources, and how they were chosen (exact, or greedy with its guarantee)."""
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"shortlist page {n} {lang}", lambda: render_shortlist(snapshot, n, lang)
    )
    return HTMLResponse(page, headers=language_headers(lang))


def render_shortlist(snapshot: Snapshot, n: int, lang: Language = DEFAULT) -> str:
    """The complete page in ``lang``: its title, the link to the gaps it closes, the language
    switcher keeping the view, and its data."""
    data = shortlist_data(snapshot, n, lang)
    query = asked(snapshot, {"n": None if n == SHORTLIST else n, "as_of": snapshot.as_of})
    found = snapshot.remember(f"shortlist {n}", lambda: shortlist(snapshot, n))
    introduce = gettext(N_("Introduce {match} to {organisation}"), lang)
    findings = [
        (
            introduce.format(
                match=_name(snapshot, p.match.organization),
                organisation=_name(snapshot, p.organization),
            ),
            p.match.inferred_records,
        )
        for p in found.picks
        if p.match.rests_on_inference
    ]
    kept = {"lang": None if lang == DEFAULT else lang}
    return render_page(
        "shortlist.html",
        lang,
        "/analysis/shortlist",
        [(k, str(v)) for k, v in query.items() if v is not None],
        title=data["title"],
        basis=snapshot.weighing,
        gaps_link=address("/analysis/gaps", _kept(snapshot, lang)),
        basis_switch=basis_switch(
            "/analysis/shortlist", {**query, **kept}, snapshot.weighing, lang
        ),
        inferred=inferred_section(
            snapshot, findings, N_("No introduction here rests on our inference."), lang
        ),
        data=data,
    )


def shortlist_data(snapshot: Snapshot, n: int, lang: Language = DEFAULT) -> dict[str, Any]:
    """What the page draws, in ``lang``: each pick, with whom it introduces to whom, the gaps
    it closes in words, its reasons and their sources; how the picks were chosen; and the
    counts. The key is the one ``POST /api/analysis/shortlist`` uses, to share one
    computation."""
    found = snapshot.remember(f"shortlist {n}", lambda: shortlist(snapshot, n))
    refs = _Refs(snapshot, lang)
    tail = "" if lang == DEFAULT else f"&lang={lang}"
    picks = [
        {
            "kind": p.kind,
            "for": refs.ref(p.organization),
            "matches": matches_address(
                p.organization, p.kind, snapshot.as_of, snapshot.weighing, page=True
            )
            + tail,
            "match": refs.match(p.match),
            "closes": [_gap_words(g, lang) for g in p.closes],
        }
        for p in found.picks
    ]
    title = (
        gettext(N_("A funder's shortlist in {year}"), lang).format(year=snapshot.as_of)
        if snapshot.as_of
        else gettext(N_("A funder's shortlist"), lang)
    )
    return {
        "title": title,
        "n": n,
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "method": found.method,
        "how": found.said.say(lang),
        "closed": found.closed,
        "closable": found.closable,
        "gaps": found.gaps,
        "picks": picks,
        "organizations": refs.organizations,
        "sources": refs.sources,
        "inferred": inferred_named(
            snapshot, (i for p in found.picks for i in p.match.inferred_records), lang
        ),
    }


def _kept(snapshot: Snapshot, lang: Language) -> dict[str, object]:
    """What a link to another page keeps: the year, the facts counted and the language."""
    return {**asked(snapshot, {"as_of": snapshot.as_of}), "lang": None if lang == DEFAULT else lang}


class _Refs:
    """Organisations and sources named once each on a page, and referred to by index, in the
    page's language."""

    def __init__(self, snapshot: Snapshot, lang: Language = DEFAULT) -> None:
        self.snapshot = snapshot
        self.lang = lang
        self.organizations: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self._orgs: dict[str, int] = {}
        self._cited: dict[str, int] = {}

    def ref(self, organization_id: str, org: Organization | None = None) -> int:
        """The index of an organisation of the snapshot (or ``org``, one not in it)."""
        if organization_id not in self._orgs:
            self._orgs[organization_id] = len(self.organizations)
            self.organizations.append(
                _organization(org or self.snapshot.organization(organization_id), self.lang)
            )
        return self._orgs[organization_id]

    def org(self, organization_id: str, org: Organization) -> dict[str, Any]:
        """The organisation matched for, named in full: its record may be gone by the year."""
        found = self.snapshot.organizations.get(organization_id) or self.snapshot.absent.get(
            organization_id
        )
        return _organization(found or org, self.lang)

    def cite(self, source: Source) -> int:
        """The source's index, each distinct source listed once (keyed by its JSON)."""
        key = source.model_dump_json()
        if key not in self._cited:
            self._cited[key] = len(self.sources)
            self.sources.append(source.model_dump(mode="json"))
        return self._cited[key]

    def match(self, match: Match) -> dict[str, Any]:
        """A match as the page draws it: the organisation by index, its tier in words, its
        reasons each with the sources of the records it rests on, and what it gives."""
        facts = {f.record: f for f in match.facts}
        return {
            "organization": self.ref(match.organization),
            "tier": gettext(TIERS[match.tier], self.lang),
            "score": match.score,
            "reasons": [
                {
                    "words": r.said.say(self.lang),
                    "sources": list(
                        dict.fromkeys(
                            self.cite(s) for record in r.records for s in facts[record].sources
                        )
                    ),
                }
                for r in match.reasons
            ],
            "mechanisms": [label("mechanisms", m, self.lang).lower() for m in match.mechanisms],
            "enables": [self.ref(i) for i in match.enables],
            "rests_on_inference": match.rests_on_inference,
            "inferred_records": list(match.inferred_records),
        }


def _organization(org: Organization, lang: Language = DEFAULT) -> dict[str, Any]:
    """An organisation as a person reads it: name, short name if another, type, where."""
    short = org.short_name()
    return {
        "id": org.id,
        "name": org.name,
        "short": short if short != org.name else "",
        "type": label("organization_types", org.type, lang),
        "where": " · ".join(
            p
            for p in (
                ", ".join(country_name(c, lang) for c in org.countries),
                ", ".join(label("sectors", s, lang) for s in org.sectors),
            )
            if p
        ),
    }


def _name(snapshot: Snapshot, organization_id: str) -> str:
    return snapshot.organization(organization_id).name


def _gap_words(gap: Gap, lang: Language = DEFAULT) -> dict[str, str]:
    """A gap as the shortlist names it: the gaps page's heading for its kind, and what was
    found (its ``why`` without the brief's finding, which the gaps page gives)."""
    return {
        "heading": gettext(HEADINGS[gap.kind][0], lang),
        "words": gap.lead.say(lang),
    }


def _how(kind: MatchKind, lang: Language = DEFAULT) -> list[dict[str, Any]]:
    """How matches of ``kind`` are ranked: each tier, then each extra, with its weight, what
    it counts in ``lang``, and the brief's words it rests on (quoted as the brief has them)."""
    w = weights().partner if kind == "partner" else weights().enabler
    rows: Iterable[tuple[str, Weight]] = [
        *(("tier", t) for t in w.tiers),
        *(("extra", e) for e in w.extras.values()),
    ]
    return [
        {
            "role": role,
            "counts": gettext(weight.counts, lang),
            "weight": weight.weight,
            "cap": weight.cap,
            "where": weight.brief.where,
            "words": weight.brief.words,
        }
        for role, weight in rows
    ]


def _limit(limit: int) -> int | None:
    return None if limit == LIMIT else limit
