"""``tests/RELIABILITY.md``: what the last long run of the adversarial suites tried, the figures
the load tests measured, and how many tests failed. Written by ``make test-long`` at the end of
the session, never by hand."""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from tests.reliability.profile import FIGURES, KINDS, PROFILE

PATH = Path(__file__).resolve().parents[1] / "RELIABILITY.md"


def _git(*arguments: str) -> str:
    found = subprocess.run(
        ["git", *arguments], cwd=PATH.parent, capture_output=True, text=True, check=False
    )
    return found.stdout.strip()


def commit() -> str:
    """The commit the tests run from, marked when the working tree differs from it."""
    head = _git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with uncommitted changes)" if _git("status", "--porcelain") else head


COMMIT = commit()
"""Taken when the session starts, as the code under test may be committed on during a run."""


def _memory_gib() -> float:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return pages / 2**30


def render(
    tally: Mapping[str, int],
    outcomes: Mapping[str, int],
    seconds: float,
    figures: Mapping[str, str],
) -> str:
    """The report as Markdown: date, commit, machine, counts tried, figures measured (when
    any were) and test outcomes."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Reliability: the last long run",
        "",
        "Written by `make test-long` (`SOLGRAPH_TEST_PROFILE=long`), which runs the adversarial",
        "suites at their long counts (see the README's Reliability section). Not edited by hand.",
        "",
        f"- date: {now}",
        f"- commit: {COMMIT}",
        f"- profile: {PROFILE}",
        f"- machine: {platform.platform()}, {os.cpu_count()} cores, {_memory_gib():.0f} GiB",
        f"- duration: {seconds / 60:.1f} min",
        "",
        "| tried | count | what |",
        "|---|---:|---|",
    ]
    lines += [f"| {kind} | {tally.get(kind, 0):,} | {what} |" for kind, what in KINDS.items()]
    if figures:
        lines += ["", "| figure | measured |", "|---|---|"]
        lines += [f"| {name} | {value} |" for name, value in figures.items()]
    lines += [
        "",
        "| tests | count |",
        "|---|---:|",
        *(f"| {outcome} | {n:,} |" for outcome, n in outcomes.items()),
        "",
    ]
    return "\n".join(lines)


def write(
    tally: Mapping[str, int],
    outcomes: Mapping[str, int],
    seconds: float,
    figures: Mapping[str, str] = FIGURES,
) -> Path:
    """Write :func:`render` to ``tests/RELIABILITY.md`` and return its path; the figures are
    those the load tests of this session recorded unless others are given."""
    PATH.write_text(render(tally, outcomes, seconds, figures), encoding="utf-8")
    return PATH
