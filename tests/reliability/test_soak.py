"""A mixed soak at a fixed rate against a real server (issue 17, point 7).

``solgraph serve``, with its default limits, holds a synthetic ecosystem. Requests are sent
open loop: request *i* leaves at ``i / RATE`` seconds whether or not earlier ones have been
answered, and its latency is counted from then, so a server that falls behind shows it. The
mix has reads (organisations, their relationships and enablers, search), an editor's writes
(new organisations and ties, patches of both), small imports, analyses (gaps, brokers,
partnership typology, peers) and what-ifs; half the analyses and what-ifs carry a reader's
key, half none. It then holds that:

- the p99 of the requests sent in the last window is at most ``P99_FACTOR`` times that of the
  first window, plus ``P99_SLACK``;
- the server's memory grows by less than ``MEMORY_GROWTH`` from the end of the first window
  (the warm-up) to the end of the run;
- no answer is other than 2xx, 304, or the limits' 429 and 503 with ``Retry-After``;
- every write that was acknowledged is there afterwards, as acknowledged.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles
from typing import Any

import httpx
import pytest

from tests.reliability.profile import count, figure, scaled
from tests.reliability.server import Ecosystem, Server, prepare, synthetic

pytestmark = pytest.mark.serial  # timed: run alone, not beside other tests

ORGANIZATIONS = scaled(500, 5_000)
RATE = 10
"""Requests sent a second."""
SECONDS = scaled(24, 600)
WINDOW = scaled(8, 60)
"""The first and last windows whose p99 are compared; the first is also the warm-up."""
P99_FACTOR = 2.0
P99_SLACK = 0.05
MEMORY_GROWTH = 0.10
CLIENTS = 64
"""Requests in flight at most; far more than the rate needs while the server keeps up."""
TIMEOUT = scaled(30, 60)
"""A request unanswered (or still unsent) this long after it was due is an error: the
server's own time budget answers well before."""
REFUSALS = (429, 503)
"""The limits' answers: too fast for the rate limit, or no room for expensive work now."""
UNKNOWN = -1
"""The status of a request that got no answer."""

MIX: Mapping[str, int] = {
    "read organisation": 35,
    "read relationships": 12,
    "read enablers": 12,
    "search": 12,
    "create organisation": 3,
    "patch organisation": 3,
    "create relationship": 2,
    "patch relationship": 2,
    "import": 1,
    "gaps": 3,
    "brokers": 3,
    "typology": 3,
    "peers": 3,
    "what-if": 6,
}
"""Requests of each kind per hundred."""

Content = dict[str, Any] | None
"""What a record must hold afterwards (the fields given), or ``None``: it must not exist."""


