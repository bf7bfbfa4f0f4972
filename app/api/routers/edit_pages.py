"""Editing pages: ``/new/organization``, ``/organizations/{id}/edit``, ``/new/relationship``
and ``/relationships/{id}/edit``.

Each page carries its form's fields (``app.maps.forms``), the record and its ``ETag`` as
opened, the browser session's CSRF token and the role, as inert JSON; ``edit.js`` draws the
form and sends it to the write API, which checks everything again. Only a browser signed in
with an editor's or an admin's key gets a form; anyone else is told what they need. Pages are
never kept by caches: they hold the session's CSRF token.
"""

from __future__ import annotations

import html
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from app.api.deps import VOCAB, StoreDep
from app.api.params import OrganizationId, RelationshipId
from app.api.problems import PAGE_RESPONSES
from app.api.sessions import session_token, signed_in
from app.domain.edits import etag
from app.domain.keys import Role, role_allows
from app.domain.models import SLUG_PATTERN, Organization, Relationship
from app.domain.sessions import csrf_token
from app.maps.encoding import relationship_label
from app.maps.forms import organization_fields, relationship_fields, source_fields
from app.maps.page import inert_json, template
from app.store.protocol import GraphStore, RelationshipFilter

router = APIRouter(tags=["pages"])

Kind = Literal["organization", "relationship"]
ATTACHED_SHOWN = 200
"""Relationships a delete confirmation names one by one; the count says if there are more."""
NO_STORE = {"Cache-Control": "no-store"}
Prefill = Annotated[
    str | None, Query(pattern=SLUG_PATTERN, max_length=120, description="Organisation id.")
]


@router.get("/new/organization", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def new_organization(request: Request, store: StoreDep) -> HTMLResponse:
    """The form that adds an organisation."""
    return _page(request, store, "organization", None, {}, "Add an organisation")


@router.get(
    "/organizations/{organization_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def edit_organization(
    request: Request, store: StoreDep, organization_id: OrganizationId
) -> HTMLResponse:
    """The form that edits (or deletes) an organisation, as stored now."""
    record = store.get_organization(organization_id)
    return _page(request, store, "organization", record, {}, f"Edit {record.name}")


@router.get("/new/relationship", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def new_relationship(
    request: Request, store: StoreDep, source: Prefill = None, target: Prefill = None
) -> HTMLResponse:
    """The form that adds a relationship, its ends filled in when given."""
    ends = {name: value for name, value in (("source", source), ("target", target)) if value}
    return _page(request, store, "relationship", None, ends, "Add a relationship")


@router.get(
    "/relationships/{relationship_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def edit_relationship(
    request: Request, store: StoreDep, relationship_id: RelationshipId
) -> HTMLResponse:
    """The form that edits (or deletes) a relationship, as stored now."""
    record = store.get_relationship(relationship_id)
    return _page(request, store, "relationship", record, {}, f"Edit relationship {record.id}")


def _page(
    request: Request,
    store: GraphStore,
    kind: Kind,
    record: Organization | Relationship | None,
    prefill: dict[str, str],
    title: str,
) -> HTMLResponse:
    """The editing page, or what the browser needs to get one."""
    csrf, role = editing_session(request, store)
    if csrf is None or role is None:
        content = needs_editor(request, role)
        data: dict[str, Any] = {}
    else:
        content = '<div id="form-root"></div>'
        data = _form_data(store, kind, record, prefill, csrf, role)
    page = template("edit.html").substitute(
        title=html.escape(title), content=content, data=inert_json(data), script="edit.js"
    )
    return HTMLResponse(page, headers=NO_STORE)


def editing_session(request: Request, store: GraphStore) -> tuple[str | None, Role | None]:
    """The CSRF token of the browser's session if its key may edit (else ``None``), and the
    key's role (``None`` without a live session)."""
    token = session_token(request)
    found = None if token is None else signed_in(store, token)
    role: Role | None = None if found is None else found[1].role
    if token is None or role is None or not role_allows(role, "editor"):
        return None, role
    return csrf_token(token), role


def needs_editor(request: Request, role: Role | None) -> str:
    """What a page says to a browser that may not edit: sign in, or use an editor's key."""
    here = html.escape(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if role is None:
        return (
            "<p class=\"notice\">Editing needs an editor's or an admin's API key. "
            f'<a href="/sign-in?next={here}">Sign in</a> with it first.</p>'
        )
    return (
        f'<p class="notice">You are signed in with a {role}\'s key, which may read but not '
        f'edit. <a href="/sign-in?next={here}">Use another key</a>, or ask an admin for an '
        "editor's key.</p>"
    )


def _form_data(
    store: GraphStore,
    kind: Kind,
    record: Organization | Relationship | None,
    prefill: dict[str, str],
    csrf: str,
    role: Role,
) -> dict[str, Any]:
    fields = organization_fields(VOCAB) if kind == "organization" else relationship_fields(VOCAB)
    data: dict[str, Any] = {
        "kind": kind,
        "fields": fields,
        "source_fields": source_fields(VOCAB, fields),
        "record": prefill if record is None else record.model_dump(mode="json"),
        "etag": None if record is None else etag(record),
        "csrf": csrf,
        "role": role,
        "attached": [],
        "attached_total": 0,
    }
    if isinstance(record, Organization):
        data["attached"], data["attached_total"] = _attached(store, record.id)
    return data


def _attached(store: GraphStore, organization_id: str) -> tuple[list[dict[str, str]], int]:
    """The relationships an organisation's delete would take with it, in words, and their
    count."""
    ties: dict[str, Relationship] = {}
    total = 0
    for where in (
        RelationshipFilter(source=organization_id),
        RelationshipFilter(target=organization_id),
    ):
        page = store.list_relationships(where, 0, ATTACHED_SHOWN)
        total += page.total
        ties.update((tie.id, tie) for tie in page.items)
    named = {i for tie in ties.values() for i in (tie.source, tie.target)}
    names = {o.id: o.name for o in store.get_organizations(named)}
    words = [
        {
            "id": tie.id,
            "words": f"{names.get(tie.source, tie.source)} {relationship_label(tie.type)} "
            f"{names.get(tie.target, tie.target)}",
        }
        for tie in sorted(ties.values(), key=lambda t: t.id)
    ]
    return words[:ATTACHED_SHOWN], total
