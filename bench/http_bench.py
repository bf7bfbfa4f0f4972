"""Throughput and latency of the API under uvicorn, against a bare Starlette app in the same run.

    .venv/bin/python bench/http_bench.py [--organizations 2000] [--seconds 5] [--concurrency 8]

Two servers run in subprocesses, one uvicorn worker each, on free ports:
``app.api.main:create_app`` over an embedded store holding a synthetic ecosystem, and a bare
Starlette app (the baseline) answering the same bytes the app answered at the same paths.
wrk measures requests per second of small JSON reads (and of two workers against one); a
small asyncio load generator (HTTP/1.1 keep-alive, closed loop) measures the p95 latency of
``/enablers?depth=3``, and whether twenty concurrent slow calls finish within three times
one (with ``/healthz`` latency meanwhile). Prints each figure beside its baseline and writes
the ``http-<organisations>`` section of ``bench/RESULTS.md``; a measurement, never a
pass/fail test. ``--only`` picks groups: the gaps burst is impractical past about 20,000
organisations (one fresh call takes tens of seconds there).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import cycle
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "RESULTS.md"
HOST = "127.0.0.1"
PING = "/ping"
APP = "app.api.main:create_app"
SMALL = 20
SERVED = {
    "SOLGRAPH_STORE": "memory",
    "SOLGRAPH_ANONYMOUS_RATE": "1000000",
    "SOLGRAPH_ANONYMOUS_BURST": "1000000",
    "SOLGRAPH_HEAVY_QUEUE": "64",
}
"""The app's settings here: the embedded store, no per-address limit on expensive reads (all
the load comes from one address), and room for the twenty of a burst to wait for the one slot
of expensive work (the default queue of 8 refuses the rest with 503)."""
"""At most this many ties for an organisation whose detail counts as a small JSON read."""

sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import wrk  # noqa: E402

from app.analysis.traversal import enablers  # noqa: E402
from app.domain.models import Document, Organization  # noqa: E402
from app.domain.vocabulary import vocabulary  # noqa: E402
from app.store.memory import MemoryStore  # noqa: E402

BODIES = "SOLGRAPH_BENCH_BODIES"
"""Environment variable naming a JSON file of the app's answers for the baseline to repeat."""


async def _ping(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def baseline_app() -> Starlette:
    """The baseline: a bare Starlette app whose one route answers a tiny JSON object, plus, when
    ``SOLGRAPH_BENCH_BODIES`` names a file of them, a route per path answering exactly the
    bytes (and ETag) the app answered there: the same bytes, without the framework."""
    routes = [Route(PING, _ping)]
    if os.environ.get(BODIES):
        answers = json.loads(Path(os.environ[BODIES]).read_text("utf-8"))
        kept = {p: (a["body"].encode(), {"ETag": a["etag"]}) for p, a in answers.items()}

        async def repeat(request: Request) -> Response:
            query = request.url.query
            body, headers = kept[request.url.path + (f"?{query}" if query else "")]
            return Response(body, media_type="application/json", headers=headers)

        routes.append(Route("/{path:path}", repeat))
    return Starlette(routes=routes)


# --- shared with maps_bench.py --------------------------------------------------------------


def synthetic_document(size: int, seed: int = 204) -> tuple[Document, str]:
    """A synthetic ecosystem of ``size`` organisations and the module that made it:
    ``app.io.synthetic.document`` when it exists, else ``bench/synthetic.py``."""
    try:
        module = importlib.import_module("app.io.synthetic")
        make: Callable[[int, int], Document] = module.document
        return make(size, seed), "app.io.synthetic.document"
    except (ImportError, AttributeError):
        from synthetic import ecosystem

        return ecosystem(size, seed), "bench/synthetic.py ecosystem"


def machine() -> str:
    """Host name, CPU model and count, and Python version, on one line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def now() -> str:
    """The current UTC date and time, to the minute."""
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Row:
    """One line of a results table: a figure, its same-run baseline, and the target."""

    name: str
    figure: float
    baseline: float
    unit: str
    target: str
    met: bool | None
    """``None`` for a row that is information only, with no target."""

    @property
    def ratio(self) -> float:
        return self.figure / self.baseline if self.baseline else float("inf")

    def text(self) -> str:
        verdict = (
            ""
            if self.met is None
            else f" (target {self.target}: " + ("met)" if self.met else "MISSED)")
        )
        return (
            f"{self.name}: {self.figure:.4g} {self.unit}, baseline {self.baseline:.4g} "
            f"{self.unit}, {self.ratio:.2f}x{verdict}"
        )


MET = {True: "yes", False: "**no**", None: "n/a"}


def table(rows: Sequence[Row]) -> list[str]:
    """The rows as a markdown table: benchmark, figure, baseline, ratio, target, met?"""
    lines = [
        "| benchmark | figure | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.figure:.4g} {row.unit} | {row.baseline:.4g} {row.unit} "
            f"| {row.ratio:.2f}x | {row.target} | {MET[row.met]} |"
        )
    return lines


def write_section(name: str, lines: Sequence[str], path: Path = RESULTS) -> None:
    """Replace the text between ``<!-- name -->`` and ``<!-- /name -->`` in ``path`` (added at
    the end if absent); every other section is left as it is."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = "\n".join([start, *lines, end])
    text = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    if start in text and end in text[text.index(start) :]:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, "utf-8")


