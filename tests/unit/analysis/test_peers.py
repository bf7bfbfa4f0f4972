"""Peers elsewhere, ranked by hand from small graphs and the weights in
graph_schema/matching.yaml; the seed's peers checked against the brief.

The brief ("Sharing knowledge, experience and learning") finds exchange "particularly
beneficial where the partnerships share common characteristics - notably, sector focus and
type of partnership being developed": peers sharing both come first, then either one.
"""

from __future__ import annotations

from typing import Any

from app.analysis.peers import peers
from app.analysis.snapshot import Snapshot, build_snapshot
from app.analysis.typology import partnerships
from app.analysis.weights import weights
from app.domain.models import Document
from tests.factories import org, rel

W = weights().peers
SECTOR, TYPE, PARTNERSHIPS = W.sector.weight, W.partnership_type.weight, W.partnerships.weight


def coop(country: str, *sectors: str) -> dict[str, Any]:
    """The fields of a cooperative in ``country`` listing ``sectors``."""
    return {"type": "cooperative", "movement": "sse", "countries": [country], "sectors": [*sectors]}


def tiers_graph() -> Snapshot:
    """x, a Colombian union in domestic and care work, established xc (a type 1 partnership).

    - both (South Africa, domestic work) established bc: shares the sector and the type;
    - multi (an NGO in Kenya, domestic and care work, in no partnership): two sectors, no type;
    - wp (India, waste picking) established wc: the type only, as does wc and bc;
    - same-type (a Brazilian union in agriculture, in no partnership): the same kind of
      organisation as x and nothing else, which the brief does not name: no peer;
    - near (Colombia) shares everything but the country is x's own: not elsewhere.
    """
    return build_snapshot(
        Document(
            organizations=[
                org("x", countries=["CO"], sectors=["domestic_work", "care_work"]),
                org("xc", **coop("CO")),
                org("both", countries=["ZA"], sectors=["domestic_work"]),
                org("bc", **coop("ZA")),
                org(
                    "multi",
                    type="ngo",
                    movement="enabler",
                    countries=["KE"],
                    sectors=["domestic_work", "care_work"],
                ),
                org("wp", countries=["IN"], sectors=["waste_picking"]),
                org("wc", **coop("IN")),
                org("same-type", countries=["BR"], sectors=["agriculture"]),
                org("near", countries=["CO"], sectors=["domestic_work"]),
            ],
            relationships=[
                rel("x-xc", "ESTABLISHED", "x", "xc"),
                rel("both-bc", "ESTABLISHED", "both", "bc"),
                rel("wp-wc", "ESTABLISHED", "wp", "wc"),
            ],
        ),
        1,
        None,
    )


def test_both_characteristics_first_then_either_and_never_the_kind_of_organisation() -> None:
    s = tiers_graph()
    found = peers(s, "x")
    # both: tier "both" (3 + 3 = 6). Then tier "either": multi shares two sectors (3 x 2 = 6),
    # bc, wc and wp share type 1 only (3 each), by id. multi scores as much as both, yet ranks
    # after it: the tier comes first.
    assert [(p.organization, p.score) for p in found] == [
        ("both", SECTOR + TYPE),
        ("multi", 2 * SECTOR),
        ("bc", TYPE),
        ("wc", TYPE),
        ("wp", TYPE),
    ]
    both, multi, bc = found[:3]
    assert both.shares == ("sector", "partnership_type")
    assert both.reasons == (
        "shares both the sector and the partnership type",
        "sectors in common: domestic work",
        "both in type 1 partnerships",
    )
    assert multi.reasons == (
        "shares the sector, not the partnership type",
        "sectors in common: care work, domestic work",
    )
    assert bc.reasons == (
        "shares the partnership type, not the sector",
        "both in type 1 partnerships",
    )
    assert peers(s, "x", limit=2) == (both, multi)


def test_a_country_is_preferred_or_excluded() -> None:
    s = tiers_graph()
    # India first: wc and wp (type only, 3 each, by id), then the others in their order.
    preferred = peers(s, "x", country="IN")
    assert [p.organization for p in preferred] == ["wc", "wp", "both", "multi", "bc"]
    assert [p.preferred for p in preferred] == [True, True, False, False, False]
    assert preferred[1].reasons[-1] == "in India, as asked"
    # Without South Africa: both and bc are gone.
    assert [p.organization for p in peers(s, "x", exclude_country="ZA")] == ["multi", "wc", "wp"]
    # Asked to prefer and to exclude one country, it is excluded.
    same = peers(s, "x", country="ZA", exclude_country="ZA")
    assert [p.organization for p in same] == ["multi", "wc", "wp"]
    assert not any(p.preferred for p in same)


