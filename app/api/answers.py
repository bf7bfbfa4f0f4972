"""Read answers serialised once per graph version, then sent as bytes with their ETag.

A read such as ``GET /api/organizations/{id}`` costs far more to build (store read, model
validation, JSON) than to send; the same answer is asked for again and again while the graph
does not change. :class:`Answers` keeps the serialised bodies of the latest graph version
(any write, by any process, gives a new version and empties it), so a repeated read costs a
version check and a lookup. :meth:`Answers.reply` sends a kept answer, or ``304 Not Modified``
when the request's ``If-None-Match`` already names its tag (RFC 9110, sections 8.8.3 and
13.1.2), and remembers which request target it answered, so that ``app.api.fast_lane`` can
send it again before the framework parses anything.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Event, Lock

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api.fair_use import is_expensive
from app.store.protocol import GraphStore

CAPACITY = 4096
"""Answers kept per graph version; the least recently used go first."""

_TAGS = re.compile(r'(?:W/)?"[^"]*"')

Target = tuple[str, bytes]
"""A request's path and raw query string: the same pair always parses to the same question."""


@dataclass(frozen=True)
class Answer:
    """A serialised JSON answer and the strong entity tag that validates it (quoted)."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, model: BaseModel, etag: str | None = None) -> Answer:
        """``model`` as JSON; tagged ``etag`` (a record's tag, unquoted) or by its bytes."""
        body = model.model_dump_json().encode("utf-8")
        return cls(body, f'"{etag or hashlib.sha256(body).hexdigest()[:32]}"')


class Answers:
    """Answers of one store, kept while its graph version stays the same; thread-safe."""

    def __init__(self, store: GraphStore, capacity: int = CAPACITY) -> None:
        self._store = store
        self._capacity = capacity
        self._lock = Lock()
        self._version = -1
        self._kept: OrderedDict[Hashable, Answer] = OrderedDict()
        self._asked: OrderedDict[Target, tuple[Hashable, bool]] = OrderedDict()
        self._flights: dict[tuple[int, Hashable], _Flight] = {}

    async def reply(
        self,
        request: Request,
        key: Hashable,
        render: Callable[[], Answer],
        conditional: bool = True,
    ) -> Response:
        """The answer under ``key`` sent as :func:`respond` sends it.

        The request's target is remembered as asking for ``key`` (unless the request is
        expensive, whose fair use is counted on every call), for :meth:`recall`: so ``key``
        must follow from nothing but the path and query string, never from headers or from
        who asks. A target always asks the same question, so this never goes stale.
        """
        answer = await self.answer(key, render)
        scope = request.scope
        path, query = scope["path"], scope.get("query_string", b"")
        if scope["method"] == "GET" and not is_expensive("GET", path, query):
            with self._lock:
                self._asked[(path, query)] = (key, conditional)
                self._asked.move_to_end((path, query))
                while len(self._asked) > self._capacity:
                    self._asked.popitem(last=False)
        return respond(request, answer, conditional)

    def recall(self, target: Target) -> tuple[Answer, bool] | None:
        """The answer kept for the question ``target`` asked before, and whether it may be
        answered ``304``, if the store confirms its version without waiting; else ``None``."""
        version = self._store.version_nowait()
        if version is None:
            return None
        with self._lock:
            asked = self._asked.get(target)
            if asked is None or version != self._version:
                return None
            kept = self._kept.get(asked[0])
        return None if kept is None else (kept, asked[1])

    async def answer(self, key: Hashable, render: Callable[[], Answer]) -> Answer:
        """:meth:`get` for the event loop: a kept answer whose version the store can confirm
        without waiting is returned at once; anything else goes to a worker thread."""
        version = self._store.version_nowait()
        if version is not None:
            with self._lock:
                kept = self._kept.get(key) if version == self._version else None
            if kept is not None:
                return kept
        return await run_in_threadpool(self.get, key, render)

    def get(self, key: Hashable, render: Callable[[], Answer]) -> Answer:
        """The answer under ``key`` at the store's current version, rendered if not kept.

        Blocking (it asks the store its version): call it from a worker thread. Concurrent
        requests for one answer render it once: the others wait for it (and render it
        themselves only if that fails). An answer rendered while a write lands may be newer
        than the version read before it, never older, so a kept answer is never staler than
        the version it is kept under.
        """
        version = self._store.version()
        with self._lock:
            if version != self._version:
                self._kept.clear()
                self._version = version
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
            flight = self._flights.get((version, key))
            leading = flight is None
            if flight is None:
                flight = self._flights[(version, key)] = _Flight()
        if not leading:
            flight.done.wait()
            return flight.answer or render()
        try:
            flight.answer = render()
        finally:
            flight.done.set()
            with self._lock:
                del self._flights[(version, key)]
                if flight.answer is not None and version == self._version:
                    self._kept[key] = flight.answer
                    while len(self._kept) > self._capacity:
                        self._kept.popitem(last=False)
        return flight.answer


class _Flight:
    """One answer being rendered, which other requests for it wait for."""

    def __init__(self) -> None:
        self.done = Event()
        self.answer: Answer | None = None


def tag_matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` value names ``etag`` or is ``*`` (weak comparison, as
    RFC 9110 requires for this header)."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return any(tag.removeprefix("W/") == etag for tag in _TAGS.findall(header))


def respond(request: Request, answer: Answer, conditional: bool = True) -> Response:
    """The answer as ``application/json`` with its ``ETag``; ``304`` with no body when
    ``conditional`` and the client already holds it."""
    headers = {"ETag": answer.etag}
    if conditional and tag_matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)
