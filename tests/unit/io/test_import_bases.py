"""Every importer of another tool's or publisher's file marks what it writes as ``imported``.

Each source an import of IATI, 360Giving, Kumu (JSON, CSV sheets, a workbook) or another
tool's GraphML or GEXF writes has basis ``imported``, a citation naming the file (and its
publisher where the file says), a locator naming the record, and the year of the record's
date where it has one. Our own interchange documents keep the bases they carry.

The open-data samples are the real files in ``../shared/data`` (see its SOURCES.md); the Kumu
and graph files are the project's test maps in ``tests/data``. Expected identifiers, dates
and publishers are read from the files here with ElementTree, json and csv, independently of
the importers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.domain.models import Document, Organization, Relationship, Source
from app.io.documents import to_json
from app.io.importers import read_files, read_paths
from tests.conftest import ROOT, SHARED
from tests.factories import org, rel

DATA = SHARED / "data"
IATI = DATA / "iati"
GRANTS = DATA / "360giving"
TEST_DATA = ROOT / "tests" / "data"

IATI_PUBLISHERS = {
    "example_203_file.xml": "Ministry of Foreign Affairs (DGIS)",
    "datastore-fixtures-1.0x/many_activities.xml": "World Vision UK",
    "datastore-fixtures-1.0x/provider-activity-id.xml": "Bond",
    "datastore-fixtures-1.0x/transaction_ref.xml": "CAFOD",
    "extra-doc-2.01/activity-standard-example-annotated.xml": "Organisation name",
    "extra-doc-2.02/activity-standard-example-annotated.xml": "Organisation name",
    "extra-doc-2.03/activity-standard-example-annotated.xml": "Organisation name",
}
"""Each activity file's one reporting organisation, as the file names it (in English)."""


def all_sources(doc: Document) -> list[Source]:
    records: list[Organization | Relationship] = [*doc.organizations, *doc.relationships]
    return [s for record in records for s in record.sources]


def activity_years(path: Path) -> dict[str, int | None]:
    """Each activity's year as the file dates it: its earliest activity-date, else the year it
    was last updated."""
    root = ET.parse(path).getroot()
    activities = [root] if root.tag == "iati-activity" else root.findall("iati-activity")
    years: dict[str, int | None] = {}
    for activity in activities:
        dates = [d.get("iso-date", "")[:4] for d in activity.findall("activity-date")]
        found = [int(y) for y in dates if re.fullmatch(r"\d{4}", y)]
        updated = activity.get("last-updated-datetime", "")[:4]
        fallback = int(updated) if re.fullmatch(r"\d{4}", updated) else None
        identifier = " ".join((activity.findtext("iati-identifier") or "").split())
        years[identifier] = min(found) if found else fallback
    return years


@pytest.mark.parametrize("name", sorted(IATI_PUBLISHERS))
def test_iati_sources_cite_the_file_and_its_publisher_and_locate_the_activity(name: str) -> None:
    path = IATI / name
    doc, _ = read_paths([path])
    years = activity_years(path)
    citation = f"IATI file {path.name}, published by {IATI_PUBLISHERS[name]}"
    sources = all_sources(doc)
    assert sources, "the file gives records"
    for source in sources:
        assert (source.basis, source.citation) == ("imported", citation)
        assert source.locator is not None and source.locator.startswith("activity ")
        identifier = source.locator.removeprefix("activity ")
        assert identifier in years
        assert source.year == years[identifier]
    for tie in doc.relationships:
        assert tie.sources[0].locator == f"activity {tie.reference}"


def test_iati_years_come_from_the_activity_dates() -> None:
    # Bond's accountable grant (provider-activity-id.xml) started on 1 June 2011.
    doc, _ = read_paths([IATI / "datastore-fixtures-1.0x/provider-activity-id.xml"])
    assert {s.year for s in all_sources(doc)} == {2011}


def award_year(text: str | None) -> int | None:
    """The year of an award date, written ISO ("2017-11-21") or day first ("24/07/2014")."""
    found = re.search(r"\d{4}", text or "")
    return int(found.group()) if found else None


def grant_years_from_json(path: Path) -> dict[str, int | None]:
    grants = json.loads(path.read_text(encoding="utf-8"))["grants"]
    return {g["id"]: award_year(g.get("awardDate")) for g in grants if g.get("id")}


def grant_years_from_csv(path: Path) -> dict[str, int | None]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return {row["Identifier"]: award_year(row["Award Date"]) for row in rows}


@pytest.mark.parametrize(
    "name",
    [
        "grantnav-20180903134856.json",
        "fundingproviders-grants_fixed_2_grants.json",
        "fundingproviders_grants_2_grants.csv",
    ],
)
def test_360giving_sources_cite_the_file_and_locate_the_grant_in_its_award_year(
    name: str,
) -> None:
    path = GRANTS / name
    doc, _ = read_paths([path])
    years = grant_years_from_csv(path) if path.suffix == ".csv" else grant_years_from_json(path)
    sources = all_sources(doc)
    assert sources
    for source in sources:
        # No sample names its publisher in a package "publisher" block.
        assert (source.basis, source.citation) == ("imported", f"360Giving file {name}")
        assert source.locator is not None and source.locator.startswith("grant ")
        grant = source.locator.removeprefix("grant ")
        assert source.year == years[grant]
    for tie in doc.relationships:
        assert tie.sources[0].locator == f"grant {tie.reference}"