# --- servers --------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def uvicorn_server(
    target: str, env: dict[str, str], probe: str, workers: int = 1
) -> AbstractContextManager[int]:
    """``uvicorn --factory target`` with ``workers`` processes on a free port, until ``probe``
    answers."""
    options = ["--factory", target, "--workers", str(workers), "--log-level", "warning"]
    command = [sys.executable, "-m", "uvicorn", *options, "--app-dir", str(BENCH)]
    return serving(lambda port: [*command, "--host", HOST, "--port", str(port)], env, probe)


def solgraph_server(env: dict[str, str], workers: int) -> AbstractContextManager[int]:
    """``solgraph serve --workers N`` (as a person runs it) on a free port, until it answers."""
    solgraph = str(Path(sys.executable).with_name("solgraph"))
    options = ["serve", "--no-seed", "--workers", str(workers), "--host", HOST]
    return serving(lambda port: [solgraph, *options, "--port", str(port)], env, "/healthz")


@contextmanager
def serving(command: Callable[[int], list[str]], env: dict[str, str], probe: str) -> Iterator[int]:
    """Run ``command(port)`` on a free port until ``probe`` answers; stop it at the end."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command(port), cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log
        )
        try:
            deadline = time.monotonic() + 120
            while asyncio.run(_answers(port, probe)) != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{command(port)} did not start:\n{log.read().decode()}")
                time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


async def _answers(port: int, path: str) -> int:
    try:
        conn = await Connection.open(port)
    except OSError:
        return 0
    try:
        status, _ = await conn.get(path)
        return status
    finally:
        conn.close()


# --- load generator -------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs and reads whole responses."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port, limit=2**24)
        return cls(reader, writer)

    async def get(self, path: str) -> tuple[int, float]:
        """The status and seconds taken of one ``GET path``; the body is read and dropped."""
        started = time.perf_counter()
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            key, _, value = line.partition(b":")
            if key.strip().lower() == b"content-length":
                length = int(value)
            elif key.strip().lower() == b"transfer-encoding":
                raise RuntimeError(f"{path}: chunked responses are not supported here")
        await self.reader.readexactly(length)
        return status, time.perf_counter() - started

    def close(self) -> None:
        self.writer.close()


@dataclass
class Run:
    """What a closed-loop run saw: its duration and every request's latency and status."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def p95(self) -> float:
        return p95(self.latencies)


