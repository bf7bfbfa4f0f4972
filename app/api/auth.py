"""Who is asking: an API key from ``Authorization: Bearer`` or a browser session's cookie,
and the role each route needs.

Reads are open unless ``SOLGRAPH_PUBLIC_READ=false``; writes need ``editor``; key management
and cascading deletes need ``admin``. A key that is sent must be valid even where none is
needed, so a mistyped key is reported rather than silently ignored; a session cookie that has
ended only counts as no session for a read, since a browser keeps sending it. A change made
through a session needs the session's CSRF token (``app.api.sessions``). Each key's writes
are rate-limited (``app.api.ratelimit``), through a session or not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from app.api.deps import SettingsDep, StoreDep
from app.api.ratelimit import charge_write
from app.api.sessions import CSRF_HEADER, SAFE_METHODS, session_token, signed_in
from app.domain.errors import Forbidden, Unauthorized
from app.domain.keys import Role, role_allows, secret_matches, split_token
from app.domain.sessions import csrf_matches
from app.store.protocol import GraphStore

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Caller:
    """The key a request came with (its name goes into the audit trail), or none."""

    name: str
    role: Role | None


def _caller(request: Request, store: GraphStore) -> Caller:
    header = request.headers.get("authorization")
    if header is None:
        return _session_caller(request, store)
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must read 'Bearer <API key>'")
    parts = split_token(token.strip())
    key = None if parts is None else store.find_key(parts[0])
    if parts is None or key is None or not secret_matches(key, parts[1]):
        raise Unauthorized("the API key is not valid; ask an admin for one")
    if key.revoked is not None:
        raise Unauthorized(f"the API key '{key.name}' was revoked")
    return Caller(key.name, key.role)


def _session_caller(request: Request, store: GraphStore) -> Caller:
    """The caller a session cookie stands for; anonymous for a read without a live session."""
    token = session_token(request)
    if token is None:
        return Caller(ANONYMOUS, None)
    found = signed_in(store, token)
    changes = request.method not in SAFE_METHODS
    if found is None:
        if changes:
            raise Unauthorized("your browser session has ended; sign in again at /sign-in")
        return Caller(ANONYMOUS, None)
    presented = request.headers.get(CSRF_HEADER)
    if changes and (presented is None or not csrf_matches(token, presented)):
        raise Forbidden(
            f"a change made through a browser session needs its CSRF token in the "
            f"{CSRF_HEADER} header; reload the page and try again"
        )
    key = found[1]
    return Caller(key.name, key.role)


def requires(needed: Role) -> Callable[..., Awaitable[Caller]]:
    """A dependency that admits keys of role ``needed`` or stronger (401 or 403 otherwise)."""

    async def dependency(request: Request, store: StoreDep, settings: SettingsDep) -> Caller:
        open_read = needed == "reader" and settings.public_read
        if open_read and "authorization" not in request.headers and not session_token(request):
            return Caller(ANONYMOUS, None)
        caller = await run_in_threadpool(_caller, request, store)
        if caller.role is not None:
            charge_write(request, caller.name)
        if open_read:
            return caller
        if caller.role is None:
            raise Unauthorized(f"this needs an API key with role {needed} or stronger")
        if not role_allows(caller.role, needed):
            raise Forbidden(
                f"the API key '{caller.name}' has role {caller.role}; this needs {needed}"
            )
        return caller

    return dependency


def check_role(caller: Caller, needed: Role) -> None:
    """Refuse, as ``requires`` would, when a request's options need more than its route."""
    if caller.role is None or not role_allows(caller.role, needed):
        raise Forbidden(f"this needs an API key with role {needed}; yours is {caller.role}")


Reader = Annotated[Caller, Depends(requires("reader"))]
Editor = Annotated[Caller, Depends(requires("editor"))]
Admin = Annotated[Caller, Depends(requires("admin"))]
