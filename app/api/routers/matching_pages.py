"""Matches and the funder's shortlist as pages, beside the gaps page: who could fill a gap,
ranked, each with its reasons and the sources behind them; and the introductions that close
the most gaps.

Each page carries the same answer as its JSON (``/api/organizations/{id}/matches``,
``POST /api/analysis/shortlist``) as inert JSON, with names, labels and sources beside the
ids, and its script draws it as text only. As on the other analysis pages, a "Facts counted"
switch keeps the other parameters, and what rests on our inference is marked "inferred".
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.analysis.gaps import Gap
from app.analysis.matching import Match, Matches, MatchKind, matches
from app.analysis.shortlist import shortlist
from app.analysis.snapshot import Snapshot
from app.analysis.weights import Weight, weights
from app.api.deps import VOCAB, SnapshotsDep, StoreDep
from app.api.params import AsOf, Basis, OrganizationId
from app.api.problems import PAGE_RESPONSES
from app.api.routers.analysis import MAX_INTRODUCTIONS
from app.api.routers.analysis_pages import (
    HEADINGS,
    address,
    asked,
    basis_input,
    basis_switch,
    inferred_named,
    inferred_section,
)
from app.api.routers.matches import LIMIT, Kind, MatchLimit, matches_address
from app.domain.messages import N_
from app.domain.models import Organization, Source
from app.maps.encoding import term_label
from app.maps.page import inert_json, template

router = APIRouter(tags=["analysis"])

TIERS = {
    "same_country_and_sector": "Same country and sector",
    "same_sector_elsewhere": "Same sector, elsewhere",
    "active_in_country_and_sector": "Active in its country and sector",
    "active_in_sector_elsewhere": "Active in its sector, elsewhere",
}
"""Each tier of ``graph_schema/matching.yaml`` as a page names it (a match's own reason says
what a tier elsewhere is for: exchange rather than partnership)."""
KINDS: dict[MatchKind, tuple[str, str]] = {
    "partner": ("Who could partner with {name}", "Partners"),
    "enabler": ("Who could enable {name}", "Enablers"),
}
"""Per kind of match, the page's title and the label of its switch."""
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
    kind: Kind = "partner",
    as_of: AsOf = None,
    basis: Basis = "any",
    limit: MatchLimit = LIMIT,
) -> HTMLResponse:
    """Who could partner with an organisation, or enable it, as a ranked list: each match
    with its tier, its reasons in words, the sources behind each reason, and for an enabler
    its mechanisms and whom it enables there."""
    org = store.get_organization(organization_id)
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(
        f"matches page {organization_id} {kind} {limit}",
        lambda: render_matches(snapshot, org, kind, limit),
    )
    return HTMLResponse(page)


def render_matches(snapshot: Snapshot, org: Organization, kind: MatchKind, limit: int) -> str:
    """The complete page: its title, the link to the same answer as JSON, and its data."""
    found = matches(snapshot, org.id, kind, limit=limit)
    data = matches_data(snapshot, org, found)
    kept = asked(snapshot, {"kind": kind, "as_of": snapshot.as_of, "limit": _limit(limit)})
    findings = [
        (f"{_name(snapshot, m.organization)}: {TIERS[m.tier].lower()}", m.inferred_records)
        for m in found.items
        if m.rests_on_inference
    ]
    json_link = matches_address(org.id, kind, snapshot.as_of, snapshot.weighing, page=False)
    return template("matches.html").substitute(
        title=html.escape(data["title"]),
        json_link=html.escape(json_link + (f"&limit={limit}" if limit != LIMIT else "")),
        basis_switch=basis_switch(f"/analysis/matches/{org.id}", kept, snapshot.weighing),
        basis_input=basis_input(snapshot.weighing),
        inferred=inferred_section(snapshot, findings, N_("No match here rests on our inference.")),
        data=inert_json(data),
    )


def matches_data(snapshot: Snapshot, org: Organization, found: Matches) -> dict[str, Any]:
    """What the page draws: the organisation, the two kinds of match (as links), how they are
    ranked (the weights, with the brief's words), and the matches; organisations and sources
    listed once each and referred to by index."""
    kind = found.kind
    refs = _Refs(snapshot)
    me = refs.org(org.id, org)
    year = f" in {snapshot.as_of}" if snapshot.as_of else ""
    switch = []
    for other, (_, label) in KINDS.items():
        href = matches_address(org.id, other, snapshot.as_of, snapshot.weighing, page=True)
        switch.append({"label": label, "href": href, "current": other == kind})
    return {
        "title": KINDS[kind][0].format(name=org.short_name()) + year,
        "organization": me,
        "kind": kind,
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "shown": len(found.items),
        "total": found.total,
        "note": found.note,
        "kinds": switch,
        "how": _how(kind),
        "matches": [refs.match(m) for m in found.items],
        "organizations": refs.organizations,
        "sources": refs.sources,
        "inferred": inferred_named(snapshot, (i for m in found.items for i in m.inferred_records)),
    }


