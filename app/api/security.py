"""Security headers on every response: a Content-Security-Policy that allows nothing from
outside the server and no inline script, and framing only where embedding is meant to work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from fastapi import FastAPI, Request, Response

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


def install(app: FastAPI, embed_origins: Sequence[str]) -> None:
    """Add the headers to every response of ``app``."""

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        path = request.url.path
        response.headers["Content-Security-Policy"] = content_security_policy(path, embed_origins)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if not path.startswith("/embed/"):
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response
