"""Map data: one encoding with distinct swatches, a legend of only what a map uses, the brief's
enabling mode and the distance in a chain kept apart, and data carried only as inert JSON."""

from __future__ import annotations

import json
import re

from app.domain.messages import as_written
from app.domain.vocabulary import vocabulary
from app.maps import encoding as enc
from app.maps.build import Roles, View, organization_map_data
from app.maps.page import render_map
from tests.factories import org, rel, small_ecosystem

PAYLOAD = "</script><script>window.__xss=1</script><img src=x onerror=alert(1)>&\u2028"
VIEW = View("ecosystem", "ecosystem", {}, as_written("t"), (), None, 1)


def test_the_encoding_covers_every_vocabulary_key_with_distinct_swatches() -> None:
    v = vocabulary()
    assert set(enc.MOVEMENT_COLOURS) == set(v.movements) == set(enc.MOVEMENT_LABELS)
    assert set(enc.FAMILY_SHAPES) == set(v.families) == set(enc.FAMILY_LABELS)
    assert set(enc.LINE_STYLES) == set(v.relationship_types)
    assert len(set(enc.MOVEMENT_COLOURS.values())) == len(enc.MOVEMENT_COLOURS)
    assert len(set(enc.FAMILY_SHAPES.values())) == len(enc.FAMILY_SHAPES)
    swatches = {(s.colour, s.dashes) for s in enc.LINE_STYLES.values()}
    assert len(swatches) == len(enc.LINE_STYLES), "no two relationship types look alike"


def test_distance_and_enabling_mode_never_share_a_name() -> None:
    """The brief's modes are "direct/indirect enabling partner"; distances are said otherwise."""
    distances = [enc.distance_label(h) for h in range(6)]
    assert distances[1] == "enables it"
    assert distances[2] == "reaches it through 1 organisation"
    assert distances[3] == "reaches it through 2 organisations"
    assert not any("direct" in d for d in distances)
    modes = [e.label for e in enc.legend((), (), (), ("direct", "indirect"))]
    assert modes == [
        "direct enabling partner (the brief's term)",
        "indirect enabling partner (the brief's term)",
    ]
    assert {e.channel for e in enc.legend((), (), (), ("direct",))} == {"outline"}


def test_the_legend_lists_only_what_the_map_uses() -> None:
    a = org("a", movement="labour", type="trade_union")
    b = org("b", movement="sse", type="cooperative")
    data = organization_map_data(VIEW, [a, b], [rel("r", "ESTABLISHED", "a", "b")])
    used = {(e.channel, e.key) for e in data.legend}
    assert used == {
        ("colour", "labour"),
        ("colour", "sse"),
        ("shape", "unions"),
        ("shape", "sse_units"),
        ("line", "ESTABLISHED"),
    }


def test_parallel_ties_bend_apart_and_symmetric_ties_have_no_arrow() -> None:
    """Box 3 of the brief: UTRASD both established and enables IMA Limpia: two lines."""
    a, b = org("utrasd", type="trade_union", movement="labour"), org("ima", type="cooperative")
    ties = [
        rel("u-established-i", "ESTABLISHED", "utrasd", "ima"),
        rel("u-enables-i", "ENABLES", "utrasd", "ima"),
        rel("u-partners-i", "PARTNERS_WITH", "utrasd", "ima"),
    ]
    edges = {e.id: e for e in organization_map_data(VIEW, [a, b], ties).edges}
    bends = sorted(e.curve for e in edges.values())
    assert len(set(bends)) == 3, "three ties between one pair, three different bends"
    assert edges["u-partners-i"].arrow is False and edges["u-enables-i"].arrow is True


def test_ties_out_of_force_are_carried_hidden_with_their_years() -> None:
    a, b = org("a"), org("b")
    ended = rel("ended", "PARTNERS_WITH", "a", "b", since=2010, until=2014, status="ended")
    undated = rel("undated", "MEMBER_OF", "a", "b")
    planned = rel("planned", "FUNDS", "b", "a", status="planned")
    data = organization_map_data(VIEW, [a, b], [ended, undated, planned])
    edges = {e.id: e for e in data.edges}
    assert set(edges) == {"ended", "undated"}, "a planned tie is never drawn"
    assert data.years == [2010, 2014]
    assert edges["ended"].in_force is False and edges["ended"].years == [2010, 2014]
    assert edges["undated"].undated is True and edges["undated"].in_force is True


def test_an_enabling_chain_is_laid_out_in_columns_by_distance() -> None:
    centre, near, far = org("c"), org("n", type="ngo"), org("f", type="funder")
    roles = Roles(centre="c", distances={"c": 0, "n": 1, "f": 2}, modes={"n": "direct"})
    ties = [rel("n-c", "ENABLES", "n", "c"), rel("f-n", "FUNDS", "f", "n")]
    data = organization_map_data(VIEW, [centre, near, far], ties, roles)
    x = {n.id: n.x for n in data.nodes}
    assert x["c"] > x["n"] > x["f"]
    assert [c.label for c in data.columns] == [
        "asked about",
        "enables it",
        "reaches it through 1 organisation",
    ]
    outline = {n.id: n.outline for n in data.nodes}
    assert outline["n"] == enc.OUTLINE_WIDTHS["direct"] > outline["f"]


def test_a_page_carries_data_only_as_inert_json() -> None:
    doc = small_ecosystem()
    evil = org("evil", PAYLOAD)
    view = View("ecosystem", "ecosystem", {}, as_written(PAYLOAD), (), None, 1)
    page = render_map(organization_map_data(view, [*doc.organizations, evil], []), embed=False)
    assert "<script>window.__xss" not in page
    assert "<img src=x" not in page
    found = re.findall(r'<script id="([a-z-]+)" type="application/json">(.*?)</script>', page, re.S)
    blocks = dict(found)
    assert len(found) == len(blocks) == 2, "the map's data and the scripts' messages, inert"
    assert json.loads(blocks["map-data"])["title"] == PAYLOAD
    sources = re.findall(r'<script src="(/static/[a-z.-]+\.js)"></script>', page)
    assert sources == ["/static/text.js", "/static/vis-network.min.js", "/static/map.js"]
    assert page.count("<script") == 5, "those blocks and our own script files, nothing else"
