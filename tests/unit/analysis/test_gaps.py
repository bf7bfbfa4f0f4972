"""Coverage matrix and gaps, on hand-built graphs counted by hand and on the brief's seed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.analysis.gaps import GAP_KINDS, Gap, cells_without_sse_unit, coverage, gaps
from app.analysis.snapshot import Snapshot, build_snapshot
from app.analysis.traversal import enablers
from app.domain.models import Document, Organization, Relationship
from app.store.memory import MemoryStore
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
    """By hand: (CO, domestic_work) has union u and coop c; (CO, care_work) has c;
    (KE, street_vending) has worker organisation w only. The NGO n lists (CO, domestic_work)
    but counts only where it enables: u's cell. The ministry is not counted; the sector-less
    funder and the country-less network give no axis of their own."""
    return snap(
        [
            org("u", countries=["CO"], sectors=["domestic_work"]),
            coop("c", countries=["CO"], sectors=["domestic_work", "care_work"]),
            ngo("n", countries=["CO"], sectors=["domestic_work"]),
            worker_org("w", countries=["KE"], sectors=["street_vending"]),
            org("m", type="public_body", movement="public", countries=["CO"], sectors=["general"]),
            org("f", type="funder", movement="enabler", countries=["US"]),
            ngo("global", sectors=["transport"]),
        ],
        [
            rel("n-u", "ENABLES", "n", "u"),
            rel("u-c", "ESTABLISHED", "u", "c"),
            rel("f-c", "FUNDS", "f", "c"),
            rel("global-w", "PARTNERS_WITH", "global", "w"),
        ],
    )


def test_coverage_counts_by_hand() -> None:
    matrix = coverage(small_map())
    assert matrix.countries == ("CO", "KE")
    assert matrix.sectors == ("care_work", "domestic_work", "street_vending")
    cells = {(c.country, c.sector): c for c in matrix.cells}
    assert len(cells) == 2 * 3
    domestic = cells["CO", "domestic_work"]
    assert (domestic.unions, domestic.worker_organisations, domestic.sse_units) == (1, 0, 1)
    # n enables u; u established c; f funds c from the US: each counts once, u as well.
    assert domestic.organizations.enablers == ("f", "n", "u")
    assert domestic.enablers == 3
    care = cells["CO", "care_work"]
    # Only c lists care work; n reaches it through u (two ties), f and u directly.
    assert (care.unions, care.sse_units, care.organizations.enablers) == (0, 1, ("f", "n", "u"))
    street = cells["KE", "street_vending"]
    # A partnership is not an enabling tie.
    assert (street.worker_organisations, street.sse_units, street.enablers) == (1, 0, 0)
    assert street.organizations.worker_organisations == ("w",)
    empty = cells["KE", "care_work"]
    assert (empty.unions, empty.sse_units, empty.enablers) == (0, 0, 0)


def test_an_enabler_counts_within_four_ties_once_per_cell() -> None:
    """e5 -> e4 -> e3 -> e2 -> e1 -> a; e1 also enables b in the same cell; e2 funds an NGO
    that enables nobody placed, which places nobody."""
    chain = [ngo(f"e{i}") for i in range(1, 6)]
    ties = [rel(f"e{i + 1}-e{i}", "ENABLES", f"e{i + 1}", f"e{i}") for i in range(1, 5)]
    s = snap(
        [
            *chain,
            coop("a", countries=["KE"], sectors=["transport"]),
            coop("b", countries=["KE"], sectors=["transport"]),
            ngo("idle", countries=["RW"], sectors=["transport"]),
        ],
        [
            *ties,
            rel("e1-a", "ENABLES", "e1", "a"),
            rel("e1-b", "ENABLES", "e1", "b"),
            rel("e2-idle", "FUNDS", "e2", "idle"),
        ],
    )
    matrix = coverage(s)
    assert matrix.countries == ("KE",)
    [cell] = matrix.cells
    assert cell.organizations.enablers == ("e1", "e2", "e3", "e4")
    assert (cell.sse_units, cell.enablers) == (2, 4)


def test_planned_funding_does_not_count() -> None:
    s = snap(
        [coop("c", countries=["KE"], sectors=["transport"]), ngo("n")],
        [rel("n-c", "FUNDS", "n", "c", status="planned")],
    )
    assert [c.enablers for c in coverage(s).cells] == [0]


def test_seed_colombia_domestic_work_counts_ima_limpias_enablers(now: Snapshot) -> None:
    # Box 3: UTRASD developed IMA Limpia "with financial and technical support from enabling
    # partners including the French Development Agency, CARE Latin America and the Caribbean
    # and Fundación Bien Humano"; the AFD is based in France, the others list no sector.
    cells = {(c.country, c.sector): c for c in coverage(now, country="CO").cells}
    domestic = cells["CO", "domestic_work"]
    assert domestic.organizations.unions == ("utrasd",)
    assert domestic.organizations.sse_units == ("ima-limpia",)
    assert domestic.organizations.enablers == (
        "afd",
        "care-lac",
        "fundacion-bien-humano",
        "utrasd",
    )
    assert domestic.enablers == 4


def test_seed_enablers_match_the_traversal(seed: Document, tmp_path: Path) -> None:
    """Every cell's enablers are the organisations ``/enablers?depth=4`` finds for one of its
    organisations, through the store's own hop-by-hop traversal."""
    store = MemoryStore(tmp_path / "data")
    store.load(seed)
    matrix = coverage(build_snapshot(seed, 1, None))
    for cell in matrix.cells:
        ids = cell.organizations
        placed = ids.unions + ids.worker_organisations + ids.sse_units
        expected = {link.organization.id for o in placed for link in enablers(store, o, 4)}
        assert set(ids.enablers) == expected, (cell.country, cell.sector)
    store.close()


