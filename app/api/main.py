"""The FastAPI application factory: one store for the app's lifetime, one router per resource."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from fastapi import Depends, FastAPI

from app import __version__
from app.analysis.snapshot import SnapshotCache
from app.api import cors, failures, fair_use, fast_lane, limits, methods, problems, security
from app.api.answers import Answers
from app.api.auth import requires
from app.api.ratelimit import TokenBuckets
from app.api.routers import (
    analysis,
    analysis_pages,
    changes,
    duplicates,
    edit_pages,
    enablers,
    exports,
    facets,
    figures,
    health,
    imports,
    keys,
    maps,
    matches,
    matching_pages,
    oembed,
    organizations,
    pages,
    partnerships,
    paths,
    peers,
    profiles,
    relationship_pages,
    relationships,
    review_pages,
    sessions,
    stories,
    story_builder,
    story_pages,
    views,
    vocabulary,
)
from app.domain.errors import StoreUnavailable
from app.settings import Settings, load_settings
from app.store.factory import open_store
from app.store.protocol import GraphStore

DESCRIPTION = """
Organisations that support informal economy workers — trade unions, informal workers'
organisations, cooperatives and other social and solidarity economy units, NGOs, funders and
public bodies — and the typed relationships between them, after the ILO brief on partnerships
between trade unions and the SSE. Every fact carries its source.
"""


SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the interpreter while others wait (CPython's default is 0.005).

Expensive analyses run in threads of this process; with the default, a cheap read waits up
to 5 ms at each of its many hand-overs between threads, and hundreds of milliseconds in all
while analyses run. A shorter interval costs the analyses a little throughput."""


def _warm(store: GraphStore) -> None:
    """Read once before serving, so the embedded store builds its graph's outline now and not
    during the first request (seconds at 100k organisations); a store that is down is left to
    ``/readyz`` and to each request's 503."""
    with suppress(StoreUnavailable):
        store.counts()


def create_app(
    store_factory: Callable[[], GraphStore] | None = None, settings: Settings | None = None
) -> FastAPI:
    """Build the app; the store is opened at start-up, from the settings unless one is given."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        sys.setswitchinterval(SWITCH_INTERVAL)
        app.state.store = (store_factory or (lambda: open_store(settings)))()
        app.state.snapshots = SnapshotCache(app.state.store, settings.snapshot_years)
        app.state.answers = Answers(app.state.store)
        _warm(app.state.store)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="Solidarity Graph",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    problems.install(app)
    methods.install(app)  # innermost: CORS and the limits see a HEAD or OPTIONS as sent
    app.state.write_limits = TokenBuckets(settings.write_rate, settings.write_burst)
    limits.install(app, settings.max_body_bytes)
    fair_use.install(app, settings)
    cors.install(app, settings.cors_origin_list)
    failures.install(app)  # just inside the security headers: every 500 carries them
    fast_lane.install(app, settings.public_read)  # kept answers, with the security headers
    security.install(app, settings.embed_origin_list)  # outermost: on every answer
    app.include_router(health.router, responses=problems.RESPONSES)  # first: probes match at once
    for module in (
        organizations,
        enablers,
        peers,
        matches,
        relationships,
        partnerships,
        paths,
        analysis,
        analysis_pages,
        matching_pages,
        exports,
        facets,
        maps,
        oembed,
        edit_pages,
        relationship_pages,
        story_builder,
        story_pages,
        views,
        stories,
        review_pages,
        profiles,
        figures,
        changes,
        duplicates,
        imports,
    ):
        app.include_router(
            module.router,
            responses=problems.RESPONSES,
            dependencies=[Depends(requires("reader"))],
        )
    for module in (keys, sessions, vocabulary, pages):
        app.include_router(module.router, responses=problems.RESPONSES)
    return app
