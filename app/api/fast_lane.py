"""Kept answers sent before the framework: ``/healthz`` and reads already answered once.

FastAPI's per-request work (routing through every route, solving dependencies, validating
query parameters) costs more than sending a kept answer. This pure ASGI middleware answers, at
once, ``GET /healthz`` and any ``GET`` whose path and query string :class:`Answers` already
answered at the current graph version (see :meth:`Answers.reply`): that first answer was
checked by the full stack, and the same target parses to the same question. It steps aside for
everything whose answer could differ: a request with an API key or a session cookie (either
must be checked, and a signed-in reader sees more), an ``Origin`` (CORS headers), a body, or
when reads need a key. It sits just inside the security
headers, which it therefore carries.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.answers import Answer, Answers, tag_matches
from app.api.routers.health import HEALTHY
from app.api.sessions import SESSION_COOKIE

_STEP_ASIDE = frozenset((b"authorization", b"origin", b"content-length", b"transfer-encoding"))
_SESSION = f"{SESSION_COOKIE}=".encode("ascii")


class FastLane:
    """Pure ASGI middleware sending ``/healthz`` and kept answers without the framework."""

    def __init__(self, app: ASGIApp, public_read: bool) -> None:
        self.app = app
        self.public_read = public_read

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        if scope["path"] == "/healthz" and not _has_origin(scope):
            await _send(send, 200, [], HEALTHY)
            return
        kept = self._kept(scope)
        if kept is None:
            await self.app(scope, receive, send)
            return
        answer, conditional = kept
        etag = (b"etag", answer.etag.encode("latin-1"))
        if conditional and tag_matches(_header(scope, b"if-none-match"), answer.etag):
            await send({"type": "http.response.start", "status": 304, "headers": [etag]})
            await send({"type": "http.response.body", "body": b""})
        else:
            await _send(send, 200, [etag], answer.body)

    def _kept(self, scope: Scope) -> tuple[Answer, bool] | None:
        """The kept answer for this request, if it may be sent as it is."""
        if not self.public_read:
            return None
        answers: Answers | None = getattr(scope["app"].state, "answers", None)
        if answers is None:
            return None
        if any(name in _STEP_ASIDE for name, _ in scope["headers"]):
            return None
        if any(name == b"cookie" and _SESSION in value for name, value in scope["headers"]):
            return None
        return answers.recall((scope["path"], scope.get("query_string", b"")))


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])


def _header(scope: Scope, wanted: bytes) -> str | None:
    """The first value of header ``wanted`` (lower case), decoded as ASGI says (latin-1)."""
    for name, value in scope["headers"]:
        if name == wanted:
            return str(value.decode("latin-1"))
    return None


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """A JSON answer, with the headers Starlette's ``Response`` gives it, in its order."""
    length = (b"content-length", str(len(body)).encode("ascii"))
    json = (b"content-type", b"application/json")
    start = {"type": "http.response.start", "status": status, "headers": [*headers, length, json]}
    await send(start)
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI, public_read: bool) -> None:
    """Send kept answers of ``app`` before its routing; install it just inside the security
    headers, outside everything else."""
    app.add_middleware(FastLane, public_read=public_read)
