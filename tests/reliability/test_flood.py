"""A flood of anonymous what-ifs must not starve single-record reads (issue 17, point 2).

A real ``solgraph serve`` holds a synthetic ecosystem. Concurrent anonymous clients each ask,
again and again, what breaks if five of its hubs (the organisations with the most ties)
withdrew, a different five every time so that no answer comes from a cache, while another
client reads single organisations by random id. The anonymous rate limit is raised far out of
the way, so the what-ifs reach the heavy pool and the test is of that pool's isolation: the
reads keep a p95 under a second, and every what-if is answered 200, or 429 / 503 with
``Retry-After``. The reads' percentiles and the what-ifs' answers are recorded as figures.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from statistics import quantiles

import httpx
import pytest

from tests.reliability.profile import count, figure, scaled
from tests.reliability.server import Ecosystem, Server, prepare, synthetic

pytestmark = pytest.mark.serial  # timed: run alone, not beside other tests

ORGANIZATIONS = scaled(1_000, 5_000)
FLOODERS = scaled(5, 20)
"""Clients sending what-ifs at once."""
READ_SECONDS = scaled(8, 30)
QUIET_SECONDS = scaled(3, 10)
"""Reads before the flood, for the figure they are compared with."""
REMOVED = 5
HUBS = 20
"""What-ifs remove five of this many hubs: C(20, 5) = 15,504 different sets."""
P95_LIMIT = 1.0
READ_TIMEOUT = 60.0
WHAT_IF_TIMEOUT = scaled(60, 180)
"""A what-if unanswered by then counts as a failure: the server must answer or refuse."""
REFUSED_PAUSE = 1.0
"""A refused flooder asks again after this long, sooner than ``Retry-After`` says."""
UNLIMITED = "100000"


@dataclass
class Reads:
    """Latencies of the successful reads, and what went wrong with the others."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


@dataclass
class Flood:
    """The what-ifs' answers: how many of each status, and what was wrong with any."""

    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: str, failure: str | None = None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if failure is not None:
                self.failures.append(failure)


def removal_sets(hubs: list[str], seed: int) -> Iterator[list[str]]:
    """Every set of ``REMOVED`` hubs once, in a seeded random order."""
    sets = [list(chosen) for chosen in combinations(hubs, REMOVED)]
    random.Random(seed).shuffle(sets)
    return iter(sets)


def flooder(
    base: str, sets: Iterator[list[str]], lock: threading.Lock, flood: Flood, stop: threading.Event
) -> None:
    """Send anonymous what-ifs until ``stop``; pause briefly after each refusal."""
    with httpx.Client(base_url=base, timeout=WHAT_IF_TIMEOUT) as client:
        while not stop.is_set():
            with lock:
                remove = next(sets, None)
            if remove is None:
                flood.record("no request", "every set of hubs was sent; raise HUBS")
                return
            try:
                answer = client.post("/api/analysis/what-if", json={"remove": remove})
            except httpx.TransportError as error:
                flood.record("no answer", f"what-if {remove}: {error!r}")
                continue
            status = answer.status_code
            if status == 200:
                flood.record("200")
            elif status in (429, 503) and answer.headers.get("Retry-After", "").isdigit():
                flood.record(str(status))
                stop.wait(REFUSED_PAUSE)
            else:
                flood.record(str(status), f"what-if {remove}: {status} {answer.text[:200]}")


def read_for(base: str, ids: tuple[str, ...], seconds: float, seed: int) -> Reads:
    """Read random organisations one after another for ``seconds``, timing each."""
    reads, rng = Reads(), random.Random(seed)
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=READ_TIMEOUT) as client:
        while time.monotonic() < deadline:
            organization = rng.choice(ids)
            started = time.perf_counter()
            try:
                answer = client.get(f"/api/organizations/{organization}")
            except httpx.TransportError as error:
                reads.failures.append(f"GET {organization}: {error!r}")
                continue
            if answer.status_code == 200 and answer.json()["id"] == organization:
                reads.seconds.append(time.perf_counter() - started)
            else:
                reads.failures.append(f"GET {organization}: {answer.status_code}")
    return reads


def percentiles(seconds: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of at least two latencies."""
    cuts = quantiles(seconds, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def milliseconds(values: tuple[float, ...]) -> str:
    return " / ".join(f"{v * 1000:,.0f}" for v in values) + " ms"


@pytest.fixture(scope="module")
def ecosystem(tmp_path_factory: pytest.TempPathFactory) -> Ecosystem:
    return synthetic(ORGANIZATIONS, tmp_path_factory.mktemp("flood-ecosystem"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, ecosystem: Ecosystem) -> Iterator[Server]:
    """The ecosystem served with the anonymous rate limit out of the way."""
    data_dir: Path = tmp_path_factory.mktemp("flood") / "data"
    prepare(data_dir, ecosystem, keys={})
    limits = {"SOLGRAPH_ANONYMOUS_RATE": UNLIMITED, "SOLGRAPH_ANONYMOUS_BURST": UNLIMITED}
    with Server(data_dir, limits) as served:
        yield served


@pytest.mark.timeout(scaled(300, 1200))
def test_reads_stay_fast_under_a_flood_of_anonymous_what_ifs(
    server: Server, ecosystem: Ecosystem
) -> None:
    quiet = read_for(server.base, ecosystem.organizations, QUIET_SECONDS, seed=1)
    flood, stop, lock = Flood(), threading.Event(), threading.Lock()
    sets = removal_sets(ecosystem.hubs(HUBS), seed=2)
    threads = [
        threading.Thread(target=flooder, args=(server.base, sets, lock, flood, stop))
        for _ in range(FLOODERS)
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)  # every flooder has a what-if in flight
        loaded = read_for(server.base, ecosystem.organizations, READ_SECONDS, seed=3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=WHAT_IF_TIMEOUT + 10)
    stuck = sum(thread.is_alive() for thread in threads)
    count("load requests", len(quiet.seconds) + len(loaded.seconds) + flood.statuses.total())

    setup = (
        f"{FLOODERS} concurrent anonymous what-ifs, each removing {REMOVED} hubs, on "
        f"{ORGANIZATIONS:,} organisations; one client reading organisations for {READ_SECONDS} s"
    )
    figure("flood: setup", setup)
    assert len(quiet.seconds) >= 2 and len(loaded.seconds) >= 2, "too few reads to measure"
    during = percentiles(loaded.seconds)
    figure("flood: reads alone, p50 / p95 / p99", milliseconds(percentiles(quiet.seconds)))
    figure("flood: reads during the flood, p50 / p95 / p99", milliseconds(during))
    figure("flood: reads timed during the flood", f"{len(loaded.seconds):,}")
    answers = ", ".join(f"{s}: {n:,}" for s, n in sorted(flood.statuses.items()))
    figure("flood: what-if answers", answers)

    assert not quiet.failures and not loaded.failures, (quiet.failures + loaded.failures)[:5]
    assert not flood.failures, flood.failures[:5]
    assert stuck == 0, f"{stuck} what-ifs still unanswered after {WHAT_IF_TIMEOUT} s"
    assert flood.statuses["200"] > 0, "every what-if was refused, so none loaded the server"
    assert during[1] < P95_LIMIT, (
        f"reads during the flood: p95 {during[1]:.2f} s, over {P95_LIMIT} s ({answers})"
    )
