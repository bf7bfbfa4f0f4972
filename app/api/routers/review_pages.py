"""Review pages: ``/review/duplicates``, ``/review/imports``, ``/review/imports/{id}`` and
``/import``.

The duplicate finder's pairs and an import's review queue, each pair side by side with the
evidence for and against it, for a person to accept (a merge) or reject (remembered); and a
file's import in three steps: upload, read the dry run's report, confirm. Each page carries
its data as inert JSON and ``review.js`` or ``upload.js`` draws it with text only.

Anyone who may read the API may read the review pages, as the API already shows them the same
pairs and queues; only a browser signed in with an editor's or an admin's key gets the CSRF
token and the buttons, and the API checks the role again on every action. The import page is
nothing but an action, so without such a key it only says what is needed. Pages are never kept
by caches: an editor's page holds the session's CSRF token.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.analysis.duplicates import differences, pairs_to_review
from app.api.actors import ActorView
from app.api.deps import Offset, StoreDep
from app.api.problems import PAGE_RESPONSES
from app.api.record_history import fact_words
from app.api.routers.edit_pages import editing_session
from app.api.routers.imports import ImportId
from app.domain.edits import etag
from app.domain.imports import ImportRecord
from app.domain.keys import Role
from app.domain.models import Organization
from app.io.importers import KINDS
from app.maps.page import inert_json, template
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

PAIRS_SHOWN = 20
"""Pairs of likely duplicates one page shows; links lead to the next ones."""
IMPORTS_SHOWN = 50
NO_STORE = {"Cache-Control": "no-store"}


def _actors(store: GraphStore, role: Role | None) -> ActorView:
    """Names for a signed-in browser, roles for an anonymous one, as ``/api/changes`` shows."""
    return ActorView(None if role is not None else {k.name: k.role for k in store.list_keys()})


def _notice(request: Request, role: Role | None, what: str) -> str:
    """What a browser without an editor's session needs in order to ``what``."""
    here = html.escape(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if role is None:
        return (
            f"<p class=\"notice\">To {what}, sign in with an editor's or an admin's API key. "
            f'<a href="/sign-in?next={here}">Sign in</a></p>'
        )
    return (
        f'<p class="notice">You are signed in with a {role}\'s key, which may read but not '
        f'{what}. <a href="/sign-in?next={here}">Use another key</a>.</p>'
    )


def _render(title: str, content: str, data: dict[str, Any], script: str) -> HTMLResponse:
    page = template("review.html").substitute(
        title=html.escape(title), content=content, data=inert_json(data), script=script
    )
    return HTMLResponse(page, headers=NO_STORE)


def _side(organization: Organization) -> dict[str, Any]:
    """An organisation as a review shows it: the record, its vocabulary values and countries
    in words, and the ETag it was read at."""
    words = {
        field: fact_words(field, getattr(organization, field))
        for field in ("type", "movement", "countries", "sectors")
    }
    return {
        "record": organization.model_dump(mode="json"),
        "words": words,
        "etag": etag(organization),
    }


@router.get("/review/duplicates", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def review_duplicates(request: Request, store: StoreDep, offset: Offset = 0) -> HTMLResponse:
    """Likely duplicates side by side: merge (keeping either) or say they are not the same."""
    csrf, role = editing_session(request, store)
    pairs, by_id = pairs_to_review(store)
    shown = pairs[offset : offset + PAIRS_SHOWN]
    data = {
        "kind": "duplicates",
        "role": role,
        "csrf": csrf,
        "total": len(pairs),
        "offset": offset,
        "limit": PAIRS_SHOWN,
        "pairs": [
            {
                "first": _side(by_id[p.first]),
                "second": _side(by_id[p.second]),
                "reasons": list(p.reasons),
                "against": differences(by_id[p.first], by_id[p.second]),
            }
            for p in shown
        ],
    }
    content = "" if csrf else _notice(request, role, "merge or reject pairs")
    return _render("Likely duplicates", content + '<div id="review-root"></div>', data, "review.js")


def _import_summary(record: ImportRecord, actors: ActorView) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor": actors.actor(record.actor),
        "origin": record.origin,
        "summary": record.report.get("summary", {}),
        "pending": sum(c.status == "pending" for c in record.candidates),
    }


@router.get("/review/imports", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def review_imports(request: Request, store: StoreDep, offset: Offset = 0) -> HTMLResponse:
    """Every import, newest first, with how many of its matches await review."""
    csrf, role = editing_session(request, store)
    actors = _actors(store, role)
    page = store.list_imports(offset, IMPORTS_SHOWN)
    data = {
        "kind": "imports",
        "role": role,
        "csrf": csrf,
        "total": page.total,
        "offset": offset,
        "limit": IMPORTS_SHOWN,
        "imports": [_import_summary(r, actors) for r in page.items],
    }
    return _render("Imports", '<div id="review-root"></div>', data, "review.js")


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


@router.get("/review/imports/{import_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def review_import(request: Request, store: StoreDep, import_id: ImportId) -> HTMLResponse:
    """One import's name matches side by side: accept (a merge) or reject each."""
    csrf, role = editing_session(request, store)
    actors = _actors(store, role)
    record = actors.import_record(store.get_import(import_id))
    named = {i for c in record.candidates for i in (c.imported, c.stored)}
    by_id = {o.id: o for o in store.get_organizations(named)}
    candidates = [
        {
            **c.model_dump(mode="json"),
            "decided_at": _when(c.decided_at),
            "imported_side": _side(by_id[c.imported]) if c.imported in by_id else None,
            "stored_side": _side(by_id[c.stored]) if c.stored in by_id else None,
        }
        for c in record.candidates
    ]
    data = {
        "kind": "candidates",
        "role": role,
        "csrf": csrf,
        "import": _import_summary(record, actors),
        "candidates": candidates,
    }
    content = "" if csrf else _notice(request, role, "accept or reject matches")
    title = f"Review the import of {record.origin}"
    return _render(title, content + '<div id="review-root"></div>', data, "review.js")


@router.get("/import", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def import_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Import a file: upload it, read what a dry run would do, then confirm."""
    csrf, role = editing_session(request, store)
    if csrf is None:
        return _render("Import a file", _notice(request, role, "import files"), {}, "upload.js")
    data = {"kind": "upload", "role": role, "csrf": csrf, "formats": list(KINDS)}
    return _render("Import a file", '<div id="upload-root"></div>', data, "upload.js")
