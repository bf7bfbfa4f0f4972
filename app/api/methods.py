"""HEAD and OPTIONS on every route, and the methods a path allows (RFC 9110, section 9).

FastAPI routes answer only the methods they declare. Here a HEAD is answered as its GET with
the body left out (status and headers unchanged), and an OPTIONS as 204 with ``Allow``, on any
path some route serves. Nothing is added to the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DECLARED = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
"""The methods a route may declare; others (TRACE, QUERY) are never served."""


def _routes(scope: Scope) -> list[BaseRoute]:
    app: Any = scope["app"]
    routes: list[BaseRoute] = app.router.routes
    return routes


def _serves(routes: list[BaseRoute], scope: Scope, method: str) -> bool:
    """Whether a route declares ``method`` at the scope's path.

    Each route is asked through ``matches``, which also looks inside the routers FastAPI
    includes, whatever form they take in ``app.routes``.
    """
    asked = {**scope, "method": method}
    return any(route.matches(asked)[0] == Match.FULL for route in routes)


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the scope's path answers, sorted: those its routes declare, HEAD where
    GET is, and OPTIONS; none if no route has the path."""
    routes = _routes(scope)
    found = {method for method in DECLARED if _serves(routes, scope, method)}
    if "GET" in found:
        found.add("HEAD")
    return sorted(found | {"OPTIONS"}) if found else []


class AnyRouteMethods:
    """Pure ASGI middleware answering HEAD and OPTIONS for routes that do not declare them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method") if scope["type"] == "http" else None
        if method == "HEAD":
            await self._head(scope, receive, send)
        elif method == "OPTIONS" and not _serves(_routes(scope), scope, "OPTIONS"):
            allowed = allowed_methods(scope)
            if allowed:
                await Response(status_code=204, headers={"Allow": ", ".join(allowed)})(
                    scope, receive, send
                )
            else:
                await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _head(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The GET's answer without its body, unless a route serves HEAD itself."""
        routes = _routes(scope)
        if not _serves(routes, scope, "HEAD") and _serves(routes, scope, "GET"):
            scope = {**scope, "method": "GET"}

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, headers_only)


def install(app: FastAPI) -> None:
    """Answer HEAD and OPTIONS on every route of ``app``; install it inside CORS, which
    answers preflights (OPTIONS with ``Access-Control-Request-Method``) itself."""
    app.add_middleware(AnyRouteMethods)
