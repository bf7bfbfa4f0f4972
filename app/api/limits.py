"""A cap on request bodies: larger ones get 413 before any route reads them.

A declared ``Content-Length`` over the cap is refused at once; a body without one (chunked)
is counted as it arrives and refused when it passes the cap. ``/api/import`` is left to its
own, larger limit (``SOLGRAPH_MAX_UPLOAD_BYTES``).
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem

EXEMPT = frozenset({"/api/import"})
"""Paths that read and cap their bodies themselves."""


def _declared(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


class BodyLimit:
    """Pure ASGI middleware refusing request bodies over ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int, exempt: Collection[str] = EXEMPT) -> None:
        self.app, self.limit, self.exempt = app, limit, frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = _declared(scope)
        if declared is not None and declared > limit:
            detail = f"the request body is {declared} bytes; the limit is {limit} bytes"
            await problem(Request(scope), 413, detail)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI passes an HTTPException from reading the body on to its handler.
                    raise HTTPException(413, f"the request body passes the limit of {limit} bytes")
            return message

        await self.app(scope, counted, send)


def install(app: FastAPI, limit: int) -> None:
    """Cap every request body of ``app`` but the exempt ones at ``limit`` bytes."""
    app.add_middleware(BodyLimit, limit=limit)
