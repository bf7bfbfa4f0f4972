"""Kumu JSON exports and blueprints read leniently, with a report of what is left out and why.

The maps are ``tests/data/kumu/export.json`` and ``blueprint.json`` (their README says where
the shape comes from) or entries typed out here. Expected values are worked out by hand from
those entries, the word tables of app/io/kumu_terms.py and graph_schema/vocabulary.yaml; the
comments say which.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.documents import check_document, parse_document
from app.domain.errors import InvalidData
from app.domain.models import Document, Source
from app.domain.vocabulary import vocabulary
from app.io.kumu_json import is_kumu_json, read_kumu_json
from app.io.report import ImportReport, Issue

DATA = Path(__file__).resolve().parents[2] / "data" / "kumu"
VOCAB = vocabulary()


def load(name: str) -> dict[str, Any]:
    value = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def read(value: dict[str, Any], origin: str = "maps/export.json") -> tuple[Document, ImportReport]:
    return read_kumu_json(value, origin)


def element(label: str, kind: str | None, _id: str = "", **more: Any) -> dict[str, Any]:
    """One element as Kumu's export writes it."""
    attributes: dict[str, Any] = {"label": label, **more}
    if kind is not None:
        attributes["element type"] = kind
    return {"_id": _id or f"elem-{label}", "attributes": attributes}


def connection(source: str, target: str, kind: str, _id: str = "", **more: Any) -> dict[str, Any]:
    """One connection as Kumu's export writes it, its ends named by element _id."""
    return {
        "_id": _id or f"conn-{source}-{target}",
        "from": f"elem-{source}",
        "to": f"elem-{target}",
        "direction": "directed",
        "attributes": {"connection type": kind, **more},
    }


def by_heading(report: ImportReport) -> dict[str, list[Issue]]:
    return {group.heading: list(group.issues) for group in report.groups()}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (load("export.json"), True),
        (load("blueprint.json"), True),
        ({"elements": []}, True),
        ({"connections": [], "version": 1, "maps": [], "loops": [], "perspectives": []}, True),
        ({"organizations": [], "relationships": []}, False),
        ({"elements": [], "organizations": []}, False),
        ({"elements": "SEWA"}, False),
        ({"elements": [], "connections": {}}, False),
        ({"version": 1}, False),
        ([{"elements": []}], False),
        ("elements", False),
    ],
)
def test_kumu_json_is_told_from_other_json(value: object, expected: bool) -> None:
    assert is_kumu_json(value) is expected


def test_the_interchange_parser_alone_refuses_a_kumu_export() -> None:
    """Why is_kumu_json exists: read as our own document, the export is nothing but errors."""
    with pytest.raises(InvalidData):
        parse_document(load("export.json"))


def test_the_export_becomes_organisations_by_the_word_tables() -> None:
    doc, report = read(load("export.json"))
    assert check_document(doc, {}) == []
    # Hand-worked from export.json: "Trade Union" is the vocabulary's trade_union in words;
    # "Co-op", "Donor", "Government agency" and "Alliance" are words of kumu_terms' table.
    # Movements are the family defaults (FAMILY_MOVEMENTS). "Person", "Organization" (twice)
    # and the element without a type are left out; "Sewa" merges into "SEWA".
    assert [
        (o.id, o.name, o.type, o.movement, o.countries, o.sectors) for o in doc.organizations
    ] == [
        ("sewa", "SEWA", "trade_union", "labour", ["IN"], ["home_based_work"]),
        ("sewa-bank", "SEWA Bank", "cooperative", "sse", ["IN"], []),
        ("wiego", "WIEGO", "network", "enabler", [], ["general"]),
        ("open-society-foundations", "Open Society Foundations", "funder", "enabler", [], []),
        ("ministry-of-labour-and-employment", "Ministry of Labour and Employment",
         "public_body", "public", ["IN"], []),
        ("streetnet-international", "StreetNet International", "network", "enabler", ["ZA"],
         ["street_vending"]),
    ]  # fmt: skip
    assert doc.organizations[0].description == (
        "Self-Employed Women's Association, a union of women in the informal economy."
    )
    assert report.created == tuple(o.id for o in doc.organizations)
    assert (report.records_read, report.organizations) == (11 + 16, 6)


