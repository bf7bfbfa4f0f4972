"""Coverage matrix and gaps, on hand-built graphs counted by hand and on the brief's seed."""

from __future__ import annotations

from typing import Any

import pytest

from app.analysis.gaps import GAP_KINDS, Gap, cells_without_sse_unit, coverage, gaps
from app.analysis.snapshot import Snapshot, build_snapshot
from app.domain.models import Document, Organization, Relationship
from tests.factories import org, rel


@pytest.fixture(scope="module")
def now(seed: Document) -> Snapshot:
    return build_snapshot(seed, version=1, as_of=None)


def snap(orgs: list[Organization], rels: list[Relationship] | None = None) -> Snapshot:
    return build_snapshot(Document(organizations=orgs, relationships=rels or []), 1, None)


def coop(id: str, **fields: Any) -> Organization:
    return org(id, type="cooperative", movement="sse", **fields)


def ngo(id: str, **fields: Any) -> Organization:
    return org(id, type="ngo", movement="enabler", **fields)


def worker_org(id: str, **fields: Any) -> Organization:
    return org(id, type="informal_workers_organisation", movement="informal_workers", **fields)


def of_kind(found: tuple[Gap, ...], kind: str) -> list[tuple[str, ...]]:
    return [g.organizations for g in found if g.kind == kind]


def small_map() -> Snapshot:
    """By hand: (CO, domestic_work) has union u, coop c and ngo n; (CO, care_work) has c;
    (KE, street_vending) has worker organisation w only. The ministry is not counted; the
    sector-less funder and the country-less network give no axis of their own."""
    return snap(
        [
            org("u", countries=["CO"], sectors=["domestic_work"]),
            coop("c", countries=["CO"], sectors=["domestic_work", "care_work"]),
            ngo("n", countries=["CO"], sectors=["domestic_work"]),
            worker_org("w", countries=["KE"], sectors=["street_vending"]),
            org("m", type="public_body", movement="public", countries=["CO"], sectors=["general"]),
            org("f", type="funder", movement="enabler", countries=["US"]),
            ngo("global", sectors=["transport"]),
        ]
    )


def test_coverage_counts_by_hand() -> None:
    matrix = coverage(small_map())
    assert matrix.countries == ("CO", "KE")
    assert matrix.sectors == ("care_work", "domestic_work", "general", "street_vending")
    cells = {(c.country, c.sector): c for c in matrix.cells}
    assert len(cells) == 2 * 4
    domestic = cells["CO", "domestic_work"]
    assert (domestic.unions, domestic.worker_organisations, domestic.sse_units) == (1, 0, 1)
    assert domestic.enablers == 1
    care = cells["CO", "care_work"]
    assert (care.unions, care.sse_units, care.enablers) == (0, 1, 0)
    street = cells["KE", "street_vending"]
    assert (street.worker_organisations, street.sse_units) == (1, 0)
    general = cells["CO", "general"]
    assert (general.unions, general.sse_units, general.enablers) == (0, 0, 0)


def test_coverage_filters_narrow_the_axes() -> None:
    matrix = coverage(small_map(), country="CO", sector="care_work")
    assert (matrix.countries, matrix.sectors) == (("CO",), ("care_work",))
    assert [c.sse_units for c in matrix.cells] == [1]


def test_cell_without_sse_unit_by_hand() -> None:
    found = cells_without_sse_unit(small_map())
    # Only (KE, street_vending) has a union-side organisation (w) and no SSE unit.
    assert [(g.country, g.sector, g.organizations) for g in found] == [
        ("KE", "street_vending", ("w",))
    ]


def test_seed_uganda_transport_has_no_sse_unit(now: Snapshot) -> None:
    # The brief's only Ugandan actor is ATGWU, a transport union ("Improving the structural
    # environment"); it names no SSE unit there.
    found = gaps(now, country="UG")
    assert [(g.kind, g.organizations, g.sector) for g in found] == [
        ("cell_without_sse_unit", ("atgwu",), "transport")
    ]
    assert "Ways forward" in found[0].why


