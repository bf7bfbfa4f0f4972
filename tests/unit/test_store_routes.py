"""``app.store.routes.passing``: the shortest routes that still hold when some ties and
organisations do not count.

The routes are those of a diamond, stated here: s -> a -> e and s -> b -> e, with two
parallel ties between s and a; expected values are read off that shape.
"""

from __future__ import annotations

from app.domain.models import Organization, Relationship
from app.store.protocol import Subgraph
from app.store.routes import passing
from tests.factories import org, rel

DIAMOND = Subgraph(
    organizations=[org(i) for i in ("a", "b", "e", "s")],
    relationships=[
        rel("a-e", "PARTNERS_WITH", "a", "e"),
        rel("b-e", "PARTNERS_WITH", "e", "b"),  # either way round
        rel("s-a-1", "PARTNERS_WITH", "s", "a"),
        rel("s-a-2", "PARTNERS_WITH", "a", "s"),
        rel("s-b", "PARTNERS_WITH", "s", "b"),
    ],
    distances={"a": 1, "b": 1, "e": 2, "s": 0},
)


Kept = tuple[list[str], list[str], list[tuple[str, int]]]
"""The organisations, ties and hops of what is kept."""


def _kept(ties: frozenset[str] = frozenset(), orgs: frozenset[str] = frozenset()) -> Kept:
    def tie_counts(tie: Relationship) -> bool:
        return tie.id not in ties

    def organization_counts(o: Organization) -> bool:
        return o.id not in orgs

    found = passing(DIAMOND, "s", "e", tie_counts, organization_counts)
    return (
        [o.id for o in found.organizations],
        [r.id for r in found.relationships],
        sorted(found.distances.items()),
    )


def test_everything_counting_keeps_every_route() -> None:
    assert _kept() == (
        ["a", "b", "e", "s"],
        ["a-e", "b-e", "s-a-1", "s-a-2", "s-b"],
        [("a", 1), ("b", 1), ("e", 2), ("s", 0)],
    )


def test_a_parallel_tie_that_does_not_count_leaves_the_other() -> None:
    assert _kept(ties=frozenset({"s-a-1"}))[1] == ["a-e", "b-e", "s-a-2", "s-b"]


def test_an_organisation_that_does_not_count_takes_its_routes_away() -> None:
    assert _kept(orgs=frozenset({"a"})) == (
        ["b", "e", "s"],
        ["b-e", "s-b"],
        [("b", 1), ("e", 2), ("s", 0)],
    )


def test_a_route_cut_anywhere_is_gone_and_no_route_left_is_nothing() -> None:
    assert _kept(ties=frozenset({"s-a-1", "s-a-2"}))[1] == ["b-e", "s-b"]
    assert _kept(ties=frozenset({"a-e", "s-b"})) == ([], [], [])
    assert _kept(orgs=frozenset({"e"})) == ([], [], [])
