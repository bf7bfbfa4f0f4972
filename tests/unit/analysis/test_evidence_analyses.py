"""Every analysis weighs evidence: under ``basis="stated"`` an inferred tie counts for nothing,
and under ``any`` each finding that rests on one says so and names it.

Each test writes a small graph whose facts it states; a tie is "inferred" when its only
source bearing on it as a whole is ``basis: inferred`` (with a reason), and an expected value
is worked out by hand from those facts in the comment beside it.
"""

from __future__ import annotations

from typing import Any

from app.analysis.brokers import bridges, brokers
from app.analysis.ego import weighed_network
from app.analysis.gaps import GAP_KINDS, gaps
from app.analysis.inference import relies_on_inference
from app.analysis.interlocks import interlocks
from app.analysis.peers import peers
from app.analysis.snapshot import build_snapshot
from app.analysis.typology import partnerships
from app.analysis.whatif import what_if
from app.api.deps import MAX_LIMIT
from app.domain.evidence import Weighing, inferred_fields, weigh
from app.domain.models import Document, Organization, Relationship
from app.store.protocol import Subgraph
from tests.factories import org, rel

STATED = {"citation": "Test fixture", "locator": "p. 1", "year": 2020}
GUESS = {"citation": "Test fixture", "basis": "inferred", "reason": "we guess it", "year": 2021}


def guessed(id: str, type: str, source: str, target: str, **fields: Any) -> Relationship:
    """A tie that rests on our inference alone."""
    return rel(id, type, source, target, sources=[GUESS], **fields)


def union(id: str, **fields: Any) -> Organization:
    return org(id, countries=["CO"], sectors=["domestic_work"], **fields)


def coop(id: str, **fields: Any) -> Organization:
    data: dict[str, Any] = {"countries": ["CO"], "sectors": ["domestic_work"], **fields}
    return org(id, type="cooperative", movement="sse", **data)


def ngo(id: str) -> Organization:
    return org(id, type="ngo", movement="enabler")


def workers(id: str) -> Organization:
    return org(id, type="informal_workers_organisation", movement="informal_workers")


def snapshot(orgs: list[Organization], ties: list[Relationship], weighing: Weighing = "any") -> Any:
    return build_snapshot(Document(organizations=orgs, relationships=ties), 1, None, weighing)


def test_the_rule_counts_inferences_in_fields_the_analyses_read() -> None:
    """An inferred alias names a record and changes no finding; an inferred sector places it
    in a cell; a record no source states rests on inference whole. Under ``stated`` the
    inferred sector reads as unknown, so nothing is left to rest on."""
    alias = org("a", aliases=["A"], sources=[STATED, {**GUESS, "fields": ["aliases"]}])
    sector = org("s", sectors=["transport"], sources=[STATED, {**GUESS, "fields": ["sectors"]}])
    whole = org("w", sources=[GUESS])
    assert [relies_on_inference(o) for o in (alias, sector, whole)] == [False, True, True]
    blanked = weigh(sector, "stated")
    assert blanked is not None and blanked.sectors == []
    assert relies_on_inference(blanked) is False


def test_an_inferred_mode_marks_the_tie_but_no_finding() -> None:
    """The brief calls no enabling partner direct or indirect, so the seed infers every mode;
    no whole-graph analysis reads the mode, so it marks no finding (the enablers answer marks
    it on the tie). An inferred type does mark: it decides what the tie is."""

    def tie(inferred: str) -> Relationship:
        guess = {**GUESS, "fields": [inferred]}
        return rel("ngo-enables-coop", "ENABLES", "ngo", "coop", sources=[STATED, guess])

    moded, typed = tie("mode"), tie("type")
    assert inferred_fields(moded) == ("mode",)
    assert relies_on_inference(moded) is False
    orgs = [coop("coop"), ngo("ngo"), union("u")]
    [gap] = [g for g in gaps(snapshot(orgs, [moded])) if g.kind == "single_enabler_dependency"]
    assert (gap.rests_on_inference, gap.inferred_records) == (False, ())
    assert relies_on_inference(typed) is True


