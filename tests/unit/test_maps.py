"""Map building: one encoding for every vocabulary key, inert data, and a size cap that says so."""

from __future__ import annotations

import json

from app.domain.vocabulary import vocabulary
from app.maps.build import build_map
from app.maps.encoding import (
    FAMILY_SHAPES,
    INDIRECT_DASHES,
    MOVEMENT_COLOURS,
    RELATIONSHIP_STYLES,
    edge_style,
)
from app.maps.page import inert_json, render_map
from tests.factories import org, rel, small_ecosystem

PAYLOAD = "</script><script>window.__xss=1</script><img src=x onerror=alert(1)>&\u2028"


def test_the_encoding_covers_every_vocabulary_key() -> None:
    v = vocabulary()
    assert set(MOVEMENT_COLOURS) == set(v.movements)
    assert set(FAMILY_SHAPES) == set(v.families)
    assert set(RELATIONSHIP_STYLES) == set(v.relationship_types)
    assert len(set(MOVEMENT_COLOURS.values())) == len(MOVEMENT_COLOURS), "colours differ"


def test_indirect_enabling_is_dashed_and_symmetric_ties_have_no_arrow() -> None:
    assert edge_style("ENABLES", "indirect")["dashes"] == INDIRECT_DASHES
    assert edge_style("ENABLES", "direct")["dashes"] is False
    assert edge_style("PARTNERS_WITH", None)["arrows"] == ""
    assert edge_style("FUNDS", None)["arrows"] == "to"


def test_inert_json_cannot_close_its_script_element() -> None:
    text = inert_json({"name": PAYLOAD})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"name": PAYLOAD}


def test_a_page_carries_data_only_as_inert_json() -> None:
    doc = small_ecosystem()
    evil = org("evil", PAYLOAD)
    page = render_map(build_map(PAYLOAD, [*doc.organizations, evil], [], 500), embed=False)
    assert "<script>window.__xss" not in page
    assert "<img src=x" not in page
    assert page.count("<script") == 3, "the data block and our two script files, nothing else"


def test_large_maps_are_capped_and_say_so() -> None:
    orgs = [org(f"o{i:02d}") for i in range(30)]
    rels = [rel(f"r{i:02d}", "PARTNERS_WITH", "o00", f"o{i:02d}") for i in range(1, 30)]
    data = build_map("big", orgs, rels, limit=10, roles={"o29": "centre"})
    kept = {n["id"] for n in data.nodes if not n["id"].startswith("group:")}
    assert len(kept) == 10
    assert {"o00", "o29"} <= kept, "the centre and the hub are kept"
    groups = [n for n in data.nodes if n["id"].startswith("group:")]
    assert [g["details"]["count"] for g in groups] == [20]
    assert data.note == "Showing 10 of 30 organisations; the other 20 are grouped by movement."
    assert data.total == 30
    small = build_map("small", orgs[:5], rels[:4], limit=10)
    assert small.note is None and len(small.nodes) == 5 and len(small.edges) == 4
