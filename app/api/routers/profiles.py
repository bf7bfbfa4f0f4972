"""``/organizations/{id}``: an organisation's profile as a page that reads and prints well —
facts, sources, relationships, enablers, peers, its best partner and enabler matches, its map
and its record's latest changes — each saying what it rests on.

Every source shows its basis (stated, with the source's words; imported, with the file and
record; inferred, with our reason); a fact, tie, enabler or peer that rests on our inference
is marked "inferred" with the reasons; an undated tie reads "undated, reported in YEAR".
``basis=stated`` counts only what sources state, as the analyses do (a switch on the page):
ties and organisations resting on inference are left out, and an inferred optional fact reads
"not stated by a source". The page speaks the reader's language (``?lang=``): our words,
types, sectors, countries, statuses and dates; names, sources and our reasons stay as written.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.analysis.inference import inferred_among, inferred_values
from app.analysis.matching import MATCH_KINDS, Matches, MatchKind, matches
from app.analysis.peers import peers
from app.analysis.snapshot import Snapshot
from app.analysis.traversal import Link, enablers
from app.api.actors import Actors
from app.api.deps import SnapshotsDep, StoreDep
from app.api.params import Basis, OrganizationId, ReaderLanguage, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.record_history import fact_words, record_history
from app.api.routers.analysis_pages import (
    basis_switch,
    inferred_named,
    inferred_reasons,
    tie_dates,
)
from app.api.routers.matches import matches_address
from app.api.routers.matching_pages import TIERS
from app.domain.evidence import Weighing, field_basis, record_basis, weigh
from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, gettext
from app.domain.models import Organization, Relationship
from app.domain.terms import label, labels, wording
from app.maps.encoding import distance_label, relationship_label
from app.maps.page import render_page
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

FACTS = (
    (N_("Type"), "type"),
    (N_("Movement"), "movement"),
    (N_("Countries"), "countries"),
    (N_("Sectors"), "sectors"),
    (N_("Founded"), "founded"),
    (N_("Status"), "status"),
)
"""The facts a profile lists, by label and field, in the order it lists them."""
MATCHES_SHOWN = 5
"""Matches of each kind a profile lists; its link leads to them all."""
MATCH_HEADINGS: dict[MatchKind, str] = {
    "partner": N_("Who could partner with it"),
    "enabler": N_("Who could enable it"),
}
"""The heading of each kind of match on a profile."""
MODES = {
    "direct": N_("in the brief's terms, a direct enabling partner"),
    "indirect": N_("in the brief's terms, an indirect enabling partner"),
}
"""An enabler's mode as the brief names it."""


@router.get(
    "/organizations/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def profile(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    actors: Actors,
    organization_id: OrganizationId,
    lang: ReaderLanguage,
    basis: Basis = "any",
) -> HTMLResponse:
    """The organisation's profile page in the reader's language, every name and label in
    words, printable on A4."""
    around = store.ego_network(organization_id, 1)
    orgs = {o.id: o for o in around.organizations}
    org = orgs[organization_id]
    ties: list[dict[str, Any]] = []
    left = 0
    for rel in around.relationships:
        if organization_id not in (rel.source, rel.target):
            continue
        other = orgs[rel.target if rel.source == organization_id else rel.source]
        counted = weigh(rel, basis)
        if counted is None or weigh(other, basis) is None:
            left += 1
            continue
        ties.append(_tie(counted, organization_id, other, lang))
    links = enablers(store, organization_id, 3, None, weighing=basis)
    snapshot = snapshots.get(None, basis)
    found = (
        peers(snapshot, organization_id, limit=8)
        if organization_id in snapshot.organizations
        else ()
    )
    path = f"/organizations/{org.id}"
    kept = {"basis": None if basis == "any" else basis, "lang": None if lang == DEFAULT else lang}
    payload = {
        "id": org.id,
        "name": org.name,
        "basis": basis,
        "record": {"basis": record_basis(org), "reasons": inferred_reasons(org)},
        "aliases": org.aliases,
        "aliases_inferred": _field_reasons(org, "aliases"),
        "facts": _facts(org, basis, lang),
        "description": org.description,
        "sources": [s.model_dump(mode="json") for s in org.sources],
        "bases": {key: words.lower() for key, words in labels("bases", lang).items()},
        "relationships": ties,
        "left_out": left,
        "enablers": _enablers(store, links, lang),
        "peers": [
            {
                "id": peer.organization,
                "name": snapshot.organizations[peer.organization].name,
                "reasons": [reason.say(lang) for reason in peer.said],
                "inferred": list(inferred_named(snapshot, peer.inferred_records, lang).values()),
            }
            for peer in found
        ],
        "matches": [_matches(snapshot, organization_id, kind, lang) for kind in MATCH_KINDS],
        "history": record_history(store, actors, org, lang),
    }
    page = render_page(
        "profile.html",
        lang,
        path,
        request.query_params.multi_items(),
        title=org.name,
        basis_switch=basis_switch(path, kept, basis, lang),
        data=payload,
    )
    return HTMLResponse(page, headers=language_headers(lang))