@dataclass(frozen=True)
class Call:
    """A request to send, and what to do with its answer (``None`` when there was none)."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    settle: Callable[[httpx.Response | None], None] = lambda _: None


@dataclass(frozen=True)
class Outcome:
    """One request: its kind, when it was due (seconds into the run), its latency from then,
    its status (``UNKNOWN`` without an answer) and, when it broke a rule, why."""

    kind: str
    due: float
    seconds: float
    status: int
    problem: str | None


def acknowledged(answer: httpx.Response | None) -> bool:
    return answer is not None and answer.is_success


def refused(answer: httpx.Response | None) -> bool:
    """Whether a write was turned away before it could change anything."""
    return answer is not None and (answer.status_code == 429 or 400 <= answer.status_code < 500)


class Ledger:
    """What every record the soak wrote must hold afterwards, and which records are being
    written now (one write at a time per record, so "the last acknowledged" is well defined).

    After an acknowledged write a record must hold its answer; after a write refused before it
    ran, what it held before; after a write without an answer, either, and it is not written
    again.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.expected: dict[tuple[str, str], list[Content]] = {}
        self.pools: dict[str, list[str]] = {"union": [], "cooperative": [], "relationship": []}
        self.busy: set[str] = set()
        self.serial = 0
        self.acknowledged = 0
        """Records written with an acknowledgement (a record written twice counts twice)."""

    def new_id(self, prefix: str) -> str:
        """A fresh id, held busy until :meth:`settle` releases it."""
        with self.lock:
            self.serial += 1
            made = f"{prefix}-{self.serial:06d}"
            self.busy.add(made)
            return made

    def claim(self, pool: str, rng: random.Random) -> str | None:
        """An acknowledged record of ``pool`` that no write holds now, held busy; or None."""
        with self.lock:
            free = [i for i in self.pools[pool] if i not in self.busy]
            if not free:
                return None
            chosen = rng.choice(free)
            self.busy.add(chosen)
            return chosen

    def pick(self, pool: str, rng: random.Random) -> str | None:
        """An acknowledged record of ``pool``, to refer to; or None."""
        with self.lock:
            return rng.choice(self.pools[pool]) if self.pools[pool] else None

    def settle(
        self,
        answer: httpx.Response | None,
        records: Mapping[tuple[str, str], Content],
        pools: Mapping[str, str] | None = None,
    ) -> None:
        """Record the outcome of one write of ``records`` (kind and id -> what an
        acknowledgement means they hold); on acknowledgement add the ids of ``pools``
        (id -> pool) to their pools; release every id."""
        with self.lock:
            for key, content in records.items():
                before = self.expected.get(key, [None])
                if acknowledged(answer):
                    self.expected[key] = [content]
                    self.acknowledged += 1
                elif not refused(answer):
                    self.expected[key] = [*before, content]
                else:
                    self.expected[key] = before
                if answer is not None:
                    # Unanswered, the write may still be waiting in the server and land
                    # later: the record stays busy, so no later write can race with it.
                    self.busy.discard(key[1])
            if acknowledged(answer):
                for record_id, pool in (pools or {}).items():
                    self.pools[pool].append(record_id)


def holds(found: Mapping[str, Any] | None, content: Content) -> bool:
    """Whether a record read back (``None``: not found) has ``content``'s fields."""
    if content is None or found is None:
        return content is found
    return all(found.get(name) == value for name, value in content.items())


def answered(answer: httpx.Response | None) -> dict[str, Any]:
    """The JSON record an acknowledged write answered with (an empty dict otherwise)."""
    return dict(answer.json()) if acknowledged(answer) and answer is not None else {}


SOURCE = [{"citation": "Reliability soak", "locator": "tests/reliability/test_soak.py"}]


