"""Conformance of browser sessions (GraphStore.add_session, find_session, end_session) on
every backend: a session is read back as stored until it ends, sign-out forgets it, and a
sign-in forgets the sessions that had expired by then (and only those)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain.keys import new_key
from app.domain.sessions import BrowserSession, new_session
from app.store.protocol import GraphStore

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def session(at: datetime, lifetime: timedelta = HOUR) -> BrowserSession:
    key, _ = new_key("Amina Editor", "editor", "admin", NOW)
    return new_session(key, at, lifetime)[0]


def test_a_session_is_read_back_equal_until_it_ends(store: GraphStore) -> None:
    first, second = session(NOW), session(NOW)
    store.add_session(first)
    store.add_session(second)
    assert store.find_session(first.token_hash) == first
    store.end_session(first.token_hash)
    assert store.find_session(first.token_hash) is None
    assert store.find_session(second.token_hash) == second


def test_ending_an_unknown_session_changes_nothing(store: GraphStore) -> None:
    kept = session(NOW)
    store.add_session(kept)
    store.end_session("0" * 64)
    assert store.find_session(kept.token_hash) == kept
    assert store.find_session("0" * 64) is None


def test_a_sign_in_forgets_only_the_sessions_expired_by_then(store: GraphStore) -> None:
    expired = session(NOW - 2 * HOUR)  # expired at NOW - 1 hour
    ends_now = session(NOW - HOUR)  # expires at NOW exactly: no longer usable
    still_live = session(NOW - HOUR / 2)
    for old in (expired, ends_now, still_live):
        store.add_session(old)
    store.add_session(session(NOW))
    assert store.find_session(expired.token_hash) is None
    assert store.find_session(ends_now.token_hash) is None
    assert store.find_session(still_live.token_hash) == still_live


def test_an_expired_session_is_found_until_a_sign_in_forgets_it(store: GraphStore) -> None:
    """Finding a session does not judge it: the caller checks ``live`` at its own clock."""
    old = session(NOW - 2 * HOUR)
    store.add_session(old)
    found = store.find_session(old.token_hash)
    assert found == old
    assert not found.live(NOW)


def test_sessions_leave_the_graph_version_alone(store: GraphStore) -> None:
    before = store.version()
    fresh = session(NOW)
    store.add_session(fresh)
    store.end_session(fresh.token_hash)
    assert store.version() == before


def test_clear_forgets_sessions(store: GraphStore) -> None:
    kept = session(NOW)
    store.add_session(kept)
    store.clear()
    assert store.find_session(kept.token_hash) is None
