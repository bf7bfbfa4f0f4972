"""Conformance of rejected duplicate pairs (GraphStore.reject_duplicate, rejected_duplicates)
on every backend: a rejection is kept once, with who and when, whichever way round the pair was
named; pairs are listed in order; the graph version stays; clear forgets them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.rejections import RejectedPair
from app.store.protocol import GraphStore

AT = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_a_rejection_is_kept_with_who_and_when(store: GraphStore) -> None:
    kept = store.reject_duplicate("cut", "cut-brazil", "Eddie Editor", AT)
    assert kept == RejectedPair(
        first="cut", second="cut-brazil", rejected_by="Eddie Editor", rejected_at=AT
    )
    assert store.rejected_duplicates() == [kept]


def test_a_pair_named_the_other_way_round_is_the_same_pair(store: GraphStore) -> None:
    kept = store.reject_duplicate("zeta", "alpha", "Eddie Editor", AT)
    assert (kept.first, kept.second) == ("alpha", "zeta")
    again = store.reject_duplicate("alpha", "zeta", "Ada Admin", AT + timedelta(hours=1))
    assert again == kept, "the first rejection stays, who and when included"
    assert store.rejected_duplicates() == [kept]


def test_pairs_are_listed_by_first_then_second_id(store: GraphStore) -> None:
    for one, other in [("b", "c"), ("a", "d"), ("b", "a"), ("c", "a")]:
        store.reject_duplicate(one, other, "Eddie Editor", AT)
    listed = [pair.key for pair in store.rejected_duplicates()]
    assert listed == [("a", "b"), ("a", "c"), ("a", "d"), ("b", "c")]


def test_an_organisation_paired_with_itself_is_refused(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="two ids"):
        store.reject_duplicate("cut", "cut", "Eddie Editor", AT)
    assert store.rejected_duplicates() == []


def test_concurrent_rejections_of_one_pair_keep_one(store: GraphStore) -> None:
    answers: list[RejectedPair] = []
    callers = [
        threading.Thread(
            target=lambda n=n: answers.append(
                store.reject_duplicate("p", "q", f"curator {n}", AT + timedelta(seconds=n))
            )
        )
        for n in range(6)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    [kept] = store.rejected_duplicates()
    assert answers == [kept] * 6


def test_rejections_leave_the_graph_version_alone(store: GraphStore) -> None:
    before = store.version()
    store.reject_duplicate("one", "two", "Eddie Editor", AT)
    assert store.version() == before


def test_clear_forgets_rejections(store: GraphStore) -> None:
    store.reject_duplicate("one", "two", "Eddie Editor", AT)
    store.clear()
    assert store.rejected_duplicates() == []
