"""A funder's shortlist: gaps closed by matches, each once, worked out by hand from small
graphs written here; the choice exact when small, greedy with its guarantee otherwise."""

from __future__ import annotations

from itertools import combinations
from math import e
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.analysis.gaps import gaps
from app.analysis.shortlist import cover, remedy, shortlist
from app.analysis.snapshot import Snapshot, build_snapshot
from app.domain.models import Document
from tests.factories import org, rel


def vendors() -> Snapshot:
    """Kenya's street vending, in small. w (an informal workers' organisation) established
    the cooperative s and seeks funding for it; the union u partners with the cooperative s2,
    which the NGO e enables with training and the funder f funds.

    Its gaps, by the rules of app.analysis.gaps, in their order:
    0. funding w seeks for s, which no funder supports;
    1. w has no tie to a union;
    2. all of s's enabling support comes from w;
    3. the partnership of w and s has no enabling partner.
    (s2 has two enablers; the cell has SSE units; no one both gives and receives support.)
    """
    vendor: dict[str, Any] = {"countries": ["KE"], "sectors": ["street_vending"]}
    coop: dict[str, Any] = {"type": "cooperative", "movement": "sse", **vendor}
    return build_snapshot(
        Document(
            organizations=[
                org(
                    "w", type="informal_workers_organisation", movement="informal_workers", **vendor
                ),
                org("u", **vendor),
                org("s", **coop),
                org("s2", **coop),
                org("e", type="ngo", movement="enabler", countries=["KE"]),
                org("f", type="funder", movement="enabler"),
            ],
            relationships=[
                rel("w-s", "ESTABLISHED", "w", "s"),
                rel("w-seeks-s", "SEEKS_FUNDING_FOR", "w", "s"),
                rel("e-s2", "ENABLES", "e", "s2", mechanisms=["training"]),
                rel("f-s2", "FUNDS", "f", "s2", mechanisms=["finance"]),
                rel("u-s2", "PARTNERS_WITH", "u", "s2"),
            ],
        ),
        1,
        None,
    )


def test_the_graphs_gaps_are_the_four_worked_out() -> None:
    found = gaps(vendors())
    assert [(g.kind, g.organizations) for g in found] == [
        ("funding_sought_not_found", ("w", "s")),
        ("worker_organisation_without_union_ally", ("w",)),
        ("single_enabler_dependency", ("s", "w")),
        ("partnership_without_enabler", ("s", "w")),
    ]
    s = vendors()
    assert [(r.kind, r.organizations) for r in map(lambda g: remedy(s, g), found) if r] == [
        ("enabler", ("s",)),
        ("partner", ("w",)),
        ("enabler", ("s",)),
        ("enabler", ("s",)),
    ]


def test_each_gap_is_closed_once_by_the_introductions_that_close_the_most() -> None:
    # Enabler matches for s: e and f, both active in Kenya's street vending (they enable
    # s2). e gives training: it closes gaps 2 and 3. f gives money: it closes 0, 2 and 3.
    # Partner match for w: the union u, in its country and sector, closes gap 1 (s2 is no
    # union; s is tied to w already). So one introduction closes three gaps (f), two close
    # all four (f, then u); e adds nothing after f, so a third is not made.
    s = vendors()
    one = shortlist(s, 1)
    assert [(p.kind, p.organization, p.match.organization) for p in one.picks] == [
        ("enabler", "s", "f")
    ]
    assert [g.kind for g in one.picks[0].closes] == [
        "funding_sought_not_found",
        "single_enabler_dependency",
        "partnership_without_enabler",
    ]
    assert (one.closed, one.closable, one.gaps, one.method) == (3, 4, 4, "exact")
    three = shortlist(s, 3)
    assert [(p.organization, p.match.organization) for p in three.picks] == [("s", "f"), ("w", "u")]
    assert [g.kind for g in three.picks[1].closes] == ["worker_organisation_without_union_ally"]
    assert three.closed == 4
    greedy = shortlist(s, 3, exact_limit=0)
    assert greedy.method == "greedy" and greedy.picks == three.picks
    assert "1 - 1/e" in greedy.how and "Nemhauser, Wolsey and Fisher 1978" in greedy.how


def test_a_federation_across_sectors_closes_its_cells_gap_with_an_sse_unit_there() -> None:
    # Kenya's federation c lists "general" (across sectors) and no SSE unit does: the cell
    # Kenya x general has a union but no SSE unit. The self-help group h works in Kenya's
    # street vending; in Kenya, working across sectors shares it, so c and h could partner,
    # and an SSE unit would then serve the federation's cell. (The seed's COTU-K and the
    # Nairobi self-help groups, Box 6.)
    s = build_snapshot(
        Document(
            organizations=[
                org("c", type="union_federation", countries=["KE"], sectors=["general"]),
                org(
                    "h",
                    type="self_help_group",
                    movement="sse",
                    countries=["KE"],
                    sectors=["street_vending"],
                ),
            ]
        ),
        1,
        None,
    )
    [gap] = gaps(s)
    assert (gap.kind, gap.country, gap.sector) == ("cell_without_sse_unit", "KE", "general")
    [pick] = shortlist(s, 5).picks
    assert (pick.kind, pick.organization, pick.match.organization) == ("partner", "c", "h")


def test_an_organisation_all_support_runs_through_has_no_remedy(seed: Document) -> None:
    s = build_snapshot(seed, 1, None)
    points = [g for g in gaps(s) if g.kind == "single_point_of_failure"]
    assert points and all(remedy(s, g) is None for g in points)


def test_exact_beats_greedy_where_greedy_takes_the_biggest_set_first() -> None:
    # The textbook case: {0,1,2,3} is biggest, but {0,1,4} and {2,3,5} together cover six.
    # Greedy takes the biggest first, then one more element: five. Exact finds six.
    sets = [frozenset({0, 1, 2, 3}), frozenset({0, 1, 4}), frozenset({2, 3, 5})]
    assert cover(sets, [1, 1, 1], 2) == ((1, 2), "exact")
    assert cover(sets, [1, 1, 1], 2, exact_limit=0) == ((0, 1), "greedy")


def covered(sets: list[frozenset[int]], chosen: tuple[int, ...]) -> int:
    return len(frozenset().union(*(sets[i] for i in chosen)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.frozensets(st.integers(0, 11), min_size=1, max_size=6), min_size=1, max_size=9),
    st.integers(1, 4),
)
def test_greedy_closes_at_least_1_minus_1_over_e_of_the_best(
    sets: list[frozenset[int]], n: int
) -> None:
    # Independent of the module: the best by brute force over every choice of n.
    best = max(covered(sets, c) for c in combinations(range(len(sets)), min(n, len(sets))))
    exact, _ = cover(sets, [0] * len(sets), n)
    greedy, method = cover(sets, [0] * len(sets), n, exact_limit=0)
    assert method == "greedy"
    assert covered(sets, exact) == best
    assert covered(sets, greedy) >= (1 - 1 / e) * best
    assert len(greedy) <= n and len(set(greedy)) == len(greedy)
