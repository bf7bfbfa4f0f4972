"""``/api/organizations``: search, detail with relationships, ego networks, edits, history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from app.analysis.ego import weighed_network
from app.analysis.search import build_index, search
from app.analysis.snapshot import SnapshotCache
from app.api.actors import Actors
from app.api.answers import Answer
from app.api.auth import Editor, check_role
from app.api.deps import (
    VOCAB,
    AnswersDep,
    Limit,
    Offset,
    SnapshotsDep,
    StoreDep,
    checked,
    enum_of,
    search_text,
)
from app.api.editing import with_etag
from app.api.fair_use import EXPENSIVE_RESPONSES
from app.api.params import Basis, Cascade, ChangeNumber, IfMatch, OrganizationId
from app.api.problems import WRITE_RESPONSES
from app.api.schemas import (
    ChangePage,
    Network,
    NetworkNode,
    OrganizationDetail,
    OrganizationPage,
    OrganizationRef,
    RelationshipEvidence,
    RelationshipView,
)
from app.curation import records
from app.curation.merging import merge
from app.curation.reverting import revert
from app.domain.edits import etag
from app.domain.models import SLUG_PATTERN, Organization
from app.store.protocol import ChangeFilter, GraphStore, OrganizationFilter

router = APIRouter(prefix="/api/organizations", tags=["organizations"])


@router.get("", response_model=OrganizationPage)
async def list_organizations(
    request: Request,
    store: StoreDep,
    snapshots: SnapshotsDep,
    answers: AnswersDep,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words of a name or alias, an acronym, or a near miss of one; case "
            "and accents ignored. Results are then ranked by how well they match.",
        ),
    ] = None,
    type: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.organization_types))] = None,
    movement: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.movements))] = None,
    country: Annotated[
        str | None,
        Query(description="ISO 3166-1 alpha-2 code.", json_schema_extra=enum_of(VOCAB.countries)),
    ] = None,
    sector: Annotated[str | None, Query(json_schema_extra=enum_of(VOCAB.sectors))] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Response:
    """Organisations matching every given filter, ordered by name; with ``q``, ranked as
    ``app.analysis.search`` says (whole names and acronyms, then word starts, then near
    misses), the same on either backend.

    The ``ETag`` header tags the page; send it back as ``If-None-Match`` to get ``304`` while
    the page is unchanged."""
    where = OrganizationFilter(
        type=checked("type", type, VOCAB.organization_types),
        movement=checked("movement", movement, VOCAB.movements),
        country=checked("country", country, VOCAB.countries),
        sector=checked("sector", sector, VOCAB.sectors),
    )
    text = search_text(q)

    def render() -> Answer:
        if text is None:
            page = store.list_organizations(where, offset, limit)
            found, total = page.items, page.total
        else:
            hits = _search(snapshots, text)
            matching = [o for o in hits if where.matches(o)]
            found, total = matching[offset : offset + limit], len(matching)
        return Answer.of(OrganizationPage(items=found, total=total, offset=offset, limit=limit))

    key = ("organizations", text, where, offset, limit)
    return await answers.reply(request, key, render)


def _search(snapshots: SnapshotCache, text: str) -> list[Organization]:
    """Organisations ranked by how well they match ``text`` (the index kept per snapshot)."""
    snapshot = snapshots.get()
    index = snapshot.remember(
        "search index",
        lambda: build_index(snapshot.organizations[i] for i in sorted(snapshot.organizations)),
    )
    return [h.organization for h in search(text, index)]


@router.get("/{organization_id}", response_model=OrganizationDetail)
async def get_organization(
    request: Request, store: StoreDep, answers: AnswersDep, organization_id: OrganizationId
) -> Response:
    """One organisation with its sources and every relationship it takes part in, each with
    its basis, its inferred fields, and, if undated, the year it was first reported.

    The ``ETag`` header tags the organisation record; send it back as ``If-Match`` to edit.
    (It tags the record, not this answer, which also lists relationships: so this read is
    never answered ``304``.)
    """
    key = ("organization", organization_id)
    return await answers.reply(
        request, key, lambda: _detail(store, organization_id), conditional=False
    )


def _detail(store: GraphStore, organization_id: str) -> Answer:
    """The organisation's detail, tagged with its record's ETag."""
    neighbourhood = store.ego_network(organization_id, 1)
    orgs = {o.id: o for o in neighbourhood.organizations}
    views = []
    for rel in neighbourhood.relationships:
        if organization_id not in (rel.source, rel.target):
            continue
        outgoing = rel.source == organization_id
        other = orgs[rel.target if outgoing else rel.source]
        views.append(
            RelationshipView(
                **rel.model_dump(),
                direction="out" if outgoing else "in",
                other=OrganizationRef(id=other.id, name=other.name, type=other.type),
            )
        )
    record = orgs[organization_id]
    detail = OrganizationDetail(**record.model_dump(), relationships=views)
    return Answer.of(detail, etag(record))


@router.get("/{organization_id}/network", response_model=Network, responses=EXPENSIVE_RESPONSES)
def get_network(
    store: StoreDep,
    organization_id: OrganizationId,
    depth: Annotated[int, Query(ge=1, le=3, description="Hops from the organisation, 1 to 3.")] = 1,
    basis: Basis = "any",
) -> Network:
    """Organisations within ``depth`` hops (ties followed either way) and the ties among them;
    with ``basis=stated``, only organisations and ties a source states, hops counted over those."""
    sub = weighed_network(store.ego_network(organization_id, depth), organization_id, depth, basis)
    nodes = [NetworkNode(**o.model_dump(), distance=sub.distances[o.id]) for o in sub.organizations]
    edges = [RelationshipEvidence.of(r) for r in sub.relationships]
    return Network(center=organization_id, depth=depth, nodes=nodes, edges=edges)


@router.post("", status_code=201, response_model=Organization, responses=WRITE_RESPONSES)
def create_organization(store: StoreDep, caller: Editor, organization: Organization) -> Response:
    """Add an organisation (editors); 409 if the id is taken."""
    return with_etag(records.create(store, "organization", organization, caller.name), 201)


@router.put("/{organization_id}", response_model=Organization, responses=WRITE_RESPONSES)
def replace_organization(
    store: StoreDep,
    caller: Editor,
    organization_id: OrganizationId,
    organization: Organization,
    if_match: IfMatch,
) -> Response:
    """Replace an organisation whole (editors); with ``If-Match``, only if unchanged."""
    record = records.replace(
        store, "organization", organization_id, organization, caller.name, if_match
    )
    return with_etag(record)


@router.patch("/{organization_id}", response_model=Organization, responses=WRITE_RESPONSES)
def patch_organization(
    store: StoreDep,
    caller: Editor,
    organization_id: OrganizationId,
    fields: Annotated[dict[str, Any], Body(examples=[{"founded": 2010}])],
    if_match: IfMatch,
) -> Response:
    """Change some fields (editors): a JSON merge patch, where ``null`` clears a field."""
    record = records.patch(store, "organization", organization_id, fields, caller.name, if_match)
    return with_etag(record)


@router.delete("/{organization_id}", status_code=204, responses=WRITE_RESPONSES)
def delete_organization(
    store: StoreDep,
    caller: Editor,
    organization_id: OrganizationId,
    if_match: IfMatch,
    cascade: Cascade = False,
) -> Response:
    """Delete an organisation (editors); one with relationships only with ``cascade`` (admins)."""
    if cascade:
        check_role(caller, "admin")
    records.delete(store, "organization", organization_id, caller.name, if_match, cascade)
    return Response(status_code=204)


@router.post("/{organization_id}/merge", response_model=Organization, responses=WRITE_RESPONSES)
def merge_organization(
    store: StoreDep,
    caller: Editor,
    organization_id: OrganizationId,
    into: Annotated[
        str, Query(pattern=SLUG_PATTERN, max_length=120, description="The id that survives.")
    ],
    if_match: IfMatch,
) -> Response:
    """Merge this organisation into ``into`` (editors): its ties, names and sources move over.

    This organisation is deleted; both histories stay readable. ``If-Match`` applies to it.
    """
    return with_etag(merge(store, into, organization_id, caller.name, if_match))


@router.post("/{organization_id}/revert", response_model=Organization, responses=WRITE_RESPONSES)
def revert_organization(
    store: StoreDep,
    caller: Editor,
    organization_id: OrganizationId,
    change: ChangeNumber,
    if_match: IfMatch,
) -> Response:
    """Restore the organisation as change ``change`` of its history left it (editors).

    The revert is an edit of its own in the audit trail (action ``revert to change N``); it
    puts back a deleted organisation too. ``If-Match`` applies to the version it replaces.
    """
    return with_etag(revert(store, "organization", organization_id, change, caller.name, if_match))


@router.get("/{organization_id}/history", response_model=ChangePage)
def organization_history(
    store: StoreDep,
    actors: Actors,
    organization_id: OrganizationId,
    offset: Offset = 0,
    limit: Limit = 50,
) -> ChangePage:
    """Every recorded change of this organisation, oldest first, even after it was deleted.

    Callers without a key see each change's actor as a role, as in ``/api/changes``.
    """
    where = ChangeFilter(entity="organization", id=organization_id)
    page = store.changes(where, offset, limit)
    if page.total == 0:
        store.get_organization(organization_id)
    items = [actors.change(change) for change in page.items]
    return ChangePage(items=items, total=page.total, offset=offset, limit=limit)