def test_the_export_becomes_relationships_by_the_word_tables() -> None:
    doc, report = read(load("export.json"))
    # Hand-worked from export.json's connections 1-5, 9, 10, 12, 14 and 15; the rest are left
    # out. ENABLES from a network is direct: network is not among vocabulary.yaml's
    # indirect_enabler_types. Connection 12 starts at "Sewa", merged into "SEWA".
    assert [
        (r.id, r.type, r.source, r.target, r.mode, r.mechanisms, r.level, r.activities)
        for r in doc.relationships
    ] == [
        ("sewa-established-sewa-bank", "ESTABLISHED", "sewa", "sewa-bank", None, [], None,
         ["SEWA set up its own bank in 1974."]),
        ("open-society-foundations-funds-wiego", "FUNDS", "open-society-foundations", "wiego",
         None, ["finance"], None, []),
        ("sewa-member-of-wiego", "MEMBER_OF", "sewa", "wiego", None, [], None, []),
        ("sewa-advocates-to-ministry-of-labour-and-employment", "ADVOCATES_TO", "sewa",
         "ministry-of-labour-and-employment", None, [], None, []),
        ("wiego-enables-sewa-bank", "ENABLES", "wiego", "sewa-bank", "direct", ["training"],
         "meso", []),
        ("sewa-partners-with-streetnet-international", "PARTNERS_WITH", "sewa",
         "streetnet-international", None, [], None, []),
        ("sewa-bank-member-of-wiego", "MEMBER_OF", "sewa-bank", "wiego", None, [], None, []),
        ("sewa-agreement-with-ministry-of-labour-and-employment", "AGREEMENT_WITH", "sewa",
         "ministry-of-labour-and-employment", None, [], None, []),
        ("open-society-foundations-funds-wiego-2", "FUNDS", "open-society-foundations", "wiego",
         None, [], None, []),
        ("sewa-bank-partners-with-wiego", "PARTNERS_WITH", "sewa-bank", "wiego", None, [], None,
         []),
    ]  # fmt: skip
    assert report.relationships == 10


def test_records_cite_the_map_with_their_kumu_id() -> None:
    doc, _ = read(load("export.json"))
    assert [(s.citation, s.locator) for s in doc.organizations[1].sources] == [
        ("Kumu map export.json", "elem-a2")
    ]
    assert [(s.citation, s.locator) for s in doc.relationships[0].sources] == [
        ("Kumu map export.json", "conn-1")
    ]


def test_the_report_groups_what_was_left_out_and_why() -> None:
    _, report = read(load("export.json"))
    summary = report.summary()
    # Counted by hand from export.json: one item per unmapped type value, one per record else.
    assert dict(summary.skipped) == {
        "element type not mapped": 3,
        "connection type not mapped": 2,
        "connection to a skipped element": 2,
        "connection end not found": 1,
        "tie the vocabulary forbids": 1,
    }
    assert dict(summary.notes) == {
        "label repeats another element": 1,
        "two-way connection read one way": 1,
        "reversed connection read from 'from' to 'to'": 1,
        "element tag not read": 1,
        "connection tag not read": 1,
    }
    groups = by_heading(report)
    types = {issue.item: issue.message for issue in groups["element type not mapped"]}
    assert set(types) == {
        "element type 'Person'",
        "element type 'Organization'",
        "elements without a type",
    }
    organization = types["element type 'Organization'"]
    assert "(it says nothing of the kind of organisation)" in organization
    assert "2 element(s) left out" in organization
    assert "element 'Friends of SEWA' (elem-a7), element 'Helping Hands' (elem-a8)" in organization
    assert "accepted: association, cooperative" in organization
    assert "people are not organisations" in types["element type 'Person'"]
    assert "element 'Mystery Group' (elem-a9)" in types["elements without a type"]
    [friendship, untyped] = groups["connection type not mapped"]
    assert friendship.item == "connection type 'Friendship'"
    assert "connection conn-8 (WIEGO -> SEWA)" in friendship.message
    assert "FUNDS" in friendship.message
    assert untyped.item == "connections without a type"
    skipped_ends = {issue.item for issue in groups["connection to a skipped element"]}
    assert skipped_ends == {
        "connection conn-6 (Jane Doe -> SEWA)",
        "connection conn-16 (Friends of SEWA -> SEWA)",
    }
    [missing] = groups["connection end not found"]
    assert missing.message == "'to' names no element ('elem-zz')"
    [forbidden] = groups["tie the vocabulary forbids"]
    # vocabulary.yaml: ADVOCATES_TO targets public bodies and international institutions only.
    assert forbidden.item == "connection conn-11 (WIEGO -> SEWA Bank)"
    assert "cannot have a cooperative as its target" in forbidden.message
    [merged] = groups["label repeats another element"]
    assert merged.item == "element 'Sewa' (elem-a10)"
    assert "merged into element 'SEWA' (elem-a1)" in merged.message
    [tag] = groups["element tag not read"]
    # "finance" is a mechanism, not a sector; Helping Hands also carries it but is left out.
    assert (tag.item, tag.message.endswith("element 'SEWA Bank' (elem-a2)")) == (
        "tag 'finance'",
        True,
    )
    assert all(issue.skipped for issue in report.skipped)
    assert "skipped, element type not mapped: 3" in report.as_text()


