"""Interlocks on a graph counted by hand, and the brief's South African unions."""

from __future__ import annotations

from app.analysis.interlocks import Interlock, interlocks
from app.analysis.snapshot import build_snapshot
from app.domain.models import Document
from tests.factories import org, rel


def test_interlocks_by_hand() -> None:
    # f1 funds x and y; f2 funds y only; e enables x, y and z; p partners with x, and y
    # partners with p (the other direction). So y shares f1, e and p with x (3); z shares e
    # (1); f1 funds but does not enable, so it is no shared enabler.
    s = build_snapshot(
        Document(
            organizations=[
                org("x", type="cooperative", movement="sse"),
                org("y", type="cooperative", movement="sse"),
                org("z", type="cooperative", movement="sse"),
                org("f1", type="funder", movement="enabler"),
                org("f2", type="funder", movement="enabler"),
                org("e", type="ngo", movement="enabler"),
                org("p"),
            ],
            relationships=[
                rel("f1-x", "FUNDS", "f1", "x"),
                rel("f1-y", "FUNDS", "f1", "y"),
                rel("f2-y", "FUNDS", "f2", "y"),
                rel("e-x", "ENABLES", "e", "x"),
                rel("e-y", "ENABLES", "e", "y"),
                rel("e-z", "ORGANISES", "e", "z"),
                rel("p-x", "PARTNERS_WITH", "p", "x"),
                rel("y-p", "PARTNERS_WITH", "y", "p"),
            ],
        ),
        1,
        None,
    )
    assert interlocks(s, "x") == (
        Interlock("y", funders=("f1",), enablers=("e",), partners=("p",), total=3),
        Interlock("z", funders=(), enablers=("e",), partners=(), total=1),
    )
    assert interlocks(s, "absent") == ()


def test_seed_south_african_unions_share_their_partners(seed: Document) -> None:
    # Box 5: the platform cooperative is facilitated by SLP "in close partnership with"
    # SADSAWU and UDWOSA, and both unions' members are among its founder-members.
    found = interlocks(build_snapshot(seed, 1, None), "sadsawu")
    assert found[0].organization == "udwosa"
    assert found[0].partners == ("digital-platform-cooperative-project", "slp")