@router.get("/analysis/shortlist", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def shortlist_page(
    snapshots: SnapshotsDep, n: Budget = SHORTLIST, as_of: AsOf = None, basis: Basis = "any"
) -> HTMLResponse:
    """A funder's shortlist as a page: the introductions, at most ``n``, that close the most
    gaps, each with the gaps it closes, its reasons and their sources, and how they were
    chosen (exact, or greedy with its guarantee)."""
    snapshot = snapshots.get(as_of, basis)
    page = snapshot.remember(f"shortlist page {n}", lambda: render_shortlist(snapshot, n))
    return HTMLResponse(page)


def render_shortlist(snapshot: Snapshot, n: int) -> str:
    """The complete page: its title, the link to the gaps it closes, and its data."""
    data = shortlist_data(snapshot, n)
    query = asked(snapshot, {"n": None if n == SHORTLIST else n, "as_of": snapshot.as_of})
    found = snapshot.remember(f"shortlist {n}", lambda: shortlist(snapshot, n))
    findings = [
        (
            f"Introduce {_name(snapshot, p.match.organization)} to "
            f"{_name(snapshot, p.organization)}",
            p.match.inferred_records,
        )
        for p in found.picks
        if p.match.rests_on_inference
    ]
    gaps_query = asked(snapshot, {"as_of": snapshot.as_of})
    return template("shortlist.html").substitute(
        title=html.escape(data["title"]),
        gaps_link=html.escape(address("/analysis/gaps", gaps_query)),
        basis_switch=basis_switch("/analysis/shortlist", query, snapshot.weighing),
        basis_input=basis_input(snapshot.weighing),
        inferred=inferred_section(
            snapshot, findings, N_("No introduction here rests on our inference.")
        ),
        data=inert_json(data),
    )


def shortlist_data(snapshot: Snapshot, n: int) -> dict[str, Any]:
    """What the page draws: each pick, with whom it introduces to whom, the gaps it closes in
    words, its reasons and their sources; how the picks were chosen; and the counts. The key
    is the one ``POST /api/analysis/shortlist`` uses, to share one computation."""
    found = snapshot.remember(f"shortlist {n}", lambda: shortlist(snapshot, n))
    refs = _Refs(snapshot)
    picks = [
        {
            "kind": p.kind,
            "for": refs.ref(p.organization),
            "matches": matches_address(
                p.organization, p.kind, snapshot.as_of, snapshot.weighing, page=True
            ),
            "match": refs.match(p.match),
            "closes": [_gap_words(g) for g in p.closes],
        }
        for p in found.picks
    ]
    year = f" in {snapshot.as_of}" if snapshot.as_of else ""
    return {
        "title": "A funder's shortlist" + year,
        "n": n,
        "as_of": snapshot.as_of,
        "basis": snapshot.weighing,
        "method": found.method,
        "how": found.how,
        "closed": found.closed,
        "closable": found.closable,
        "gaps": found.gaps,
        "picks": picks,
        "organizations": refs.organizations,
        "sources": refs.sources,
        "inferred": inferred_named(
            snapshot, (i for p in found.picks for i in p.match.inferred_records)
        ),
    }


class _Refs:
    """Organisations and sources named once each on a page, and referred to by index."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.organizations: list[dict[str, Any]] = []
        self.sources: list[dict[str, Any]] = []
        self._orgs: dict[str, int] = {}
        self._cited: dict[str, int] = {}

    def ref(self, organization_id: str, org: Organization | None = None) -> int:
        """The index of an organisation of the snapshot (or ``org``, one not in it)."""
        if organization_id not in self._orgs:
            self._orgs[organization_id] = len(self.organizations)
            self.organizations.append(
                _organization(org or self.snapshot.organization(organization_id))
            )
        return self._orgs[organization_id]

    def org(self, organization_id: str, org: Organization) -> dict[str, Any]:
        """The organisation matched for, named in full: its record may be gone by the year."""
        found = self.snapshot.organizations.get(organization_id) or self.snapshot.absent.get(
            organization_id
        )
        return _organization(found or org)

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
            "tier": TIERS[match.tier],
            "score": match.score,
            "reasons": [
                {
                    "words": r.words,
                    "sources": list(
                        dict.fromkeys(
                            self.cite(s) for record in r.records for s in facts[record].sources
                        )
                    ),
                }
                for r in match.reasons
            ],
            "mechanisms": [m.replace("_", " ") for m in match.mechanisms],
            "enables": [self.ref(i) for i in match.enables],
            "rests_on_inference": match.rests_on_inference,
            "inferred_records": list(match.inferred_records),
        }


def _organization(org: Organization) -> dict[str, Any]:
    """An organisation as a person reads it: name, short name if another, type, where."""
    short = org.short_name()
    return {
        "id": org.id,
        "name": org.name,
        "short": short if short != org.name else "",
        "type": term_label(org.type),
        "where": " · ".join(
            p
            for p in (
                ", ".join(VOCAB.countries.get(c, c) for c in org.countries),
                ", ".join(term_label(s) for s in org.sectors),
            )
            if p
        ),
    }


def _name(snapshot: Snapshot, organization_id: str) -> str:
    return snapshot.organization(organization_id).name


def _gap_words(gap: Gap) -> dict[str, str]:
    """A gap as the shortlist names it: the gaps page's heading for its kind, and what was
    found (its ``why`` without the brief's finding, which the gaps page gives)."""
    return {
        "heading": HEADINGS[gap.kind][0],
        "words": gap.lead.say(),
    }


def _how(kind: MatchKind) -> list[dict[str, Any]]:
    """How matches of ``kind`` are ranked: each tier, then each extra, with its weight and the
    brief's words it rests on."""
    w = weights().partner if kind == "partner" else weights().enabler
    rows: Iterable[tuple[str, Weight]] = [
        *(("tier", t) for t in w.tiers),
        *(("extra", e) for e in w.extras.values()),
    ]
    return [
        {
            "role": role,
            "counts": weight.counts,
            "weight": weight.weight,
            "cap": weight.cap,
            "where": weight.brief.where,
            "words": weight.brief.words,
        }
        for role, weight in rows
    ]


def _limit(limit: int) -> int | None:
    return None if limit == LIMIT else limit
