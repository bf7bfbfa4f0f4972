"""How ``solgraph serve`` runs the API: uvicorn, with read deadlines and a connection cap.

uvicorn closes idle keep-alive connections, but sets no deadline for a request's headers or
body, so a client sending a byte every few seconds holds a connection for ever; and its
``limit_concurrency`` answers plain text. :class:`GuardedH11Protocol` adds both, per server
process, from the settings ``header_timeout``, ``body_timeout`` and ``max_connections``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from functools import cache, partial
from http import HTTPStatus
from typing import Any

import h11
import uvicorn
from uvicorn._types import ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.api.problems import MEDIA_TYPE
from app.api.security import security_headers
from app.api.workers import Workers, balanced
from app.settings import Settings, load_settings

RETRY_AFTER = 5
"""Seconds a client turned away by the connection cap is asked to wait."""

KEEP_ALIVE = 20
"""Seconds an idle connection stays open. Longer than the 5 s that clients such as httpx keep
an idle connection for reuse, so that the client, not the server, closes it: when both wait
5 s, a request sent on a connection the server is closing is reset (seen in the soak)."""


@cache
def _settings() -> Settings:
    """The settings, read once per server process (each worker reads its own environment)."""
    return load_settings()


def _problem(status: int, detail: str, path: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers and body of a problem+json answer that closes the connection."""
    body = json.dumps(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": path,
        }
    ).encode()
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *security_headers("/", ()),
    ]
    return headers, body


async def _over_capacity(
    scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
) -> None:
    """The app a connection past the cap gets instead of the API: one 503, then close."""
    limit = _settings().max_connections
    detail = f"the server holds its maximum of {limit} connections; try again shortly"
    headers, body = _problem(503, detail, str(scope.get("path", "/")))
    retry = [(b"retry-after", str(RETRY_AFTER).encode())]
    await send({"type": "http.response.start", "status": 503, "headers": headers + retry})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and body, and a cap.

    A small subclass of a uvicorn internal (``H11Protocol``, passed as ``http=``; h11 always,
    so it does not matter whether httptools is installed). After every change it looks at
    h11's state of the client: while a request's headers are awaited (from the connection's
    opening, or from the first byte of a later request; an idle keep-alive connection is left
    to the keep-alive timeout, ``KEEP_ALIVE``) the connection must get them within
    ``header_timeout`` and is closed otherwise; while a body is awaited it must arrive within
    ``body_timeout``, or the request answers 408 if nothing was answered yet, and closes.
    A connection opened while the process already holds ``max_connections`` answers its
    request with 503 problem+json and ``Retry-After``, and closes.
    """

    _deadline: asyncio.TimerHandle | None = None
    _state: object = None
    _cycle: object = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > _settings().max_connections:
            self.logger.warning("Connection cap of %d reached.", _settings().max_connections)
            self.app = _over_capacity
        self._watch(bytes_came=False)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch(bytes_came=True)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch(bytes_came=False)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _watch(self, bytes_came: bool) -> None:
        """Start the deadline of the part of a request now awaited, unless it already runs."""
        state, cycle = self.conn.their_state, self.cycle
        if state is not self._state or cycle is not self._cycle:
            self._cancel()
            self._state, self._cycle = state, cycle
        if self._deadline is not None or self.transport.is_closing():
            return
        if state is h11.SEND_BODY:
            self._deadline = self.loop.call_later(_settings().body_timeout, self._body_late)
        elif state is h11.IDLE and (bytes_came or cycle is None):
            self._deadline = self.loop.call_later(_settings().header_timeout, self._headers_late)

    def _headers_late(self) -> None:
        self.logger.info("Closed a connection whose request headers came too slowly.")
        self.transport.close()

    def _body_late(self) -> None:
        cycle = self.cycle
        if not cycle.response_started:
            # Marked as gone first, so the app can no longer answer or read.
            cycle.disconnected = True
            cycle.message_event.set()
            detail = (
                f"the request body did not arrive within {_settings().body_timeout:g} seconds; "
                "send it faster, or in smaller parts"
            )
            headers, body = _problem(408, detail, self.scope["path"])
            response = h11.Response(
                status_code=408,
                headers=self.server_state.default_headers + headers,
                reason=HTTPStatus.REQUEST_TIMEOUT.phrase.encode(),
            )
            for event in (response, h11.Data(data=body), h11.EndOfMessage()):
                self.transport.write(self.conn.send(event) or b"")
        self.logger.info("Closed a connection whose request body came too slowly.")
        self.transport.close()


APP = "app.api.main:create_app"
OPTIONS: dict[str, Any] = {
    "factory": True,
    "http": GuardedH11Protocol,
    "timeout_keep_alive": KEEP_ALIVE,
}
"""How uvicorn serves :data:`APP`, whatever the address and the number of workers."""


def config(host: str, port: int) -> uvicorn.Config:
    """How one uvicorn process serves the API (making it also sets up uvicorn's logging)."""
    return uvicorn.Config(APP, host=host, port=port, **OPTIONS)


def run(host: str, port: int, workers: int) -> None:
    """Serve the API on ``host:port`` with ``workers`` processes until stopped; several
    workers each listen on the port themselves where the kernel spreads connections among
    them (:mod:`app.api.workers`), else share uvicorn's one socket."""
    if workers == 1:
        uvicorn.Server(config(host, port)).run()
    elif balanced():
        code = Workers(partial(config, host, port), host, port, workers).run()
        if code:
            sys.exit(code)
    else:
        uvicorn.run(APP, host=host, port=port, workers=workers, **OPTIONS)
