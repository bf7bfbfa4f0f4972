"""Shared fixtures: the brief's text, the seed, and a store of each backend.

The Neo4j half uses the server named by ``SOLGRAPH_NEO4J_URI`` when it is set, else starts a
local Neo4j 5.26 with ``scripts/neo4j_local.py`` (Java 17 and Maven Central, no Docker). It is
never skipped: if Neo4j cannot start, its tests fail with the reason.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain.models import Document
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore
from app.store.protocol import GraphStore
from tests.reliability import report as reliability_report
from tests.reliability.profile import FIGURES, LONG, PROFILE, TALLY

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BRIEF = SHARED / "brief" / "ilo-brief-trade-unions-sse-partnerships.txt"
sys.path.insert(0, str(ROOT / "scripts"))

import neo4j_local  # noqa: E402  (lives in scripts/, not in the package)

for name in ("SOLGRAPH_ANONYMOUS_RATE", "SOLGRAPH_ANONYMOUS_BURST"):
    # The suite makes thousands of anonymous analysis requests from one address; the tests
    # of fair use (tests/api/test_fair_use.py) set their own, small limits.
    os.environ.setdefault(name, "1000000")

STARTED = time.monotonic()
"""When this session began (conftest is imported first), for the reliability report."""

API_ON_NEO4J = "api_on_neo4j"
"""Marks the API modules that also run on Neo4j. The contract and differential suites hold the
backends equal, so the rest of the API suite runs on the embedded store only."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes ``store`` on both backends, except API tests not marked
    ``api_on_neo4j``, which take the embedded store alone."""
    if "store" not in metafunc.fixturenames:
        return
    api = Path(metafunc.definition.path).is_relative_to(ROOT / "tests" / "api")
    both = not api or metafunc.definition.get_closest_marker(API_ON_NEO4J) is not None
    neo4j = pytest.param("neo4j", marks=pytest.mark.neo4j)
    metafunc.parametrize("store", ["memory", neo4j] if both else ["memory"], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the Neo4j tests on one xdist worker, so one server serves them all."""
    for item in items:
        if item.get_closest_marker("neo4j"):
            item.add_marker(pytest.mark.xdist_group("neo4j"))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker, hand what the adversarial suites tried to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["tally"] = dict(TALLY)
        output["figures"] = dict(FIGURES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """On the xdist controller, add up what each worker's adversarial suites tried."""
    output = getattr(node, "workeroutput", {})
    TALLY.update(output.get("tally", {}))
    FIGURES.update(output.get("figures", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran against Neo4j, so a green run shows that half was not skipped."""
    ran = [
        report
        for outcome in ("passed", "failed", "error")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", "call") == "call" and "neo4j" in report.keywords
    ]
    passed = sum(report.passed for report in ran)
    terminalreporter.write_line(f"neo4j backend: {len(ran)} tests ran, {passed} passed")
    tried = ", ".join(f"{kind} {n}" for kind, n in sorted(TALLY.items()))
    terminalreporter.write_line(f"adversarial ({PROFILE} profile): {tried or 'nothing tried'}")
    if LONG:
        outcomes = {
            outcome: len(terminalreporter.stats.get(outcome, []))
            for outcome in ("passed", "failed", "error", "skipped")
        }
        path = reliability_report.write(TALLY, outcomes, time.monotonic() - STARTED)
        terminalreporter.write_line(f"reliability report written to {path}")


@pytest.fixture(scope="session")
def brief_text() -> str:
    """The ILO brief as plain text, from ../shared/brief."""
    return BRIEF.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed() -> Document:
    """The seed ecosystem shipped in the package."""
    return seed_document()


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings pointing at a running Neo4j: the one in the environment, or a local one."""
    if os.environ.get("SOLGRAPH_NEO4J_URI"):
        yield Settings(store="neo4j")
        return
    data_dir = tmp_path_factory.mktemp("neo4j")
    with neo4j_local.start(data_dir) as server:
        yield Settings(
            store="neo4j",
            neo4j_uri=server.uri,
            neo4j_user=server.user,
            neo4j_password=server.password,
        )


@pytest.fixture(scope="session")
def neo4j_store(neo4j_settings: Settings) -> Iterator[GraphStore]:
    """One connected Neo4j store for the whole session; tests clear it before use."""
    from app.store.neo4j.store import Neo4jStore

    store = Neo4jStore.connect(neo4j_settings)
    yield store
    store.close()


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of the backend ``pytest_generate_tests`` chose for this test."""
    if request.param == "memory":
        memory = MemoryStore(tmp_path / "data")
        yield memory
        memory.close()
    else:
        shared: GraphStore = request.getfixturevalue("neo4j_store")
        shared.clear()
        yield shared
