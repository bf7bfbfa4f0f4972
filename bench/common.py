"""What every store and analysis benchmark shares: data, timing, machine facts, results.

Each benchmark yields :class:`Result` rows (a figure beside a baseline measured in the same
run, their ratio and the target); :func:`write_results` keeps one section per run
configuration in ``bench/RESULTS.md``, refreshed when the same configuration runs again.
"""

from __future__ import annotations

import gc
import importlib
import os
import platform
import random
import re
import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from app.domain.models import Document, Relationship
from app.domain.vocabulary import vocabulary

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "RESULTS.md"
RELATIONSHIPS_PER_ORGANIZATION = 3
"""The size of ecosystem the targets are stated for: about three ties per organisation."""


@dataclass(frozen=True)
class Result:
    """One measured figure, its same-run baseline, and the target it is judged against.

    ``met`` is ``None`` when the row is informative only (no target). ``lower_is_better``
    says how to read the ratio; ``unit`` is printed after the figure and the baseline.
    """

    name: str
    figure: float
    baseline: float | None
    unit: str
    target: str
    met: bool | None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Figure over baseline, if there is a baseline."""
        if self.baseline is None or self.baseline == 0:
            return None
        return self.figure / self.baseline

    def line(self) -> str:
        """One printed line: figure, baseline, ratio, target and verdict."""
        ratio = "" if self.ratio is None else f", ratio {self.ratio:.3g}x"
        baseline = "" if self.baseline is None else f", baseline {fmt(self.baseline, self.unit)}"
        verdict = {None: "", True: " [met]", False: " [MISSED]"}[self.met]
        note = f" ({self.note})" if self.note else ""
        return (
            f"{self.name}: {fmt(self.figure, self.unit)}{baseline}{ratio}; "
            f"target {self.target or '-'}{verdict}{note}"
        )

    def row(self) -> str:
        """One markdown table row."""
        ratio = "-" if self.ratio is None else f"{self.ratio:.3g}x"
        baseline = "-" if self.baseline is None else fmt(self.baseline, self.unit)
        met = {None: "-", True: "yes", False: "**no**"}[self.met]
        name = f"{self.name} ({self.note})" if self.note else self.name
        cells = [name, fmt(self.figure, self.unit), baseline, ratio, self.target or "-", met]
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def fmt(value: float, unit: str) -> str:
    """A number with its unit, to three significant figures (seconds below 1 in ms)."""
    if unit == "s" and abs(value) < 1:
        return f"{value * 1000:.3g} ms"
    if unit in ("rows/s", "B") or abs(value) >= 1000:
        if unit == "B":
            return f"{value / 2**20:,.0f} MiB"
        return f"{value:,.0f} {unit}".rstrip()
    return f"{value:.3g} {unit}".rstrip()


def say(result: Result) -> Result:
    """Print a result as soon as it is known, and pass it on."""
    print("  " + result.line(), flush=True)
    return result


# --------------------------------------------------------------------------- data


def _app_generator() -> ModuleType | None:
    """``app.io.synthetic`` if it exists and offers ``document(n, seed)``."""
    try:
        module = importlib.import_module("app.io.synthetic")
    except ImportError:
        return None
    return module if callable(getattr(module, "document", None)) else None


def generator_name() -> str:
    """Which generator :func:`ecosystem` uses: the app's own if it is there."""
    if _app_generator() is not None:
        return "app.io.synthetic.document"
    return "bench/synthetic.py ecosystem, topped up to 3 ties per organisation"


def ecosystem(size: int, seed: int = 204) -> Document:
    """``size`` organisations and about three relationships each, the same for the same seed.

    Uses ``app.io.synthetic.document`` when it exists; otherwise ``bench/synthetic.py``
    (about 1.5 ties per organisation) topped up to ``3 * size`` with more ties drawn the same
    way, obeying the vocabulary's type rules.
    """
    generator = _app_generator()
    if generator is not None:
        made = generator.document(size, seed)
        assert isinstance(made, Document)
        return made
    from synthetic import ecosystem as bench_ecosystem

    document = bench_ecosystem(size, seed)
    return Document(
        organizations=document.organizations,
        relationships=[*document.relationships, *_top_up(document, seed)],
    )


