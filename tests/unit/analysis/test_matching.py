"""Partner and enabler matches, ranked by hand from small graphs written here and the weights
in graph_schema/matching.yaml; the seed's answers checked against the brief's Box 6."""

from __future__ import annotations

from typing import Any

from app.analysis.matching import matches, ranked
from app.analysis.snapshot import Snapshot, build_snapshot
from app.analysis.weights import weights
from app.domain.models import Document, Organization, Source
from tests.factories import SOURCE, org, rel

P, E = weights().partner, weights().enabler
SAME, ELSEWHERE = (t.weight for t in P.tiers)
FORM, SHARED = P.extras["partnership_form"].weight, P.extras["shared_enabler"].weight
HOME, AWAY = (t.weight for t in E.tiers)
THERE, PARTNER = E.extras["enables_there"].weight, E.extras["enables_a_partner"].weight
GUESS = {"citation": "Field notes", "basis": "inferred", "reason": "our reading"}
SOURCE_MODEL = Source.model_validate(SOURCE)
"""The source every record of the factories has."""


def unit(id: str, country: str, sector: str, **fields: Any) -> Organization:
    """A cooperative in ``country`` listing ``sector``."""
    return org(
        id,
        type="cooperative",
        movement="sse",
        countries=[country],
        sectors=[sector],
        **fields,
    )


def street_vendors() -> Snapshot:
    """v organises Kenya's street vendors (an informal workers' organisation); who could
    partner with it?

    - s1, a Kenyan street vendors' cooperative, shares the enabler e with v;
    - s2, another, already partners with v: never proposed;
    - s3, a South African street vendors' cooperative, was established by the union u there
      (a type 1 partnership in street vending);
    - s4, a Kenyan waste pickers' cooperative: same country, other sector;
    - f, Kenya's federation, works across sectors (general), so in Kenya it shares street
      vending; g, Brazil's, works across sectors elsewhere, which counts for nothing;
    - n, a Kenyan street vending NGO, is no partner family for v.
    """
    return build_snapshot(
        Document(
            organizations=[
                org(
                    "v",
                    type="informal_workers_organisation",
                    movement="informal_workers",
                    countries=["KE"],
                    sectors=["street_vending"],
                ),
                unit("s1", "KE", "street_vending"),
                unit("s2", "KE", "street_vending"),
                unit("s3", "ZA", "street_vending"),
                unit("s4", "KE", "waste_picking"),
                org("u", countries=["ZA"], sectors=["street_vending"]),
                org("f", type="union_federation", countries=["KE"], sectors=["general"]),
                org("g", type="union_federation", countries=["BR"], sectors=["general"]),
                org(
                    "n",
                    type="ngo",
                    movement="enabler",
                    countries=["KE"],
                    sectors=["street_vending"],
                ),
                org("e", type="ngo", movement="enabler", countries=["KE"]),
            ],
            relationships=[
                rel("e-v", "ENABLES", "e", "v", mechanisms=["training"]),
                rel("e-s1", "ENABLES", "e", "s1", mechanisms=["training"], sources=[GUESS]),
                rel("v-s2", "PARTNERS_WITH", "v", "s2"),
                rel("u-s3", "ESTABLISHED", "u", "s3"),
            ],
        ),
        1,
        None,
    )


