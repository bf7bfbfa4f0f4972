"""``/organizations/{id}``: an organisation's profile as a page that reads and prints well —
facts, sources, relationships, enablers, peers and its map."""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.analysis.peers import peers
from app.analysis.traversal import enablers
from app.api.deps import VOCAB, SnapshotsDep, StoreDep
from app.api.params import OrganizationId
from app.api.problems import PAGE_RESPONSES
from app.maps.encoding import MOVEMENT_LABELS, distance_label, relationship_label, term_label
from app.maps.page import inert_json, template

router = APIRouter(tags=["pages"])


def _sources(items: list[Any]) -> list[dict[str, Any]]:
    return [s.model_dump() for s in items]


@router.get(
    "/organizations/{organization_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def profile(
    store: StoreDep, snapshots: SnapshotsDep, organization_id: OrganizationId
) -> HTMLResponse:
    """The organisation's profile page, every name and label in words, printable on A4."""
    around = store.ego_network(organization_id, 1)
    names = {o.id: o.name for o in around.organizations}
    org = next(o for o in around.organizations if o.id == organization_id)
    ties = [
        {
            "relationship": relationship_label(r.type),
            "outgoing": r.source == organization_id,
            "other": r.target if r.source == organization_id else r.source,
            "other_name": names[r.target if r.source == organization_id else r.source],
            "since": r.since,
            "until": r.until,
            "status": r.status,
            "sources": _sources(r.sources),
        }
        for r in around.relationships
        if organization_id in (r.source, r.target)
    ]
    links = enablers(store, organization_id, 3, None)
    snapshot = snapshots.get()
    found = (
        peers(snapshot, organization_id, limit=8)
        if organization_id in snapshot.organizations
        else []
    )
    payload = {
        "id": org.id,
        "name": org.name,
        "aliases": org.aliases,
        "type": term_label(org.type),
        "movement": MOVEMENT_LABELS[org.movement],
        "countries": [VOCAB.countries.get(c, c) for c in org.countries],
        "sectors": [term_label(s) for s in org.sectors],
        "founded": org.founded,
        "status": org.status,
        "description": org.description,
        "sources": _sources(org.sources),
        "relationships": ties,
        "enablers": [
            {
                "id": link.organization.id,
                "name": link.organization.name,
                "how": distance_label(link.hops),
                "mode": f"{link.partner_mode} enabling partner",
                "mechanisms": [m.replace("_", " ") for m in link.mechanisms],
            }
            for link in links
        ],
        "peers": [
            {
                "id": peer.organization,
                "name": snapshot.organizations[peer.organization].name,
                "reasons": [reason.replace("_", " ") for reason in peer.reasons],
            }
            for peer in found
        ],
    }
    page = template("profile.html").substitute(
        title=html.escape(org.name), data=inert_json(payload)
    )
    return HTMLResponse(page)