def p95(values: Sequence[float]) -> float:
    """The 95th percentile (the largest value of fewer than two)."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else max(values)


async def _closed_loop(
    port: int, paths: Sequence[str], concurrency: int, seconds: float, warmup: float
) -> Run:
    conns = [await Connection.open(port) for _ in range(concurrency)]
    run = Run()
    recording = False
    stop = time.perf_counter() + warmup + seconds

    async def worker(conn: Connection, offset: int) -> None:
        for path in cycle([*paths[offset:], *paths[:offset]]):
            if time.perf_counter() >= stop:
                return
            status, elapsed = await conn.get(path)
            if not recording:
                continue
            if status == 200:
                run.latencies.append(elapsed)
            else:
                run.errors += 1

    tasks = [asyncio.create_task(worker(c, i * 7 % len(paths))) for i, c in enumerate(conns)]
    await asyncio.sleep(warmup)
    recording = True
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    run.seconds = time.perf_counter() - started
    for conn in conns:
        conn.close()
    return run


def closed_loop(
    port: int, paths: Sequence[str], concurrency: int, seconds: float, warmup: float = 1.0
) -> Run:
    """``concurrency`` connections, each sending the next of ``paths`` as soon as the last
    answer arrives, for ``warmup`` then ``seconds`` (only the latter is recorded)."""
    return asyncio.run(_closed_loop(port, paths, concurrency, seconds, warmup))


@dataclass(frozen=True)
class Burst:
    """Wall time of ``size`` concurrent requests, and probe latencies on the side."""

    seconds: float
    probes: list[float]
    errors: int


async def _burst(port: int, path: str, size: int, probe: str | None) -> Burst:
    conns = [await Connection.open(port) for _ in range(size)]
    side = await Connection.open(port) if probe else None
    probes: list[float] = []
    done = asyncio.Event()

    async def probing() -> None:
        while side and probe and not done.is_set():
            probes.append((await side.get(probe))[1])
            await asyncio.sleep(0.005)

    prober = asyncio.create_task(probing())
    started = time.perf_counter()
    answers = await asyncio.gather(*(c.get(path) for c in conns))
    seconds = time.perf_counter() - started
    done.set()
    await prober
    for conn in [*conns, *([side] if side else [])]:
        conn.close()
    return Burst(seconds, probes, sum(status != 200 for status, _ in answers))


def burst(port: int, path: str, size: int, probe: str | None = None) -> Burst:
    """Send ``path`` on ``size`` connections at once and time until the last answer; with a
    ``probe`` path, also GET it again and again on one more connection meanwhile."""
    return asyncio.run(_burst(port, path, size, probe))


# --- the ecosystem --------------------------------------------------------------------------


@dataclass(frozen=True)
class Ecosystem:
    """A synthetic ecosystem written to a data folder, and the ids the benchmarks ask about."""

    folder: Path
    size: int
    made_by: str
    sample: list[str]
    small: list[str]
    hub: str
    hub_enablers: int
    renamed: Organization


def prepare(folder: Path, size: int, seed: int) -> Ecosystem:
    """Write ``size`` synthetic organisations to ``folder``; pick a sample and the hub with
    the most enablers within four ties."""
    started = time.perf_counter()
    document, made_by = synthetic_document(size, seed)
    store = MemoryStore(folder)
    store.load(document)
    enabling = vocabulary().enabling_types
    indegree: dict[str, int] = {}
    ties: dict[str, int] = {}
    for rel in document.relationships:
        ties[rel.source] = ties.get(rel.source, 0) + 1
        ties[rel.target] = ties.get(rel.target, 0) + 1
        if rel.type in enabling:
            indegree[rel.target] = indegree.get(rel.target, 0) + 1
    candidates = sorted(indegree, key=lambda i: (-indegree[i], i))[:20]
    reach = {i: len(enablers(store, i, 4)) for i in candidates}
    hub = max(candidates, key=lambda i: (reach[i], i))
    ids = sorted(o.id for o in document.organizations)
    sample = random.Random(seed).sample(ids, min(200, len(ids)))
    small = [i for i in sample if ties.get(i, 0) <= SMALL] or sample
    store.close()
    print(
        f"# {size} organisations, {len(document.relationships)} relationships ({made_by}), "
        f"written in {time.perf_counter() - started:.1f} s; hub {hub}: {reach[hub]} enablers "
        "within 4 ties"
    )
    first = document.organizations[0]
    return Ecosystem(folder, size, made_by, sample, small, hub, reach[hub], first)


# --- the benchmarks -------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return seconds * 1000


def capture(port: int, paths: Sequence[str], file: Path) -> None:
    """Write the app's answers (body and ETag) at ``paths`` to ``file`` for the baseline."""
    answers = {}
    for path in paths:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}") as reply:
            answers[path] = {"body": reply.read().decode(), "etag": reply.headers.get("ETag", "")}
    file.write_text(json.dumps(answers), "utf-8")


def small_reads(eco: Ecosystem) -> dict[str, list[str]]:
    """The reads whose rate is compared with the same bytes from the baseline."""
    return {
        f"GET /api/organizations/{{id}} ({len(eco.small)} with ≤ {SMALL} ties)": [
            f"/api/organizations/{i}" for i in eco.small
        ],
        "GET /api/organizations?limit=20&offset=k (lists, 10 pages)": [
            f"/api/organizations?limit=20&offset={20 * k}" for k in range(10)
        ],
        "GET /healthz": ["/healthz"],
    }