class Soak:
    """The requests of one soak, chosen with a seeded random generator per request."""

    def __init__(self, ecosystem: Ecosystem, tokens: Mapping[str, str]) -> None:
        self.ids = ecosystem.organizations
        self.words = sorted({name.split()[0] for name in ecosystem.names})
        self.editor = {"Authorization": f"Bearer {tokens['soak-editor']}"}
        self.reader = {"Authorization": f"Bearer {tokens['soak-reader']}"}
        self.ledger = Ledger()
        self.calls: dict[str, Callable[[random.Random], Call]] = {
            "read organisation": lambda rng: Call("GET", f"/api/organizations/{self.any(rng)}"),
            "read relationships": lambda rng: Call(
                "GET", f"/api/relationships?source={self.any(rng)}"
            ),
            "read enablers": lambda rng: Call(
                "GET", f"/api/organizations/{self.any(rng)}/enablers"
            ),
            "search": lambda rng: Call("GET", f"/api/organizations?q={rng.choice(self.words)}"),
            "create organisation": self.create_organisation,
            "patch organisation": self.patch_organisation,
            "create relationship": self.create_relationship,
            "patch relationship": self.patch_relationship,
            "import": self.import_file,
            "gaps": lambda rng: Call("GET", "/api/analysis/gaps", self.someone(rng)),
            "brokers": lambda rng: Call(
                "GET", f"/api/analysis/brokers?top={rng.randint(1, 50)}", self.someone(rng)
            ),
            "typology": lambda rng: Call("GET", "/api/partnerships", self.someone(rng)),
            "peers": lambda rng: Call(
                "GET", f"/api/organizations/{self.any(rng)}/peers", self.someone(rng)
            ),
            "what-if": lambda rng: Call(
                "POST",
                "/api/analysis/what-if",
                self.someone(rng),
                json={"remove": rng.sample(self.ids, rng.randint(1, 3))},
            ),
        }

    def any(self, rng: random.Random) -> str:
        return rng.choice(self.ids)

    def someone(self, rng: random.Random) -> Mapping[str, str]:
        """A reader's key, or none (an anonymous caller), at even odds."""
        return self.reader if rng.random() < 0.5 else {}

    def create_organisation(self, rng: random.Random) -> Call:
        kind = rng.choice(["union", "cooperative"])
        record_id = self.ledger.new_id(f"soak-{kind}")
        body = {
            "id": record_id,
            "name": f"Soak {kind} number {record_id[-6:]}",
            "type": "trade_union" if kind == "union" else "cooperative",
            "movement": "labour" if kind == "union" else "sse",
            "countries": ["KE"],
            "sources": SOURCE,
        }
        return Call(
            "POST",
            "/api/organizations",
            self.editor,
            json=body,
            settle=lambda answer: self.ledger.settle(
                answer, {("organization", record_id): answered(answer) or body}, {record_id: kind}
            ),
        )

    def patch_organisation(self, rng: random.Random) -> Call:
        record_id = self.ledger.claim(rng.choice(["union", "cooperative"]), rng)
        if record_id is None:
            return self.create_organisation(rng)
        fields = {"description": f"Patched by the soak, draw {rng.random():.12f}."}
        return Call(
            "PATCH",
            f"/api/organizations/{record_id}",
            self.editor,
            json=fields,
            settle=lambda answer: self.ledger.settle(
                answer, {("organization", record_id): answered(answer) or fields}
            ),
        )

    def create_relationship(self, rng: random.Random) -> Call:
        union = self.ledger.pick("union", rng)
        cooperative = self.ledger.pick("cooperative", rng)
        if union is None or cooperative is None:
            return self.create_organisation(rng)
        record_id = self.ledger.new_id("soak-tie")
        body = {
            "id": record_id,
            "type": "PARTNERS_WITH",
            "source": union,
            "target": cooperative,
            "sources": SOURCE,
        }
        return Call(
            "POST",
            "/api/relationships",
            self.editor,
            json=body,
            settle=lambda answer: self.ledger.settle(
                answer,
                {("relationship", record_id): answered(answer) or body},
                {record_id: "relationship"},
            ),
        )

    def patch_relationship(self, rng: random.Random) -> Call:
        record_id = self.ledger.claim("relationship", rng)
        if record_id is None:
            return self.create_relationship(rng)
        fields = {"since": rng.randint(1990, 2020)}
        return Call(
            "PATCH",
            f"/api/relationships/{record_id}",
            self.editor,
            json=fields,
            settle=lambda answer: self.ledger.settle(
                answer, {("relationship", record_id): answered(answer) or fields}
            ),
        )

    def import_file(self, rng: random.Random) -> Call:
        """A small interchange document: a union, a cooperative and their partnership."""
        union, cooperative = (
            self.ledger.new_id("soak-imported"),
            self.ledger.new_id("soak-imported"),
        )
        tie = self.ledger.new_id("soak-imported-tie")
        organizations = [
            {
                "id": union,
                "name": f"Imported union number {union[-6:]}",
                "type": "trade_union",
                "movement": "labour",
                "countries": ["UG"],
            },
            {
                "id": cooperative,
                "name": f"Imported cooperative number {cooperative[-6:]}",
                "type": "cooperative",
                "movement": "sse",
                "countries": ["UG"],
            },
        ]
        relationship = {"id": tie, "type": "PARTNERS_WITH", "source": union, "target": cooperative}
        document = {
            "organizations": [{**o, "sources": SOURCE} for o in organizations],
            "relationships": [{**relationship, "sources": SOURCE}],
        }
        records: dict[tuple[str, str], Content] = {
            ("organization", union): organizations[0],
            ("organization", cooperative): organizations[1],
            ("relationship", tie): relationship,
        }
        return Call(
            "POST",
            f"/api/import?filename=soak-{union[-6:]}.json",
            {**self.editor, "Content-Type": "application/json"},
            content=json.dumps(document).encode(),
            settle=lambda answer: self.ledger.settle(
                answer,
                records,
                {union: "union", cooperative: "cooperative", tie: "relationship"},
            ),
        )

    def send(self, client: httpx.Client, kind: str, index: int, start: float) -> Outcome:
        """Send request ``index`` of ``kind`` (due ``index / RATE`` seconds after ``start``) and
        judge its answer; one still unsent ``TIMEOUT`` seconds after it was due is dropped as
        failed, so a server that falls behind ends the run soon after its schedule."""
        due = index / RATE
        late = time.monotonic() - start - due
        if late > TIMEOUT:
            return Outcome(kind, due, late, UNKNOWN, f"{kind}: not sent, {late:.0f} s late")
        call = self.calls[kind](random.Random(f"soak {index}"))
        answer: httpx.Response | None = None
        problem: str | None = None
        try:
            answer = client.request(
                call.method, call.url, headers=call.headers, json=call.json, content=call.content
            )
        except httpx.HTTPError as error:
            problem = f"{kind} {call.method} {call.url}: no answer ({error!r})"
        seconds = time.monotonic() - start - due
        call.settle(answer)
        status = UNKNOWN if answer is None else answer.status_code
        if answer is not None and not (answer.is_success or status == 304):
            limited = status in REFUSALS and answer.headers.get("Retry-After", "").isdigit()
            if not limited:
                problem = f"{kind} {call.method} {call.url}: {status} {answer.text[:300]}"
        return Outcome(kind, due, seconds, status, problem)


