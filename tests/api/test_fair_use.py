"""Fair use of expensive requests (issue 17, findings 1 and 2): anonymous addresses limited
with 429, expensive work in its own bounded pool, a time budget answered with 503 and a
cached retry, answers capped with their counts, and caches keyed by the normalised request.

Each test here failed before the fix: anonymous what-ifs were never limited, the pool and the
budget did not exist, ``top`` and the order of ids each made a new computation, and every
year asked for kept its snapshot until the next write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import app.analysis.brokers as brokers_module
import app.api.routers.analysis as analysis_router
from app.analysis.snapshot import SnapshotCache, build_snapshot
from app.analysis.whatif import what_if
from app.api.fair_use import client_address, is_expensive
from app.api.main import create_app
from app.domain.keys import new_key
from app.io.documents import seed_document
from app.settings import Settings
from app.store.memory import MemoryStore
from tests.api.test_abuse_limits import assert_secured, is_problem

WHAT_IF = {"remove": ["niscof-sacco"]}


@contextmanager
def served(tmp_path: Path, **limits: Any) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A client of the seed served with ``limits``, and a reader key's header."""
    store = MemoryStore(tmp_path / "data")
    store.load(seed_document())
    record, token = new_key(
        "Rita Reader", "reader", "tests/api/test_fair_use.py", datetime.now(UTC)
    )
    store.add_key(record)
    settings = Settings(data_dir=tmp_path / "data", **limits)
    with TestClient(create_app(lambda: store, settings)) as client:
        yield client, {"Authorization": f"Bearer {token}"}


def test_anonymous_expensive_requests_past_the_burst_get_429(tmp_path: Path) -> None:
    with served(tmp_path, anonymous_rate=1, anonymous_burst=3) as (client, _):
        answers = [client.post("/api/analysis/what-if", json=WHAT_IF) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        refused = client.post("/api/analysis/what-if", json=WHAT_IF)
        detail = is_problem(refused, 429)
        assert "API key" in detail and "1 a minute" in detail
        assert int(refused.headers["Retry-After"]) >= 1
        assert_secured(refused)
        # Other expensive routes share the address's bucket; the pages answer in HTML.
        assert client.get("/api/analysis/brokers").status_code == 429
        page = client.get("/analysis/gaps")
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")


def test_cheap_reads_and_callers_with_a_key_are_not_limited(tmp_path: Path) -> None:
    with served(tmp_path, anonymous_rate=1, anonymous_burst=1) as (client, reader):
        assert client.post("/api/analysis/what-if", json=WHAT_IF).status_code == 200
        assert client.post("/api/analysis/what-if", json=WHAT_IF).status_code == 429
        for _ in range(5):
            assert client.get("/api/organizations/cut").status_code == 200
            assert client.get("/api/organizations/cut/enablers?depth=2").status_code == 200
            keyed = client.post("/api/analysis/what-if", json=WHAT_IF, headers=reader)
            assert keyed.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "query", "expected"),
    [
        ("POST", "/api/analysis/what-if", b"", True),
        ("GET", "/api/analysis/brokers", b"top=5", True),
        ("GET", "/analysis/gaps", b"", True),
        ("GET", "/api/paths", b"from=cut&to=ads", True),
        ("GET", "/api/partnerships", b"", True),
        ("GET", "/api/organizations/cut/peers", b"", True),
        ("GET", "/api/organizations/cut/matches", b"kind=enabler", True),
        ("POST", "/api/analysis/shortlist", b"", True),
        ("GET", "/analysis/matches/cut", b"kind=partner", True),
        ("GET", "/analysis/shortlist", b"n=3", True),
        ("GET", "/api/organizations/cut/network", b"depth=3", True),
        ("GET", "/api/organizations/cut/network", b"depth=2", False),
        ("GET", "/api/organizations/cut/enablers", b"depth=4&as_of=2020", True),
        ("GET", "/api/organizations/cut/enablers", b"as_of=2020", False),
        ("GET", "/maps/ecosystem", b"", True),
        ("GET", "/maps/organizations/cut.png", b"", True),
        ("GET", "/maps/organizations/cut", b"", False),
        ("GET", "/api/organizations/cut", b"", False),
        ("GET", "/api/organizations", b"q=waste", False),
        ("DELETE", "/api/organizations/cut", b"", False),
    ],
)
def test_which_requests_are_expensive(method: str, path: str, query: bytes, expected: bool) -> None:
    # Expected from the issue's list: what-if, paths, analyses, large networks, and the
    # whole-graph map and images; matches and the shortlist rank candidates across the whole
    # graph (issue 19); a single record or a search is cheap.
    assert is_expensive(method, path, query) is expected


def _scope(peer: str, forwarded: str | None = None) -> dict[str, Any]:
    headers = [] if forwarded is None else [(b"x-forwarded-for", forwarded.encode())]
    return {"type": "http", "client": (peer, 50000), "headers": headers}


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy() -> None:
    proxies = Settings(trusted_proxies="10.0.0.0/8, 192.0.2.7").trusted_proxy_networks
    # Untrusted peer: its header is the client's own claim and is ignored.
    assert client_address(_scope("203.0.113.5", "198.51.100.1"), proxies) == "203.0.113.5"
    # Trusted proxy: the last address before the trusted hops is the client.
    chain = "198.51.100.1, 203.0.113.9, 10.1.2.3"
    assert client_address(_scope("192.0.2.7", chain), proxies) == "203.0.113.9"
    # Nothing configured: the peer, whatever the header says.
    assert client_address(_scope("10.1.2.3", "198.51.100.1"), ()) == "10.1.2.3"


