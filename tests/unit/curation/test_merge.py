"""Merge plans: what the kept organisation learns and what becomes of every relationship."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.curation.merge import MergePlan, plan_merge
from app.domain.errors import InvalidData
from app.domain.models import Organization, Relationship, Source
from app.domain.text import fold
from tests.factories import SOURCE, org, rel

# The brief's table of partnership types cites "ILO 2019" for SEWA and VimoSEWA.
ILO_2019 = {"citation": "ILO 2019", "locator": "Table: partnership types"}
SEWA_NAME = "Self-Employment Women\u2019s Association"


def _sewa_pair() -> tuple[Organization, Organization]:
    keep = org(
        "sewa",
        SEWA_NAME,
        aliases=["SEWA"],
        type="informal_workers_organisation",
        movement="informal_workers",
        countries=["IN"],
        sectors=["general"],
        identifiers=["XI-EXAMPLE-1"],
    )
    drop = org(
        "sewa-india",
        "Self Employment Womens Association",
        aliases=["sewa", "S.E.W.A.", SEWA_NAME.upper()],
        type="ngo",
        movement="enabler",
        countries=["IN", "ZA"],
        sectors=["home_based_work", "general"],
        founded=1980,
        status="dissolved",
        description="A second record of SEWA, made for this test.",
        identifiers=["xi-example-1", "XI-EXAMPLE-2"],
        sources=[SOURCE, ILO_2019],
    )
    return keep, drop


def test_kept_organisation_learns_what_the_dropped_one_knows() -> None:
    keep, drop = _sewa_pair()
    merged = plan_merge(keep, drop, []).organization
    # Names compare folded (case and accents only): "sewa" is SEWA, and the upper-case full
    # name is the kept name, so neither is added; the other spellings differ and are kept
    # as aliases, so that a search for them finds the merged record.
    assert merged.name == SEWA_NAME
    assert merged.aliases == ["SEWA", "Self Employment Womens Association", "S.E.W.A."]
    assert fold(merged.name) not in {fold(a) for a in merged.aliases}
    assert merged.identifiers == ["XI-EXAMPLE-1", "XI-EXAMPLE-2"]
    assert merged.countries == ["IN", "ZA"]
    assert merged.sectors == ["general", "home_based_work"]
    assert merged.sources == [Source.model_validate(SOURCE), Source.model_validate(ILO_2019)]
    # Missing on the kept record, so taken from the dropped one.
    assert merged.founded == 1980
    assert merged.description == "A second record of SEWA, made for this test."
    # Always the kept record's.
    assert (merged.id, merged.type, merged.movement, merged.status) == (
        "sewa",
        "informal_workers_organisation",
        "informal_workers",
        "active",
    )


def test_kept_values_win_when_both_have_one() -> None:
    keep = org("k", "Kept", founded=1972, description="kept")
    drop = org("d", "Dropped", founded=1990, description="dropped")
    merged = plan_merge(keep, drop, []).organization
    assert (merged.founded, merged.description, merged.aliases) == (1972, "kept", ["Dropped"])


def test_cannot_merge_an_organisation_into_itself() -> None:
    keep, _ = _sewa_pair()
    with pytest.raises(InvalidData) as raised:
        plan_merge(keep, keep, [])
    [problem] = raised.value.problems
    assert (problem.record, problem.field) == ("organization 'sewa'", "id")


def test_relationships_are_moved_folded_or_deleted() -> None:
    keep, drop = org("k"), org("d")
    other = {"sources": [ILO_2019]}
    relationships = [
        # Moved: nothing like it on the kept side.
        rel("d-established-x", "ESTABLISHED", "d", "x"),
        # A tie between the two would be a loop.
        rel("d-partners-k", "PARTNERS_WITH", "d", "k"),
        # The same funder and mechanism on both sides: one tie, with both sources.
        rel("y-funds-k", "FUNDS", "y", "k", mechanisms=["finance"]),
        rel("y-funds-d", "FUNDS", "y", "d", mechanisms=["finance"], activities=["seed"], **other),
        # Two grants of different amounts are two facts: both stay.
        rel("z-funds-k", "FUNDS", "z", "k", amount=100.0, currency="GBP"),
        rel("z-funds-d", "FUNDS", "z", "d", amount=200.0, currency="GBP"),
        # Direct and indirect enabling differ: both stay.
        rel("k-enables-x", "ENABLES", "k", "x", mode="direct"),
        rel("d-enables-x", "ENABLES", "d", "x", mode="indirect"),
        # PARTNERS_WITH is symmetric in the vocabulary, so x-d repeats k-x.
        rel("k-partners-x", "PARTNERS_WITH", "k", "x"),
        rel("x-partners-d", "PARTNERS_WITH", "x", "d", level="meso"),
    ]
    plan = plan_merge(keep, drop, relationships)
    assert plan.delete_organization == "d"
    assert plan.delete_relationships == ["d-partners-k", "y-funds-d", "x-partners-d"]
    put = {r.id: r for r in plan.put_relationships}
    assert list(put) == [
        "d-established-x",
        "y-funds-k",
        "z-funds-d",
        "d-enables-x",
        "k-partners-x",
    ]
    assert (put["d-established-x"].source, put["d-established-x"].target) == ("k", "x")
    assert put["y-funds-k"].activities == ["seed"]
    assert put["y-funds-k"].mechanisms == ["finance"]
    assert put["y-funds-k"].sources == [Source.model_validate(s) for s in (SOURCE, ILO_2019)]
    assert (put["z-funds-d"].target, put["z-funds-d"].amount) == ("k", 200.0)
    assert (put["d-enables-x"].source, put["d-enables-x"].mode) == ("k", "indirect")
    # The survivor keeps its direction and gains the level it lacked.
    assert (put["k-partners-x"].source, put["k-partners-x"].level) == ("k", "meso")


def test_a_detail_set_on_one_side_only_is_kept() -> None:
    # A FUNDS tie without an amount and the same grant with one are one tie with the amount.
    plan = plan_merge(
        org("k"),
        org("d"),
        [
            rel("f-funds-k", "FUNDS", "f", "k", since=2019),
            rel("f-funds-d", "FUNDS", "f", "d", amount=25000.0, currency="GBP"),
        ],
    )
    assert plan.delete_relationships == ["f-funds-d"]
    [survivor] = plan.put_relationships
    assert (survivor.id, survivor.since, survivor.amount, survivor.currency) == (
        "f-funds-k",
        2019,
        25000.0,
        "GBP",
    )


def test_ties_that_would_not_validate_together_stay_apart() -> None:
    # since 2020 from one and until 2015 from the other would end before it began.
    plan = plan_merge(
        org("k"),
        org("d"),
        [
            rel("x-member-k", "MEMBER_OF", "k", "x", since=2020),
            rel("x-member-d", "MEMBER_OF", "d", "x", until=2015),
        ],
    )
    assert plan.delete_relationships == []
    [moved] = plan.put_relationships
    assert (moved.id, moved.source, moved.until) == ("x-member-d", "k", 2015)


def test_two_ties_of_the_dropped_one_are_not_folded_together() -> None:
    # Two grants from one funder to the dropped record were separate before the merge.
    plan = plan_merge(
        org("k"),
        org("d"),
        [
            rel("grant-1", "FUNDS", "f", "d"),
            rel("grant-2", "FUNDS", "f", "d"),
        ],
    )
    assert [r.id for r in plan.put_relationships] == ["grant-1", "grant-2"]
    assert plan.delete_relationships == []


# Generated merges: keep "k", drop "d", and three others, joined by random ties.
ENDS = ["k", "d", "x", "y", "z"]
TYPES = ["FUNDS", "PARTNERS_WITH", "MEMBER_OF", "ENABLES"]


@st.composite
def ties(draw: st.DrawFn) -> list[Relationship]:
    found = []
    for index in range(draw(st.integers(0, 12))):
        source, target = draw(st.lists(st.sampled_from(ENDS), min_size=2, max_size=2, unique=True))
        kind = draw(st.sampled_from(TYPES))
        since = draw(st.none() | st.integers(2000, 2015))
        fields: dict[str, object] = {
            "since": since,
            "until": draw(st.none() | st.integers(since or 2000, 2020)),
            "activities": draw(st.lists(st.sampled_from(["training", "Training", "loans"]))),
            "sources": [draw(st.sampled_from([SOURCE, ILO_2019]))],
        }
        if kind == "FUNDS":
            amount = draw(st.none() | st.sampled_from([100.0, 200.0]))
            fields |= {"amount": amount, "currency": None if amount is None else "USD"}
        if kind == "ENABLES":
            fields["mode"] = draw(st.sampled_from(["direct", "indirect"]))
        if kind in {"FUNDS", "ENABLES"}:
            fields["mechanisms"] = draw(
                st.lists(st.sampled_from(["finance", "training"]), unique=True)
            )
        found.append(rel(f"r{index}", kind, source, target, **fields))
    return found


def _check(plan: MergePlan, relationships: list[Relationship]) -> None:
    put_ids = [r.id for r in plan.put_relationships]
    assert all("d" not in (r.source, r.target) for r in plan.put_relationships)
    assert all(r.source != r.target for r in plan.put_relationships)
    counts = Counter(put_ids + plan.delete_relationships)
    for r in relationships:
        if "d" in (r.source, r.target):
            assert counts[r.id] == 1, r.id
        else:
            assert r.id not in plan.delete_relationships
            assert counts[r.id] <= 1
    # Nothing a deleted tie cited is lost, unless it was a tie between the two.
    cited = {s for r in plan.put_relationships for s in r.sources}
    by_id = {r.id: r for r in relationships}
    for gone in plan.delete_relationships:
        if {by_id[gone].source, by_id[gone].target} != {"k", "d"}:
            assert set(by_id[gone].sources) <= cited


@given(ties())
def test_a_merge_never_points_at_the_dropped_id_nor_makes_a_loop(
    relationships: list[Relationship],
) -> None:
    plan = plan_merge(org("k"), org("d"), relationships)
    _check(plan, relationships)
    assert plan.delete_organization == "d"
