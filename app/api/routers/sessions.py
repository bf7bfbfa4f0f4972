"""Signing in with an API key, once, and out again: ``/sign-in``, ``/sign-out`` and
``/api/session``.

The sign-in page is a plain HTML form that works without scripts. The key is checked like a
bearer key, a new session token is made whatever cookie the browser had (an older session is
ended), and the browser gets only that token, in the cookie of ``app.api.sessions``; the key
is never echoed or stored in the browser. Both forms carry a token the server checks: the
sign-in form one of its own cookie (a double-submit token, so no other site can sign a
browser in with the site's key), the sign-out form the session's CSRF token. A form posted
from another origin is refused whatever it carries. ``/api/session`` tells page scripts who
is signed in and hands them the CSRF token for ``X-CSRF-Token``. The pages speak the reader's
language (``?lang=``, else ``Accept-Language``), which the forms carry through their posts.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlsplit

from babel.dates import format_date, format_time
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.deps import SettingsDep, StoreDep
from app.api.params import ReaderLanguage, language_headers
from app.api.sessions import (
    clear_session_cookie,
    session_token,
    set_session_cookie,
    set_strict_cookie,
    signed_in,
)
from app.domain.keys import ROLE_NAMES, ApiKey, Role, secret_matches, split_token
from app.domain.languages import CLDR_LOCALES, DEFAULT, Language, language
from app.domain.messages import N_, gettext
from app.domain.sessions import BrowserSession, csrf_matches, csrf_token, new_session, token_hash
from app.maps.page import render_page
from app.store.protocol import GraphStore

router = APIRouter(tags=["sessions"])

FORM_COOKIE = "solgraph_sign_in"
"""The sign-in form's double-submit token: a cookie the form's hidden field must equal."""
FORM_SECONDS = 3600
"""How long a sign-in form may stay open before it must be reloaded."""
NO_STORE = {"Cache-Control": "no-store"}
FORM_TYPE = "application/x-www-form-urlencoded"
ROLE_WORDS: dict[Role, str] = {
    "reader": N_("may read, and see who made each change"),
    "editor": N_("may read and edit organisations and relationships"),
    "admin": N_("may read, edit, and manage keys and deletes that cascade"),
}
"""What each role may do, said on the signed-in page."""


class SessionView(BaseModel):
    """Who the browser is signed in as, and the token its scripts send with a change."""

    signed_in: bool
    name: str | None = None
    role: Role | None = None
    expires: datetime | None = None
    csrf_token: str | None = None


@router.get("/api/session", response_model=SessionView)
def session_view(request: Request, store: StoreDep, response: Response) -> SessionView:
    """Who this browser is signed in as; ``signed_in`` is false without a live session."""
    response.headers.update(NO_STORE)
    token = session_token(request)
    found = None if token is None else signed_in(store, token)
    if token is None or found is None:
        return SessionView(signed_in=False)
    session, key = found
    return SessionView(
        signed_in=True,
        name=key.name,
        role=key.role,
        expires=session.expires,
        csrf_token=csrf_token(token),
    )


@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_page(
    request: Request,
    store: StoreDep,
    lang: ReaderLanguage,
    next_: Annotated[str, Query(alias="next")] = "/",
    signed_out: bool = False,
) -> HTMLResponse:
    """The sign-in form, or who is signed in with a sign-out button."""
    token = session_token(request)
    found = None if token is None else signed_in(store, token)
    account = None if token is None or found is None else _account(*found, token, lang)
    page = _Form(request, _local(next_), lang)
    return page.answer("", 200, account=account, signed_out=signed_out)


@router.post("/sign-in", response_class=HTMLResponse, include_in_schema=False)
async def sign_in(
    request: Request, store: StoreDep, settings: SettingsDep, lang: ReaderLanguage
) -> Response:
    """Check the pasted key and open a session for it; the form again, saying why, if not."""
    fields = await _form(request)
    page = _Form(request, _local(fields.get("next", "/")), lang)
    refusal = _cross_site(request) or _form_token_refusal(request, fields.get("form", ""))
    if refusal is not None:
        return page.answer(gettext(refusal, lang), 403)
    pasted = fields.get("key", "").strip()
    key = await run_in_threadpool(_valid_key, store, pasted)
    if key is None:
        error = (
            N_("Paste your whole API key; it starts with sgk_.")
            if not pasted
            else N_(
                "That is not a valid API key (or it was revoked). Check it, or ask an admin "
                "for one."
            )
        )
        return page.answer(gettext(error, lang), 401)
    lifetime = timedelta(hours=settings.session_hours)
    session, token = new_session(key, datetime.now(UTC), lifetime)
    await run_in_threadpool(_replace_session, store, session_token(request), session)
    response = RedirectResponse(page.destination, status_code=303, headers=NO_STORE)
    set_session_cookie(response, request, token, int(lifetime.total_seconds()))
    response.delete_cookie(FORM_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out", include_in_schema=False)
async def sign_out(request: Request, store: StoreDep) -> Response:
    """End the session on the server and drop its cookie; refused without its CSRF token."""
    fields = await _form(request)
    token = session_token(request)
    lang = _posted_language(fields.get("lang", DEFAULT))
    refusal = _cross_site(request)
    if refusal is None and token is not None and not csrf_matches(token, fields.get("csrf", "")):
        refusal = N_("This sign-out form is out of date. Reload the page and sign out again.")
    if refusal is not None:
        page = render_page(
            "plain.html",
            lang,
            "/sign-in",
            [],
            title=gettext(N_("Not signed out"), lang),
            problem=gettext(refusal, lang),
        )
        return HTMLResponse(page, 403, headers={**language_headers(lang), **NO_STORE})
    if token is not None:
        await run_in_threadpool(store.end_session, token_hash(token))
    signed_out = "/sign-in?signed_out=true" + ("" if lang == DEFAULT else f"&lang={lang}")
    response = RedirectResponse(signed_out, status_code=303, headers=NO_STORE)
    clear_session_cookie(response, request)
    return response


def _posted_language(posted: str) -> Language:
    """The language a sign-out form carried; English if it is not one of ours (the form is
    ours, so anything else was not typed by a person)."""
    try:
        return language(posted)
    except ValueError:
        return DEFAULT


def _valid_key(store: GraphStore, pasted: str) -> ApiKey | None:
    """The stored, unrevoked key that ``pasted`` is, or ``None``."""
    parts = split_token(pasted)
    key = None if parts is None else store.find_key(parts[0])
    if parts is None or key is None or key.revoked is not None:
        return None
    return key if secret_matches(key, parts[1]) else None


def _replace_session(store: GraphStore, old: str | None, session: BrowserSession) -> None:
    """Store the new session and end the one the browser held before, if any."""
    if old is not None:
        store.end_session(token_hash(old))
    store.add_session(session)


async def _form(request: Request) -> dict[str, str]:
    """The fields of a URL-encoded form body (the first value of each); empty otherwise."""
    if request.headers.get("content-type", "").split(";")[0].strip() != FORM_TYPE:
        return {}
    body = (await request.body()).decode("utf-8", errors="replace")
    fields: dict[str, str] = {}
    for name, value in parse_qsl(body, keep_blank_values=True, max_num_fields=10):
        fields.setdefault(name, value)
    return fields


def _cross_site(request: Request) -> str | None:
    """Why a form post is refused for coming from another origin, if it does."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin is None or origin == own:
        return None
    return N_("This form was sent from another site, so it was not accepted.")


