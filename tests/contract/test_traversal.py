"""Enablers, enabled and shortest routes over the seed, on both backends.

Expected values are the brief's: Box 3 (IMA Limpia's enabling partners), Box 4 (CUT and
UNISOL), Box 5 (SADSAWU, UDWOSA, SLP and the platform cooperative) and Box 6 (Kenya).
"""

from __future__ import annotations

import random
from itertools import pairwise, product

import networkx as nx
import pytest

from app.analysis.traversal import enabled, enablers, shortest_routes
from app.domain.errors import NotFound
from app.domain.models import Document
from app.store.protocol import GraphStore
from tests.factories import org, rel

ALL_TYPES = [
    "ADVOCATES_TO",
    "AFFILIATE_OF",
    "AGREEMENT_WITH",
    "ENABLES",
    "ESTABLISHED",
    "FUNDS",
    "IN_DIALOGUE_WITH",
    "MEMBER_OF",
    "ORGANISES",
    "PARTNERS_WITH",
]


@pytest.fixture
def seeded(store: GraphStore, seed: Document) -> GraphStore:
    store.load(seed)
    return store


def test_box_3_enabling_partners_of_ima_limpia(seeded: GraphStore) -> None:
    # Box 3: "financial and technical support from enabling partners including the French
    # Development Agency, CARE Latin America and the Caribbean and Fundación Bien Humano";
    # UTRASD established it and trains its workers.
    found = {link.organization.id: link for link in enablers(seeded, "ima-limpia", 2)}
    assert {"afd", "care-lac", "fundacion-bien-humano", "utrasd"} <= set(found)
    assert all(found[i].reach == "direct" and found[i].hops == 1 for i in found)
    # A development agency is an indirect enabling partner ("A broad ecosystem of support").
    assert found["afd"].partner_mode == "indirect"
    assert found["utrasd"].partner_mode == "direct"
    assert {"finance", "technical_support"} <= set(found["afd"].mechanisms)
    # The brief states that support itself, in Box 3; "(UTRASD et al. 2020)" closes the
    # sentence after it, on IMA Limpia's aims.
    brief = ("ILO Brief (Trade unions and SSE partnerships)", "Box 3")
    assert brief in {(s.citation, s.locator) for s in found["afd"].sources}


def test_box_6_chain_of_enablers_before_the_collapse(seeded: GraphStore) -> None:
    # Box 6: NISCOF seed-funded the SACCO, whose revolving fund served the self-help groups;
    # COTU-K works with NISCOF. The fund collapsed with Covid-19 (the seed ends it in 2020).
    # The brief gives no year for COTU-K's support; an undated tie counts from the year it was
    # reported (the brief, 2022), so COTU-K is not among the enablers of 2019.
    before = enablers(seeded, "nairobi-street-vendor-self-help-groups", 4, as_of=2019)
    assert [(link.organization.id, link.hops) for link in before[:2]] == [
        ("niscof-sacco", 1),
        ("niscof", 2),
    ]
    assert before[1].reach == "indirect"
    assert before[1].path == ["niscof", "niscof-sacco", "nairobi-street-vendor-self-help-groups"]
    assert "cotu-k" not in [link.organization.id for link in before]
    assert enablers(seeded, "nairobi-street-vendor-self-help-groups", 4) == [], "collapsed now"


def test_box_4_cut_reaches_waste_pickers_through_unisol(seeded: GraphStore) -> None:
    reached = {link.organization.id: link.hops for link in enabled(seeded, "cut", 2)}
    assert reached["unisol-brasil"] == 1
    assert reached["brazil-waste-picker-cooperatives"] == 2


def test_nothing_is_enabled_before_it_was_founded(seeded: GraphStore) -> None:
    # Box 3: IMA Limpia launched in late 2021.
    assert enablers(seeded, "ima-limpia", 2, as_of=2020) == []
    assert enablers(seeded, "ima-limpia", 2, as_of=2022)


def test_box_5_sadsawu_and_udwosa_meet_through_slp_and_the_cooperative(
    seeded: GraphStore,
) -> None:
    routes = shortest_routes(seeded, "sadsawu", "udwosa", 4, ALL_TYPES)
    assert [r.organizations for r in routes] == [
        ["sadsawu", "digital-platform-cooperative-project", "udwosa"],
        ["sadsawu", "slp", "udwosa"],
    ]
    assert shortest_routes(seeded, "sadsawu", "udwosa", 1, ALL_TYPES) == []
    only_enabling = shortest_routes(seeded, "sadsawu", "udwosa", 4, ["ENABLES"])
    assert only_enabling == []


def test_unknown_organisations_are_not_found(seeded: GraphStore) -> None:
    with pytest.raises(NotFound, match="ghost"):
        enablers(seeded, "ghost", 2)
    with pytest.raises(NotFound, match="ghost"):
        shortest_routes(seeded, "utrasd", "ghost", 3, ALL_TYPES)


