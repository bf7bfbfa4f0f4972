"""Cross-origin calls (CORS): only from the origins in ``SOLGRAPH_CORS_ORIGINS``, if any.

With none configured no CORS header is ever sent, so browsers keep other sites' pages from
reading the API's answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADERS = ("Authorization", "Content-Type", "If-Match")
EXPOSED = ("ETag", "Location", "Retry-After")


def install(app: FastAPI, origins: Sequence[str]) -> None:
    """Let pages from ``origins`` call ``app``; nothing at all when there are none."""
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=list(METHODS),
        allow_headers=list(HEADERS),
        expose_headers=list(EXPOSED),
    )
