"""Betweenness, constraint and bridges against values derived by hand on tiny graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from app.analysis.brokers import betweenness, bridges, brokers, constraint
from app.analysis.snapshot import Snapshot, build_snapshot
from app.domain.models import Document
from tests.factories import org, rel


def graph(edges: list[tuple[str, str]], **types: str) -> Snapshot:
    """Organisations named by the edges (trade unions unless ``types`` says otherwise), tied
    pairwise by PARTNERS_WITH."""
    movements = {"cooperative": "sse", "ngo": "enabler", "trade_union": "labour"}
    names = sorted({n for edge in edges for n in edge})
    orgs = [
        org(n, type=types.get(n, "trade_union"), movement=movements[types.get(n, "trade_union")])
        for n in names
    ]
    rels = [rel(f"{a}-{b}", "PARTNERS_WITH", a, b) for a, b in edges]
    return build_snapshot(Document(organizations=orgs, relationships=rels), 1, None)


def test_path_of_three_middle_is_one() -> None:
    # a-b-c: the only pair not involving b is (a, c), whose one shortest path runs through b;
    # normalised over the (3-1)(3-2)/2 = 1 pair, b = 1.0 and the ends 0.
    result = betweenness(graph([("a", "b"), ("b", "c")]))
    assert result.exact and result.sample_size == 3
    assert result.scores == {"a": 0.0, "b": 1.0, "c": 0.0}


def test_sampling_above_the_exact_limit_is_flagged_and_repeatable() -> None:
    path = graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    sampled = betweenness(path, exact_limit=3, pivots=2)
    assert (sampled.exact, sampled.sample_size) == (False, 2)
    assert sampled == betweenness(path, exact_limit=3, pivots=2)
    # With every organisation as a pivot the estimate is the exact value: on a path of five,
    # c lies on the paths of the 4 pairs across it out of (5-1)(5-2)/2 = 6.
    everyone = betweenness(path, exact_limit=3, pivots=5)
    assert not everyone.exact
    assert everyone.scores["c"] == pytest.approx(4 / 6)


def test_constraint_by_hand() -> None:
    # Star h-x, h-y, h-z: h spends 1/3 on each contact and none are tied, so
    # c(h) = 3 * (1/3)**2 = 1/3; a leaf has one contact: c = 1.
    star = graph([("h", "x"), ("h", "y"), ("h", "z")])
    held = constraint(star, ["h", "x"])
    assert held["h"] == pytest.approx(1 / 3)
    assert held["x"] == pytest.approx(1.0)
    # Triangle: each of two contacts gets 1/2 directly and 1/2 * 1/2 through the other:
    # c = 2 * (1/2 + 1/4)**2 = 9/8.
    triangle = graph([("a", "b"), ("b", "c"), ("a", "c")])
    assert constraint(triangle, ["a"])["a"] == pytest.approx(9 / 8)


def test_constraint_agrees_with_networkx_on_a_random_graph() -> None:
    # networkx.constraint (Burt 1992, computed term by term) is the independent reference
    # for the shortcut through shared contacts.
    pairs = sorted(nx.gnm_random_graph(40, 120, seed=7).edges())
    snapshot = graph([(f"o{a}", f"o{b}") for a, b in pairs])
    tied = sorted(n for n in snapshot.undirected if snapshot.undirected.degree(n))
    expected = nx.constraint(snapshot.undirected, nodes=tied)
    held = constraint(snapshot, tied)
    assert held.keys() == expected.keys()
    for org_id in tied:
        assert held[org_id] == pytest.approx(expected[org_id])


def test_constraint_skips_organisations_without_ties() -> None:
    lonely = build_snapshot(Document(organizations=[org("solo")]), 1, None)
    assert constraint(lonely, ["solo"]) == {}


def test_brokers_order_and_top() -> None:
    # Path a-b-c-d: b and c each lie on 2 of the 3 pairs without them (2/3); a and d on none.
    result = brokers(graph([("a", "b"), ("b", "c"), ("c", "d")]), top=1)
    assert [b.organization for b in result.brokers] == ["b"]
    everyone = brokers(graph([("a", "b"), ("b", "c"), ("c", "d")]))
    assert [(b.organization, round(b.betweenness, 9)) for b in everyone.brokers] == [
        ("b", round(2 / 3, 9)),
        ("c", round(2 / 3, 9)),
    ]
    # b's contacts a and c are not tied: c(b) = 2 * (1/2)**2 = 1/2.
    assert everyone.brokers[0].constraint == pytest.approx(0.5)


def test_bridges_by_hand() -> None:
    # The NGO is tied to a union and a cooperative; the union only to the NGO and the coop
    # (so it touches the SSE but no other labour organisation).
    s = graph([("ngo", "u"), ("ngo", "coop"), ("u", "coop")], ngo="ngo", coop="cooperative")
    assert [(b.organization, b.labour, b.sse, b.score) for b in bridges(s)] == [
        ("ngo", ("u",), ("coop",), 2)
    ]


def test_seed_slp_bridges_the_two_movements(seed: Document) -> None:
    # Box 5: the platform cooperative is "facilitated by the Social Law Project (SLP), in
    # close partnership with" SADSAWU and UDWOSA.
    found = {b.organization: b for b in bridges(build_snapshot(seed, 1, None))}
    assert found["slp"].labour == ("sadsawu", "udwosa")
    assert found["slp"].sse == ("digital-platform-cooperative-project",)