def schedule(n: int, seed: int) -> list[str]:
    """``n`` request kinds drawn from ``MIX``, in a seeded random order."""
    rng = random.Random(seed)
    return rng.choices(list(MIX), weights=list(MIX.values()), k=n)


class Memory:
    """Samples the server's resident memory every second, in a thread, until stopped."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(time.monotonic(),))

    def _run(self, start: float) -> None:
        while not self.stop.is_set():
            self.samples.append((time.monotonic() - start, self.server.rss_bytes()))
            self.stop.wait(1)

    def at(self, second: float) -> int:
        """The first sample taken at or after ``second`` into the run."""
        return next(rss for t, rss in self.samples if t >= second)


def p99(outcomes: list[Outcome]) -> float:
    return quantiles([o.seconds for o in outcomes], n=100, method="inclusive")[98]


def check_writes(client: httpx.Client, ledger: Ledger) -> list[str]:
    """Read every record the soak wrote back; what does not hold as the ledger says."""
    wrong = []
    for (kind, record_id), allowed in sorted(ledger.expected.items()):
        path = "organizations" if kind == "organization" else "relationships"
        answer = client.get(f"/api/{path}/{record_id}")
        if answer.status_code not in (200, 404):
            wrong.append(f"{kind} {record_id}: read back answered {answer.status_code}")
            continue
        found = answer.json() if answer.status_code == 200 else None
        if not any(holds(found, content) for content in allowed):
            wrong.append(f"{kind} {record_id}: {differences(found, allowed[-1])}")
    return wrong


def differences(found: Mapping[str, Any] | None, content: Content) -> str:
    """How a record read back differs from what its last write said it holds."""
    if found is None:
        return "missing"
    if content is None:
        return "present, though no write of it was acknowledged"
    return ", ".join(
        f"{name} is {found.get(name)!r}, not {value!r}"
        for name, value in content.items()
        if found.get(name) != value
    )


@pytest.fixture(scope="module")
def ecosystem(tmp_path_factory: pytest.TempPathFactory) -> Ecosystem:
    return synthetic(ORGANIZATIONS, tmp_path_factory.mktemp("soak-ecosystem"))


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, ecosystem: Ecosystem
) -> Iterator[tuple[Server, dict[str, str]]]:
    """The ecosystem served with the default limits, and an editor's and a reader's keys."""
    data_dir: Path = tmp_path_factory.mktemp("soak") / "data"
    tokens = prepare(data_dir, ecosystem, keys={"soak-editor": "editor", "soak-reader": "reader"})
    with Server(data_dir) as server:
        yield server, tokens


@pytest.mark.timeout(SECONDS + scaled(240, 900))
def test_a_mixed_soak_at_a_fixed_rate_stays_steady(
    served: tuple[Server, dict[str, str]], ecosystem: Ecosystem
) -> None:
    server, tokens = served
    soak = Soak(ecosystem, tokens)
    kinds = schedule(RATE * SECONDS, seed=7)
    memory = Memory(server)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    with (
        httpx.Client(base_url=server.base, timeout=TIMEOUT, limits=limits) as client,
        ThreadPoolExecutor(max_workers=CLIENTS) as pool,
    ):
        memory.thread.start()
        start = time.monotonic()
        futures = []
        for index, kind in enumerate(kinds):
            delay = start + index / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(pool.submit(soak.send, client, kind, index, start))
        outcomes = [future.result() for future in futures]
        finished = time.monotonic() - start
        time.sleep(1.5)  # one more memory sample after the last answer
        memory.stop.set()
        memory.thread.join()
        wrong_writes = check_writes(client, soak.ledger)
    count("load requests", len(outcomes) + len(soak.ledger.expected))

    first = [o for o in outcomes if o.due < WINDOW]
    last = [o for o in outcomes if o.due >= SECONDS - WINDOW]
    p99_first, p99_last = p99(first), p99(last)
    baseline, final = memory.at(WINDOW), memory.samples[-1][1]
    growth = final / baseline - 1
    statuses = Counter(o.status for o in outcomes)
    problems = [o.problem for o in outcomes if o.problem is not None]

    window = f"{WINDOW} s" if WINDOW < 60 else f"{WINDOW // 60} min"
    figure(
        "soak: setup",
        f"{RATE} requests/s for {SECONDS / 60:g} min on {ORGANIZATIONS:,} organisations, "
        f"default limits; {len(outcomes):,} requests, answered by {finished:,.0f} s",
    )
    figure(
        f"soak: p99, first {window} / last {window}",
        f"{p99_first * 1000:,.0f} / {p99_last * 1000:,.0f} ms",
    )
    figure(
        f"soak: server memory (RSS), after the first {window} -> at the end",
        f"{baseline / 2**20:,.0f} -> {final / 2**20:,.0f} MiB ({growth:+.1%}; "
        f"peak {max(rss for _, rss in memory.samples) / 2**20:,.0f} MiB)",
    )
    answers = [f"{'none' if s == UNKNOWN else s}: {n:,}" for s, n in sorted(statuses.items())]
    figure("soak: answers", ", ".join(answers))
    figure("soak: answers other than 2xx, 304 and the limits' 429 / 503", f"{len(problems):,}")
    figure(
        "soak: records written, then read back",
        f"{len(soak.ledger.expected):,} records, {soak.ledger.acknowledged:,} acknowledged "
        f"writes; {len(wrong_writes)} not as acknowledged",
    )

    assert not problems, f"{len(problems)} bad answers, such as: {problems[:5]}"
    assert not wrong_writes, f"{len(wrong_writes)} records not as written: {wrong_writes[:5]}"
    assert p99_last <= P99_FACTOR * p99_first + P99_SLACK, (
        f"p99 of the last {window}: {p99_last:.3f} s; of the first: {p99_first:.3f} s"
    )
    assert growth < MEMORY_GROWTH, (
        f"the server grew from {baseline / 2**20:.0f} to {final / 2**20:.0f} MiB ({growth:+.1%})"
    )
