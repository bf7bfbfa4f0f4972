"""Worker processes that each listen on the port themselves, so the kernel spreads connections.

uvicorn's own ``--workers`` shares one listening socket: every worker is woken for each new
connection and the first to wake accepts all that are waiting, so a client that opens its
keep-alive connections at once (a load balancer, a browser, wrk) often lands on one worker
while the other idles. Here each worker binds its own socket with ``SO_REUSEPORT`` (Linux
3.9+), and the kernel hands each new connection to one of them by a hash of its
addresses (see socket(7)). The parent only supervises: a worker that dies is started again,
unless it exited by itself, with an error, before it served (a bad setting or a store it
cannot open, which would only fail again): that stops them all, with its exit code. A worker
killed by a signal, even while starting, is replaced.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event

import uvicorn

log = logging.getLogger("uvicorn.error")

STARTUP_FAILURE = 3
"""The exit code when serving could not start (uvicorn's own)."""

STOP_SECONDS = 30
"""How long workers get to finish their requests once asked to stop, before they are killed."""


def balanced() -> bool:
    """Whether the kernel spreads connections among sockets listening on one port: Linux's
    ``SO_REUSEPORT`` does; macOS's lets them bind but gives every connection to one."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT``, not yet listening."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def _serve(config: Callable[[], uvicorn.Config], host: str, port: int, served: Event) -> None:
    """One worker: its own socket on the shared port, until it is stopped; ``served`` is set
    once it accepts connections."""
    server = uvicorn.Server(config())

    def report() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            served.set()

    threading.Thread(target=report, daemon=True).start()
    server.run(sockets=[listening_socket(host, port)])


class Workers:
    """``count`` worker processes serving ``config()`` on ``host:port``, supervised."""

    def __init__(
        self, config: Callable[[], uvicorn.Config], host: str, port: int, count: int
    ) -> None:
        self._spawn = multiprocessing.get_context("spawn")
        self._args = (config, host, port)
        self._count = count
        self._stop = threading.Event()
        self._running: list[tuple[SpawnProcess, Event]] = []

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; the exit code (0, or a worker's that failed to start).

        The parent binds the port first (a busy port fails here, once, clearly; port 0 gets
        its number) and holds it, never listening, so the workers can rebind it."""
        config, host, port = self._args
        config()  # making a config sets up uvicorn's logging, for this process's messages
        try:
            held = listening_socket(host, port)
        except OSError as exc:
            log.error("Cannot listen on %s:%s: %s", host, port, exc)
            return STARTUP_FAILURE
        self._args = (config, host, held.getsockname()[1])
        shown = f"[{host}]" if ":" in host else host
        log.info("Serving on http://%s:%s with %s workers.", shown, self._args[2], self._count)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: self._stop.set())
        with held:
            return self._supervise()

    def _supervise(self) -> int:
        """Keep ``count`` workers running until stopped, then stop them."""
        self._running = [self._start() for _ in range(self._count)]
        code = 0
        while not self._stop.wait(0.5):
            for i, (process, served) in enumerate(self._running):
                if process.is_alive():
                    continue
                if not served.is_set() and (process.exitcode or 0) > 0:
                    log.error("A worker could not start (exit code %s).", process.exitcode)
                    code = process.exitcode or 1
                    self._stop.set()
                    break
                log.warning("Worker %s stopped; starting another.", process.pid)
                self._running[i] = self._start()
        self._shut_down()
        return code

    def _start(self) -> tuple[SpawnProcess, Event]:
        served = self._spawn.Event()
        process = self._spawn.Process(target=_serve, args=(*self._args, served))
        process.start()
        log.info("Started worker %s.", process.pid)
        return process, served

    def _shut_down(self) -> None:
        """Ask every worker to finish (SIGTERM), then kill those still running after
        ``STOP_SECONDS``."""
        for process, _ in self._running:
            if process.is_alive():
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for process, _ in self._running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                log.warning("Worker %s is still running; killing it.", process.pid)
                process.kill()
                process.join()
