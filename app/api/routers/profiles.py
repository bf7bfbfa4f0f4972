"""``/organizations/{id}``: an organisation's profile as a page that reads and prints well —
facts, sources, relationships, enablers, peers, its best partner and enabler matches, its map
and its record's latest changes — each saying what it rests on.

Every source shows its basis (stated, with the source's words; imported, with the file and
record; inferred, with our reason); a fact, tie, enabler or peer that rests on our inference
is marked "inferred" with the reasons; an undated tie reads "undated, reported in YEAR".
``basis=stated`` counts only what sources state, as the analyses do (a switch on the page):
ties and organisations resting on inference are left out, and an inferred optional fact reads
"not stated by a source".
"""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.analysis.inference import inferred_among, inferred_values
from app.analysis.matching import MATCH_KINDS, Matches, MatchKind, matches
from app.analysis.peers import peers
from app.analysis.snapshot import Snapshot
from app.analysis.traversal import Link, enablers
from app.api.actors import Actors, ActorView
from app.api.deps import VOCAB, SnapshotsDep, StoreDep
from app.api.params import Basis, OrganizationId
from app.api.problems import PAGE_RESPONSES
from app.api.routers.analysis_pages import (
    basis_switch,
    inferred_named,
    inferred_reasons,
    tie_dates,
)
from app.api.routers.matches import matches_address
from app.api.routers.matching_pages import KINDS, TIERS
from app.domain.edits import etag
from app.domain.evidence import Weighing, field_basis, record_basis, weigh
from app.domain.history import changed_fields
from app.domain.models import Organization, Relationship
from app.maps.encoding import MOVEMENT_LABELS, distance_label, relationship_label, term_label
from app.maps.page import inert_json, template
from app.store.protocol import ChangeFilter, GraphStore

router = APIRouter(tags=["pages"])

FACTS = (
    ("Type", "type"),
    ("Movement", "movement"),
    ("Countries", "countries"),
    ("Sectors", "sectors"),
    ("Founded", "founded"),
    ("Status", "status"),
)
"""The facts a profile lists, by label and field, in the order it lists them."""
MATCHES_SHOWN = 5
"""Matches of each kind a profile lists; its link leads to them all."""
HISTORY_SHOWN = 10
"""Changes of its record a profile lists, newest first; its link leads to them all (JSON)."""
VOCABULARY_FIELDS = frozenset({"type", "movement", "countries", "sectors", "status"})
"""Fields whose values are vocabulary keys or country codes, said in words; the rest is text
as entered (an alias keeps its capitals)."""
PLAIN_EDITS = frozenset({"create", "replace", "update", "delete"})
"""Actions a change's own word says all of; others (a load, a merge) are named after it."""
FIELD_LABELS = {
    **{field: label for label, field in FACTS},
    "aliases": "Other names",
    "org_ids": "Organisation identifiers",
}
"""How a changed field is named, where its name alone does not read well."""


@router.get(
    "/organizations/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def profile(
    store: StoreDep,
    snapshots: SnapshotsDep,
    actors: Actors,
    organization_id: OrganizationId,
    basis: Basis = "any",
) -> HTMLResponse:
    """The organisation's profile page, every name and label in words, printable on A4."""
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
        ties.append(_tie(counted, organization_id, other))
    links = enablers(store, organization_id, 3, None, weighing=basis)
    snapshot = snapshots.get(None, basis)
    found = (
        peers(snapshot, organization_id, limit=8)
        if organization_id in snapshot.organizations
        else ()
    )
    kept = {"basis": None if basis == "any" else basis}
    payload = {
        "id": org.id,
        "name": org.name,
        "basis": basis,
        "record": {"basis": record_basis(org), "reasons": inferred_reasons(org)},
        "aliases": org.aliases,
        "aliases_inferred": _field_reasons(org, "aliases"),
        "facts": _facts(org, basis),
        "description": org.description,
        "sources": [s.model_dump(mode="json") for s in org.sources],
        "relationships": ties,
        "left_out": left,
        "enablers": _enablers(store, links),
        "peers": [
            {
                "id": peer.organization,
                "name": snapshot.organizations[peer.organization].name,
                "reasons": [reason.replace("_", " ") for reason in peer.reasons],
                "inferred": list(inferred_named(snapshot, peer.inferred_records).values()),
            }
            for peer in found
        ],
        "matches": [_matches(snapshot, organization_id, kind) for kind in MATCH_KINDS],
        "history": _history(store, actors, org),
    }
    page = template("profile.html").substitute(
        title=html.escape(org.name),
        basis_switch=basis_switch(f"/organizations/{org.id}", kept, basis),
        data=inert_json(payload),
    )
    return HTMLResponse(page)


def _matches(snapshot: Snapshot, organization_id: str, kind: MatchKind) -> dict[str, Any]:
    """The best matches of ``kind`` in words, with their first reason, and a link to the page
    that ranks them all with every reason and its sources."""
    found: Matches = snapshot.remember(
        f"matches {organization_id} {kind} {MATCHES_SHOWN}",
        lambda: matches(snapshot, organization_id, kind, limit=MATCHES_SHOWN),
    )
    return {
        "kind": kind,
        "heading": KINDS[found.kind][0].format(name="it"),
        "page": matches_address(organization_id, found.kind, None, snapshot.weighing, page=True),
        "total": found.total,
        "note": found.note,
        "items": [
            {
                "id": m.organization,
                "name": snapshot.organization(m.organization).name,
                "tier": TIERS[m.tier],
                "reasons": [r.words for r in m.reasons],
                "inferred": list(inferred_named(snapshot, m.inferred_records).values()),
            }
            for m in found.items
        ],
    }


