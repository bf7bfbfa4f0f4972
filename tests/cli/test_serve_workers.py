"""``solgraph serve --workers N``: each worker listens on the port, so connections spread.

Each test runs the real console script on a free port. Which worker holds a connection is read
from Linux's own tables (``/proc/net/tcp`` and each process's open sockets), not from the app.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from app.api.workers import STARTUP_FAILURE
from tests.cli.test_cli import SOLGRAPH, free_port
from tests.cli.test_cli import serving as cli_serving

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT spreads on Linux")

CONNECTIONS = 24
"""Connections opened at once: all on one of two workers by chance has odds of 2 in 2**24."""


def _descendants(pid: int) -> list[int]:
    """Every process under ``pid`` (none if it has just ended)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [c for child in map(int, children) for c in (child, *_descendants(child))]


def _sockets(pid: int) -> set[str]:
    """The inodes of the sockets process ``pid`` holds open."""
    found: set[str] = set()
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:
        return found
    for fd in fds:
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:[") : -1])
    return found


def _established_by_worker(server: int, port: int) -> Counter[int]:
    """How many established connections to ``port`` each process under ``server`` holds."""
    owner = {inode: pid for pid in _descendants(server) for inode in _sockets(pid)}
    held: Counter[int] = Counter()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "01" and int(local.split(":")[1], 16) == port and inode in owner:
            held[owner[inode]] += 1
    return held


def _server_pid(port: int) -> int:
    """The ``solgraph serve`` process listening on ``port`` (the workers' parent)."""
    out = subprocess.run(["pgrep", "-f", f"solgraph serve --port {port}"], capture_output=True)
    [pid] = out.stdout.split()
    return int(pid)


def test_connections_opened_at_once_spread_over_both_workers(tmp_path: Path) -> None:
    env = {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(tmp_path / "data")}
    with cli_serving(env, "--workers", "2") as base:
        port = int(base.rsplit(":", 1)[1])
        _await_listening(_server_pid(port), port, 2)
        conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
        try:
            for conn in conns:
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for conn in conns:
                assert conn.recv(4096).startswith(b"HTTP/1.1 200")
            held = _established_by_worker(_server_pid(port), port)
        finally:
            for conn in conns:
                conn.close()
    assert sum(held.values()) == CONNECTIONS
    assert len(held) == 2, f"every connection on one worker: {held}"


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    env = {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(tmp_path / "data")}
    with cli_serving(env, "--workers", "2") as base:
        port = int(base.rsplit(":", 1)[1])
        server = _server_pid(port)
        victim = min(_await_listening(server, port, 2))
        os.kill(victim, signal.SIGKILL)
        now = _await_listening(server, port, 2, without=victim)
        assert victim not in now
        assert httpx.get(f"{base}/healthz").status_code == 200


def _await_listening(server: int, port: int, count: int, without: int = 0) -> set[int]:
    """The processes under ``server`` listening on ``port``, once there are ``count`` of them
    and ``without`` is not one (within 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        found = {p for p in _descendants(server) if p != without and _listens(p, port)}
        if len(found) == count and without not in found:
            return found
        assert time.monotonic() < deadline, f"{len(found)} of {count} workers listen"
        time.sleep(0.1)


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds a socket listening on ``port``."""
    inodes = _sockets(pid)
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port and fields[9] in inodes:
            return True
    return False


def test_a_busy_port_stops_the_server_at_once_saying_so(tmp_path: Path) -> None:
    port = free_port()
    env = {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(tmp_path / "data")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        done = subprocess.run(
            [SOLGRAPH, "serve", "--port", str(port), "--workers", "2"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == STARTUP_FAILURE
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Address already in use" in done.stderr
