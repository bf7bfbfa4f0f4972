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
from app.io.documents import seed_document
from app.io.exporters import zipped
from app.io.importers import read_files, read_paths
from app.io.matching import reuse_relationship_ids
from app.io.report import ImportReport
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
    # app/io/matching.py applies a name match only when both sides share a country: here the
    # stored group and both grants' recipients are in Kenya (one says "KE", one "Kenya").
    ksg = stored("ksg", "Kibera Savings Group", aliases=["KSG"], countries=["KE"])
    document, report = inline(
        tmp_path,
        [
            grant("G-1", {"name": "Kibera Savings Group", "addressCountry": "KE"}),
            grant("G-2", {"name": "ksg", "addressCountry": "Kenya"}),
        ],
        [ksg],
    )
    assert [org.name for org in document.organizations] == ["A Trust"]
    assert {rel.target for rel in document.relationships} == {"ksg"}
    assert report.matched == (("Kibera Savings Group", "ksg"), ("ksg", "ksg"))
    assert (report.notes, report.candidates) == ((), ())


def test_a_name_match_without_a_shared_country_is_left_for_review(tmp_path: Path) -> None:
    # app/io/matching.py: equal names are not enough. With no country on either side the match
    # is queued as a candidate and the import makes its own organisation; with disjoint
    # countries it is refused and noted.
    ksg = stored("ksg", "Kibera Savings Group", aliases=["KSG"])
    document, report = inline(tmp_path, [grant("G-1", {"name": "Kibera Savings Group"})], [ksg])
    [trust, group] = document.organizations
    assert (trust.name, group.name, report.matched) == ("A Trust", "Kibera Savings Group", ())
    assert {rel.target for rel in document.relationships} == {group.id}
    [candidate] = report.candidates
    assert (candidate.imported, candidate.stored) == (group.id, "ksg")
    assert "the imported record states no country" in candidate.evidence_against

    in_kenya = ksg.model_copy(update={"countries": ["KE"]})
    uganda = {"name": "Kibera Savings Group", "addressCountry": "UG"}
    document, report = inline(tmp_path, [grant("G-1", uganda)], [in_kenya])
    assert [org.countries for org in document.organizations] == [[], ["UG"]]
    assert (report.matched, report.candidates) == ((), ())
    [note] = report.notes
    assert note.reason == "name match refused"
    assert "different countries: UG against KE" in note.message


def test_a_name_matching_several_stored_organisations_is_new_then_reused(
    tmp_path: Path,
) -> None:
    # Both stored SEWAs are in India, as is the recipient: each name match on its own would be
    # applied, but two at once are not (app/io/matching.py). The import makes its own
    # organisation and queues both pairs for review (this used to be a note, and no review).
    known = [
        stored("sewa-bharat", "SEWA Bharat", aliases=["SEWA"], countries=["IN"]),
        stored(
            "sewa-union", "Self-Employed Women's Association", aliases=["SEWA"], countries=["IN"]
        ),
    ]
    recipient = {"name": "SEWA", "addressCountry": "IN"}
    document, report = inline(tmp_path, [grant("G-1", recipient)], known)
    [trust, sewa] = document.organizations
    assert (sewa.id, report.created) == ("sewa", (trust.id, "sewa"))
    assert report.matched == ()
    assert [(c.imported, c.stored) for c in report.candidates] == [
        ("sewa", "sewa-bharat"),
        ("sewa", "sewa-union"),
    ]
    assert all("both in IN" in c.evidence_for for c in report.candidates)
    again, report = inline(tmp_path, [grant("G-1", recipient)], [*known, trust, sewa])
    assert (again.organizations, again.relationships) == ([], document.relationships)
    assert report.matched == (("A Trust (GB-CHC-1)", trust.id), ("SEWA", "sewa"))
    assert report.candidates == ()


def test_a_new_organisation_never_takes_the_id_of_a_stored_one(tmp_path: Path) -> None:
    # fundingproviders_grants_2_grants.csv: "Company Name Limited" has no identifier, so its id
    # would be its name's slug, which a stored organisation of another name holds here. The
    # slug is "company-name", no longer "company-name-limited": names key without a trailing
    # legal form (app/domain/names.py, LEGAL_FORMS).
    other = stored("company-name", "Another Company")
    store = MemoryStore(tmp_path)
    store.load(Document(organizations=[other]))
    document, _ = imported(CSV_FILE, [other])
    [company] = [org for org in document.organizations if org.name == "Company Name Limited"]
    assert company.id.startswith("company-name-")
    assert company.id != "company-name"
    store.load(document)
    assert store.get_organization("company-name") == other


def test_a_name_match_beside_a_placeholder_identifier_is_left_for_review(
    tmp_path: Path,
) -> None:
    # fundingproviders_grants_2_grants.csv: the funder is "Funding Providers UK", GB-CHC-000000.
    # This used to be matched by name to the stored record, with a note. GB-CHC-000000 has a
    # placeholder for its number, so it is no identifier and says no country, and the CSV
    # states none either: app/io/matching.py applies a name match only when both sides share a
    # country, so the pair is queued for review and the import makes its own funder.
    curated = stored(
        "fpuk",
        "Funding Providers",
        aliases=["Funding Providers UK"],
        type="funder",
        countries=["GB"],
    )
    document, report = imported(CSV_FILE, [curated])
    [funder] = [org for org in document.organizations if org.name == "Funding Providers UK"]
    assert (funder.type, funder.identifiers) == ("funder", [])
    assert {rel.source for rel in document.relationships} == {funder.id}
    assert report.matched == ()
    [candidate] = report.candidates
    assert (candidate.imported, candidate.stored) == (funder.id, "fpuk")
    assert candidate.stored_name == "Funding Providers"
    assert "same name 'Funding Providers UK'" in candidate.evidence_for
    assert "the imported record states no country" in candidate.evidence_against
    [note] = [n for n in report.notes if n.item == "identifier 'GB-CHC-000000'"]
    assert note.reason == "identifier has a placeholder for its number"


