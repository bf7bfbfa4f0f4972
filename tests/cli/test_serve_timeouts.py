"""``solgraph serve`` cuts off clients that trickle a request, and caps its connections.

Each test runs the real console script as a process on a free port, with short deadlines set
through the ``SOLGRAPH_*`` settings, and talks to it over raw sockets.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.cli.test_cli import serving as cli_serving

pytestmark = pytest.mark.serial  # timed: run alone, not beside other tests

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 2.0
TRICKLE = 0.5
"""Seconds between two bytes of a slow client."""
SLACK = 1.5
"""Seconds past its deadline a slow connection may still be open."""


@contextmanager
def serving(tmp_path: Path, workers: int, **settings: str) -> Iterator[str]:
    """Run ``solgraph serve`` with these settings until the block ends; yield its base URL."""
    env = {
        "SOLGRAPH_STORE": "memory",
        "SOLGRAPH_DATA_DIR": str(tmp_path / "data"),
        **{f"SOLGRAPH_{name.upper()}": value for name, value in settings.items()},
    }
    with cli_serving(env, "--workers", str(workers)) as base:
        time.sleep(0.3)  # the readiness probes' own connections are gone before a test counts
        yield base


@dataclass
class Slow:
    """A client that sends one byte every ``TRICKLE`` seconds and never finishes."""

    sock: socket.socket
    byte: bytes
    since: float
    """When the part of the request that the deadline covers began."""
    closed: float | None = None
    received: bytes = b""


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=5)


def _trickle_headers(base: str) -> Slow:
    sock = _connect(base)
    since = time.monotonic()
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return Slow(sock, b"a", since)


def _trickle_body(base: str) -> Slow:
    sock = _connect(base)
    sock.sendall(
        b"POST /api/analysis/what-if HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    return Slow(sock, b" ", time.monotonic())


def _await_closes(slow: list[Slow], seconds: float) -> None:
    """Read what the server sends for ``seconds``, noting when it closes each connection."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        open_ = {s.sock: s for s in slow if s.closed is None}
        if not open_:
            return
        readable, _, _ = select.select(list(open_), [], [], left)
        for sock in readable:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            if data:
                open_[sock].received += data
            else:
                open_[sock].closed = time.monotonic()


def test_trickling_clients_are_cut_off_while_others_are_served(tmp_path: Path) -> None:
    """Five clients trickle headers and one a body; all are cut off at their deadline, and
    other clients get their answers all along, on two worker processes."""
    with serving(
        tmp_path, 2, header_timeout=str(HEADER_TIMEOUT), body_timeout=str(BODY_TIMEOUT)
    ) as base:
        slow = [_trickle_headers(base) for _ in range(5)] + [_trickle_body(base)]
        served: list[float] = []
        try:
            give_up = time.monotonic() + BODY_TIMEOUT + SLACK + TRICKLE
            while any(s.closed is None for s in slow) and time.monotonic() < give_up:
                for s in slow:
                    if s.closed is None:
                        try:
                            s.sock.send(s.byte)
                        except OSError:
                            s.closed = time.monotonic()
                for path in ("/healthz", "/api/organizations?limit=1"):
                    assert httpx.get(base + path, timeout=5).status_code == 200, path
                    served.append(time.monotonic())
                _await_closes(slow, TRICKLE)
        finally:
            for s in slow:
                s.sock.close()

    *headers, body = slow
    cuts = [s.closed for s in headers if s.closed is not None]
    assert len(cuts) == len(headers), "a client trickling headers was never cut off"
    for s, cut in zip(headers, cuts, strict=True):
        assert HEADER_TIMEOUT - 0.1 <= cut - s.since <= HEADER_TIMEOUT + SLACK
        assert s.received == b"", "a connection without headers gets no answer"
    assert body.closed is not None, "a client trickling a body was never cut off"
    assert BODY_TIMEOUT - 0.1 <= body.closed - body.since <= BODY_TIMEOUT + SLACK
    head, _, content = body.received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b"content-type: application/problem+json" in head.lower()
    assert json.loads(content)["status"] == 408
    first_cut = min(cuts)
    assert sum(t < first_cut for t in served) >= 2, "others were served while slow ones held on"
    assert sum(t > first_cut for t in served) >= 2, "others were served after the cut too"


def test_connections_past_the_cap_get_503_until_one_closes(tmp_path: Path) -> None:
    cap = 4
    with serving(tmp_path, 1, max_connections=str(cap)) as base:
        idle = [_connect(base) for _ in range(cap - 1)]
        try:
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
            idle.append(_connect(base))
            refused = httpx.get(f"{base}/healthz", timeout=5)
            assert refused.status_code == 503
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.headers["connection"] == "close"
            assert int(refused.headers["retry-after"]) > 0
            assert f"maximum of {cap} connections" in refused.json()["detail"]
        finally:
            for sock in idle:
                sock.close()
        time.sleep(0.3)
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
