"""Which profile the adversarial suites run: ``fast`` (in ``make test``) or ``long``.

``SOLGRAPH_TEST_PROFILE=long`` (``make test-long``) raises every count to the figure the
reliability targets name; the fast profile keeps CI within its time limit. Each suite also
tallies what it tried, and the load tests record the figures they measured, so that a long run
can write ``tests/RELIABILITY.md``.
"""

from __future__ import annotations

import os
from collections import Counter

PROFILE = os.environ.get("SOLGRAPH_TEST_PROFILE", "fast")
if PROFILE not in ("fast", "long"):
    raise ValueError(f"SOLGRAPH_TEST_PROFILE is '{PROFILE}'; allowed: fast, long")
LONG = PROFILE == "long"

TALLY: Counter[str] = Counter()
"""What the adversarial suites tried in this session, by kind (see ``KINDS``)."""

KINDS = {
    "requests fuzzed": "Schemathesis requests against the OpenAPI schema",
    "store sequences": "Hypothesis stateful sequences, both backends together",
    "store steps": "steps of those sequences, each compared with the reference model",
    "kills": "SIGKILLs of an embedded-store writer, each followed by a recovery check",
    "faults injected": "Neo4j stops, restarts and injected transient or fatal errors",
    "payloads tried": "injection and markup payloads sent through the API or the browser",
    "abuse requests": "oversized, too deep, too many or too fast requests",
    "concurrent edits": "If-Match edits by concurrent editors",
    "load requests": "timed requests of the soak and the flood, against a served ecosystem",
}

FIGURES: dict[str, str] = {}
"""What the load tests measured in this session, by name, in the order they measured it."""


def scaled(fast: int, long: int) -> int:
    """``long`` in the long profile, else ``fast``."""
    return long if LONG else fast


def count(kind: str, n: int = 1) -> None:
    """Add ``n`` to the tally of ``kind``, one of ``KINDS``."""
    if kind not in KINDS:
        raise KeyError(f"unknown tally '{kind}'; allowed: {', '.join(KINDS)}")
    TALLY[kind] += n


def figure(name: str, value: str) -> None:
    """Record the figure ``name`` (say "soak: p99 of the first minute") as ``value``, with its
    unit; a second value for the same name replaces the first."""
    if not name or "|" in name + value or "\n" in name + value:
        raise ValueError(f"figure {name!r}: name and value must be one non-empty table cell")
    FIGURES[name] = value