def test_a_360giving_package_names_its_publisher() -> None:
    package = json.loads((GRANTS / "fundingproviders-grants_fixed_2_grants.json").read_bytes())
    package["publisher"] = {"name": "Funding Providers UK", "identifier": "GB-CHC-000000"}
    doc, _ = read_files([("grants.json", json.dumps(package).encode("utf-8"))])
    citations = {s.citation for s in all_sources(doc)}
    assert citations == {"360Giving file grants.json, published by Funding Providers UK"}


def kumu_sheets(sources_column: bool) -> dict[str, bytes]:
    elements = [["Label", "Type", *(["Sources"] if sources_column else [])]]
    elements += [
        ["UTRASD", "Trade union", *(["UTRASD et al. 2020 | ILO 2019"] if sources_column else [])],
        ["IMA Limpia", "Social enterprise", *([""] if sources_column else [])],
    ]
    connections = [["From", "To", "Type"], ["UTRASD", "IMA Limpia", "Established"]]
    found = {}
    for name, rows in (("Elements.csv", elements), ("Connections.csv", connections)):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        found[name] = buffer.getvalue().encode("utf-8")
    return found


def test_kumu_sheets_cite_the_map_and_locate_the_row() -> None:
    doc, _ = read_files(list(kumu_sheets(False).items()))
    locators = [s.locator or "" for s in all_sources(doc)]
    assert {(s.basis, s.citation, s.year) for s in all_sources(doc)} == {
        ("imported", "Kumu map Elements.csv + Connections.csv", None)
    }
    assert sorted(locators) == ["Connections.csv row 2", "Elements.csv row 2", "Elements.csv row 3"]


def test_a_kumu_sources_column_is_quoted_by_the_imported_source() -> None:
    doc, _ = read_files(list(kumu_sheets(True).items()))
    utrasd = next(o for o in doc.organizations if o.name == "UTRASD")
    assert [(s.basis, s.locator, s.quote) for s in utrasd.sources] == [
        ("imported", "Elements.csv row 2", "Sources: UTRASD et al. 2020; ILO 2019")
    ]


def test_a_workbook_of_kumu_sheets_is_cited_by_its_name() -> None:
    book = Workbook()
    for index, (name, data) in enumerate(kumu_sheets(False).items()):
        sheet = book.worksheets[0] if index == 0 else book.create_sheet()
        sheet.title = name.removesuffix(".csv")
        for row in csv.reader(io.StringIO(data.decode("utf-8"))):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    doc, _ = read_files([("ecosystem.xlsx", buffer.getvalue())])
    assert {(s.basis, s.citation) for s in all_sources(doc)} == {
        ("imported", "Kumu map ecosystem.xlsx")
    }
    assert {s.locator for s in all_sources(doc)} == {
        "ecosystem.xlsx/Elements.csv row 2",
        "ecosystem.xlsx/Elements.csv row 3",
        "ecosystem.xlsx/Connections.csv row 2",
    }


@pytest.mark.parametrize("name", ["export.json", "blueprint.json"])
def test_kumu_json_cites_the_map_and_locates_the_entry(name: str) -> None:
    path = TEST_DATA / "kumu" / name
    value = json.loads(path.read_text(encoding="utf-8"))
    entries = [*value["elements"], *value["connections"]]
    ids = {e.get("_id") or e.get("id") for e in entries} - {None}
    doc, _ = read_paths([path])
    assert {(s.basis, s.citation) for s in all_sources(doc)} == {("imported", f"Kumu map {name}")}
    for source in all_sources(doc):
        assert source.locator in ids or re.fullmatch(
            r"(element|connection) #\d+", source.locator or ""
        )


@pytest.mark.parametrize("name", ["gephi-1.3.gexf", "yed.graphml"])
def test_another_tool_s_graph_file_is_cited_with_each_node_and_edge_id(name: str) -> None:
    path = TEST_DATA / "graphs" / name
    root = ET.parse(path).getroot()
    xml_ids = {
        element.get("id")
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in ("node", "edge") and element.get("id")
    }
    kind = "GEXF" if path.suffix == ".gexf" else "GraphML"
    doc, _ = read_paths([path])
    assert {(s.basis, s.citation) for s in all_sources(doc)} == {
        ("imported", f"{kind} file {name}")
    }
    assert {s.locator for s in all_sources(doc)} <= xml_ids


def test_our_own_documents_keep_the_bases_they_carry() -> None:
    inferred = {"citation": "ILO 2019", "basis": "inferred", "reason": "read from the box"}
    doc = Document(
        organizations=[org("union", sources=[inferred]), org("coop", type="cooperative")],
        relationships=[rel("union-established-coop", "ESTABLISHED", "union", "coop")],
    )
    read, _ = read_files([("ours.json", to_json(doc).encode("utf-8"))])
    assert read == doc
    assert [s.basis for s in all_sources(read)] == ["inferred", "stated", "stated"]
