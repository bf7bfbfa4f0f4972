"""Security headers on every response: a Content-Security-Policy that allows nothing from
outside the server and no inline script, and framing only where embedding is meant to work."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'"
)
"""Inline styles stay allowed because vis-network positions its canvas with style attributes."""


def content_security_policy(path: str, embed_origins: Sequence[str]) -> str:
    """The policy for a path: ``/embed/`` pages may be framed by the configured origins."""
    ancestors = ["'self'", *embed_origins] if path.startswith("/embed/") else ["'self'"]
    return f"{POLICY}; frame-ancestors {' '.join(ancestors)}"


def security_headers(path: str, embed_origins: Sequence[str]) -> list[tuple[bytes, bytes]]:
    """The headers added to a response for ``path``, as raw ASGI header pairs."""
    headers = [
        (b"content-security-policy", content_security_policy(path, embed_origins).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]
    if not path.startswith("/embed/"):
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


def _with_names(
    headers: list[tuple[bytes, bytes]],
) -> tuple[list[tuple[bytes, bytes]], frozenset[bytes]]:
    return headers, frozenset(name for name, _ in headers)


class SecurityHeaders:
    """Pure ASGI middleware adding :func:`security_headers` to every HTTP response.

    Written against ASGI rather than as ``@app.middleware("http")``, whose per-request task
    and body streaming cost more than the slowest small JSON route itself.
    """

    def __init__(self, app: ASGIApp, embed_origins: Sequence[str]) -> None:
        self.app = app
        self._framed = _with_names(security_headers("/embed/", embed_origins))
        self._unframed = _with_names(security_headers("/", embed_origins))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra, names = self._framed if scope["path"].startswith("/embed/") else self._unframed

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": [*kept, *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, embed_origins: Sequence[str]) -> None:
    """Add the headers to every response of ``app``."""
    app.add_middleware(SecurityHeaders, embed_origins=list(embed_origins))
