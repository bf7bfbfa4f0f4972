"""``GraphStore.reach`` and ``GraphStore.routes`` on every backend.

Expected values come from the small ecosystem of tests/factories.py (funder -> ngo -> union
-> coop, union -> ministry), read off its stated shape, or from networkx on the same ties.
"""

from __future__ import annotations

import random
from itertools import pairwise, product

import networkx as nx
import pytest

from app.analysis.traversal import shortest_routes
from app.domain.errors import NotFound
from app.domain.models import Document, Organization, Relationship
from app.store.protocol import GraphStore
from tests.factories import org, rel, small_ecosystem

CHAIN = ["ENABLES", "FUNDS", "ESTABLISHED"]


def ids(records: list[Organization] | list[Relationship]) -> list[str]:
    return [r.id for r in records]


def test_reach_against_the_ties_reads_two_layers(store: GraphStore) -> None:
    # Into coop: union ESTABLISHED coop (1 hop), ngo ENABLES union (2 hops). funder FUNDS ngo
    # leads on from ngo, which is 2 ties away, so a walk of 2 layers never reads it.
    store.load(small_ecosystem())
    found = store.reach("coop", CHAIN, "in", 2)
    assert found.distances == {"coop": 0, "ngo": 2, "union": 1}
    assert ids(found.organizations) == ["coop", "ngo", "union"]
    assert ids(found.relationships) == ["ngo-enables-union", "union-established-coop"]


def test_reach_along_the_ties_follows_only_the_types_asked(store: GraphStore) -> None:
    # Out of funder: ngo (FUNDS), union (ENABLES), coop (ESTABLISHED); union ADVOCATES_TO the
    # ministry, a type not asked for.
    store.load(small_ecosystem())
    found = store.reach("funder", CHAIN, "out", 4)
    assert found.distances == {"coop": 3, "funder": 0, "ngo": 1, "union": 2}
    assert ids(found.relationships) == [
        "funder-funds-ngo",
        "ngo-enables-union",
        "union-established-coop",
    ]


def test_reach_of_an_unknown_organisation_is_not_found(store: GraphStore) -> None:
    store.load(small_ecosystem())
    with pytest.raises(NotFound, match="ghost"):
        store.reach("ghost", CHAIN, "in", 2)


