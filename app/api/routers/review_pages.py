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
by caches: an editor's page holds the session's CSRF token. They speak the reader's language
(``?lang=``, else ``Accept-Language``); what the API and the duplicate finder say (reasons,
evidence, problems) stays as they say it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from app.analysis.duplicates import differences_said, pairs_to_review
from app.api.actors import ActorView
from app.api.deps import Offset, StoreDep
from app.api.params import ReaderLanguage
from app.api.problems import PAGE_RESPONSES
from app.api.routers.edit_pages import Refusal, editing_page, editing_session, needs_editor
from app.api.routers.imports import ImportId
from app.domain.edits import etag
from app.domain.imports import ImportRecord
from app.domain.keys import Role
from app.domain.languages import Language, country_name
from app.domain.messages import N_, gettext
from app.domain.models import Organization
from app.domain.terms import label
from app.io.importers import KINDS
from app.store.protocol import GraphStore

router = APIRouter(tags=["pages"])

PAIRS_SHOWN = 20
"""Pairs of likely duplicates one page shows; links lead to the next ones."""
IMPORTS_SHOWN = 50


def _actors(store: GraphStore, role: Role | None) -> ActorView:
    """Names for a signed-in browser, roles for an anonymous one, as ``/api/changes`` shows."""
    return ActorView(None if role is not None else {k.name: k.role for k in store.list_keys()})


MERGING = Refusal(
    N_("To merge or reject pairs, sign in with an editor's or an admin's API key."),
    N_("You are signed in with a {role}'s key, which may read but not merge or reject pairs."),
)
DECIDING = Refusal(
    N_("To accept or reject matches, sign in with an editor's or an admin's API key."),
    N_("You are signed in with a {role}'s key, which may read but not accept or reject matches."),
)
IMPORTING = Refusal(
    N_("To import files, sign in with an editor's or an admin's API key."),
    N_("You are signed in with a {role}'s key, which may read but not import files."),
)


def _render(
    request: Request,
    title: str,
    notice: Markup | str,
    data: dict[str, Any],
    script: str,
    lang: Language,
    root: str | None = "review-root",
) -> HTMLResponse:
    """A page of ``review.html`` in ``lang``: its ``notice`` (if any) and the element ``root``
    that ``script`` draws from ``data``."""
    return editing_page(request, title, notice, data, lang, root, script, "review.html")


def _side(organization: Organization, lang: Language) -> dict[str, Any]:
    """An organisation as a review shows it: the record, its vocabulary values and countries
    in words in ``lang``, and the ETag it was read at."""
    words = {
        "type": label("organization_types", organization.type, lang),
        "movement": label("movements", organization.movement, lang),
        "countries": ", ".join(country_name(code, lang) for code in organization.countries),
        "sectors": ", ".join(label("sectors", key, lang) for key in organization.sectors),
    }
    return {
        "record": organization.model_dump(mode="json"),
        "words": words,
        "etag": etag(organization),
    }


@router.get("/review/duplicates", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def review_duplicates(
    request: Request, store: StoreDep, lang: ReaderLanguage, offset: Offset = 0
) -> HTMLResponse:
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
                "first": _side(by_id[p.first], lang),
                "second": _side(by_id[p.second], lang),
                "reasons": [reason.say(lang) for reason in p.said],
                "against": [
                    reason.say(lang) for reason in differences_said(by_id[p.first], by_id[p.second])
                ],
            }
            for p in shown
        ],
    }
    notice = "" if csrf else needs_editor(request, role, MERGING, lang)
    title = gettext(N_("Likely duplicates"), lang)
    return _render(request, title, notice, data, "review.js", lang)


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
def review_imports(
    request: Request, store: StoreDep, lang: ReaderLanguage, offset: Offset = 0
) -> HTMLResponse:
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
    return _render(request, gettext(N_("Imports"), lang), "", data, "review.js", lang)


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _evidence(line: str, lang: Language) -> str:
    """A line of a match's stored evidence in ``lang`` when it is one of the matcher's fixed
    sentences ("no shared identifier", marked in ``app.io.matching``); a line quoting names or
    codes stays as stored, in English."""
    return gettext(line, lang) if line else line


@router.get("/review/imports/{import_id}", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def review_import(
    request: Request, store: StoreDep, import_id: ImportId, lang: ReaderLanguage
) -> HTMLResponse:
    """One import's name matches side by side: accept (a merge) or reject each."""
    csrf, role = editing_session(request, store)
    actors = _actors(store, role)
    record = actors.import_record(store.get_import(import_id))
    named = {i for c in record.candidates for i in (c.imported, c.stored)}
    by_id = {o.id: o for o in store.get_organizations(named)}
    candidates = [
        {
            **c.model_dump(mode="json"),
            "evidence_for": [_evidence(line, lang) for line in c.evidence_for],
            "evidence_against": [_evidence(line, lang) for line in c.evidence_against],
            "decided_at": _when(c.decided_at),
            "imported_side": _side(by_id[c.imported], lang) if c.imported in by_id else None,
            "stored_side": _side(by_id[c.stored], lang) if c.stored in by_id else None,
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
    notice = "" if csrf else needs_editor(request, role, DECIDING, lang)
    title = gettext(N_("Review the import of {origin}"), lang).format(origin=record.origin)
    return _render(request, title, notice, data, "review.js", lang)


@router.get("/import", response_class=HTMLResponse, responses=PAGE_RESPONSES)
def import_page(request: Request, store: StoreDep, lang: ReaderLanguage) -> HTMLResponse:
    """Import a file: upload it, read what a dry run would do, then confirm."""
    csrf, role = editing_session(request, store)
    title = gettext(N_("Import a file"), lang)
    if csrf is None:
        notice = needs_editor(request, role, IMPORTING, lang)
        return _render(request, title, notice, {}, "upload.js", lang, root=None)
    data = {"kind": "upload", "role": role, "csrf": csrf, "formats": list(KINDS)}
    return _render(request, title, "", data, "upload.js", lang, root="upload-root")