def test_partnership_organisations_of_other_types_come_before_those_in_none() -> None:
    # k (India, waste picking) established kc: type 1. In Brazil, the federation c partners
    # with the association u (type 2: a union works with an SSE unit it did not establish),
    # and the cooperative w is in no partnership. u shares the sector (3) and is a
    # partnership organisation too (1): 4; w the sector only: 3; c neither sector nor type,
    # only partnerships of other types: 1, in the last tier.
    s = build_snapshot(
        Document(
            organizations=[
                org("k", countries=["IN"], sectors=["waste_picking"]),
                org("kc", **coop("IN", "waste_picking")),
                org(
                    "u",
                    type="association",
                    movement="sse",
                    countries=["BR"],
                    sectors=["waste_picking"],
                ),
                org("c", type="union_federation", countries=["BR"], sectors=["general"]),
                org("w", **coop("BR", "waste_picking")),
            ],
            relationships=[
                rel("k-kc", "ESTABLISHED", "k", "kc"),
                rel("c-u", "PARTNERS_WITH", "c", "u"),
            ],
        ),
        1,
        None,
    )
    found = peers(s, "k")
    assert [(p.organization, p.score) for p in found] == [
        ("u", SECTOR + PARTNERSHIPS),
        ("w", SECTOR),
        ("c", PARTNERSHIPS),
    ]
    assert found[0].reasons[-1] == "both in union-SSE partnerships: type 1 here, type 2 there"
    assert found[2].shares == ()
    assert found[2].reasons[0] == "shares neither the sector nor the partnership type"


def test_shared_activity_words_count() -> None:
    orgs = [
        org("a", countries=["CO"]),
        org("b", type="ngo", movement="enabler", countries=["KE"]),
        org("m", type="public_body", movement="public", countries=["KE"]),
        org("n", type="public_body", movement="public", countries=["BR"]),
    ]
    rels = [
        rel("a-m", "ADVOCATES_TO", "a", "m", activities=["pension reform for workers"]),
        rel("b-n", "ADVOCATES_TO", "b", "n", activities=["Pension coverage for workers"]),
    ]
    s = build_snapshot(Document(organizations=orgs, relationships=rels), 1, None)
    # "pension" is shared; "workers" is a stop word, "for" is too short. The ministry m sits
    # at the other end of a's own relationship: those words say nothing, so m is no peer.
    words = ("shares neither the sector nor the partnership type", "shared activity words: pension")
    assert [(p.organization, p.score, p.reasons) for p in peers(s, "a")] == [
        ("b", W.activity_word.weight, words),
        ("n", W.activity_word.weight, words),
    ]


def test_seed_waste_pickers_find_waste_pickers_in_partnerships_first(seed: Document) -> None:
    # The brief: KKPKP, "a waste picker union in Pune, India, created ... SWaCH" (type 1);
    # Box 4: UNISOL, created "in partnership with" CUT, "primarily supports the waste picking
    # sector" (a partnership with a union). So the first peers of KKPKP and SWaCH are
    # waste-picking organisations in a type 1 or 2 partnership.
    s = build_snapshot(seed, 1, None)
    typed = {m for p in partnerships(s) if p.type in (1, 2) for m in p.members}
    for me in ("kkpkp", "swach"):
        first = peers(s, me)[0]
        assert "waste_picking" in s.organizations[first.organization].sectors, me
        assert first.organization in typed, me
        assert first.reasons[1] == "sectors in common: waste picking"


def test_seed_fenamutra_finds_nude(seed: Document) -> None:
    # Table, type 1: FENAMUTRA (Dominican Republic) "established the COOPFENAMUTRA
    # cooperative" and NUDE (Trinidad and Tobago) "has established the ... (SWCC) worker
    # cooperative": two domestic workers' unions on the same model, sharing both the sector
    # and the type of partnership.
    found = peers(build_snapshot(seed, 1, None), "fenamutra")
    first = [p for p in found if p.shares == ("sector", "partnership_type")]
    assert "nude" in {p.organization for p in first}
    assert found[: len(first)] == tuple(first)
    assert "fenamutra" not in {p.organization for p in found}