def test_worker_organisation_without_union_ally() -> None:
    s = snap(
        [worker_org("alone"), worker_org("allied"), org("u"), ngo("n")],
        [rel("n-alone", "ENABLES", "n", "alone"), rel("u-allied", "PARTNERS_WITH", "allied", "u")],
    )
    assert of_kind(gaps(s), "worker_organisation_without_union_ally") == [("alone",)]


def test_seed_niscof_has_a_union_ally_and_kenasvit_has_none(now: Snapshot) -> None:
    # "COTU-K support to NISCOF in Kenya" (Improving the structural environment); the brief
    # ties KENASVIT to no union.
    found = of_kind(gaps(now), "worker_organisation_without_union_ally")
    assert ("kenasvit",) in found
    assert ("niscof",) not in found


def test_single_enabler_dependency() -> None:
    # one: two ties from the same NGO (still one organisation); two: enabled by two NGOs;
    # none: no enabling tie at all.
    s = snap(
        [coop("one"), coop("two"), coop("none"), ngo("a"), ngo("b")],
        [
            rel("a-one", "ENABLES", "a", "one"),
            rel("a-funds-one", "FUNDS", "a", "one"),
            rel("a-two", "ENABLES", "a", "two"),
            rel("b-two", "ENABLES", "b", "two"),
        ],
    )
    assert of_kind(gaps(s), "single_enabler_dependency") == [("one", "a")]


def test_seed_platform_cooperative_depends_on_slp_alone(now: Snapshot) -> None:
    # Box 5: "The ILO was an early facilitator" (ended); SLP is the enabling partner now.
    # Box 3: IMA Limpia had support from "the French Development Agency, CARE Latin America
    # and the Caribbean and Fundación Bien Humano".
    found = of_kind(gaps(now), "single_enabler_dependency")
    assert ("digital-platform-cooperative-project", "slp") in found
    assert not [g for g in found if g[0] == "ima-limpia"]


def test_seed_partnership_without_enabler(now: Snapshot) -> None:
    # The table names no enabling partner for NUDE and SWCC; SLP enables the platform coop.
    found = of_kind(gaps(now), "partnership_without_enabler")
    assert ("nude", "swcc") in found
    assert not [g for g in found if "digital-platform-cooperative-project" in g]


def test_single_point_of_failure_by_hand() -> None:
    # funder -> ngo -> coop: without the NGO the funder no longer reaches the coop.
    # a -> hub <- b: hub is an articulation point but nobody reaches anyone through it.
    s = snap(
        [
            org("funder", type="funder", movement="enabler"),
            ngo("ngo"),
            coop("coop"),
            ngo("a"),
            ngo("b"),
            coop("hub"),
        ],
        [
            rel("funder-ngo", "FUNDS", "funder", "ngo"),
            rel("ngo-coop", "ENABLES", "ngo", "coop"),
            rel("a-hub", "ENABLES", "a", "hub"),
            rel("b-hub", "ENABLES", "b", "hub"),
        ],
    )
    assert of_kind(gaps(s), "single_point_of_failure") == [("ngo",)]


def test_seed_sacco_was_a_single_point_of_failure_in_2019(seed: Document) -> None:
    # Box 6: NISCOF seeded the SACCO, which "provided a revolving fund for various self-help
    # groups (SHGs) of street vendors in Nairobi".
    found = of_kind(gaps(build_snapshot(seed, 1, 2019)), "single_point_of_failure")
    assert ("niscof-sacco",) in found


def test_filters_and_order(now: Snapshot) -> None:
    everything = gaps(now)
    kinds = [GAP_KINDS.index(g.kind) for g in everything]
    assert kinds == sorted(kinds)
    assert set(GAP_KINDS) == {g.kind for g in everything}
    kenya = gaps(now, country="KE")
    assert kenya and all(
        g.country == "KE" or any("KE" in now.organizations[o].countries for o in g.organizations)
        for g in kenya
    )
    assert len(kenya) < len(everything)
    domestic = gaps(now, sector="domestic_work")
    assert domestic and all(
        g.sector == "domestic_work"
        or any("domestic_work" in now.organizations[o].sectors for o in g.organizations)
        for g in domestic
    )