def test_a_single_enabler_dependency_names_the_inferred_tie_that_makes_it() -> None:
    # coop's only enabler is ngo, through a tie we inferred: the gap rests on that tie.
    orgs = [coop("coop"), ngo("ngo"), union("u")]
    ties = [guessed("ngo-enables-coop", "ENABLES", "ngo", "coop", mode="direct")]
    [gap] = [g for g in gaps(snapshot(orgs, ties)) if g.kind == "single_enabler_dependency"]
    assert (gap.organizations, gap.rests_on_inference) == (("coop", "ngo"), True)
    assert gap.inferred_records == ("ngo-enables-coop",)
    stated = gaps(snapshot(orgs, ties, "stated"))
    assert [g for g in stated if g.kind == "single_enabler_dependency"] == []


def test_an_absence_shows_under_stated_when_only_an_inferred_tie_filled_it() -> None:
    """The workers' organisation's only union ally is an inferred partnership: counting every
    fact there is no gap; counting stated ones, the gap appears and rests on nothing
    inferred (its organisation is stated)."""
    orgs = [workers("w"), union("u")]
    ties = [guessed("w-partners-u", "PARTNERS_WITH", "w", "u")]
    kind = "worker_organisation_without_union_ally"
    assert [g for g in gaps(snapshot(orgs, ties)) if g.kind == kind] == []
    [gap] = [g for g in gaps(snapshot(orgs, ties, "stated")) if g.kind == kind]
    assert (gap.organizations, gap.rests_on_inference, gap.inferred_records) == (("w",), False, ())


def test_a_cell_gap_rests_on_an_inferred_sector() -> None:
    # The union is placed in domestic work by our inference: the cell's gap rests on it.
    guessed_sector = union("u", sources=[STATED, {**GUESS, "fields": ["sectors"]}])
    [gap] = [g for g in gaps(snapshot([guessed_sector], [])) if g.kind == "cell_without_sse_unit"]
    assert (gap.rests_on_inference, gap.inferred_records) == (True, ("u",))
    # Stated only, the union has no sector and so no cell.
    assert gaps(snapshot([guessed_sector], [], "stated")) == ()


def test_a_point_of_failure_rests_on_its_inferred_enabling_tie() -> None:
    # funder -> ngo (stated) -> coop (inferred): ngo is the only link between the two.
    orgs = [org("f", type="funder", movement="enabler"), ngo("ngo"), coop("coop")]
    ties = [
        rel("f-funds-ngo", "FUNDS", "f", "ngo", sources=[STATED]),
        guessed("ngo-enables-coop", "ENABLES", "ngo", "coop", mode="direct"),
    ]
    [gap] = [g for g in gaps(snapshot(orgs, ties)) if g.kind == "single_point_of_failure"]
    assert (gap.organizations, gap.inferred_records) == (("ngo",), ("ngo-enables-coop",))
    stated = gaps(snapshot(orgs, ties, "stated"))
    assert [g for g in stated if g.kind == "single_point_of_failure"] == []


def test_funding_sought_is_listed_first_and_on_the_first_page_of_a_large_graph() -> None:
    """An informal workers' organisation seeks money to revive its collapsed SACCO (as NISCOF
    does in the brief's Box 6). With more single-enabler dependencies than a default page
    (``MAX_LIMIT``) holds, the funding sought still opens the list."""
    many = MAX_LIMIT + 1
    units = [coop(f"c{i}") for i in range(many)]
    support = [
        rel(f"n-enables-c{i}", "ENABLES", "n", f"c{i}", sources=[STATED]) for i in range(many)
    ]
    sacco = org("sacco", type="savings_credit_cooperative", movement="sse", status="collapsed")
    seeks = rel("w-seeks-sacco", "SEEKS_FUNDING_FOR", "w", "sacco", sources=[STATED])
    found = gaps(snapshot([workers("w"), sacco, ngo("n"), *units], [seeks, *support]))
    assert GAP_KINDS[0] == "funding_sought_not_found"
    assert len(found) > MAX_LIMIT
    first = found[0]
    assert (first.kind, first.organizations, first.rests_on_inference) == (
        "funding_sought_not_found",
        ("w", "sacco"),
        False,
    )
    assert "(now collapsed)" in first.why