def _history(store: GraphStore, actors: ActorView, org: Organization) -> dict[str, Any]:
    """The record's latest changes in words, newest first: when, who (a role for a caller
    without a key, as ``/api/changes`` says), how, and for an update each field that changed,
    before and after; with how many there are in all and where they all are. A change that
    left a version other than the stored one can be reverted to (``revert``), by the record's
    ETag (``etag``)."""
    organization_id = org.id
    current = org.model_dump(mode="json")
    where = ChangeFilter(entity="organization", id=organization_id)
    total = store.changes(where, 0, 1).total
    latest = store.changes(where, max(0, total - HISTORY_SHOWN), HISTORY_SHOWN).items
    entries = [
        {
            "seq": change.seq,
            "revert": change.after is not None and change.after != current,
            "when": f"{change.at:%Y-%m-%d %H:%M} UTC",
            "who": actors.actor(change.actor),
            "how": change.change
            if change.action in PLAIN_EDITS
            else f"{change.change} ({change.action})",
            "fields": [
                {
                    "field": FIELD_LABELS.get(c.field, c.field.replace("_", " ").capitalize()),
                    "before": _value_words(c.field, c.before),
                    "after": _value_words(c.field, c.after),
                }
                for c in changed_fields(change.before, change.after)
            ]
            if change.change == "updated"
            else [],
        }
        for change in reversed(latest)
    ]
    return {
        "items": entries,
        "total": total,
        "all": f"/api/organizations/{organization_id}/history",
        "etag": etag(org),
    }


def _value_words(field: str, value: Any) -> str | None:
    """A changed field's JSON value as a person reads it: names and labels for vocabulary
    fields and countries, sources by citation, free text as it is, compact JSON for anything
    else; ``None`` for no value (the page says "none")."""
    if value is None or value == [] or value == {}:
        return None
    if field == "sources" and isinstance(value, list):
        return "; ".join(str(s.get("citation", "")) for s in value if isinstance(s, dict))
    if isinstance(value, dict) or (isinstance(value, list) and not _scalars(value)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if field in VOCABULARY_FIELDS:
        return _words(field, value)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _scalars(values: list[Any]) -> bool:
    return all(isinstance(v, str | int | float | bool) for v in values)


def _field_reasons(record: Organization | Relationship, field: str) -> list[str] | None:
    """Our reasons for the value of ``field``, when only our inference gives it (``None``
    otherwise): those of the inferred sources naming it, else, for a record that rests on
    inference as a whole, those of its whole-record sources."""
    if field_basis(record, field) != "inferred":
        return None
    naming = [s for s in record.sources if field in s.fields]
    backing = naming or [s for s in record.sources if not s.fields]
    return [s.reason for s in backing if s.basis == "inferred" and s.reason]


def _facts(org: Organization, basis: Weighing) -> list[dict[str, Any]]:
    """The organisation's facts in words, each with our reasons if we inferred it; counting
    only stated facts, an inferred one that may be unknown reads "not stated by a source"."""
    weighed = weigh(org, basis) or org
    facts = []
    for label, field in FACTS:
        value = _words(field, getattr(org, field))
        if not value:
            continue
        if getattr(weighed, field) != getattr(org, field):
            value = f"not stated by a source (we infer {value})"
        facts.append({"label": label, "value": value, "inferred": _field_reasons(org, field)})
    return facts


def _words(field: str, value: object) -> str:
    """A fact as a person reads it: countries by name, vocabulary keys as words."""
    if isinstance(value, list | tuple):
        named = VOCAB.countries if field == "countries" else {}
        return ", ".join(named.get(k, term_label(k)) for k in value)
    if field == "movement":
        return MOVEMENT_LABELS[str(value)]
    if field == "type":
        return term_label(str(value))
    return "" if value is None else str(value)


def _tie(rel: Relationship, organization_id: str, other: Organization) -> dict[str, Any]:
    """A tie seen from the organisation: how, with whom, when in words ("undated, reported
    in 2020"), its status, its basis, the fields only our inference gives, with our reasons,
    and its sources."""
    return {
        "relationship": relationship_label(rel.type),
        "outgoing": rel.source == organization_id,
        "other": other.id,
        "other_name": other.name,
        "dates": tie_dates(rel),
        "status": rel.status,
        "basis": record_basis(rel),
        "inferred": list(inferred_values(rel)),
        "reasons": inferred_reasons(rel),
        "sources": [s.model_dump(mode="json") for s in rel.sources],
    }


def _enablers(store: GraphStore, links: list[Link]) -> list[dict[str, Any]]:
    """The enablers in words, each chain that rests on our inference with its inferred ties
    named and our reasons, and the brief's direct or indirect enabling partner with our
    reasons when it comes from an enabling tie's inferred mode (a mode the analyses do not
    count, but which this sentence names)."""
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
                "how": distance_label(link.hops),
                "mode": f"{link.partner_mode} enabling partner",
                "mechanisms": [m.replace("_", " ") for m in link.mechanisms],
                "mode_inferred": _field_reasons(own, "mode") if own.mode else None,
                "inferred": [
                    {
                        "words": f"{names.get(r.source, r.source)} "
                        f"{relationship_label(r.type)} {names.get(r.target, r.target)}",
                        "reasons": inferred_reasons(r),
                    }
                    for r in link.relationships
                    if r.id in inferred
                ],
            }
        )
    return found