def test_trusted_proxies_must_be_addresses() -> None:
    with pytest.raises(ValueError, match=r"'proxy\.example' is not an IP address or network"):
        Settings(trusted_proxies="proxy.example")


def _slowed(monkeypatch: pytest.MonkeyPatch, seconds: float) -> list[int]:
    """Make betweenness take ``seconds`` longer; the list counts its calls."""
    calls: list[int] = []
    original = brokers_module.betweenness

    def slow(*args: Any, **kwargs: Any) -> brokers_module.Betweenness:
        calls.append(1)
        time.sleep(seconds)
        return original(*args, **kwargs)

    monkeypatch.setattr(brokers_module, "betweenness", slow)
    return calls


def test_past_its_budget_a_request_gets_503_and_the_retry_its_cached_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _slowed(monkeypatch, 1.5)
    with served(tmp_path, analysis_seconds=0.3) as (client, _):
        late = client.get("/api/analysis/brokers")
        detail = is_problem(late, 503)
        assert "time budget of 0.3 s" in detail and "SOLGRAPH_ANALYSIS_SECONDS" in detail
        assert int(late.headers["Retry-After"]) >= 1
        assert_secured(late)
        time.sleep(1.6)  # the work goes on in its slot and finishes
        ready = client.get("/api/analysis/brokers")
        assert ready.status_code == 200
        assert ready.json()["brokers"]
        assert len(calls) == 1


def test_expensive_work_is_bounded_and_cheap_reads_do_not_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slowed(monkeypatch, 2.0)
    with served(tmp_path, heavy_workers=1, heavy_queue=0, analysis_seconds=10) as (client, _):
        slow: list[httpx.Response] = []
        worker = threading.Thread(target=lambda: slow.append(client.get("/api/analysis/brokers")))
        worker.start()
        time.sleep(0.5)  # the slow request holds the only slot
        refused = client.get("/api/analysis/gaps")
        detail = is_problem(refused, 503)
        assert "busy" in detail and int(refused.headers["Retry-After"]) >= 1
        began = time.monotonic()
        assert client.get("/api/organizations/cut").status_code == 200
        assert time.monotonic() - began < 1.0
        worker.join()
        assert slow[0].status_code == 200


def test_brokers_compute_betweenness_once_whatever_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _slowed(monkeypatch, 0.0)
    with served(tmp_path) as (client, _):
        tops = {top: client.get(f"/api/analysis/brokers?top={top}").json() for top in range(1, 9)}
        page = client.get("/analysis/brokers?top=3")
    assert len(calls) == 1
    assert page.status_code == 200
    # A smaller top is the head of a larger one: the same ranking, cut shorter.
    assert tops[3]["brokers"] == tops[8]["brokers"][:3]


def test_what_ifs_of_the_same_ids_in_any_order_share_one_computation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return what_if(*args, **kwargs)

    monkeypatch.setattr(analysis_router, "what_if", counted)
    with served(tmp_path) as (client, _):
        first = client.post("/api/analysis/what-if", json={"remove": ["cut", "ads"]})
        again = client.post("/api/analysis/what-if", json={"remove": ["ads", "cut", "ads"]})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(calls) == 1


def test_what_if_lists_are_capped_and_counted_whole(tmp_path: Path) -> None:
    seed = seed_document()
    # Independent of the route: the analysis itself, uncapped. Without UNISOL (Box 4) and
    # KKPKP (Pune), Brazil's waste picker cooperatives and SWaCH lose every enabler.
    removed = ["unisol-brasil", "kkpkp"]
    whole = what_if(build_snapshot(seed, 1, None), removed)
    assert len(whole.lose_all) == 2  # more than the limit below
    with served(tmp_path) as (client, _):
        body = {"remove": removed, "limit": 1}
        capped = client.post("/api/analysis/what-if", json=body).json()
    assert len(capped["lose_all"]) == 1 and len(capped["lose_some"]) <= 1
    assert capped["lose_all_count"] == len(whole.lose_all)
    assert capped["lose_some_count"] == len(whole.lose_some)
    assert capped["complete"] is True


def test_a_what_if_out_of_time_says_it_is_incomplete() -> None:
    snapshot = build_snapshot(seed_document(), 1, None)
    whole = what_if(snapshot, ["unisol-brasil"])
    cut_short = what_if(snapshot, ["unisol-brasil"], deadline=time.monotonic() - 1)
    assert whole.complete and not cut_short.complete
    assert whole.broken_path_count > 0 and cut_short.broken_path_count == 0


def test_past_year_snapshots_are_bounded(tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    store.load(seed_document())
    cache = SnapshotCache(store, years=2)
    first = cache.get(2001)
    assert cache.get(2001) is first  # kept while among the two years used last
    now = cache.get(None)
    for year in (2002, 2003):
        cache.get(year)
    assert cache.get(None) is now  # the present is always kept
    assert cache.get(2001) is not first  # pushed out by two later years, so built anew


def test_gaps_and_partnerships_are_paged_with_totals(tmp_path: Path) -> None:
    with served(tmp_path) as (client, _):
        for path, key in (("/api/analysis/gaps", "gaps"), ("/api/partnerships", "items")):
            whole = client.get(path).json()
            page = client.get(path, params={"offset": 1, "limit": 2}).json()
            assert page["total"] == whole["total"] == len(whole[key])
            assert page[key] == whole[key][1:3]
            assert (page["offset"], page["limit"]) == (1, 2)
