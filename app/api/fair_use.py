"""Fair use of expensive requests: a rate per anonymous address, a bounded pool, a time budget.

An expensive request (see :func:`is_expensive`: what-if, paths, analyses, peers, matches,
deep networks, the whole-ecosystem map and map images) made without an API key spends a token
of its client address's bucket (``SOLGRAPH_ANONYMOUS_RATE`` a minute, bursts of
``SOLGRAPH_ANONYMOUS_BURST``) and is refused with 429 when there is none. Every expensive
request, with a key or without, then waits for one of ``SOLGRAPH_HEAVY_WORKERS`` slots, so
expensive work never holds more threads than that and cheap reads never queue behind it; when
``SOLGRAPH_HEAVY_QUEUE`` requests already wait, it is refused with 503 at once. A request
that has no answer within ``SOLGRAPH_ANALYSIS_SECONDS`` gets 503 with ``Retry-After``; its
work goes on in its slot and, since analyses are cached per graph version, the retry is
answered from the cache.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import documented, problem
from app.api.ratelimit import TokenBuckets, retry_after
from app.settings import Network, Settings

log = logging.getLogger(__name__)

_ALWAYS = re.compile(
    r"^(?:/api/analysis/|/analysis/|/api/partnerships$|/api/paths$"
    r"|/api/organizations/[^/]+/(?:peers|interlocks|matches)$"
    r"|/api/maps/ecosystem$|/(?:maps|embed)/ecosystem$|/maps/.+\.(?:svg|png)$)"
)
_DEEP = re.compile(r"^/api/organizations/[^/]+/(?:network|enablers|enabled)$")
_DEPTH = re.compile(rb"(?:^|&)depth=0*([0-9]+)")
DEEP_FROM = 3
"""Networks and enabling chains are expensive from this many hops on (a hub's reach)."""


def is_expensive(method: str, path: str, query: bytes) -> bool:
    """Whether a request is one whose cost grows with the whole graph: any analysis or
    analysis page, partnerships, paths, peers, interlocks and matches, networks and enabling
    chains of ``DEEP_FROM`` hops or more, the ecosystem map, and map images."""
    if method not in ("GET", "HEAD", "POST"):
        return False
    if _ALWAYS.match(path):
        return True
    if _DEEP.match(path):
        depths = [int(d) for d in _DEPTH.findall(query)]
        return bool(depths) and max(depths) >= DEEP_FROM
    return False


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(scope: Scope, proxies: Sequence[Network]) -> str:
    """The address a request comes from: the peer's, or, when the peer is a trusted proxy,
    the last address in ``X-Forwarded-For`` that is not itself a trusted proxy. A header
    from anyone else is ignored, as a client can write whatever it likes there."""
    peer = scope.get("client")
    address = str(peer[0]) if peer else "unknown"
    if not proxies or not _trusted(address, proxies):
        return address
    forwarded: list[str] = [
        part.strip()
        for name, value in scope.get("headers", [])
        if name.lower() == b"x-forwarded-for"
        for part in value.decode("latin-1").split(",")
    ]
    for hop in reversed(forwarded):
        if hop and not _trusted(hop, proxies):
            return hop
    return address


def _has_key(scope: Scope) -> bool:
    return any(name.lower() == b"authorization" for name, _ in scope.get("headers", []))


@dataclass
class _Slots:
    """The heavy pool's slots: how many run and how many wait (one event loop: no lock)."""

    workers: int
    queue: int
    running: int = 0
    waiting: int = 0
    freed: asyncio.Event | None = None

    async def acquire(self, timeout: float) -> bool:
        """Take a slot within ``timeout`` seconds; ``False`` if none came free in time."""
        deadline = time.monotonic() + timeout
        self.waiting += 1
        try:
            while self.running >= self.workers:
                self.freed = self.freed or asyncio.Event()
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                try:
                    await asyncio.wait_for(self.freed.wait(), left)
                except TimeoutError:
                    return False
            self.running += 1
            return True
        finally:
            self.waiting -= 1

    def release(self) -> None:
        """Give a slot back and wake the requests waiting for one."""
        self.running -= 1
        if self.freed is not None:
            self.freed.set()
            self.freed = None


class FairUse:
    """Pure ASGI middleware applying the rate, the pool and the budget to expensive requests."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.budget = float(settings.analysis_seconds)
        self.proxies = settings.trusted_proxy_networks
        self.buckets = TokenBuckets(settings.anonymous_rate, settings.anonymous_burst)
        self.slots = _Slots(settings.heavy_workers, settings.heavy_queue)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_expensive(
            scope["method"], scope["path"], scope.get("query_string", b"")
        ):
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        started = time.monotonic()
        if not await self.slots.acquire(self.budget):
            await self._busy(scope, receive, send, "every analysis slot stayed busy")
            return
        await self._run(scope, receive, send, self.budget - (time.monotonic() - started))

    def _refusal(self, scope: Scope) -> ASGIApp | None:
        """429 for an anonymous address out of tokens, 503 when the queue is full, else none."""
        request = Request(scope)
        if not _has_key(scope):
            address = client_address(scope, self.proxies)
            wait = self.buckets.take(address)
            if wait > 0:
                seconds = retry_after(wait)
                detail = (
                    f"{address} makes expensive requests (analyses, paths, what-ifs, maps) "
                    f"without an API key faster than {self.buckets.per_minute:g} a minute "
                    f"(bursts of up to {self.buckets.burst}); retry in {seconds} s, or send "
                    "an API key"
                )
                return problem(request, 429, detail, headers={"Retry-After": str(seconds)})
        if self.slots.running >= self.slots.workers and self.slots.waiting >= self.slots.queue:
            seconds = retry_after(self.budget / 2)
            detail = (
                f"the server is busy with {self.slots.running} analyses and "
                f"{self.slots.waiting} waiting; retry in {seconds} s"
            )
            return problem(request, 503, detail, headers={"Retry-After": str(seconds)})
        return None

    async def _busy(self, scope: Scope, receive: Receive, send: Send, why: str) -> None:
        seconds = retry_after(self.budget / 2)
        detail = (
            f"{why} past the time budget of {self.budget:g} s (SOLGRAPH_ANALYSIS_SECONDS); "
            f"the answer is being prepared, retry in {seconds} s"
        )
        headers = {"Retry-After": str(seconds)}
        await problem(Request(scope), 503, detail, headers=headers)(scope, receive, send)

    async def _run(self, scope: Scope, receive: Receive, send: Send, budget: float) -> None:
        """Run the request in its slot; past ``budget`` without a response, answer 503 and
        let the work finish in the background (its slot is freed only when it ends)."""
        began = asyncio.Event()
        abandoned = False

        async def guarded(message: Message) -> None:
            if abandoned:
                return
            if message["type"] == "http.response.start":
                began.set()
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        task.add_done_callback(self._finished)
        waiter = asyncio.ensure_future(began.wait())
        try:
            await asyncio.wait(
                {task, waiter}, timeout=max(budget, 0.0), return_when="FIRST_COMPLETED"
            )
        finally:
            waiter.cancel()
        if task.done() or began.is_set():
            await task
            return
        abandoned = True
        task.add_done_callback(_log_failure)
        await self._busy(scope, receive, send, "the analysis did not finish")

    def _finished(self, _: asyncio.Task[None]) -> None:
        self.slots.release()


def _log_failure(task: asyncio.Task[None]) -> None:
    """Log the failure of work whose request was already answered with 503."""
    if not task.cancelled() and task.exception() is not None:
        log.error("an analysis answered late failed", exc_info=task.exception())


_RETRY = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}

EXPENSIVE_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        **documented(
            "Expensive requests without an API key from this address come faster than "
            "SOLGRAPH_ANONYMOUS_RATE a minute; retry after Retry-After seconds."
        ),
        "headers": _RETRY,
    },
    503: {
        **documented(
            "The store is unavailable, every analysis slot is taken, or the answer is not "
            "ready within SOLGRAPH_ANALYSIS_SECONDS; retry after Retry-After seconds."
        ),
        "headers": _RETRY,
    },
}
"""The further answers of an expensive route, for OpenAPI clients."""


def install(app: FastAPI, settings: Settings) -> None:
    """Apply fair use to ``app``'s expensive requests."""
    app.add_middleware(FairUse, settings=settings)