def _random_ties(seed: int, names: list[str], count: int, types: list[str]) -> list[Relationship]:
    """``count`` ties between random pairs of ``names``, some pairs tied more than once."""
    rng = random.Random(seed)
    pairs = [tuple(rng.sample(names, 2)) for _ in range(count)]
    pairs += rng.sample(pairs, count // 5)
    return [rel(f"r{i:03d}", rng.choice(types), a, b) for i, (a, b) in enumerate(pairs)]


@pytest.mark.parametrize("direction", ["in", "out"])
def test_reach_agrees_with_networkx_on_a_random_multigraph(
    store: GraphStore, direction: str
) -> None:
    # Expected hops are networkx's single-source shortest path lengths over the ties of the
    # asked types (reversed for "in"), cut at the depth; expected ties are every tie of those
    # types whose end nearer the start is fewer than ``depth`` ties from it.
    names = [f"o{i:02d}" for i in range(40)]
    ties = _random_ties(3, names, 70, ["ENABLES", "FUNDS", "PARTNERS_WITH"])
    store.load(Document(organizations=[org(n) for n in names], relationships=ties))
    kept = [t for t in ties if t.type in ("ENABLES", "FUNDS")]
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(names)
    graph.add_edges_from((t.source, t.target) for t in kept)
    inward = direction == "in"
    walked = graph.reverse() if inward else graph
    for start in random.Random(4).sample(names, 10):
        for depth in (1, 2, 3):
            hops = nx.single_source_shortest_path_length(walked, start, cutoff=depth)
            near = [t for t in kept if hops.get(t.target if inward else t.source, depth) < depth]
            found = store.reach(start, ["ENABLES", "FUNDS"], direction, depth)  # type: ignore[arg-type]
            assert found.distances == dict(sorted(hops.items())), (start, depth)
            assert ids(found.organizations) == sorted(hops)
            assert ids(found.relationships) == sorted(t.id for t in near), (start, depth)


def test_routes_between_unknown_organisations_name_the_end_first(store: GraphStore) -> None:
    store.load(small_ecosystem())
    yes = lambda record: True  # noqa: E731
    with pytest.raises(NotFound, match="ghost"):
        store.routes("union", "ghost", CHAIN, 3, yes, yes)
    with pytest.raises(NotFound, match="spectre"):
        store.routes("ghost", "spectre", CHAIN, 3, yes, yes)


def test_routes_of_one_organisation_to_itself_is_that_organisation(store: GraphStore) -> None:
    store.load(small_ecosystem())
    yes = lambda record: True  # noqa: E731
    found = store.routes("union", "union", CHAIN, 3, yes, yes)
    assert (ids(found.organizations), found.relationships, found.distances) == (
        ["union"],
        [],
        {"union": 0},
    )
    nothing = store.routes("union", "union", CHAIN, 3, yes, lambda o: o.id != "union")
    assert (nothing.organizations, nothing.relationships, nothing.distances) == ([], [], {})


def test_routes_agree_with_networkx_when_some_ties_and_organisations_do_not_count(
    store: GraphStore,
) -> None:
    # Expected: networkx.all_shortest_paths on the undirected graph of the ties that count
    # between organisations that count (both ends must count too), if the shortest is at
    # most max_depth ties long; the organisations on any of those paths, at their index in
    # it, and every counted tie joining two organisations that follow each other on one.
    names = [f"o{i:02d}" for i in range(30)]
    types = ["PARTNERS_WITH", "MEMBER_OF"]
    ties = _random_ties(5, names, 90, [*types, "FUNDS"])
    store.load(Document(organizations=[org(n) for n in names], relationships=ties))
    rng = random.Random(6)
    routed = 0
    for _ in range(30):
        start, end = rng.sample(names, 2)
        dropped_ties = {t.id for t in rng.sample(ties, 15)}
        dropped_orgs = set(rng.sample([n for n in names if n not in (start, end)], 4))
        counted = [
            t
            for t in ties
            if t.type in types
            and t.id not in dropped_ties
            and not {t.source, t.target} & dropped_orgs
        ]
        graph = nx.Graph()
        graph.add_nodes_from(n for n in names if n not in dropped_orgs)
        graph.add_edges_from((t.source, t.target) for t in counted)
        hops: dict[str, int] = {}
        steps: set[frozenset[str]] = set()
        if nx.has_path(graph, start, end) and nx.shortest_path_length(graph, start, end) <= 4:
            for path in nx.all_shortest_paths(graph, start, end):
                hops.update((node, i) for i, node in enumerate(path))
                steps.update(frozenset(hop) for hop in pairwise(path))
        expected = sorted(t.id for t in counted if frozenset((t.source, t.target)) in steps)
        found = store.routes(
            start,
            end,
            types,
            4,
            lambda t, dropped=dropped_ties: t.id not in dropped,  # type: ignore[misc]
            lambda o, dropped=dropped_orgs: o.id not in dropped,  # type: ignore[misc]
        )
        assert found.distances == dict(sorted(hops.items())), (start, end)
        assert ids(found.organizations) == sorted(hops)
        assert ids(found.relationships) == expected, (start, end)
        routed += bool(expected)
    assert routed >= 20, "most pairs are connected, so the checks above compare routes"


def test_the_first_route_alone_is_the_first_of_every_route(store: GraphStore) -> None:
    # Expected: networkx.all_shortest_paths on the undirected graph of the ties in force in
    # 2005 (since 2005 or before) between organisations founded by then, each path once per
    # choice of parallel tie, sorted by organisation ids then tie ids (the order
    # GraphStore.routes promises); the first of them, or none.
    names = [f"o{i:02d}" for i in range(30)]
    rng = random.Random(8)
    ties = [
        t.model_copy(update={"since": rng.randint(1990, 2010)})
        for t in _random_ties(9, names, 110, ["PARTNERS_WITH", "MEMBER_OF"])
    ]
    orgs = [org(n, founded=rng.choice([1980, 1999, 1999, 2010])) for n in names]
    store.load(Document(organizations=orgs, relationships=ties))
    founded = {o.id for o in orgs if o.founded is not None and o.founded <= 2005}
    counted = [
        t
        for t in ties
        if t.since is not None and t.since <= 2005 and {t.source, t.target} <= founded
    ]
    graph = nx.MultiGraph()
    graph.add_nodes_from(founded)
    graph.add_edges_from((t.source, t.target, t.id) for t in counted)
    compared = 0
    for _ in range(40):
        start, end = rng.sample(names, 2)
        expected: list[tuple[list[str], list[str]]] = []
        if {start, end} <= founded and nx.has_path(graph, start, end):
            for path in nx.all_shortest_paths(graph, start, end):
                if len(path) - 1 <= 4:
                    choices = [sorted(graph[a][b]) for a, b in pairwise(path)]
                    expected += [(path, list(tie_ids)) for tie_ids in product(*choices)]
        one = shortest_routes(store, start, end, 4, ["PARTNERS_WITH", "MEMBER_OF"], 2005, 1)
        got = [(r.organizations, [t.id for t in r.relationships]) for r in one]
        assert got == sorted(expected)[:1], (start, end)
        compared += bool(expected)
    assert compared >= 20, "most pairs are connected, so the check compares routes"
