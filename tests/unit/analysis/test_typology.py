"""The partnership typology against the brief's table of partnership types.

Expected types are read off the table ("Partnerships between trade unions and the SSE to
support informal economy workers") and Box 6; the hand-built graphs check each rule alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.analysis.snapshot import Snapshot, build_snapshot
from app.analysis.typology import partnership, partnerships
from app.domain.models import Document, Organization, Relationship
from tests.factories import org, rel


@pytest.fixture(scope="module")
def now(seed: Document) -> Snapshot:
    return build_snapshot(seed, version=1, as_of=None)


def snap(orgs: list[Organization], rels: list[Relationship]) -> Snapshot:
    return build_snapshot(Document(organizations=orgs, relationships=rels), 1, None)


def coop(id: str, **fields: Any) -> Organization:
    return org(id, type="cooperative", movement="sse", **fields)


def ngo(id: str) -> Organization:
    return org(id, type="ngo", movement="enabler")


def worker_org(id: str) -> Organization:
    return org(id, type="informal_workers_organisation", movement="informal_workers")


@pytest.mark.parametrize(
    ("union_side", "sse_unit", "expected"),
    [
        # Table, type 1: "the National Union of Domestic Workers (FENAMUTRA) established the
        # COOPFENAMUTRA cooperative".
        (["fenamutra"], "coopfenamutra", 1),
        # Table, type 1: "SEWA has developed multiple SSE entities, such as VimoSEWA
        # Cooperative Limited".
        (["sewa"], "vimosewa", 1),
        # Table, type 1: "NUDE has established the Service Workers Centre Cooperative Society
        # Limited (SWCC)".
        (["nude"], "swcc", 1),
        # Table, type 2: "the creation of ... UNISOL Brazil ... with the active participation
        # of the national Central Única dos Trabalhadores (CUT)".
        (["cut"], "unisol-brasil", 2),
        # Table, type 2: "CESTRAR approached motorcycle taxi driver mutual fund members in
        # Kigali and supported their efforts toward organizing into unions".
        (["cestrar"], "kigali-motorcycle-taxi-mutual-fund", 2),
        # Table, type 3: "Social Law Project has led the Digital Platform Cooperative Project
        # ... established in partnership with ... SADSAWU and with ... UDWOSA".
        (["sadsawu", "udwosa"], "digital-platform-cooperative-project", 3),
    ],
)
def test_seed_reproduces_the_briefs_table(
    now: Snapshot, union_side: list[str], sse_unit: str, expected: int
) -> None:
    found = partnership(now, sse_unit)
    assert found is not None
    assert found.type == expected, found.explanation
    assert found.members == tuple(sorted([sse_unit, *union_side]))
    assert found.id == f"partnership-{sse_unit}"


def test_type_3_names_the_social_law_project_as_enabler(now: Snapshot) -> None:
    # Box 5: the platform cooperative is "facilitated by the Social Law Project (SLP)".
    found = partnership(now, "digital-platform-cooperative-project")
    assert found is not None
    assert found.enablers == ("slp",)
    assert "SLP" in found.explanation and "type 3" in found.explanation


def test_a_union_that_facilitates_stays_type_2(now: Snapshot) -> None:
    # The seed has CUT both PARTNERS_WITH and ENABLES (facilitation) UNISOL; CUT is a union
    # federation, not an enabling partner, so the table's type 2 must hold.
    facilitation = [
        r
        for r in now.relationships.values()
        if (r.source, r.target, r.type) == ("cut", "unisol-brasil", "ENABLES")
    ]
    assert facilitation and "facilitation" in facilitation[0].mechanisms
    found = partnership(now, "unisol-brasil")
    assert found is not None and found.type == 2
    # Box 4: CUT provides "technical support through the Agency for Development Solidarity".
    assert found.enablers == ("ads",)


def test_niscof_sacco_is_type_1_before_it_collapsed(seed: Document) -> None:
    # Box 6: NISCOF "used their share to seed fund a Savings and Credit Cooperative"; "The
    # NISCOF SACCO operated until the onset of the Covid-19 pandemic".
    before = partnership(build_snapshot(seed, 1, 2019), "niscof-sacco")
    assert before is not None and before.type == 1
    assert partnership(build_snapshot(seed, 1, None), "niscof-sacco") is None


def test_filters(now: Snapshot) -> None:
    assert {p.sse_unit for p in partnerships(now, country="ZA")} == {
        "digital-platform-cooperative-project"
    }
    # The Kigali mutual fund is the seed's only transport SSE unit tied to a union.
    assert [p.sse_unit for p in partnerships(now, sector="transport")] == [
        "kigali-motorcycle-taxi-mutual-fund"
    ]
    type_1 = partnerships(now, types={1})
    assert type_1 and all(p.type == 1 for p in type_1)
    assert {"coopfenamutra", "vimosewa", "swcc"} <= {p.sse_unit for p in type_1}
    # UTEP, an informal workers' organisation "linked to various SSE initiatives", neither
    # established them nor is a trade union: those partnerships fit none of the types.
    assert {p.sse_unit for p in partnerships(now, types={None})} == {
        "utep-healthcare-mutual",
        "utep-workers-kitchens",
    }


def test_worker_organisation_that_did_not_establish_fits_none() -> None:
    s = snap([worker_org("w"), coop("c")], [rel("w-c", "PARTNERS_WITH", "w", "c")])
    found = partnership(s, "c")
    assert found is not None
    assert found.type is None
    assert "fits none" in found.explanation


def test_worker_organisation_that_established_is_type_1() -> None:
    s = snap([worker_org("w"), coop("c")], [rel("w-c", "ESTABLISHED", "w", "c")])
    found = partnership(s, "c")
    assert found is not None and found.type == 1


def test_type_3_needs_the_enabling_partner_tied_to_the_union_side() -> None:
    orgs = [org("u"), coop("c"), ngo("n")]
    rels = [
        rel("u-c", "PARTNERS_WITH", "u", "c"),
        rel("n-c", "ENABLES", "n", "c", mechanisms=["facilitation"]),
    ]
    untied = partnership(snap(orgs, rels), "c")
    assert untied is not None and untied.type == 2
    tied = partnership(snap(orgs, [*rels, rel("n-u", "PARTNERS_WITH", "n", "u")]), "c")
    assert tied is not None and tied.type == 3


def test_type_3_needs_an_enabling_partner_not_a_union() -> None:
    # A federation that facilitates the coop and is tied to a member union is itself on the
    # union side: the table's type 3 is "established through an enabling partner".
    orgs = [org("u"), coop("c"), org("fed", type="union_federation")]
    rels = [
        rel("u-c", "PARTNERS_WITH", "u", "c"),
        rel("fed-c", "ENABLES", "fed", "c", mechanisms=["facilitation"]),
        rel("u-fed", "AFFILIATE_OF", "u", "fed"),
    ]
    found = partnership(snap(orgs, rels), "c")
    assert found is not None and found.type == 2


def test_type_3_needs_facilitation_or_founding() -> None:
    orgs = [org("u"), coop("c"), ngo("n")]
    rels = [
        rel("u-c", "PARTNERS_WITH", "u", "c"),
        rel("n-u", "PARTNERS_WITH", "n", "u"),
        rel("n-c", "ENABLES", "n", "c", mechanisms=["training"]),
    ]
    training = partnership(snap(orgs, rels), "c")
    assert training is not None and training.type == 2
    founded = [*rels[:2], rel("n-c", "ESTABLISHED", "n", "c")]
    established = partnership(snap(orgs, founded), "c")
    assert established is not None and established.type == 3


def test_enablers_rule() -> None:
    # Into the SSE unit: anyone who is not a member counts (here a second cooperative).
    # Into a union-side member: only an enabling partner proper (family `enablers`) counts,
    # so the funder does and the federation does not; members never count.
    orgs = [
        org("u"),
        coop("c"),
        coop("sister"),
        org("fund", type="funder", movement="enabler"),
        org("fed", type="union_federation"),
    ]
    rels = [
        rel("u-c", "ESTABLISHED", "u", "c"),
        rel("u-enables-c", "ENABLES", "u", "c"),
        rel("sister-c", "ENABLES", "sister", "c"),
        rel("fund-u", "FUNDS", "fund", "u"),
        rel("fed-u", "ENABLES", "fed", "u"),
    ]
    found = partnership(snap(orgs, rels), "c")
    assert found is not None
    assert found.enablers == ("fund", "sister")


def test_members_countries_and_sectors_are_united() -> None:
    orgs = [
        org("u", countries=["CO"], sectors=["domestic_work"]),
        coop("c", countries=["EC"], sectors=["care_work"]),
    ]
    found = partnership(snap(orgs, [rel("u-c", "MEMBER_OF", "c", "u")]), "c")
    assert found is not None
    assert found.countries == ("CO", "EC")
    assert found.sectors == ("care_work", "domestic_work")


def test_no_partnership_without_a_union_side_tie() -> None:
    s = snap([coop("c"), ngo("n")], [rel("n-c", "ENABLES", "n", "c")])
    assert partnership(s, "c") is None
    assert partnership(s, "n") is None, "an NGO is not an SSE unit"
    assert partnership(s, "absent") is None
    assert partnerships(s) == ()