def test_a_blueprint_names_ends_by_label_or_id() -> None:
    doc, report = read(load("blueprint.json"), "blueprint.json")
    # blueprint.json: "SEWA" has no id, so the first tie names it by label; the others by id.
    assert [(o.id, o.type) for o in doc.organizations] == [
        ("sewa", "trade_union"),
        ("wiego", "network"),
        ("open-society-foundations", "funder"),
    ]
    assert [(r.id, r.type) for r in doc.relationships] == [
        ("sewa-member-of-wiego", "MEMBER_OF"),
        ("open-society-foundations-funds-wiego", "FUNDS"),
    ]
    assert [(s.citation, s.locator) for s in doc.organizations[0].sources] == [
        ("Kumu map blueprint.json", "element #1")
    ]
    assert report.issues == ()


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Organisation", None),
        ("NGO", "ngo"),
        ("Union", "trade_union"),
        ("Trade Union", "trade_union"),
        ("Cooperative", "cooperative"),
        ("Co-op", "cooperative"),
        ("Funder", "funder"),
        ("Donor", "funder"),
        ("Foundation", "foundation"),
        ("Government", "public_body"),
        ("University", "research_institute"),
        ("Network", "network"),
    ],
)
def test_element_type_words_of_the_brief(word: str, key: str | None) -> None:
    # The words the brief lists; "Foundation" is the vocabulary's own SSE foundation.
    doc, _ = read({"elements": [element("Acme", word)]})
    assert [o.type for o in doc.organizations] == ([key] if key else [])


@pytest.mark.parametrize("word", ["Company", "Business"])
def test_company_words_follow_the_vocabulary(word: str) -> None:
    doc, report = read({"elements": [element("Acme", word)]})
    if "private_company" in VOCAB.organization_types:
        assert [o.type for o in doc.organizations] == ["private_company"]
    else:
        [issue] = report.skipped
        assert "the vocabulary has no type private_company" in issue.message


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Funding", "FUNDS"),
        ("Funds", "FUNDS"),
        ("Grant", "FUNDS"),
        ("Partnership", "PARTNERS_WITH"),
        ("Partner", "PARTNERS_WITH"),
        ("Member", "MEMBER_OF"),
        ("Membership", "MEMBER_OF"),
        ("Founded", "ESTABLISHED"),
        ("Established", "ESTABLISHED"),
        ("Support", "ENABLES"),
        ("Enables", "ENABLES"),
        ("Agreement", "AGREEMENT_WITH"),
        ("MoU", "AGREEMENT_WITH"),
    ],
)
def test_connection_type_words_of_the_brief(word: str, key: str) -> None:
    value = {
        "elements": [element("A", "NGO"), element("B", "Trade union")],
        "connections": [connection("A", "B", word)],
    }
    doc, report = read(value)
    assert [r.type for r in doc.relationships] == [key]
    assert report.skipped == ()


def test_advocacy_needs_a_public_target() -> None:
    # vocabulary.yaml: ADVOCATES_TO targets public_bodies and international_institution.
    value = {
        "elements": [element("A", "NGO"), element("B", "Government")],
        "connections": [connection("A", "B", "Advocacy"), connection("B", "A", "Advocacy")],
    }
    doc, report = read(value)
    assert [r.id for r in doc.relationships] == ["a-advocates-to-b"]
    assert [i.reason for i in report.skipped] == ["tie the vocabulary forbids"]


