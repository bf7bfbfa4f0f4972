"""Betweenness, constraint and bridges against values derived by hand on tiny graphs, and
against networkx's own betweenness and constraint on larger ones."""

from __future__ import annotations

import threading

import networkx as nx
import pytest

from app.analysis.brokers import (
    SEED,
    Betweenness,
    betweenness,
    bridges,
    brokers,
    constraint,
)
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
    # As many pivots as organisations: every pass is cheaper done once each, exactly, and the
    # answer says so. On a path of five, c lies on the paths of the 4 pairs across it out of
    # (5-1)(5-2)/2 = 6.
    everyone = betweenness(path, exact_limit=3, pivots=5)
    assert (everyone.exact, everyone.sample_size) == (True, 5)
    assert everyone.scores["c"] == pytest.approx(4 / 6)


def from_networkx(network: nx.Graph) -> Snapshot:
    """Every node of ``network`` an organisation ``o<node>`` (isolated ones too), every edge a
    PARTNERS_WITH tie."""
    orgs = [org(f"o{n}") for n in network]
    rels = [rel(f"o{a}-o{b}", "PARTNERS_WITH", f"o{a}", f"o{b}") for a, b in network.edges()]
    return build_snapshot(Document(organizations=orgs, relationships=rels), 1, None)


def scattered() -> nx.Graph:
    """Random parts of several sizes and twenty isolated nodes: unreachable pairs count for
    nobody."""
    network = nx.gnm_random_graph(300, 300, seed=1)
    network.add_nodes_from(range(300, 320))
    return network


@pytest.mark.parametrize(
    "network",
    [
        scattered(),
        nx.gnm_random_graph(400, 900, seed=5),
        nx.convert_node_labels_to_integers(nx.grid_2d_graph(12, 15)),
        nx.path_graph(6),
        nx.star_graph(7),
        nx.path_graph(2),
        nx.empty_graph(1),
    ],
    ids=["scattered", "sparse-random", "grid", "path", "star", "two", "one"],
)
def test_exact_betweenness_is_networkx_betweenness(network: nx.Graph) -> None:
    # networkx.betweenness_centrality (Brandes 2001, in Python) is the independent reference
    # for NetworKit's exact computation, normalisation included; the grid has many shortest
    # paths per pair.
    snapshot = from_networkx(network)
    result = betweenness(snapshot)
    expected = nx.betweenness_centrality(snapshot.undirected, normalized=True)
    assert (result.exact, result.sample_size) == (True, network.number_of_nodes())
    assert result.scores.keys() == expected.keys()
    for org_id, score in expected.items():
        assert result.scores[org_id] == pytest.approx(score, abs=1e-9)


def test_exact_betweenness_of_the_seed_is_networkx_betweenness(seed: Document) -> None:
    snapshot = build_snapshot(seed, 1, None)
    result = betweenness(snapshot)
    expected = nx.betweenness_centrality(snapshot.undirected, normalized=True)
    assert result.exact
    assert result.scores == pytest.approx(expected, abs=1e-9)


def test_the_estimate_has_no_bias_on_a_star() -> None:
    # Hub h with m = 20 leaves; exact betweenness of h is 1 (it is on every pair of leaves).
    # A drawn leaf adds (m - 1)/2 to h (each other leaf t at distance 2, h halfway), the hub
    # itself nothing; with L leaves among k pivots the estimate is
    # 2n/k * L (m - 1)/2 / ((n - 1)(n - 2)) = (L / k)(m + 1)/m, whose mean is 1 since a draw is a
    # leaf with probability m/(m + 1). Counting one pivot fewer than drawn would give
    # (k + 1)/k = 1.1 for k = 10.
    star = graph([("h", f"x{i:02}") for i in range(20)])
    hub = [betweenness(star, exact_limit=0, pivots=10, seed=s).scores["h"] for s in range(400)]
    assert sum(hub) / len(hub) == pytest.approx(1.0, abs=0.02)


def test_the_estimate_averages_to_networkx_betweenness() -> None:
    # Over 400 seeds, the mean estimate from 10 pivots is within 0.01 of networkx's exact
    # betweenness for every organisation (the largest is about 0.2; the standard error of the
    # mean is at most about 0.002 here, so 0.01 is over four of them).
    network = nx.gnm_random_graph(60, 120, seed=3)
    snapshot = from_networkx(network)
    expected = nx.betweenness_centrality(snapshot.undirected, normalized=True)
    runs = [betweenness(snapshot, exact_limit=0, pivots=10, seed=s).scores for s in range(400)]
    for org_id, score in expected.items():
        assert sum(r[org_id] for r in runs) / len(runs) == pytest.approx(score, abs=0.01)


def test_the_estimate_finds_clear_brokers() -> None:
    # Six random communities of 60, each joined to a hub by one gateway. networkx's exact
    # betweenness: the hub about 0.84, the six gateways about 0.275 each (within 0.001 of one
    # another), everyone else below 0.08. From 40 pivots, the hub comes first and the six
    # gateways next, in some order: their order is within the estimate's noise.
    network = nx.Graph()
    for c in range(6):
        part = nx.gnm_random_graph(60, 240, seed=c)
        network.add_edges_from((f"{c}-{a}", f"{c}-{b}") for a, b in part.edges())
        network.add_edge("hub", f"{c}-0")
    snapshot = from_networkx(network)
    exact = nx.betweenness_centrality(snapshot.undirected, normalized=True)
    found = betweenness(snapshot, exact_limit=0, pivots=40)
    assert (found.exact, found.sample_size) == (False, 40)

    def ranked(scores: dict[str, float]) -> list[str]:
        return sorted(scores, key=lambda o: (-scores[o], o))[:7]

    assert ranked(found.scores)[0] == ranked(exact)[0] == "ohub"
    assert (
        set(ranked(found.scores)) == set(ranked(exact)) == {"ohub", *(f"o{c}-0" for c in range(6))}
    )


def test_the_estimate_is_the_same_from_any_thread_and_depends_on_its_seed() -> None:
    snapshot = from_networkx(nx.gnm_random_graph(200, 400, seed=11))
    first = betweenness(snapshot, exact_limit=0, pivots=20)
    elsewhere: list[Betweenness] = []
    thread = threading.Thread(
        target=lambda: elsewhere.append(betweenness(snapshot, exact_limit=0, pivots=20))
    )
    thread.start()
    thread.join()
    assert elsewhere == [first] and first == betweenness(snapshot, exact_limit=0, pivots=20)
    assert betweenness(snapshot, exact_limit=0, pivots=20, seed=SEED + 1) != first


def test_exact_betweenness_repeats_to_the_last_digit() -> None:
    snapshot = from_networkx(nx.gnm_random_graph(800, 2000, seed=13))
    first = betweenness(snapshot)
    assert first.exact
    assert all(betweenness(snapshot) == first for _ in range(5))


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