def test_shortest_routes_agree_with_networkx_on_a_random_multigraph(store: GraphStore) -> None:
    # Expected routes come from networkx.all_shortest_paths on the same ties seen as an
    # undirected graph, each organisation sequence expanded into one route per choice of
    # parallel tie, sorted by (organisations, tie ids) and cut at the limit.
    rng = random.Random(11)
    names = [f"o{i:02d}" for i in range(30)]
    pairs = [tuple(rng.sample(names, 2)) for _ in range(45)]
    pairs += rng.sample(pairs, 10)  # parallel ties between some pairs
    ties = [rel(f"r{i:02d}", "PARTNERS_WITH", a, b) for i, (a, b) in enumerate(pairs)]
    store.load(Document(organizations=[org(n) for n in names], relationships=ties))
    graph = nx.Graph()
    graph.add_nodes_from(names)
    graph.add_edges_from(pairs)
    between: dict[frozenset[str], list[str]] = {}
    for tie in ties:
        between.setdefault(frozenset((tie.source, tie.target)), []).append(tie.id)
    limit = 5
    for start, end in [tuple(rng.sample(names, 2)) for _ in range(25)]:
        expected: list[tuple[list[str], list[str]]] = []
        if nx.has_path(graph, start, end) and nx.shortest_path_length(graph, start, end) <= 4:
            for path in nx.all_shortest_paths(graph, start, end):
                choices = [sorted(between[frozenset(hop)]) for hop in pairwise(path)]
                expected += [(path, list(ids)) for ids in product(*choices)]
        routes = shortest_routes(store, start, end, 4, ["PARTNERS_WITH"], limit=limit)
        got = [(r.organizations, [t.id for t in r.relationships]) for r in routes]
        assert got == sorted(expected)[:limit], (start, end)


@pytest.mark.parametrize("upstream", [True, False], ids=["enablers", "enabled"])
def test_chains_agree_with_networkx_on_a_random_multigraph(
    store: GraphStore, upstream: bool
) -> None:
    # Expected chains come from networkx.all_shortest_paths over the enabling ties in force,
    # read from each reached organisation back towards the start; each organisation sequence
    # is expanded into one chain per choice of parallel tie, and the chain kept is the one
    # whose list of (next organisation nearer the start, tie id) pairs sorts first, which is
    # the rule `enablers` documents applied hop after hop. Mechanisms are the enabler's own
    # tie's; sources are every source along the chain, once, in the order the chain cites them.
    rng = random.Random(7)
    names = [f"o{i:02d}" for i in range(25)]
    citations = ["Report A", "Report B", "Report C"]
    ties = []
    for i in range(70):
        a, b = rng.sample(names, 2)
        rel_type = rng.choice(["ENABLES", "FUNDS", "PARTNERS_WITH"])
        mechanisms = rng.sample(["finance", "training", "legal"], rng.randint(0, 2))
        ties.append(
            rel(
                f"r{i:02d}",
                rel_type,
                a,
                b,
                status=rng.choice(["active", "active", "active", "ended"]),
                mechanisms=[] if rel_type == "PARTNERS_WITH" else mechanisms,
                sources=[
                    {"citation": c, "locator": "p. 1"}
                    for c in rng.sample(citations, rng.randint(1, 2))
                ],
            )
        )
    ties += [rel(f"p{i}", t.type, t.source, t.target) for i, t in enumerate(ties[:8])]
    store.load(Document(organizations=[org(n) for n in names], relationships=ties))
    live = [t for t in ties if t.type in ("ENABLES", "FUNDS") and t.status == "active"]
    towards_start = nx.MultiDiGraph()  # each enabling tie, pointing from the far end back
    towards_start.add_nodes_from(names)
    for t in live:
        far, near = (t.source, t.target) if upstream else (t.target, t.source)
        towards_start.add_edge(far, near, key=t.id, tie=t)
    for start in rng.sample(names, 8):
        expected = []
        reach = nx.single_source_shortest_path_length(towards_start.reverse(), start, cutoff=3)
        for node in sorted(reach, key=lambda n: (reach[n], n)):
            if node == start:
                continue
            chains = [
                [(b, t) for (a, b), t in zip(pairwise(path), choice, strict=True)]
                for path in nx.all_shortest_paths(towards_start, node, start)
                for choice in product(*(towards_start[a][b].values() for a, b in pairwise(path)))
            ]
            best = min(chains, key=lambda c: [(b, d["tie"].id) for b, d in c])
            chain = [d["tie"] for _, d in best]
            if not upstream:
                chain.reverse()
            sources = []
            for t in chain:
                sources += [s for s in t.sources if s not in sources]
            enabler_tie = chain[0]
            expected.append(
                (node, len(chain), [t.id for t in chain], enabler_tie.mechanisms, sources)
            )
        links = (enablers if upstream else enabled)(store, start, 3)
        got = [
            (k.organization.id, k.hops, [t.id for t in k.relationships], k.mechanisms, k.sources)
            for k in links
        ]
        assert got == expected, start