def test_an_unmapped_value_is_reported_once_with_its_count() -> None:
    value = {
        "elements": [element(f"Org {n}", "Thing") for n in range(1, 8)],
        "connections": [connection("Org 1", "Org 2", "Member")],
    }
    doc, report = read(value)
    assert doc.organizations == []
    [issue, tie] = report.skipped
    assert (issue.item, issue.reason) == ("element type 'Thing'", "element type not mapped")
    # Five records are named (MAX_SHOWN), then the rest counted.
    assert "7 element(s) left out: element 'Org 1' (elem-Org 1)" in issue.message
    assert "element 'Org 5' (elem-Org 5) and 2 more" in issue.message
    assert tie.reason == "connection to a skipped element"


def test_a_sources_attribute_is_quoted_by_the_one_imported_source() -> None:
    # The map, not we, read these references: each element has one source, the map with the
    # element's _id as locator, quoting them (README, "Import and export").
    value = {
        "elements": [
            element("A", "NGO", sources=["ILO 2019", "Chen 2020"]),
            element("B", "NGO", Source="Annual report 2021 | Website"),
        ]
    }
    doc, _ = read(value)
    assert [o.sources for o in doc.organizations] == [
        [
            Source(
                citation="Kumu map export.json",
                locator="elem-A",
                basis="imported",
                quote="Sources: ILO 2019; Chen 2020",
            )
        ],
        [
            Source(
                citation="Kumu map export.json",
                locator="elem-B",
                basis="imported",
                quote="Sources: Annual report 2021; Website",
            )
        ],
    ]


def test_movement_mode_tags_and_descriptions() -> None:
    value = {
        "elements": [
            element("Fund", "Funder", movement="Labour"),
            element("Coop", "Cooperative", movement="Sideways", description="x" * 6000),
        ],
        "connections": [
            connection("Fund", "Coop", "Support", tags=["finance", "micro", "macro"]),
            connection("Coop", "Fund", "Partnership", tags=["training"], description="y" * 600),
            connection("Coop", "Fund", "Support", mode="Direct"),
        ],
    }
    doc, report = read(value)
    fund, coop = doc.organizations
    # "Sideways" is no movement in vocabulary.yaml, so the cooperative's family default (sse).
    assert (fund.movement, coop.movement) == ("labour", "sse")
    assert coop.description is not None and len(coop.description) == 5000
    # funder is among vocabulary.yaml's indirect_enabler_types; a mode field overrides that.
    enables, partners, direct = doc.relationships
    assert (enables.mode, enables.mechanisms, enables.level) == ("indirect", ["finance"], "micro")
    assert (partners.mechanisms, len(partners.activities[0])) == ([], 500)
    assert direct.mode == "direct"
    assert {i.reason for i in report.notes} == {
        "movement not known",
        "description shortened",
        "several levels",
        "mechanisms on a tie that has none",
    }


def test_a_tie_from_an_element_to_itself_is_left_out() -> None:
    value = {
        "elements": [element("SEWA", "Trade union"), element("Sewa", "Union", _id="elem-2")],
        "connections": [
            {"from": "elem-SEWA", "to": "elem-2", "attributes": {"connection type": "Partner"}}
        ],
    }
    doc, report = read(value)
    assert doc.relationships == []
    [issue] = report.skipped
    assert issue.reason == "connection from an element to itself"
    assert issue.item == "connection #1 (SEWA -> Sewa)"


def test_entries_that_are_not_objects_are_left_out() -> None:
    doc, report = read({"elements": ["SEWA", element("", "NGO")], "connections": [7]})
    assert doc == Document()
    assert [(i.item, i.reason) for i in report.skipped] == [
        ("element #1", "element not readable"),
        ("element elem-", "element without a label"),
        ("connection #1", "connection not readable"),
    ]


def test_elements_that_are_no_list_refuse_the_map() -> None:
    with pytest.raises(InvalidData) as caught:
        read({"elements": {"label": "SEWA"}})
    [problem] = caught.value.problems
    assert (problem.field, problem.message) == ("elements", "is dict, not a list")
