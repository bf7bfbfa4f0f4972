"""Signing in with an API key, once, and out again: ``/sign-in``, ``/sign-out`` and
``/api/session``.

The sign-in page is a plain HTML form that works without scripts. The key is checked like a
bearer key, a new session token is made whatever cookie the browser had (an older session is
ended), and the browser gets only that token, in the cookie of ``app.api.sessions``; the key
is never echoed or stored in the browser. Both forms carry a token the server checks: the
sign-in form one of its own cookie (a double-submit token, so no other site can sign a
browser in with the site's key), the sign-out form the session's CSRF token. A form posted
from another origin is refused whatever it carries. ``/api/session`` tells page scripts who
is signed in and hands them the CSRF token for ``X-CSRF-Token``.
"""

from __future__ import annotations

import html
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.deps import SettingsDep, StoreDep
from app.api.sessions import (
    clear_session_cookie,
    session_token,
    set_session_cookie,
    set_strict_cookie,
    signed_in,
)
from app.domain.keys import ApiKey, Role, secret_matches, split_token
from app.domain.sessions import BrowserSession, csrf_matches, csrf_token, new_session, token_hash
from app.maps.page import template
from app.store.protocol import GraphStore

router = APIRouter(tags=["sessions"])

FORM_COOKIE = "solgraph_sign_in"
"""The sign-in form's double-submit token: a cookie the form's hidden field must equal."""
FORM_SECONDS = 3600
"""How long a sign-in form may stay open before it must be reloaded."""
NO_STORE = {"Cache-Control": "no-store"}
FORM_TYPE = "application/x-www-form-urlencoded"
ROLE_WORDS: dict[Role, str] = {
    "reader": "read, and see who made each change",
    "editor": "read and edit organisations and relationships",
    "admin": "read, edit, and manage keys and deletes that cascade",
}
"""What each role may do, said on the signed-in page."""
ABOUT = (
    "Paste the API key an admin gave you, once. This browser then stays signed in for a while "
    "without keeping the key: it gets a session that ends when you sign out."
)


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
    next_: Annotated[str, Query(alias="next")] = "/",
    signed_out: bool = False,
) -> HTMLResponse:
    """The sign-in form, or who is signed in with a sign-out button."""
    token = session_token(request)
    found = None if token is None else signed_in(store, token)
    panel = "" if token is None or found is None else _signed_in_panel(*found, token)
    notice = '<p class="notice" role="status">You are signed out.</p>' if signed_out else ""
    return _form_page(request, _local(next_), "", 200, notice=notice, panel=panel)


@router.post("/sign-in", response_class=HTMLResponse, include_in_schema=False)
async def sign_in(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Check the pasted key and open a session for it; the form again, saying why, if not."""
    fields = await _form(request)
    destination = _local(fields.get("next", "/"))
    refusal = _cross_site(request) or _form_token_refusal(request, fields.get("form", ""))
    if refusal is not None:
        return _form_page(request, destination, refusal, 403)
    pasted = fields.get("key", "").strip()
    key = await run_in_threadpool(_valid_key, store, pasted)
    if key is None:
        error = (
            "Paste your whole API key; it starts with sgk_."
            if not pasted
            else "That is not a valid API key (or it was revoked). Check it, or ask an admin "
            "for one."
        )
        return _form_page(request, destination, error, 401)
    lifetime = timedelta(hours=settings.session_hours)
    session, token = new_session(key, datetime.now(UTC), lifetime)
    await run_in_threadpool(_replace_session, store, session_token(request), session)
    response = RedirectResponse(destination, status_code=303, headers=NO_STORE)
    set_session_cookie(response, request, token, int(lifetime.total_seconds()))
    response.delete_cookie(FORM_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out", include_in_schema=False)
async def sign_out(request: Request, store: StoreDep) -> Response:
    """End the session on the server and drop its cookie; refused without its CSRF token."""
    fields = await _form(request)
    token = session_token(request)
    refusal = _cross_site(request)
    if refusal is None and token is not None and not csrf_matches(token, fields.get("csrf", "")):
        refusal = "This sign-out form is out of date. Reload the page and sign out again."
    if refusal is not None:
        return _page(
            "Not signed out",
            f'<p class="notice problem" role="alert">{html.escape(refusal)}</p>',
            403,
        )
    if token is not None:
        await run_in_threadpool(store.end_session, token_hash(token))
    response = RedirectResponse("/sign-in?signed_out=true", status_code=303, headers=NO_STORE)
    clear_session_cookie(response, request)
    return response


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
    return "This form was sent from another site, so it was not accepted."


def _form_token_refusal(request: Request, presented: str) -> str | None:
    """Why the sign-in form's token is refused, if it is."""
    expected = request.cookies.get(FORM_COOKIE, "")
    if expected and presented and secrets.compare_digest(expected, presented):
        return None
    return "This sign-in form is out of date (or cookies are off). Paste your key again."


def _local(target: str) -> str:
    """``target`` if it is a path on this site, else ``/``: sign-in never sends a browser
    to another site."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 32 for char in target):
        return "/"
    return target


def _form_page(
    request: Request, destination: str, error: str, status: int, notice: str = "", panel: str = ""
) -> HTMLResponse:
    """The sign-in form with a fresh form token and its error beside the key field; after
    ``panel``, who is signed in, it is folded away as "Use another key"."""
    form_token = secrets.token_urlsafe(24)
    described = "key-hint key-error" if error else "key-hint"
    invalid = ' aria-invalid="true"' if error else ""
    error_line = (
        f'<p id="key-error" class="error" role="alert">{html.escape(error)}</p>' if error else ""
    )
    form = f"""<form method="post" action="/sign-in" class="sign-in">
    <input type="hidden" name="form" value="{form_token}">
    <input type="hidden" name="next" value="{html.escape(destination)}">
    <div class="field">
      <label for="key">API key</label>
      <input id="key" name="key" type="password" autocomplete="off" spellcheck="false"
        required aria-describedby="{described}"{invalid}>
      <p id="key-hint" class="hint">It reads sgk_ and then letters and digits.</p>
      {error_line}
    </div>
    <button type="submit">Sign in</button>
  </form>"""
    if panel:
        title = "Signed in"
        content = f"{panel}\n<details><summary>Use another key</summary>{form}</details>"
    else:
        title, content = "Sign in", f'{notice}\n<p class="about">{ABOUT}</p>\n{form}'
    response = _page(title, content, status)
    set_strict_cookie(response, request, FORM_COOKIE, form_token, FORM_SECONDS, "/sign-in")
    return response


def _signed_in_panel(session: BrowserSession, key: ApiKey, token: str) -> str:
    """Who is signed in, until when, what the role allows, and the sign-out form."""
    ends = session.expires.astimezone(UTC)
    until = f"{ends.day} {ends:%B %Y, %H:%M} UTC"
    return f"""<dl class="account">
    <dt>Signed in as</dt><dd id="who">{html.escape(key.name)}</dd>
    <dt>Role</dt><dd>{key.role}: may {ROLE_WORDS[key.role]}</dd>
    <dt>Until</dt><dd>{until}</dd>
  </dl>
  <form method="post" action="/sign-out">
    <input type="hidden" name="csrf" value="{csrf_token(token)}">
    <button type="submit" class="quiet">Sign out</button>
  </form>
  <p><a href="/">Open the explorer</a></p>"""


def _page(title: str, content: str, status: int) -> HTMLResponse:
    body = template("plain.html").substitute(title=html.escape(title), content=content)
    return HTMLResponse(body, status_code=status, headers=NO_STORE)