def throughput(base: int, app: int, eco: Ecosystem, args: argparse.Namespace) -> list[Row]:
    """Requests per second of small JSON reads by wrk, against the baseline answering the same
    bytes at the same paths, same connections, in turns; medians of ``--repeat``."""
    rows = []
    for name, paths in small_reads(eco).items():
        mine: list[float] = []
        theirs: list[float] = []
        for _ in range(args.repeat):
            for port, rates in ((app, mine), (base, theirs)):
                run = wrk.rate(port, paths, args.concurrency, args.seconds)
                if run.errors:
                    raise RuntimeError(f"{name} on port {port}: {run.errors} requests failed")
                rates.append(run.requests_per_second)
        figure, baseline = statistics.median(mine), statistics.median(theirs)
        limit = 0.8 if "healthz" in name else 0.5
        rows.append(
            Row(
                f"req/s, {name}",
                figure,
                baseline,
                "req/s",
                f"≥ {limit}x",
                figure >= limit * baseline,
            )
        )
    return rows


def enablers_p95(base: int, app: int, eco: Ecosystem, args: argparse.Namespace) -> list[Row]:
    """p95 latency of ``enablers?depth=3`` against the baseline route at the same concurrency."""
    ping = closed_loop(base, [PING], args.concurrency, args.seconds)
    spread = closed_loop(
        app,
        [f"/api/organizations/{i}/enablers?depth=3" for i in eco.sample],
        args.concurrency,
        args.seconds,
    )
    hub = closed_loop(
        app, [f"/api/organizations/{eco.hub}/enablers?depth=3"], args.concurrency, args.seconds
    )
    base_p95 = _ms(ping.p95())
    rows = []
    for name, run in (("200 sampled organisations", spread), (f"hub {eco.hub}", hub)):
        if run.errors:
            raise RuntimeError(f"enablers {name}: {run.errors} requests failed")
        figure = _ms(run.p95())
        rows.append(
            Row(
                f"p95, enablers?depth=3 at c={args.concurrency}, {name}",
                figure,
                base_p95,
                "ms",
                "≤ baseline + 10 ms",
                figure <= base_p95 + 10,
            )
        )
    return rows


def slow_calls(app: int, eco: Ecosystem, args: argparse.Namespace, gaps: bool) -> list[Row]:
    """Twenty concurrent slow store-backed calls against one alone: enablers at depth 4 on the
    hub, or the gaps analysis, each time on a fresh graph version (written from this process,
    so nothing is kept from before; the server's graph is rebuilt by a cheap read first); and
    the latency of ``/healthz`` meanwhile, against idle."""
    if gaps:
        name, path = "/api/analysis/gaps, fresh version", "/api/analysis/gaps"
    else:
        name = f"enablers?depth=4 on hub {eco.hub}, fresh version"
        path = f"/api/organizations/{eco.hub}/enablers?depth=4&limit=1000"

    def before() -> None:
        bump(eco.folder, eco.renamed)
        asyncio.run(_answers(app, f"/api/relationships?limit=1&offset={time.time_ns() % 1000}"))

    quiet = closed_loop(app, ["/healthz"], 1, 1.0, warmup=0.2)
    alone = []
    for _ in range(args.repeat):
        before()
        alone.append(burst(app, path, 1).seconds)
    one = statistics.median(alone)
    before()
    many = burst(app, path, args.burst, probe="/healthz")
    if many.errors:
        raise RuntimeError(f"{name}: {many.errors} requests failed")
    return [
        Row(
            f"{args.burst} concurrent vs 1, {name}",
            many.seconds,
            one,
            "s",
            "≤ 3x",
            many.seconds <= 3 * one,
        ),
        Row(
            f"/healthz p95 during those {args.burst} ({len(many.probes)} probes) vs idle",
            _ms(p95(many.probes)),
            _ms(quiet.p95()),
            "ms",
            "(info)",
            None,
        ),
    ]