def test_coverage_filters_narrow_the_axes() -> None:
    matrix = coverage(small_map(), country="CO", sector="care_work")
    assert (matrix.countries, matrix.sectors) == (("CO",), ("care_work",))
    assert [c.sse_units for c in matrix.cells] == [1]
    # Kenya lists street vending only.
    assert coverage(small_map(), country="KE").sectors == ("street_vending",)


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
    assert found[0].why.startswith("In Uganda, the transport sector has union-side")


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


def test_funding_sought_but_not_found_is_niscofs_sacco_now(seed: Document) -> None:
    """Box 6: the SACCO collapsed with the pandemic and NISCOF seeks seed money to revive it;
    in 2019 NISCOF still funded it, so nothing was sought in vain then."""
    now = [g for g in gaps(build_snapshot(seed, 1, None)) if g.kind == "funding_sought_not_found"]
    assert [g.organizations for g in now] == [("niscof", "niscof-sacco")]
    assert now[0].why.startswith("NISCOF seeks funding for NISCOF SACCO (now collapsed)")
    then = gaps(build_snapshot(seed, 1, 2019))
    assert [g for g in then if g.kind == "funding_sought_not_found"] == []


def test_funding_sought_by_hand() -> None:
    """Funding sought for a cooperative no one funds is a gap; once a funder is in force, not.
    A planned grant names its funder, so it is not funding sought."""
    orgs = [
        org("union"),
        org("coop", type="cooperative", movement="sse"),
        org("fund", type="funder", movement="enabler"),
    ]
    sought = rel("union-seeks-coop", "SEEKS_FUNDING_FOR", "union", "coop")
    pledge = rel("fund-will-fund-coop", "FUNDS", "fund", "coop", status="planned")
    alone = build_snapshot(Document(organizations=orgs, relationships=[sought, pledge]), 1, None)
    assert [g.organizations for g in gaps(alone) if g.kind == "funding_sought_not_found"] == [
        ("union", "coop")
    ]
    grant = rel("fund-funds-coop", "FUNDS", "fund", "coop")
    funded = build_snapshot(Document(organizations=orgs, relationships=[sought, grant]), 1, None)
    assert [g for g in gaps(funded) if g.kind == "funding_sought_not_found"] == []
    pledged = build_snapshot(Document(organizations=orgs, relationships=[pledge]), 1, None)
    assert [g for g in gaps(pledged) if g.kind == "funding_sought_not_found"] == []