def test_a_partnership_names_its_inferred_enabler_tie_and_loses_it_under_stated() -> None:
    # u established coop (stated); ngo enables coop (inferred), so ngo is its enabler.
    orgs = [union("u"), coop("coop"), ngo("ngo")]
    ties = [
        rel("u-established-coop", "ESTABLISHED", "u", "coop", sources=[STATED]),
        guessed("ngo-enables-coop", "ENABLES", "ngo", "coop", mode="direct"),
    ]
    [every] = partnerships(snapshot(orgs, ties))
    assert (every.type, every.enablers, every.inferred_records) == (
        1,
        ("ngo",),
        ("ngo-enables-coop",),
    )
    assert every.rests_on_inference is True
    [stated] = partnerships(snapshot(orgs, ties, "stated"))
    assert (stated.type, stated.enablers, stated.rests_on_inference) == (1, (), False)
    gap_kinds = {g.kind: g for g in gaps(snapshot(orgs, ties, "stated"))}
    assert gap_kinds["partnership_without_enabler"].organizations == ("coop", "u")


def test_a_type_3_partnership_rests_on_the_tie_from_its_partner_to_the_union_side() -> None:
    """Type 3 needs the enabling partner tied to the union side: that tie decides the type,
    so when it is inferred the partnership rests on it; without it, the type is 2."""
    orgs = [union("u"), coop("coop"), ngo("slp")]
    ties = [
        rel("slp-established-coop", "ESTABLISHED", "slp", "coop", sources=[STATED]),
        rel("u-partners-coop", "PARTNERS_WITH", "u", "coop", sources=[STATED]),
        guessed("slp-partners-u", "PARTNERS_WITH", "slp", "u"),
    ]
    [every] = partnerships(snapshot(orgs, ties))
    assert (every.type, every.inferred_records) == (3, ("slp-partners-u",))
    [stated] = partnerships(snapshot(orgs, ties, "stated"))
    assert (stated.type, stated.inferred_records) == (2, ())


def test_brokers_and_bridges_name_their_inferred_ties() -> None:
    """hub sits between a union and a cooperative: a broker (the only organisation on the
    shortest path between them) and a bridge between the movements. Its tie to the union is
    inferred, so both rest on it; under stated the union is not tied to it at all."""
    orgs = [union("u"), coop("coop"), ngo("hub")]
    ties = [
        guessed("hub-partners-u", "PARTNERS_WITH", "hub", "u"),
        rel("hub-partners-coop", "PARTNERS_WITH", "hub", "coop", sources=[STATED]),
    ]
    found = brokers(snapshot(orgs, ties))
    assert [(b.organization, b.inferred_records) for b in found.brokers] == [
        ("hub", ("hub-partners-u",))
    ]
    assert [(b.organization, b.rests_on_inference) for b in found.bridges] == [("hub", True)]
    stated = snapshot(orgs, ties, "stated")
    assert brokers(stated).brokers == () and bridges(stated) == ()


def test_interlocks_name_the_inferred_tie_to_the_shared_backer() -> None:
    # f funds a (stated) and b (inferred): a and b share f through those two ties.
    orgs = [org("f", type="funder", movement="enabler"), coop("a"), coop("b")]
    ties = [
        rel("f-funds-a", "FUNDS", "f", "a", sources=[STATED]),
        guessed("f-funds-b", "FUNDS", "f", "b"),
    ]
    [found] = interlocks(snapshot(orgs, ties), "a")
    assert (found.organization, found.funders, found.inferred_records) == (
        "b",
        ("f",),
        ("f-funds-b",),
    )
    assert interlocks(snapshot(orgs, ties, "stated"), "a") == ()