def workers(eco: Ecosystem, args: argparse.Namespace) -> list[Row]:
    """Requests per second of a CPU-bound read that is never kept (ego networks at depth 1
    of the sampled organisations) with two worker processes against one, by wrk."""
    env = {**SERVED, "SOLGRAPH_DATA_DIR": str(eco.folder)}
    paths = [f"/api/organizations/{i}/network?depth=1" for i in eco.sample]
    rates: dict[int, list[float]] = {1: [], 2: []}
    for count in rates:
        with solgraph_server(env, count) as port:
            for path in paths[: 2 * count]:
                asyncio.run(_answers(port, path))
            for _ in range(args.repeat):
                run = wrk.rate(port, paths, args.concurrency, args.seconds, warmup=2.0)
                if run.errors:
                    raise RuntimeError(f"{count} workers: {run.errors} requests failed")
                rates[count].append(run.requests_per_second)
    one, two = (statistics.median(rates[k]) for k in (1, 2))
    return [
        Row(
            "req/s, solgraph serve --workers 2 vs 1, GET /api/organizations/{id}/network?depth=1 "
            f"({len(paths)} organisations, never kept)",
            two,
            one,
            "req/s",
            "≥ 1.6x",
            two >= 1.6 * one,
        )
    ]


def bump(folder: Path, org: Organization) -> None:
    """A new graph version, written by another process as any writer would: one organisation
    renamed."""
    store = MemoryStore(folder)
    renamed = org.model_copy(update={"name": f"Organisation renamed {time.time_ns()}"})
    store.load(Document(organizations=[renamed]), actor="bench")
    store.close()


GROUPS = ("throughput", "workers", "latency", "burst-enablers", "burst-gaps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=204)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=",".join(GROUPS), help=f"of {', '.join(GROUPS)}")
    parser.add_argument(
        "--app", default=APP, help="the app factory to serve (module:function, on PYTHONPATH)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not touch bench/RESULTS.md")
    args = parser.parse_args()
    groups = args.only.split(",")
    if unknown := set(groups) - set(GROUPS):
        parser.error(f"unknown groups {sorted(unknown)}; valid: {', '.join(GROUPS)}")
    when = now()
    print(f"# HTTP benchmarks, {machine()}, {when}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        eco = prepare(Path(tmp), args.organizations, args.seed)
        env = {**SERVED, "SOLGRAPH_DATA_DIR": tmp}
        bodies = Path(tmp) / "bodies.json"
        with uvicorn_server(args.app, env, "/healthz") as app:
            capture(app, [p for paths in small_reads(eco).values() for p in paths], bodies)
            with uvicorn_server("http_bench:baseline_app", {BODIES: str(bodies)}, PING) as base:
                started = time.perf_counter()
                asyncio.run(_answers(app, f"/api/organizations/{eco.hub}"))
                took = time.perf_counter() - started
                print(f"# first read (graph built by the server): {took:.1f} s")
                runs: dict[str, Callable[[], list[Row]]] = {
                    "throughput": lambda: throughput(base, app, eco, args),
                    "workers": lambda: workers(eco, args),
                    "latency": lambda: enablers_p95(base, app, eco, args),
                    "burst-enablers": lambda: slow_calls(app, eco, args, gaps=False),
                    "burst-gaps": lambda: slow_calls(app, eco, args, gaps=True),
                }
                for group in groups:
                    for row in runs[group]():
                        print(row.text(), flush=True)
                        rows.append(row)
    if args.no_write:
        return
    command = " ".join(["bench/http_bench.py", *sys.argv[1:]])
    write_section(
        f"http-{args.organizations}",
        [
            f"## HTTP, {args.organizations} organisations (bench/http_bench.py)",
            "",
            f"{when}; {machine()}.",
            f"`.venv/bin/python {command}`: {eco.size} synthetic organisations ({eco.made_by}); "
            f"app `{args.app}` and a bare Starlette app answering the same bytes at the same "
            "paths (the baseline), each under one uvicorn worker in the same run, with "
            f"{', '.join(f'{k}={v}' for k, v in SERVED.items())}; requests/s by wrk "
            f"({args.concurrency} connections, {args.seconds:g} s after a warm-up, medians of "
            f"{args.repeat}, app and baseline in turns); latencies by a closed-loop asyncio "
            f"client; hub: {eco.hub} ({eco.hub_enablers} enablers within 4 ties). Load average "
            f"at the start: {os.getloadavg()[0]:.2f}.",
            "",
            *table(rows),
        ],
    )


if __name__ == "__main__":
    main()
