"""Peers elsewhere, scored by hand from the weights in app.analysis.peers."""

from __future__ import annotations

from app.analysis.peers import (
    ORGANIZATION_TYPE_WEIGHT,
    PARTNERSHIP_TYPE_WEIGHT,
    SECTOR_WEIGHT,
    peers,
)
from app.analysis.snapshot import build_snapshot
from app.domain.models import Document
from tests.factories import org, rel


def test_peers_by_hand() -> None:
    # x: a Colombian domestic workers' union that established a coop (type 1).
    # y: a South African domestic workers' union that established a coop (type 1): shares a
    #    sector, the partnership type and the organisation type.
    # near: shares everything but is in Colombia too, so it is not elsewhere.
    # net: a network with no country that shares the sector only.
    # far: nothing in common.
    s = build_snapshot(
        Document(
            organizations=[
                org("x", countries=["CO"], sectors=["domestic_work"]),
                org("xc", type="cooperative", movement="sse", countries=["CO"]),
                org("y", countries=["ZA"], sectors=["domestic_work"]),
                org("yc", type="cooperative", movement="sse", countries=["ZA"]),
                org("near", countries=["CO", "ZA"], sectors=["domestic_work"]),
                org("net", type="network", movement="enabler", sectors=["domestic_work"]),
                org("far", type="funder", movement="enabler", countries=["US"]),
            ],
            relationships=[
                rel("x-xc", "ESTABLISHED", "x", "xc"),
                rel("y-yc", "ESTABLISHED", "y", "yc"),
            ],
        ),
        1,
        None,
    )
    found = peers(s, "x")
    assert [p.organization for p in found] == ["y", "net", "yc"]
    y, net, yc = found
    assert y.score == SECTOR_WEIGHT + PARTNERSHIP_TYPE_WEIGHT + ORGANIZATION_TYPE_WEIGHT
    assert y.reasons == (
        "shares sectors: domestic_work",
        "both in type 1 partnerships",
        "same organisation type: trade_union",
    )
    assert net.score == SECTOR_WEIGHT
    # yc is the other member of a type 1 partnership.
    assert yc.reasons == ("both in type 1 partnerships",)
    assert peers(s, "x", limit=1) == (y,)


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
    assert [(p.organization, p.score, p.reasons) for p in peers(s, "a")] == [
        ("b", 1, ("shared activity words: pension",)),
        ("n", 1, ("shared activity words: pension",)),
    ]


def test_seed_fenamutra_finds_nude(seed: Document) -> None:
    # Table, type 1: FENAMUTRA (Dominican Republic) "established the COOPFENAMUTRA
    # cooperative" and NUDE (Trinidad and Tobago) "has established the ... (SWCC) worker
    # cooperative": two domestic workers' unions on the same model, the pairing "Sharing
    # knowledge, experience and learning" calls "particularly beneficial".
    found = peers(build_snapshot(seed, 1, None), "fenamutra")
    top = {p.organization: p for p in found[:2]}
    assert "nude" in top
    assert "both in type 1 partnerships" in top["nude"].reasons
    assert "shares sectors: domestic_work" in top["nude"].reasons
    assert "fenamutra" not in {p.organization for p in found}
