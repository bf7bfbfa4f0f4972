"""Editing pages: ``/new/organization``, ``/organizations/{id}/edit``, ``/new/relationship``
and ``/relationships/{id}/edit``.

Each page speaks the reader's language (``?lang=``, else ``Accept-Language``) and carries its
form's fields in it (``app.maps.forms``: labels in the language, values the vocabulary's
keys), the record and its ``ETag`` as opened, the browser session's CSRF token and the role,
as inert JSON; ``edit.js`` draws the form and sends it to the write API, which checks
everything again (its problems stay English). Only a browser signed in with an editor's or an
admin's key gets a form; anyone else is told what they need. Pages are never kept by caches:
they hold the session's CSRF token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.api.deps import VOCAB, StoreDep
from app.api.params import OrganizationId, ReaderLanguage, RelationshipId, language_headers
from app.api.problems import PAGE_RESPONSES
from app.api.sessions import session_token, signed_in
from app.domain.edits import etag
from app.domain.keys import ROLE_NAMES, Role, role_allows
from app.domain.languages import DEFAULT, Language
from app.domain.messages import N_, gettext
from app.domain.models import SLUG_PATTERN, Organization, Relationship
from app.domain.sessions import csrf_token
from app.maps.encoding import relationship_label
from app.maps.forms import organization_fields, relationship_fields, source_fields
from app.maps.page import render_page
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
def new_organization(request: Request, store: StoreDep, lang: ReaderLanguage) -> HTMLResponse:
    """The form that adds an organisation."""
    title = gettext(N_("Add an organisation"), lang)
    return _page(request, store, "organization", None, {}, title, lang)


@router.get(
    "/organizations/{organization_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def edit_organization(
    request: Request, store: StoreDep, organization_id: OrganizationId, lang: ReaderLanguage
) -> HTMLResponse:
    """The form that edits (or deletes) an organisation, as stored now."""
    record = store.get_organization(organization_id)
    title = gettext(N_("Edit {name}"), lang).format(name=record.name)
    return _page(request, store, "organization", record, {}, title, lang)


@router.get("/new/relationship", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def new_relationship(
    request: Request,
    store: StoreDep,
    lang: ReaderLanguage,
    source: Prefill = None,
    target: Prefill = None,
) -> HTMLResponse:
    """The form that adds a relationship, its ends filled in when given."""
    ends = {name: value for name, value in (("source", source), ("target", target)) if value}
    title = gettext(N_("Add a relationship"), lang)
    return _page(request, store, "relationship", None, ends, title, lang)


@router.get(
    "/relationships/{relationship_id}/edit", response_class=HTMLResponse, responses=PAGE_RESPONSES
)
def edit_relationship(
    request: Request, store: StoreDep, relationship_id: RelationshipId, lang: ReaderLanguage
) -> HTMLResponse:
    """The form that edits (or deletes) a relationship, as stored now."""
    record = store.get_relationship(relationship_id)
    title = gettext(N_("Edit the relationship {id}"), lang).format(id=record.id)
    return _page(request, store, "relationship", record, {}, title, lang)


def _page(
    request: Request,
    store: GraphStore,
    kind: Kind,
    record: Organization | Relationship | None,
    prefill: dict[str, str],
    title: str,
    lang: Language,
) -> HTMLResponse:
    """The editing page in ``lang``, or what the browser needs to get one."""
    csrf, role = editing_session(request, store)
    if csrf is None or role is None:
        return editing_page(request, title, needs_editor(request, role, EDITING, lang), {}, lang)
    data = _form_data(store, kind, record, prefill, csrf, role, lang)
    return editing_page(request, title, None, data, lang)


def editing_page(
    request: Request,
    title: str,
    notice: Markup | str | None,
    data: dict[str, Any],
    lang: Language,
    root: str | None = "form-root",
    script: str = "edit.js",
    template: str = "edit.html",
) -> HTMLResponse:
    """A curator's page of ``template`` (``edit.html``, ``review.html``) in ``lang``: ``notice``
    if the browser may not use it, and the element ``root`` that ``script`` draws from
    ``data``; never kept by caches."""
    page = render_page(
        template,
        lang,
        request.url.path,
        request.query_params.multi_items(),
        title=title,
        notice=notice,
        root=root,
        data=data,
        script=script,
    )
    return HTMLResponse(page, headers={**language_headers(lang), **NO_STORE})


def editing_session(request: Request, store: GraphStore) -> tuple[str | None, Role | None]:
    """The CSRF token of the browser's session if its key may edit (else ``None``), and the
    key's role (``None`` without a live session)."""
    token = session_token(request)
    found = None if token is None else signed_in(store, token)
    role: Role | None = None if found is None else found[1].role
    if token is None or role is None or not role_allows(role, "editor"):
        return None, role
    return csrf_token(token), role


@dataclass(frozen=True)
class Refusal:
    """What a page says to a browser that may not do what it offers: ``needs`` without a
    session, ``refused`` (with its role as ``{role}``) to a reader's session."""

    needs: str
    refused: str


EDITING = Refusal(
    N_("Editing needs an editor's or an admin's API key; sign in with it first."),
    N_(
        "You are signed in with a {role}'s key, which may read but not edit. Use another key, "
        "or ask an admin for an editor's key."
    ),
)


def sign_in_address(request: Request, lang: Language) -> str:
    """The sign-in page in ``lang``, leading back to this page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    asked = {"next": here, **({} if lang == DEFAULT else {"lang": lang})}
    return f"/sign-in?{urlencode(asked, safe='/')}"


def needs_editor(request: Request, role: Role | None, refusal: Refusal, lang: Language) -> Markup:
    """What a page says, in ``lang``, to a browser that may not edit: sign in, or use an
    editor's key; the link leads to the sign-in page and back."""
    if role is None:
        words, link = gettext(refusal.needs, lang), gettext(N_("Sign in"), lang)
    else:
        role_words = gettext(ROLE_NAMES[role], lang)
        words = gettext(refusal.refused, lang).format(role=role_words)
        link = gettext(N_("Use another key"), lang)
    return Markup('<p class="notice">{} <a href="{}">{}</a></p>').format(
        words, sign_in_address(request, lang), link
    )


def _form_data(
    store: GraphStore,
    kind: Kind,
    record: Organization | Relationship | None,
    prefill: dict[str, str],
    csrf: str,
    role: Role,
    lang: Language,
) -> dict[str, Any]:
    """What ``edit.js`` draws the form from, its words in ``lang``."""
    organization = kind == "organization"
    fields = organization_fields(VOCAB, lang) if organization else relationship_fields(VOCAB, lang)
    data: dict[str, Any] = {
        "kind": kind,
        "fields": fields,
        "source_fields": source_fields(VOCAB, fields, lang),
        "record": prefill if record is None else record.model_dump(mode="json"),
        "etag": None if record is None else etag(record),
        "csrf": csrf,
        "role": role,
        "attached": [],
        "attached_total": 0,
    }
    if isinstance(record, Organization):
        data["attached"], data["attached_total"] = _attached(store, record.id, lang)
    return data


def _attached(
    store: GraphStore, organization_id: str, lang: Language
) -> tuple[list[dict[str, str]], int]:
    """The relationships an organisation's delete would take with it, in words in ``lang``,
    and their count."""
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
            "words": f"{names.get(tie.source, tie.source)} {relationship_label(tie.type, lang)} "
            f"{names.get(tie.target, tie.target)}",
        }
        for tie in sorted(ties.values(), key=lambda t: t.id)
    ]
    return words[:ATTACHED_SHOWN], total
