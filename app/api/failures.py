"""Unexpected errors answer as problems too: a 500 in problem+json (a short HTML page on map
pages, embeds and profiles) that says nothing of the server's insides, with the traceback in
the log.

Starlette's own last-resort handler sits outside every middleware, so its plain-text 500 would
miss the security headers; this middleware is installed just inside them instead.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem

log = logging.getLogger(__name__)
DETAIL = (
    "the server met an unexpected error and could not answer; it has been logged. "
    "Try again later, and tell whoever runs this server if it happens again"
)


class UnexpectedErrors:
    """Pure ASGI middleware turning an uncaught exception into a logged 500 problem.

    Once a response has started it cannot be replaced, so the error is raised on for the
    server to log and close the connection.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception:
            if started:
                raise  # too late for another answer: the server logs it and drops the connection
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            await problem(Request(scope), 500, DETAIL)(scope, receive, send)


def install(app: FastAPI) -> None:
    """Answer ``app``'s unexpected errors as problems; install it just inside the middleware
    whose headers every answer must carry."""
    app.add_middleware(UnexpectedErrors)