def test_partners_same_country_and_sector_first_then_the_sector_elsewhere() -> None:
    found = matches(street_vendors(), "v", "partner")
    # A type 1 partnership works in street vending (u and s3), so every match sharing street
    # vending adds FORM. s1: same country and sector, the form, one shared enabler (e).
    # f: same country, street vending through working across sectors, the form. s3 and u:
    # the sector elsewhere, the form; tied at 7, by id.
    assert [(m.organization, m.tier, m.score) for m in found.items] == [
        ("s1", "same_country_and_sector", SAME + FORM + SHARED),
        ("f", "same_country_and_sector", SAME + FORM),
        ("s3", "same_sector_elsewhere", ELSEWHERE + FORM),
        ("u", "same_sector_elsewhere", ELSEWHERE + FORM),
    ]
    assert found.total == 4
    s1, f, s3, _ = found.items
    assert [r.words for r in s1.reasons] == [
        "works in Kenya and in street vending, as it does",
        "partnerships of the brief's type 1 already work in street vending (around S3, South "
        "Africa)",
        "both are enabled by E",
    ]
    assert f.reasons[0].words == (
        "works in Kenya and in street vending, as it does (F working across sectors)"
    )
    assert s3.reasons[0].words == (
        "works in street vending too, in South Africa: for exchange rather than partnership"
    )
    # Each reason names its records; the facts list them once each, with their sources.
    assert s1.reasons[2].records == ("e", "e-v", "e-s1")
    assert [f.record for f in s1.facts] == ["v", "s1", "s3", "u-s3", "e", "e-v", "e-s1"]
    assert all(fact.sources == (SOURCE_MODEL,) for fact in s1.facts if fact.record != "e-s1")
    # e's tie to s1 is our inference: the match rests on it.
    assert (s1.rests_on_inference, s1.inferred_records) == (True, ("e-s1",))
    assert matches(street_vendors(), "v", "partner", limit=1).items == (s1,)


def test_counting_only_stated_facts_drops_the_inferred_tie_and_its_reason() -> None:
    s = street_vendors()
    stated = build_snapshot(
        Document(
            organizations=list(s.organizations.values()),
            relationships=list(s.relationships.values()),
        ),
        1,
        None,
        "stated",
    )
    [s1] = [m for m in matches(stated, "v", "partner").items if m.organization == "s1"]
    assert (s1.score, s1.rests_on_inference) == (SAME + FORM, False)


def test_partner_matches_are_for_the_union_side_and_sse_units() -> None:
    s = street_vendors()
    found = matches(s, "n", "partner")
    assert found.items == () and found.note is not None and "SSE units" in found.note
    assert matches(s, "e", "enabler").note == "E lists no sector, and matches are made by sector."


def sacco() -> Document:
    """Box 6, in small: v seeks funding to revive its SACCO, which collapsed in 2020.

    - ek, a Kenyan NGO, enables v (in Kenya's street vending) with training;
    - fk, a funder with no country, funds s1 (a Kenyan street vendors' cooperative);
    - fz funds s3 (South Africa's street vending); fw funds s4 (Kenya's waste picking);
    - nk, a Kenyan street vending network, and net, a street vending network with no country,
      enable no one.
    """
    return Document(
        organizations=[
            org(
                "v",
                type="informal_workers_organisation",
                movement="informal_workers",
                countries=["KE"],
                sectors=["street_vending"],
            ),
            org(
                "sacco",
                type="savings_credit_cooperative",
                movement="sse",
                countries=["KE"],
                sectors=["street_vending"],
                status="collapsed",
            ),
            unit("s1", "KE", "street_vending"),
            unit("s3", "ZA", "street_vending"),
            unit("s4", "KE", "waste_picking"),
            org("ek", type="ngo", movement="enabler", countries=["KE"]),
            org("fk", type="funder", movement="enabler"),
            org("fz", type="funder", movement="enabler"),
            org("fw", type="funder", movement="enabler"),
            org(
                "nk",
                type="network",
                movement="enabler",
                countries=["KE"],
                sectors=["street_vending"],
            ),
            org("net", type="network", movement="enabler", sectors=["street_vending"]),
        ],
        relationships=[
            rel("v-funds-sacco", "FUNDS", "v", "sacco", since=2010, until=2020, status="collapsed"),
            rel("v-seeks-sacco", "SEEKS_FUNDING_FOR", "v", "sacco"),
            rel("ek-v", "ENABLES", "ek", "v", mechanisms=["training"]),
            rel("fk-s1", "FUNDS", "fk", "s1", mechanisms=["finance"]),
            rel("fz-s3", "FUNDS", "fz", "s3", mechanisms=["finance"]),
            rel("fw-s4", "FUNDS", "fw", "s4", mechanisms=["finance"]),
        ],
    )