def _matches(
    snapshot: Snapshot, organization_id: str, kind: MatchKind, lang: Language
) -> dict[str, Any]:
    """The best matches of ``kind`` in words, with their reasons, and a link to the page
    that ranks them all with every reason and its sources (in ``lang``)."""
    found: Matches = snapshot.remember(
        f"matches {organization_id} {kind} {MATCHES_SHOWN}",
        lambda: matches(snapshot, organization_id, kind, limit=MATCHES_SHOWN),
    )
    return {
        "kind": kind,
        "heading": gettext(MATCH_HEADINGS[found.kind], lang),
        "page": _in(
            matches_address(organization_id, found.kind, None, snapshot.weighing, page=True),
            lang,
        ),
        "total": found.total,
        "note": found.noted.say(lang) if found.noted else None,
        "items": [
            {
                "id": m.organization,
                "name": snapshot.organization(m.organization).name,
                "tier": gettext(TIERS[m.tier], lang),
                "reasons": [r.said.say(lang) for r in m.reasons],
                "inferred": list(inferred_named(snapshot, m.inferred_records, lang).values()),
            }
            for m in found.items
        ],
    }


def _in(address: str, lang: Language) -> str:
    """``address`` in ``lang``: English needs no ``lang``."""
    if lang == DEFAULT:
        return address
    return f"{address}{'&' if '?' in address else '?'}lang={lang}"


def _field_reasons(record: Organization | Relationship, field: str) -> list[str] | None:
    """Our reasons for the value of ``field``, when only our inference gives it (``None``
    otherwise): those of the inferred sources naming it, else, for a record that rests on
    inference as a whole, those of its whole-record sources."""
    if field_basis(record, field) != "inferred":
        return None
    naming = [s for s in record.sources if field in s.fields]
    backing = naming or [s for s in record.sources if not s.fields]
    return [s.reason for s in backing if s.basis == "inferred" and s.reason]


def _facts(org: Organization, basis: Weighing, lang: Language) -> list[dict[str, Any]]:
    """The organisation's facts in words of ``lang``, each with our reasons if we inferred it;
    counting only stated facts, an inferred one that may be unknown reads "not stated by a
    source"."""
    weighed = weigh(org, basis) or org
    facts = []
    for named, field in FACTS:
        value = fact_words(field, getattr(org, field), lang)
        if not value:
            continue
        if getattr(weighed, field) != getattr(org, field):
            value = gettext(N_("not stated by a source (we infer {value})"), lang).format(
                value=value
            )
        facts.append(
            {
                "label": gettext(named, lang),
                "value": value,
                "inferred": _field_reasons(org, field),
            }
        )
    return facts


def _tie(
    rel: Relationship, organization_id: str, other: Organization, lang: Language
) -> dict[str, Any]:
    """A tie seen from the organisation, in ``lang``: how, from its side ("established",
    "was established by"), with whom, when in words ("undated, reported in 2020"), its
    status, its basis, the fields only our inference gives, with our reasons, and its
    sources."""
    outgoing = rel.source == organization_id
    return {
        "id": rel.id,
        "relationship": relationship_label(rel.type, lang)
        if outgoing
        else _from_target(rel.type, lang),
        "other": other.id,
        "other_name": other.name,
        "dates": tie_dates(rel, lang),
        "status": rel.status,
        "status_words": label("relationship_statuses", rel.status, lang).lower(),
        "basis": record_basis(rel),
        "inferred": list(inferred_values(rel)),
        "reasons": inferred_reasons(rel),
        "sources": [s.model_dump(mode="json") for s in rel.sources],
    }


def _from_target(relationship_type: str, lang: Language) -> str:
    """A relationship type as its target's side reads it in ``lang`` ("was established by"),
    the terms' inverse phrase."""
    inverse = wording("relationship_types", relationship_type, lang).inverse
    if inverse is None:
        raise KeyError(f"no inverse phrase for {relationship_type} in '{lang}'")
    return inverse


def _enablers(store: GraphStore, links: list[Link], lang: Language) -> list[dict[str, Any]]:
    """The enablers in words of ``lang``, each chain that rests on our inference with its
    inferred ties named and our reasons, and the brief's direct or indirect enabling partner
    with our reasons when it comes from an enabling tie's inferred mode (a mode the analyses
    do not count, but which this sentence names)."""
    ids = sorted({i for link in links for i in link.path})
    names = {o.id: o.name for o in store.get_organizations(ids)}
    found = []
    for link in links:
        own = link.relationships[0]
        inferred = set(inferred_among(link.relationships, None))
        found.append(
            {
                "id": link.organization.id,
                "name": link.organization.name,
                "how": distance_label(link.hops, lang),
                "mode": gettext(MODES[link.partner_mode], lang),
                "mechanisms": [label("mechanisms", m, lang).lower() for m in link.mechanisms],
                "mode_inferred": _field_reasons(own, "mode") if own.mode else None,
                "inferred": [
                    {
                        "words": f"{names.get(r.source, r.source)} "
                        f"{relationship_label(r.type, lang)} {names.get(r.target, r.target)}",
                        "reasons": inferred_reasons(r),
                    }
                    for r in link.relationships
                    if r.id in inferred
                ],
            }
        )
    return found
