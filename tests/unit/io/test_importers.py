"""Importing open data into a store that already holds organisations.

The samples are the files in ``shared/data`` (see its SOURCES.md); expected identifiers and
names are read from them with json, or quoted from them with the file named.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from app.domain.errors import InvalidData
from app.domain.models import Document, Organization
from app.io.exporters import zipped
from app.io.importers import read_files, read_paths
from app.io.matching import ImportReport
from app.io.sheets import to_sheets
from app.store.memory import MemoryStore
from tests.factories import small_ecosystem

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
GIVING = DATA / "360giving"
GRANTNAV = GIVING / "grantnav-20180903134856.json"
CSV_FILE = GIVING / "fundingproviders_grants_2_grants.csv"
SAMPLES = [
    *(
        DATA / "iati" / name
        for name in (
            "example_203_file.xml",
            "datastore-fixtures-1.0x/many_activities.xml",
            "datastore-fixtures-1.0x/provider-activity-id.xml",
            "datastore-fixtures-1.0x/transaction_ref.xml",
            "extra-doc-2.01/activity-standard-example-annotated.xml",
            "extra-doc-2.02/activity-standard-example-annotated.xml",
            "extra-doc-2.03/activity-standard-example-annotated.xml",
        )
    ),
    GRANTNAV,
    GIVING / "fundingproviders-grants_fixed_2_grants.json",
    CSV_FILE,
]
SOURCE = {"citation": "Curated record", "locator": "tests/unit/io/test_importers.py"}


def imported(path: Path, known: Sequence[Organization] = ()) -> tuple[Document, ImportReport]:
    document, report = read_paths([path], known)
    assert report is not None
    return document, report


def stored(org_id: str, name: str, **fields: Any) -> Organization:
    data = {"id": org_id, "name": name, "type": "ngo", "movement": "enabler", "sources": [SOURCE]}
    return Organization.model_validate({**data, **fields})


def inline(
    tmp_path: Path, grants: list[dict[str, Any]], known: Sequence[Organization]
) -> tuple[Document, ImportReport]:
    path = tmp_path / "grants.json"
    path.write_text(json.dumps({"grants": grants}), encoding="utf-8")
    return imported(path, known)


def grant(grant_id: str, recipient: dict[str, str]) -> dict[str, Any]:
    return {
        "id": grant_id,
        "title": "Working capital",
        "currency": "KES",
        "amountAwarded": 1000,
        "awardDate": "2021-03-01",
        "fundingOrganization": [{"id": "GB-CHC-1", "name": "A Trust"}],
        "recipientOrganization": [recipient],
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_importing_a_file_again_into_the_store_changes_nothing(path: Path, tmp_path: Path) -> None:
    store = MemoryStore(tmp_path)
    first, first_report = imported(path)
    store.load(first)
    assert first_report.created == tuple(org.id for org in first.organizations)
    before = store.export()
    again, report = imported(path, before.organizations)
    assert (again.organizations, report.created, report.organizations) == ([], (), 0)
    assert {org_id for _, org_id in report.matched} == set(first_report.created)
    assert again.relationships == first.relationships
    loaded = store.load(again)
    for changes in (loaded.organizations, loaded.relationships):
        assert (changes.created, changes.updated) == (0, 0)
    assert store.export() == before


def test_a_stored_organisation_with_the_identifier_is_reused_whatever_its_id(
    tmp_path: Path,
) -> None:
    # grantnav-20180903134856.json: every grant is from GB-CHC-200051, Esmée Fairbairn Foundation.
    raw = json.loads(GRANTNAV.read_text("utf-8"))["grants"]
    assert {g["fundingOrganization"][0]["id"] for g in raw} == {"GB-CHC-200051"}
    esmee = stored("esmee", "EFF", type="funder", identifiers=["gb-chc-200051"])
    store = MemoryStore(tmp_path)
    store.load(Document(organizations=[esmee]))
    document, report = imported(GRANTNAV, store.export().organizations)
    assert all("GB-CHC-200051" not in org.identifiers for org in document.organizations)
    assert {rel.source for rel in document.relationships} == {"esmee"}
    assert report.matched == (("Esmée Fairbairn Foundation (GB-CHC-200051)", "esmee"),)
    assert set(report.created) == {org.id for org in document.organizations}
    loaded = store.load(document)
    assert (loaded.organizations.created, loaded.organizations.updated) == (len(raw), 0)
    assert store.get_organization("esmee") == esmee


def test_two_imported_names_of_one_stored_organisation_both_go_to_it(tmp_path: Path) -> None:
    ksg = stored("ksg", "Kibera Savings Group", aliases=["KSG"])
    document, report = inline(
        tmp_path,
        [grant("G-1", {"name": "Kibera Savings Group"}), grant("G-2", {"name": "ksg"})],
        [ksg],
    )
    assert [org.name for org in document.organizations] == ["A Trust"]
    assert {rel.target for rel in document.relationships} == {"ksg"}
    assert report.matched == (("Kibera Savings Group", "ksg"), ("ksg", "ksg"))
    assert report.notes == ()


def test_a_name_matching_several_stored_organisations_is_new_then_reused(
    tmp_path: Path,
) -> None:
    known = [
        stored("sewa-bharat", "SEWA Bharat", aliases=["SEWA"]),
        stored("sewa-union", "Self-Employed Women's Association", aliases=["SEWA"]),
    ]
    document, report = inline(tmp_path, [grant("G-1", {"name": "SEWA"})], known)
    [trust, sewa] = document.organizations
    assert (sewa.id, report.created) == ("sewa", (trust.id, "sewa"))
    [note] = report.notes
    assert note.message == (
        "the name 'SEWA' is on stored organisations sewa-bharat, sewa-union; "
        "imported as a new organisation"
    )
    again, report = inline(tmp_path, [grant("G-1", {"name": "SEWA"})], [*known, trust, sewa])
    assert (again.organizations, again.relationships) == ([], document.relationships)
    assert report.matched == (("A Trust (GB-CHC-1)", trust.id), ("SEWA", "sewa"))


def test_a_new_organisation_never_takes_the_id_of_a_stored_one(tmp_path: Path) -> None:
    # fundingproviders_grants_2_grants.csv: "Company Name Limited" has no identifier, so its id
    # would be its name's slug, which a stored organisation of another name holds here.
    other = stored("company-name-limited", "Another Company")
    store = MemoryStore(tmp_path)
    store.load(Document(organizations=[other]))
    document, _ = imported(CSV_FILE, [other])
    [company] = [org for org in document.organizations if org.name == "Company Name Limited"]
    assert company.id.startswith("company-name-limited-")
    store.load(document)
    assert store.get_organization("company-name-limited") == other


def test_a_name_match_with_an_unlisted_identifier_is_noted(tmp_path: Path) -> None:
    # fundingproviders_grants_2_grants.csv: the funder is "Funding Providers UK", GB-CHC-000000.
    curated = stored("fpuk", "Funding Providers", aliases=["Funding Providers UK"], type="funder")
    document, report = imported(CSV_FILE, [curated])
    assert {rel.source for rel in document.relationships} == {"fpuk"}
    assert ("Funding Providers UK (GB-CHC-000000)", "fpuk") in report.matched
    [note] = [n for n in report.notes if n.item.startswith("organisation 'Funding Providers UK")]
    assert note.message == (
        "matched by name to stored 'fpuk', which does not list GB-CHC-000000; "
        "the stored record is left as it is"
    )


def test_uploads_are_told_apart_by_suffix_and_header() -> None:
    """A ZIP of Kumu sheets (headers in any case), our sheets, and an unknown CSV layout."""

    kumu = zipped(
        {
            "Elements.csv": b"label,type\nHelping Hands,NGO\nUnion de Trabajadoras,Trade union\n",
            "Connections.csv": b"from,to,type\nHelping Hands,Union de Trabajadoras,ENABLES\n",
        }
    )
    document, report = read_files([("ecosystem.zip", kumu)])
    assert report is None
    assert sorted(o.id for o in document.organizations) == [
        "helping-hands",
        "union-de-trabajadoras",
    ]
    [tie] = document.relationships
    assert (tie.type, tie.source, tie.target) == (
        "ENABLES",
        "helping-hands",
        "union-de-trabajadoras",
    )
    assert tie.sources[0].citation == "Kumu map ecosystem.zip", "cited by the upload's name"

    ours = small_ecosystem()
    assert read_files(list(to_sheets(ours).items()))[0] == ours, "our sheets, as two files"

    with pytest.raises(InvalidData) as caught:
        read_files([("people.csv", b"who,what\nme,this\n")])
    assert caught.value.problems[0].allowed[0].startswith("our sheets")
    with pytest.raises(InvalidData, match="not a readable ZIP"):
        read_files([("broken.zip", b"not a zip")])
