"""A real ``solgraph serve`` process on a synthetic ecosystem, for the soak and flood tests.

The load tests measure the server as it is deployed: the console script in its own process
(uvicorn, the embedded store in a fresh data folder), loaded with ``solgraph bench generate``
and ``solgraph load``, its keys made with ``solgraph keys create`` before it starts. Its
memory is read from ``/proc`` (the serving process and any children it starts).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

SOLGRAPH = str(Path(sys.executable).with_name("solgraph"))
START_SECONDS = 120
"""How long the server may take to answer ``/healthz`` after it is started."""


def solgraph(*arguments: str, env: Mapping[str, str]) -> str:
    """Run the console script with ``env`` added to ours; its output, or fail with its errors."""
    done = subprocess.run(
        [SOLGRAPH, *arguments],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"solgraph {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Ecosystem:
    """A synthetic ecosystem file, with what the load tests pick from it."""

    path: Path
    organizations: tuple[str, ...]
    """Every organisation id, in file order."""
    ties: Counter[str]
    """How many relationships each organisation takes part in."""
    names: tuple[str, ...]

    def hubs(self, n: int) -> list[str]:
        """The ``n`` organisations with the most ties (ids break ties in the count)."""
        return sorted(self.ties, key=lambda i: (-self.ties[i], i))[:n]


def synthetic(organizations: int, folder: Path) -> Ecosystem:
    """Write a seeded synthetic ecosystem of ``organizations`` into ``folder`` and read it."""
    path = folder / f"synthetic-{organizations}.json"
    solgraph("bench", "generate", "--orgs", str(organizations), "-o", str(path), env={})
    document = json.loads(path.read_text(encoding="utf-8"))
    ties: Counter[str] = Counter()
    for relationship in document["relationships"]:
        ties.update((relationship["source"], relationship["target"]))
    return Ecosystem(
        path=path,
        organizations=tuple(o["id"] for o in document["organizations"]),
        ties=ties,
        names=tuple(o["name"] for o in document["organizations"]),
    )


def store_env(data_dir: Path) -> dict[str, str]:
    """The environment of a command on the embedded store in ``data_dir``."""
    return {"SOLGRAPH_STORE": "memory", "SOLGRAPH_DATA_DIR": str(data_dir)}


def prepare(data_dir: Path, ecosystem: Ecosystem, keys: Mapping[str, str]) -> dict[str, str]:
    """Load ``ecosystem`` into a new embedded store and make one key per name -> role;
    return each key's token by name."""
    env = store_env(data_dir)
    solgraph("load", str(ecosystem.path), env=env)
    return {
        name: solgraph("keys", "create", "--name", name, "--role", role, env=env).strip()
        for name, role in keys.items()
    }


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return None
    # The command name, in brackets, may hold spaces; the parent is the second field after it.
    return int(stat.rsplit(")", 1)[1].split()[1])


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parent = _parent(int(entry.name))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def _rss(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


BIND_TRIES = 3
"""Ports to try: one chosen free may be taken by another test's server before ours binds it."""


class Server:
    """``solgraph serve`` on a free port of 127.0.0.1 over the store in ``data_dir``, with the
    ``settings`` (``SOLGRAPH_*`` variables) given; a context manager, ready on entry."""

    def __init__(self, data_dir: Path, settings: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**store_env(data_dir), **(settings or {})}
        self.log = data_dir.parent / f"serve-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process id of ``solgraph serve``."""
        assert self._process is not None, "the server is not running"
        return self._process.pid

    def rss_bytes(self) -> int:
        """Resident memory of the server and of every process it started, in bytes."""
        return sum(_rss(pid) for pid in process_tree(self.pid))

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server wrote, for failure messages."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> Server:
        for _ in range(BIND_TRIES):
            if self._started():
                return self
            self.port = free_port()  # taken before the server bound it: another one
            self.base = f"http://127.0.0.1:{self.port}"
        raise RuntimeError(f"solgraph serve found no free port in {BIND_TRIES} tries")

    def _started(self) -> bool:
        """Start the server and wait until it is healthy; ``False`` if its port was taken."""
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [SOLGRAPH, "serve", "--port", str(self.port)],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + START_SECONDS
        while not self._healthy():
            if self._process.poll() is not None:
                if "address already in use" in self.log_tail().lower():
                    return False
                raise RuntimeError(f"solgraph serve exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"solgraph serve not ready in {START_SECONDS} s")
            time.sleep(0.2)
        return True

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=30)
