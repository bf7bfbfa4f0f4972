"""The embedded store keeps what it acknowledged across kill -9, and never part of a write.

A child process (``writer.py``) runs a fixed script of single writes and bulk imports and is
killed with SIGKILL: at a random moment, right after it acknowledges a write, or inside a bulk
transaction. The parent then opens the data folder and checks that the store opens, passes
SQLite's integrity check, and holds exactly the state after some prefix of the script (records,
version and audit trail) that includes every acknowledged write. The next child resumes the
script in the same folder, so stores recovered from a crash are written and killed again; a
reader kept open in the parent across those children must see what a fresh one sees.

The expected states come from a plain-Python model of the script (dicts of records, the merge
patch and cascade rules of ``GraphStore``), which never runs the store's code, so a store bug
cannot show up on both sides. ``SOLGRAPH_KILL_SEED`` replays the random choices of a run.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from app.domain.models import Document, Organization, Relationship
from app.store.disk import FILE_NAME
from app.store.memory import MemoryStore
from app.store.protocol import ChangeFilter
from tests.reliability.profile import count, scaled
from tests.reliability.writer import (
    BULK,
    Create,
    Delete,
    Import,
    Load,
    Patch,
    Purge,
    Step,
    script,
)

ROOT = Path(__file__).resolve().parents[2]
TRIALS = scaled(20, 200)
SEED = int(os.environ.get("SOLGRAPH_KILL_SEED", random.SystemRandom().randrange(2**32)))
HANG = 60.0
"""Seconds a child may go without reaching its kill point before the trial fails."""

R = TypeVar("R", Organization, Relationship)
Entry = tuple[str, str, str]
"""An audit entry as the model predicts it: entity, record id, change."""


# The reference: the script applied to plain dicts.


def _put(table: dict[str, R], kind: str, records: Sequence[R], out: list[Entry]) -> None:
    for record in records:
        old = table.get(record.id)
        if old != record:
            out.append((kind, record.id, "created" if old is None else "updated"))
            table[record.id] = record


@dataclass
class Model:
    """The graph as dicts of records, with the audit entries each write leaves."""

    orgs: dict[str, Organization] = field(default_factory=dict)
    rels: dict[str, Relationship] = field(default_factory=dict)

    def put(
        self, orgs: Sequence[Organization], rels: Sequence[Relationship], out: list[Entry]
    ) -> None:
        """Insert or replace by id; a record equal to the stored one leaves no entry."""
        _put(self.orgs, "organization", orgs, out)
        _put(self.rels, "relationship", rels, out)

    def delete_orgs(self, ids: list[str], out: list[Entry]) -> None:
        gone = set(ids) & self.orgs.keys()
        for rel_id in sorted(self.rels):
            if {self.rels[rel_id].source, self.rels[rel_id].target} & gone:
                del self.rels[rel_id]
                out.append(("relationship", rel_id, "deleted"))
        for org_id in sorted(gone):
            del self.orgs[org_id]
            out.append(("organization", org_id, "deleted"))

    def step(self, step: Step) -> list[Entry]:
        """Apply one write; return the audit entries it should leave."""
        out: list[Entry] = []
        match step:
            case Create(Organization() as new):
                self.put([new], [], out)
            case Create(Relationship() as new):
                self.put([], [new], out)
            case Patch(org_id, fields):
                data = self.orgs[org_id].model_dump(mode="json", exclude_none=True)
                for name, value in fields.items():
                    if value is None:
                        data.pop(name, None)
                    else:
                        data[name] = value
                self.put([Organization.model_validate(data)], [], out)
            case Delete("organization", org_id):
                self.delete_orgs([org_id], out)
            case Delete(_, rel_id):
                del self.rels[rel_id]
                out.append(("relationship", rel_id, "deleted"))
            case Load(document):
                self.put(document.organizations, document.relationships, out)
            case Import(parts):
                for part in parts:
                    self.put(part.organizations, part.relationships, out)
            case Purge(ids):
                self.delete_orgs(list(ids), out)
        return out

    def document(self) -> Document:
        return Document(
            organizations=[self.orgs[i] for i in sorted(self.orgs)],
            relationships=[self.rels[i] for i in sorted(self.rels)],
        )


@dataclass(frozen=True)
class Expected:
    """What the store must hold after the first ``k`` writes, for every ``k``."""

    steps: list[Step]
    states: list[Document]
    versions: list[int]
    entries: list[Counter[Entry]]
    """The audit entries of each write, as a multiset (their order within a write is free)."""

    @classmethod
    def of(cls, steps: list[Step]) -> Expected:
        model = Model()
        states, versions, entries = [model.document()], [0], []
        for step in steps:
            made = Counter(model.step(step))
            assert made, f"the script's {step!r} changes nothing, so it cannot be told apart"
            entries.append(made)
            states.append(model.document())
            versions.append(versions[-1] + 1)
        return cls(steps, states, versions, entries)

    @property
    def writes(self) -> int:
        return len(self.steps)

    def bulk(self, i: int) -> bool:
        return isinstance(self.steps[i], BULK)


@pytest.fixture(scope="module")
def expected() -> Expected:
    return Expected.of(script())


# The child and its killing.


@dataclass(frozen=True)
class Trigger:
    """When to kill: ``after`` seconds past ``READY``, on reading ``line``, or at ``DONE``."""

    after: float | None = None
    line: str | None = None

    def __str__(self) -> str:
        return f"{self.after:.3f}s after READY" if self.after is not None else f"at {self.line!r}"


@dataclass(frozen=True)
class Run:
    """What a killed child said (each line with when the parent read it) and how it ended."""

    lines: list[tuple[float, str]]
    returncode: int
    stderr: str
    hung: bool

    def said(self, word: str) -> list[list[str]]:
        return [text.split()[1:] for _, text in self.lines if text.split()[0] == word]

    @property
    def start(self) -> int | None:
        found = self.said("START")
        return int(found[0][0]) if found else None

    @property
    def acks(self) -> list[int]:
        return [int(words[0]) for words in self.said("ACK")]

    def phase(self, expected: Expected) -> str:
        """Where the kill landed: opening, between writes, inside a (bulk) write, or after."""
        if self.start is None:
            return "opening"
        current = (self.acks or [self.start - 1])[-1] + 1
        if current == expected.writes:
            return "after the last write"
        if [str(current)] in [words[:1] for words in self.said("BATCH")]:
            return "inside a bulk write, after a batch"
        return (
            "in a bulk write, before any batch" if expected.bulk(current) else "at a single write"
        )


def run_child(data_dir: Path, trigger: Trigger, *options: str) -> Run:
    """Start the writer on ``data_dir``, SIGKILL it when ``trigger`` says, and collect its say."""
    stderr = data_dir.parent / f"{data_dir.name}.stderr"
    with (
        stderr.open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", str(data_dir), *options],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as child,
    ):
        said: queue.Queue[tuple[float, str] | None] = queue.Queue()

        def listen() -> None:
            assert child.stdout is not None
            for text in child.stdout:
                said.put((time.monotonic(), text.strip()))
            said.put(None)

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        lines: list[tuple[float, str]] = []
        hung = False
        try:
            deadline = time.monotonic() + HANG
            while True:
                try:
                    item = said.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    hung = trigger.after is None or not lines
                    break
                if item is None:
                    break
                lines.append(item)
                moment, text = item
                if text == "READY" and trigger.after is not None:
                    deadline = moment + trigger.after
                if text in (trigger.line, "DONE"):
                    break
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            count("kills")
        listener.join(timeout=30)
        while not said.empty():
            if (item := said.get_nowait()) is not None:
                lines.append(item)
    return Run(lines, child.returncode, stderr.read_text(), hung)


# The checks after each kill.


def _trail(path: Path) -> list[tuple[str, Counter[Entry]]]:
    """The audit trail read straight from the file: per actor, in order, its entries."""
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT actor, entity, entity_id, change FROM changes ORDER BY seq")
        groups: list[tuple[str, Counter[Entry]]] = []
        for actor, entity, entity_id, change in rows:
            if not groups or groups[-1][0] != actor:
                groups.append((actor, Counter()))
            groups[-1][1][(entity, entity_id, change)] += 1
    return groups


def _integrity(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("PRAGMA integrity_check")]


def verify(data_dir: Path, run: Run, expected: Expected, resumed: int, where: str) -> int:
    """Check the store after a kill; return how many writes of the script it holds."""
    where = f"{where}; child said {[text for _, text in run.lines]}; stderr: {run.stderr[-2000:]}"
    assert not run.hung, f"the child never reached its kill point; {where}"
    assert run.returncode == -signal.SIGKILL, f"the child ended by itself; {where}"
    assert run.start in (None, resumed), f"the child resumed at the wrong write; {where}"
    acks = run.acks
    assert acks == list(range(resumed, resumed + len(acks))), f"acks out of order; {where}"
    acked = (acks or [resumed - 1])[-1] + 1  # acknowledged, or held before this child

    store = MemoryStore(data_dir)
    try:
        version, export = store.version(), store.export()
        total = store.changes(ChangeFilter(), 0, 1).total
    finally:
        store.close()
    k = version if 0 <= version <= expected.writes else -1
    if k < 0 or export != expected.states[k]:
        matches = [n for n, state in enumerate(expected.states) if state == export]
        raise AssertionError(
            f"version {version}, yet the records equal the prefixes {matches} of the script "
            f"(empty: none); {where}"
        )
    assert k >= acked, f"acknowledged writes lost: holds {k}, {acked} acknowledged; {where}"
    assert k <= acked + 1, f"holds {k} writes, but only {acked} were acknowledged; {where}"
    assert total == sum(sum(c.values()) for c in expected.entries[:k]), where
    trail = [(f"step-{i}", expected.entries[i]) for i in range(k)]
    assert _trail(data_dir / FILE_NAME) == trail, f"audit trail not that of {k} writes; {where}"
    assert _integrity(data_dir / FILE_NAME) == ["ok"], where
    return k


# The trials.


@dataclass
class Timings:
    """How long each write of the script took in the children so far, to aim random kills."""

    opening: float = 0.5
    writes: dict[int, float] = field(default_factory=dict)
    batches: dict[int, int] = field(default_factory=dict)

    def learn(self, run: Run) -> None:
        times = {text: moment for moment, text in run.lines}
        if "READY" in times and run.start is not None:
            self.opening = times[f"START {run.start}"] - times["READY"]
        last = times.get(f"START {run.start}")
        for i in run.acks:
            now = times[f"ACK {i}"]
            if last is not None:
                self.writes[i] = now - last
            last = now
            self.batches[i] = len([w for w in run.said("BATCH") if w[0] == str(i)])

    def remaining(self, resumed: int, writes: int) -> float:
        return self.opening + sum(self.writes.get(i, 0.1) for i in range(resumed, writes))


def choose(rng: random.Random, trial: int, resumed: int, timings: Timings, ex: Expected) -> Trigger:
    """The kill point of one trial: mostly a random moment, else an ACK or a batch line.

    The first trial runs the whole script, to time it; random moments are then drawn over the
    child's expected run, a little past its end, so kills land before, in and after writes.
    """
    if not timings.writes:
        return Trigger(line="DONE")
    kind = trial % 5
    bulk_left = [i for i in range(resumed, ex.writes) if timings.batches.get(i)]
    if kind == 3 and resumed < ex.writes:
        return Trigger(line=f"ACK {rng.randrange(resumed, ex.writes)}")
    if kind == 4 and bulk_left:
        i = rng.choice(bulk_left)
        return Trigger(line=f"BATCH {i} {rng.randint(1, timings.batches[i])}")
    return Trigger(after=rng.uniform(0, 1.15 * timings.remaining(resumed, ex.writes)))


@pytest.mark.timeout(scaled(300, 1800))
def test_kill_9_at_random_moments_leaves_a_prefix_holding_every_ack(
    tmp_path: Path, expected: Expected
) -> None:
    rng = random.Random(SEED)
    timings = Timings()
    phases: Counter[str] = Counter()
    lanes = 0
    data_dir, held, reader = tmp_path / "lane-0", 0, None
    try:
        for trial in range(TRIALS):
            trigger = choose(rng, trial, held, timings, expected)
            where = f"SOLGRAPH_KILL_SEED={SEED} trial {trial} in {data_dir.name}, kill {trigger}"
            run = run_child(data_dir, trigger)
            held = verify(data_dir, run, expected, held, where)
            timings.learn(run)
            phases[run.phase(expected)] += 1
            if reader is not None:
                assert reader.export() == expected.states[held], f"a kept reader lags; {where}"
                assert reader.version() == expected.versions[held], where
            if held < expected.writes:
                reader = reader or MemoryStore(data_dir)
                continue
            if reader is not None:
                reader.close()
            lanes += 1
            data_dir, held, reader = tmp_path / f"lane-{lanes}", 0, None
    finally:
        if reader is not None:
            reader.close()
    print(f"kill -9 trials, seed {SEED}: {dict(phases)}")
    assert phases["inside a bulk write, after a batch"] >= 1, dict(phases)


def test_acknowledged_writes_survive_kill_9(tmp_path: Path, expected: Expected) -> None:
    """The child stops right after acknowledging a bulk load and is killed as it idles."""
    last = next(i for i, step in enumerate(expected.steps) if isinstance(step, Load) and i)
    run = run_child(tmp_path / "data", Trigger(line="DONE"), "--steps", str(last + 1))
    assert run.acks == list(range(last + 1))
    assert verify(tmp_path / "data", run, expected, 0, "acknowledged") == last + 1


def test_a_bulk_write_killed_part_way_changes_nothing(tmp_path: Path, expected: Expected) -> None:
    """The child freezes a bulk update inside its transaction and is killed there."""
    stall = next(
        i
        for i, step in enumerate(expected.steps)
        if isinstance(step, Load) and any(e[2] == "updated" for e in expected.entries[i])
    )
    run = run_child(tmp_path / "data", Trigger(line=f"BATCH {stall} 1"), "--stall-in", str(stall))
    assert run.acks == list(range(stall))
    assert verify(tmp_path / "data", run, expected, 0, "stalled") == stall