def test_uploads_are_told_apart_by_suffix_and_header() -> None:
    """A ZIP of Kumu sheets (headers in any case), our sheets, and an unknown CSV layout."""

    kumu = zipped(
        {
            "Elements.csv": b"label,type\nHelping Hands,NGO\nUnion de Trabajadoras,Trade union\n",
            "Connections.csv": b"from,to,type\nHelping Hands,Union de Trabajadoras,ENABLES\n",
        }
    )
    document, report = read_files([("ecosystem.zip", kumu)])
    # Every importer now answers with a report (app/io/importers.py): the Kumu rows read and
    # the organisations created, none stored before.
    assert (report.origin, report.record_kind, report.records_read) == (
        "ecosystem.zip",
        "Kumu row",
        3,
    )
    assert (report.created, report.matched) == (
        ("helping-hands", "union-de-trabajadoras"),
        (),
    )
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
    # A ZIP is known by its first bytes, not its name (app/io/importers.py): a cut archive is
    # an unreadable ZIP, and so is a file named .zip whose bytes are no ZIP at all.
    with pytest.raises(InvalidData, match="not a readable ZIP"):
        read_files([("broken.zip", kumu[: len(kumu) // 2])])
    with pytest.raises(InvalidData, match="does not start as a ZIP archive does"):
        read_files([("broken.zip", b"not a zip")])


def test_a_json_of_an_unknown_layout_gets_one_message_naming_the_accepted_layouts() -> None:
    # Issue 16: a Kumu export read as our interchange document gave 13 schema errors; any
    # JSON that is none of the accepted layouts now gets one message listing them.
    with pytest.raises(InvalidData) as caught:
        read_files([("map.json", b'{"nodes": [], "links": []}')])
    [problem] = caught.value.problems
    assert "unknown layout (top-level keys links, nodes)" in problem.message
    assert [text.split(":")[0] for text in problem.allowed] == [
        "interchange document",
        "360Giving package",
        "Kumu export",
    ]


def test_a_kumu_json_export_is_told_by_its_keys_and_read_as_kumu() -> None:
    # The shape Kumu exports (tests/data/kumu/README.md): elements and connections lists.
    export = {
        "version": 2,
        "elements": [
            {"_id": "e1", "attributes": {"label": "SEWA", "element type": "Trade union"}},
            {"_id": "e2", "attributes": {"label": "VimoSEWA", "element type": "Cooperative"}},
        ],
        "connections": [
            {"_id": "c1", "from": "e1", "to": "e2", "attributes": {"connection type": "Founded"}}
        ],
    }
    doc, report = read_files([("map.json", json.dumps(export).encode("utf-8"))])
    assert sorted(org.name for org in doc.organizations) == ["SEWA", "VimoSEWA"]
    assert [rel.type for rel in doc.relationships] == ["ESTABLISHED"]
    assert report.skipped == ()


def test_label_made_ids_never_replace_a_stored_organisation() -> None:
    # Found by a newcomer (issue 16 review): a Kumu element "StreetNet International" took the
    # seed's id streetnet-international and replaced the curated record. The seed's record
    # holds alias StreetNet, and the brief's citation.
    seed = seed_document()
    stored = next(o for o in seed.organizations if o.id == "streetnet-international")
    export = {
        "elements": [
            {"_id": "e1", "attributes": {"label": stored.name, "element type": "Network"}},
            {"_id": "e2", "attributes": {"label": "Vendors Co-op", "element type": "Cooperative"}},
        ],
        "connections": [
            {"_id": "c1", "from": "e2", "to": "e1", "attributes": {"connection type": "Member"}}
        ],
    }
    doc, report = read_files([("map.json", json.dumps(export).encode("utf-8"))], seed.organizations)
    assert "streetnet-international" not in {o.id for o in doc.organizations}
    [moved] = [o for o in doc.organizations if o.name == stored.name]
    [tie] = doc.relationships
    assert tie.target == moved.id, "the tie follows the organisation to its new id"
    if set(moved.countries) & set(stored.countries):
        assert report.matched
    else:
        assert [(c.imported, c.stored) for c in report.candidates] == [
            (moved.id, "streetnet-international")
        ]


def test_a_tie_already_stored_keeps_its_id() -> None:
    # After a merge a tie keeps its old id; the same grant imported again must not add it twice.
    seed = seed_document()
    rel = next(r for r in seed.relationships if r.type == "FUNDS")
    stored = rel.model_copy(update={"id": "old-id", "reference": "G-1"})
    fresh = rel.model_copy(update={"id": "new-id", "reference": "G-1"})
    other = rel.model_copy(update={"id": "another", "reference": "G-2"})
    doc = Document(organizations=[], relationships=[fresh, other])
    assert [r.id for r in reuse_relationship_ids(doc, [stored]).relationships] == [
        "old-id",
        "another",
    ]
