"""Cross-origin calls (CORS): only from the origins in ``SOLGRAPH_CORS_ORIGINS``, if any.

With none configured no CORS header is ever sent, so browsers keep other sites' pages from
reading the API's answers. A preflight that is refused answers a problem naming what was
refused and what is allowed (Starlette's own answer is a bare "Disallowed CORS origin").
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.api.problems import problem

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADERS = ("Authorization", "Content-Type", "If-Match")
EXPOSED = ("ETag", "Location", "Retry-After")


class Cors(CORSMiddleware):
    """Starlette's CORS middleware, with refused preflights answered as problems."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                refusal = self._refusal(Request(scope), headers)
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
        await super().__call__(scope, receive, send)

    def _refusal(self, request: Request, asked: Headers) -> Response | None:
        """The 400 problem for a preflight asking what is not allowed; None if all is."""
        refused: dict[str, str] = {}
        origin = asked["origin"]
        if not self.is_allowed_origin(origin):
            allowed = ", ".join(self.allow_origins)
            refused["origin"] = f"origin '{origin}' is not allowed (allowed: {allowed})"
        method = asked["access-control-request-method"]
        if method not in self.allow_methods:
            allowed = ", ".join(self.allow_methods)
            refused["method"] = f"method '{method}' is not allowed (allowed: {allowed})"
        wanted = asked.get("access-control-request-headers")
        names = [] if wanted is None else [h.strip() for h in wanted.split(",")]
        extra = [h for h in names if h.lower() not in self.allow_headers]
        if extra:
            shown = ", ".join(f"'{h}'" for h in extra)
            allowed = ", ".join(self.allow_headers)
            refused["headers"] = f"header(s) {shown} not allowed (allowed: {allowed})"
        if "access-control-request-private-network" in asked:
            refused["private-network"] = "private network access is not allowed"
        if not refused:
            return None
        return problem(
            request,
            400,
            "cross-origin request refused: " + "; ".join(refused.values()),
            headers={"Vary": self.preflight_headers["Vary"]},
            refused=list(refused),
            allowed_origins=list(self.allow_origins),
            allowed_methods=list(self.allow_methods),
            allowed_headers=list(self.allow_headers),
        )


def install(app: FastAPI, origins: Sequence[str]) -> None:
    """Let pages from ``origins`` call ``app``; nothing at all when there are none."""
    if not origins:
        return
    app.add_middleware(
        Cors,
        allow_origins=list(origins),
        allow_methods=list(METHODS),
        allow_headers=list(HEADERS),
        expose_headers=list(EXPOSED),
    )
