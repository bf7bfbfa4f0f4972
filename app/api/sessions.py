"""Browser sessions over HTTP: the session cookie, what it stands for, and its CSRF check.

The cookie holds a random token (``app.domain.sessions``); it is HttpOnly (no script reads
it), SameSite=Strict (no other site's page sends it), Secure when the page came over TLS,
scoped to the whole site and expiring with the session. A request signed in by the cookie
that changes anything must also carry the session's CSRF token, in the ``X-CSRF-Token``
header (page scripts) or a form's ``csrf`` field (sign-out).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request, Response

from app.domain.keys import ApiKey
from app.domain.sessions import BrowserSession, token_hash
from app.store.protocol import GraphStore

SESSION_COOKIE = "solgraph_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing, so need no CSRF token."""


def session_token(request: Request) -> str | None:
    """The session token the request's cookie carries, if any."""
    return request.cookies.get(SESSION_COOKIE) or None


def signed_in(store: GraphStore, token: str) -> tuple[BrowserSession, ApiKey] | None:
    """The live session of ``token`` and its key; ``None`` if the session ended or expired,
    or its key was revoked since."""
    session = store.find_session(token_hash(token))
    if session is None or not session.live(datetime.now(UTC)):
        return None
    key = store.find_key(session.key_id)
    if key is None or key.revoked is not None:
        return None
    return session, key


def is_tls(request: Request) -> bool:
    """Whether the page was served over TLS, so the cookie may be marked Secure.

    ``request.url`` follows ``X-Forwarded-Proto`` only where uvicorn trusts the proxy
    (``--forwarded-allow-ips``), so a client cannot claim TLS it does not have.
    """
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str, seconds: int) -> None:
    """Give the browser the session cookie, to expire with the session."""
    set_strict_cookie(response, request, SESSION_COOKIE, token, seconds, "/")


def set_strict_cookie(
    response: Response, request: Request, name: str, value: str, seconds: int, path: str
) -> None:
    """A cookie no script reads and no other site's page sends, Secure over TLS."""
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        path=path,
        secure=is_tls(request),
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    """Tell the browser to drop the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=is_tls(request), httponly=True, samesite="strict"
    )
