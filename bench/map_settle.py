"""Map servers for ``maps_bench.py``: one synthetic ecosystem per size, each in its own data
folder and served by the app under uvicorn in a process of its own.

Maps no longer settle in the browser (positions come from the server and physics is off), so
this module only prepares and serves ecosystems; it keeps its name for history. The served
app is ``app.api.main.create_app`` as shipped, plus one route, ``/bench/snapshot``, that
builds the graph snapshot a running server would already hold. ``serve`` calls it and loads the
page's static files once, so that a benchmark's first map request pays for the map (layout
included), not for reading the store or for the first asset request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_bench import BENCH, HOST, ROOT, free_port, synthetic_document

from app.analysis.snapshot import SnapshotCache
from app.api.main import create_app
from app.store.memory import MemoryStore

SNAPSHOT = "/bench/snapshot"
FACTORY = "map_settle:bench_app"
STATIC = ("vis-network.min.js", "vis-network.min.css", "map.js", "map.css")
"""What a map page loads from ``/static/``."""


@dataclass(frozen=True)
class Prepared:
    """A synthetic ecosystem written to ``folder``: its size and what made it."""

    folder: Path
    size: int
    relationships: int
    made_by: str
    seconds: float


def prepare(parent: Path, size: int, seed: int = 204, name: str | None = None) -> Prepared:
    """Write ``size`` synthetic organisations to a folder of their own under ``parent``,
    named ``name`` (else after the size)."""
    started = time.perf_counter()
    document, made_by = synthetic_document(size, seed)
    folder = parent / (name or f"orgs-{size}")
    store = MemoryStore(folder)
    store.load(document)
    store.close()
    return Prepared(
        folder, size, len(document.relationships), made_by, time.perf_counter() - started
    )


def bench_app() -> FastAPI:
    """The app as shipped (settings from ``SOLGRAPH_*``), plus ``GET /bench/snapshot``."""
    app = create_app()

    @app.get(SNAPSHOT, include_in_schema=False)
    def snapshot(request: Request) -> dict[str, int]:
        snapshots: SnapshotCache = request.app.state.snapshots
        built = snapshots.get(None)
        snapshots.document()
        return {"version": built.version, "organizations": len(built.organizations)}

    return app


@dataclass(frozen=True)
class Server:
    """A running map server: its base URL, and how long its first static request took."""

    base: str
    first_static: float
    """Seconds of the first ``/static/`` GET on the fresh process (it loads the assets,
    importing pyvis for vis-network's files)."""


def _get(url: str, timeout: float = 600) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        answer.read()
    return time.perf_counter() - started


@contextmanager
def serve(prepared: Prepared, cap: int | None = None) -> Iterator[Server]:
    """The app over ``prepared``'s store in a fresh uvicorn process (one worker), warmed as a
    server that has served before: its snapshot built and the map page's static files loaded
    once, but no map computed. ``cap`` sets ``SOLGRAPH_MAP_MAX_ORGANIZATIONS`` (else the
    default). The process is stopped on leaving, killed if it does not stop within 10 s (a
    request still computing a huge map would hold it). Unlike ``http_bench.uvicorn_server``
    it waits with plain sockets, so it also starts while Playwright's event loop runs."""
    env = {
        **os.environ,
        "SOLGRAPH_DATA_DIR": str(prepared.folder),
        "SOLGRAPH_STORE": "memory",
    }
    if cap is not None:
        env["SOLGRAPH_MAP_MAX_ORGANIZATIONS"] = str(cap)
    port = free_port()
    command = [
        *(sys.executable, "-m", "uvicorn", "--factory", FACTORY, "--host", HOST),
        *("--port", str(port), "--workers", "1", "--log-level", "warning"),
        *("--app-dir", str(BENCH)),
    ]
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    _get(base + "/healthz", timeout=5)
                    break
                except OSError as error:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(
                            f"the map server did not start:\n{log.read().decode()}"
                        ) from error
                    time.sleep(0.1)
            _get(base + SNAPSHOT)
            first = _get(f"{base}/static/{STATIC[0]}")
            for name in STATIC[1:]:
                _get(f"{base}/static/{name}")
            yield Server(base, first)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