def _top_up(document: Document, seed: int) -> list[Relationship]:
    """Extra ties so that the document has about three per organisation."""
    v = vocabulary()
    rng = random.Random(seed + 1)
    orgs = document.organizations
    if len(orgs) < 2:
        return []
    hubs = [o for o in orgs if rng.random() < 0.05] or orgs[:1]
    by_type: dict[str, list[int]] = {}
    for index, org in enumerate(orgs):
        by_type.setdefault(org.type, []).append(index)
    types = sorted(v.relationship_types)
    wanted = RELATIONSHIPS_PER_ORGANIZATION * len(orgs) - len(document.relationships)
    source = [{"citation": "Synthetic ecosystem", "locator": "bench/common.py"}]
    extra: list[Relationship] = []
    attempt = 0
    while len(extra) < wanted and attempt < 10 * wanted:
        attempt += 1
        rel_type = rng.choice(types)
        rule = v.relationship_types[rel_type]
        start = rng.choice(hubs) if rng.random() < 0.5 else rng.choice(orgs)
        end = rng.choice(orgs)
        if start.id == end.id or start.type not in rule.source_types:
            continue
        if end.type not in rule.target_types:
            continue
        extra.append(
            Relationship.model_validate(
                {
                    "id": f"rel-t{attempt}",
                    "type": rel_type,
                    "source": start.id,
                    "target": end.id,
                    "mode": rng.choice(["direct", "indirect"]) if rel_type == "ENABLES" else None,
                    "since": rng.randint(1995, 2024),
                    "sources": source,
                }
            )
        )
    return extra


# --------------------------------------------------------------------------- timing


def timed(work: Callable[[], object]) -> float:
    """Seconds one call of ``work`` takes, with the garbage collector settled first."""
    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def best_of(work: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` timed calls (the least disturbed by other processes)."""
    return min(timed(work) for _ in range(max(1, repeat)))


def peak_rss() -> int:
    """This process's peak resident set size, in bytes.

    ``VmHWM`` of ``/proc/self/status``, not ``getrusage``'s ``ru_maxrss``: on Linux the
    latter survives ``exec`` and so starts a subprocess at its parent's size.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) * 1024 if found else 0


def current_rss() -> int:
    """This process's resident set size now, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def sample(population: Iterable[str], count: int, seed: int) -> list[str]:
    """``count`` items drawn with ``seed`` (with replacement if there are fewer)."""
    items = sorted(population)
    rng = random.Random(seed)
    return [rng.choice(items) for _ in range(count)]


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    """CPU count and model, RAM, load average, Python and host, for the report."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
        found = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
        if found:
            ram = f"{int(found.group(1)) / 2**20:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "cpus": f"{usable} usable ({os.cpu_count()} online)",
        "cpu model": model,
        "ram": ram,
        "load average at start": load,
        "python": platform.python_version(),
        "host": platform.node(),
    }


def now() -> str:
    """The current UTC time, to the minute."""
    return f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"


# --------------------------------------------------------------------------- RESULTS.md


def write_results(key: str, title: str, header: list[str], results: list[Result]) -> Path:
    """Put a section for ``key`` into ``bench/RESULTS.md``, replacing the one of a past run.

    Sections are delimited by HTML comments naming the key, so a run of another
    configuration (other sizes or groups) leaves earlier sections alone.
    """
    begin, end = f"<!-- bench:{key}:begin -->", f"<!-- bench:{key}:end -->"
    lines = [
        begin,
        f"## {title}",
        "",
        *header,
        "",
        "| benchmark | figure | baseline | ratio | target | met? |",
        "|---|---|---|---|---|---|",
        *(r.row() for r in results),
        end,
    ]
    section = "\n".join(lines)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else _RESULTS_INTRO
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    return RESULTS


_RESULTS_INTRO = """# Benchmark results

Written by `bench/run.py`; each section is one configuration, refreshed when it runs again.
Every figure sits beside a baseline measured in the same run. These are measurements, not
pass/fail tests: the "met?" column compares the figure (or the ratio) with the issue's target.
"""