def test_peers_name_the_inferred_tie_a_shared_activity_word_comes_from() -> None:
    """Two cooperatives in different countries share the word "bookkeeping" in the
    activities of their ties; one of those ties is inferred, so that reason rests on it."""
    orgs = [
        coop("a", countries=["CO"], sectors=[]),
        coop("b", countries=["KE"], sectors=[]),
        org("n1", type="ngo", movement="enabler", countries=["CO"]),
        org("n2", type="ngo", movement="enabler", countries=["CO"]),
    ]
    teach = {"activities": ["bookkeeping"]}
    ties = [
        rel("n1-partners-a", "PARTNERS_WITH", "n1", "a", sources=[STATED], **teach),
        guessed("n2-partners-b", "PARTNERS_WITH", "n2", "b", **teach),
    ]
    [peer] = peers(snapshot(orgs, ties), "a")
    assert peer.organization == "b"
    assert "shared activity words: bookkeeping" in peer.reasons
    assert peer.inferred_records == ("n2-partners-b",)
    # Counting only stated facts the shared word is gone, and being cooperatives both counts
    # for nothing (the brief names sector and partnership type): b is no peer.
    assert peers(snapshot(orgs, ties, "stated"), "a") == ()


def test_a_what_if_loss_names_the_inferred_tie_on_its_chain() -> None:
    """f funds ngo (stated), ngo enables a (inferred) and b (stated). Without f, a loses f
    through the inferred tie, b through stated ones only."""
    orgs = [org("f", type="funder", movement="enabler"), ngo("ngo"), coop("a"), coop("b")]
    ties = [
        rel("f-funds-ngo", "FUNDS", "f", "ngo", sources=[STATED]),
        guessed("ngo-enables-a", "ENABLES", "ngo", "a", mode="direct"),
        rel("ngo-enables-b", "ENABLES", "ngo", "b", mode="direct", sources=[STATED]),
    ]
    found = what_if(snapshot(orgs, ties), ["f"])
    marks = {x.organization: x.inferred_records for x in (*found.lose_all, *found.lose_some)}
    assert marks == {"ngo": (), "a": ("ngo-enables-a",), "b": ()}
    stated = what_if(snapshot(orgs, ties, "stated"), ["f"])
    assert {x.organization for x in (*stated.lose_all, *stated.lose_some)} == {"ngo", "b"}


def test_an_ego_network_counts_hops_again_over_stated_ties() -> None:
    """c -> x is inferred, c - y - x stated: x is one hop away counting every fact and two
    counting stated ones; z, one hop past x, falls outside depth 2 under stated."""
    orgs = [coop("c"), coop("x"), coop("y"), coop("z")]
    ties = [
        guessed("c-x", "PARTNERS_WITH", "c", "x"),
        rel("c-y", "PARTNERS_WITH", "c", "y", sources=[STATED]),
        rel("y-x", "PARTNERS_WITH", "y", "x", sources=[STATED]),
        rel("x-z", "PARTNERS_WITH", "x", "z", sources=[STATED]),
    ]
    sub = Subgraph(orgs, ties, {"c": 0, "x": 1, "y": 1, "z": 2})
    assert weighed_network(sub, "c", 2, "any") == sub
    stated = weighed_network(sub, "c", 2, "stated")
    assert stated.distances == {"c": 0, "y": 1, "x": 2}
    assert [r.id for r in stated.relationships] == ["c-y", "y-x"]
    inferred_centre = Subgraph([org("c", sources=[GUESS])], [], {"c": 0})
    assert weighed_network(inferred_centre, "c", 1, "stated").organizations == []


def test_a_what_if_loss_upstream_names_the_inferred_tie_before_the_removed_one() -> None:
    """f funds ngo only by our inference; ngo enables a. Without ngo, a loses ngo and f (f
    reached a only through ngo), and the tie f -> ngo is on that lost chain."""
    orgs = [org("f", type="funder", movement="enabler"), ngo("ngo"), coop("a")]
    ties = [
        guessed("f-funds-ngo", "FUNDS", "f", "ngo"),
        rel("ngo-enables-a", "ENABLES", "ngo", "a", mode="direct", sources=[STATED]),
    ]
    [loss] = what_if(snapshot(orgs, ties), ["ngo"]).lose_all
    assert (loss.organization, loss.lost, loss.inferred_records) == (
        "a",
        ("f", "ngo"),
        ("f-funds-ngo",),
    )