def test_enablers_of_a_collapsed_sacco_someone_seeks_to_revive() -> None:
    s = build_snapshot(sacco(), 1, None)
    assert "sacco" in s.absent, "gone now, but named by funding sought"
    found = matches(s, "sacco", "enabler")
    # ek enables v in Kenya's street vending (one organisation there) and v is tied to the
    # SACCO (it seeks the funding). fk funds s1 there. nk lists Kenya's street vending but
    # enables no one. fz funds s3 in the sector elsewhere; net lists the sector, no country.
    # fw funds Kenya's waste pickers: not the sector. v, the seeker, is tied: never proposed.
    assert [(m.organization, m.tier, m.score) for m in found.items] == [
        ("ek", "active_in_country_and_sector", HOME + THERE + PARTNER),
        ("fk", "active_in_country_and_sector", HOME + THERE),
        ("nk", "active_in_country_and_sector", HOME),
        ("fz", "active_in_sector_elsewhere", AWAY + THERE),
        ("net", "active_in_sector_elsewhere", AWAY),
    ]
    ek, fk, nk, fz, net = found.items
    assert [r.words for r in ek.reasons] == [
        "enables V in street vending in Kenya",
        "already enables V, tied to SACCO",
    ]
    assert ek.reasons[1].records == ("ek-v", "v", "v-seeks-sacco")
    assert (ek.mechanisms, ek.enables) == (("training",), ("v",))
    assert (fk.mechanisms, fk.enables) == (("finance",), ("s1",))
    assert (
        nk.reasons[0].words == "lists street vending in Kenya itself, and enables no one there yet"
    )
    assert net.reasons[0].words == (
        "lists street vending (no country listed) itself, and enables no one there yet"
    )
    assert fz.reasons[0].words == "enables S3 in street vending in South Africa"


def test_a_gone_organisation_no_one_seeks_to_revive_has_no_match() -> None:
    doc = sacco()
    doc = Document(
        organizations=doc.organizations,
        relationships=[r for r in doc.relationships if r.id != "v-seeks-sacco"],
    )
    found = matches(build_snapshot(doc, 1, None), "sacco", "enabler")
    assert found.items == () and found.note is not None and found.note.startswith("Not in")
    # In 2015 it was there, funded by v, which is therefore never proposed.
    past = matches(build_snapshot(doc, 1, 2015), "sacco", "enabler")
    assert [m.organization for m in past.items] == ["ek", "fk", "nk", "fz", "net"]


def test_ranking_home_only_keeps_the_first_tier() -> None:
    s = build_snapshot(sacco(), 1, None)
    home = ranked(s, "sacco", "enabler", home_only=True).candidates
    assert [c.organization for c in home] == ["ek", "fk", "nk"]


def test_seed_niscof_sacco_enablers_include_those_in_kenyas_street_vending(seed: Document) -> None:
    # Box 6: NISCOF "has since focused on securing seed funding to revive the SACCO"; the
    # brief names "COTU-K support to NISCOF in Kenya", a street vendors' organisation. So
    # COTU-K is active in Kenya's street vending, and among the SACCO's enabler matches,
    # first; NISCOF, which seeks the money, is not proposed.
    s = build_snapshot(seed, 1, None)
    found = matches(s, "niscof-sacco", "enabler")
    first = [m for m in found.items if m.tier == "active_in_country_and_sector"]
    assert "cotu-k" in {m.organization for m in first}
    assert found.items[0].organization == "cotu-k"
    assert "niscof" not in {m.organization for m in found.items}
    assert (
        "NISCOF" in found.items[0].reasons[0].words and "Kenya" in found.items[0].reasons[0].words
    )