def _form_token_refusal(request: Request, presented: str) -> str | None:
    """Why the sign-in form's token is refused, if it is."""
    expected = request.cookies.get(FORM_COOKIE, "")
    if expected and presented and secrets.compare_digest(expected, presented):
        return None
    return N_("This sign-in form is out of date (or cookies are off). Paste your key again.")


def _local(target: str) -> str:
    """``target`` if it is a path on this site, else ``/``: sign-in never sends a browser
    to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 32 for char in target):
        return "/"
    return target


class _Form:
    """The sign-in page of one request, in ``lang``, leading to ``destination`` once signed in."""

    def __init__(self, request: Request, destination: str, lang: Language) -> None:
        self.request, self.destination, self.lang = request, destination, lang

    def answer(self, error: str, status: int, **values: Any) -> HTMLResponse:
        """The form with a fresh form token and ``error`` (said in the language) beside the
        key field; with ``account`` (who is signed in), the form is folded away as "Use another
        key". The language switcher keeps the destination."""
        form_token = secrets.token_urlsafe(24)
        account = values.get("account")
        title = N_("Signed in") if account else N_("Sign in")
        kept = [("next", self.destination)] if self.destination != "/" else []
        page = render_page(
            "sign-in.html",
            self.lang,
            "/sign-in",
            kept,
            title=gettext(title, self.lang),
            form_token=form_token,
            destination=self.destination,
            error=error,
            account=account,
            signed_out=values.get("signed_out", False),
        )
        headers = {**language_headers(self.lang), **NO_STORE}
        response = HTMLResponse(page, status_code=status, headers=headers)
        set_strict_cookie(response, self.request, FORM_COOKIE, form_token, FORM_SECONDS, "/sign-in")
        return response


def _account(session: BrowserSession, key: ApiKey, token: str, lang: Language) -> dict[str, str]:
    """Who is signed in, until when (written as ``lang`` writes dates), what the role allows,
    and the sign-out form's token."""
    ends = session.expires.astimezone(UTC)
    where = CLDR_LOCALES[lang]
    until = f"{format_date(ends, 'long', locale=where)}, {format_time(ends, 'HH:mm', locale=where)}"
    return {
        "name": key.name,
        "role": gettext(ROLE_NAMES[key.role], lang),
        "may": gettext(ROLE_WORDS[key.role], lang),
        "until": f"{until} UTC",
        "csrf": csrf_token(token),
    }
