"""Matching never merges different organisations: identifiers, names, countries, review.

``tests/data/360giving/issue-16-recipients.json`` reproduces, in small, a real 360Giving file a
user imported (issue 16): five different recipients filed under the bare prefix ``GB-REV``,
four scout groups under one umbrella charity number, a Ghanaian "Ministry of Labour" with a UK
government-register id, and a UK charity called "CUT". Expected values come from that file
and from the seed (``seed_data/ecosystem.yaml``), never from what the importer printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain.models import Organization, Source
from app.io.documents import seed_document
from app.io.matching import Mention, match_organizations, same_name
from app.io.threesixtygiving import import_grants_json

FILE = Path(__file__).resolve().parents[2] / "data" / "360giving" / "issue-16-recipients.json"
SOURCE = Source(citation="test", locator="test_matching.py")
CURATED = Source(citation="ILO 2019", locator="Box 6")
"""Stored records cite the brief, not the imported file, so none is this import's own."""


def recipients() -> list[dict[str, Any]]:
    grants = json.loads(FILE.read_text("utf-8"))["grants"]
    return [grant["recipientOrganization"][0] for grant in grants]


def imported(known: list[Organization] | None = None) -> Any:
    return import_grants_json(FILE.read_bytes(), str(FILE), known or [])


def test_recipients_under_a_bare_prefix_stay_separate_and_are_reported_once() -> None:
    names = {r["name"] for r in recipients() if r["id"] == "GB-REV"}
    assert len(names) == 5
    doc, report = imported()
    kept = [org for org in doc.organizations if org.name in names]
    assert len(kept) == len(names), "one organisation per recipient, none merged"
    assert all(org.aliases == [] and org.identifiers == [] for org in kept)
    assert all("GB-REV" in (org.description or "") for org in kept), "kept as text"
    [item] = [i for i in report.notes if i.item == "identifier 'GB-REV'"]
    assert "HM Revenue and Customs" in item.message, "the register's name of the list"
    assert "kept as text, not matched on" in item.message


def test_one_charity_number_under_different_names_is_ambiguous_and_kept_apart() -> None:
    scouts = {r["name"] for r in recipients() if r["id"] == "GB-CHC-306101"}
    assert len(scouts) == 4
    doc, report = imported()
    kept = [org for org in doc.organizations if org.name in scouts]
    assert len(kept) == 4
    assert all("GB-CHC-306101" not in org.identifiers for org in kept)
    [item] = [i for i in report.notes if i.item == "identifier 'GB-CHC-306101'"]
    assert item.reason == "identifier shared by different names"
    assert "4 organisations with different names" in item.message


def test_a_ghanaian_ministry_and_a_uk_cut_never_match_the_seed() -> None:
    seed = seed_document().organizations
    by_id = {org.id: org for org in seed}
    assert by_id["kenya-ministry-of-labour"].countries == ["KE"]
    assert (by_id["cut"].countries, by_id["cut"].aliases) == (["BR"], ["CUT"])
    doc, report = imported(seed)
    assert {stored for _, stored in report.matched}.isdisjoint({"kenya-ministry-of-labour", "cut"})
    assert {c.stored for c in report.candidates}.isdisjoint({"kenya-ministry-of-labour", "cut"})
    ministry = next(org for org in doc.organizations if org.name == "Ministry of Labour")
    uk_cut = next(org for org in doc.organizations if org.name == "CUT")
    assert (ministry.countries, ministry.identifiers) == (["GH"], ["GB-GOR-PB999"])
    assert (uk_cut.countries, uk_cut.identifiers) == (["GB"], ["GB-CHC-1099999"])
    refused = [i for i in report.notes if i.reason == "name match refused"]
    assert {i.item for i in refused} >= {
        "organisation 'Ministry of Labour (GB-GOR-PB999)'",
        "organisation 'CUT (GB-CHC-1099999)'",
    }


def test_importing_the_file_twice_adds_nothing() -> None:
    seed = seed_document().organizations
    first, _ = imported(seed)
    second, report = imported([*seed, *first.organizations])
    assert second.organizations == []
    assert len(report.matched) == len(first.organizations)


def mention(name: str, countries: tuple[str, ...] = (), identifier: str | None = None) -> Mention:
    return Mention(name, identifier, SOURCE, countries=countries)


def stored(org_id: str, name: str, countries: list[str], **fields: Any) -> Organization:
    return Organization(
        id=org_id,
        name=name,
        type="ngo",
        movement="enabler",
        countries=countries,
        sources=[CURATED],
        **fields,
    )


def test_a_name_match_without_a_shared_country_waits_for_review() -> None:
    known = [stored("kenasvit", "KENASVIT", ["KE"])]
    matched = match_organizations([mention("KENASVIT")], known)
    [org] = matched.organizations
    [candidate] = matched.candidates
    assert (candidate.imported, candidate.stored) == (org.id, "kenasvit")
    assert "same name 'KENASVIT'" in candidate.evidence_for
    assert "the imported record states no country" in candidate.evidence_against


def test_a_name_match_with_a_shared_country_is_applied() -> None:
    known = [stored("kenasvit", "KENASVIT", ["KE"])]
    matched = match_organizations([mention("KENASVIT", ("KE",))], known)
    assert matched.organizations == ()
    assert matched.reused == (("KENASVIT", "kenasvit"),)


def test_a_name_match_with_another_number_of_the_same_list_is_refused() -> None:
    known = [stored("oxfam", "Oxfam", [], identifiers=["GB-CHC-202918"])]
    matched = match_organizations([mention("Oxfam", identifier="GB-CHC-1234")], known)
    assert matched.candidates == () and matched.reused == ()
    [refusal] = [i for i in matched.issues if i.reason == "name match refused"]
    assert "GB-CHC-1234 and GB-CHC-202918" in refusal.message


def test_a_curators_decision_is_applied_again() -> None:
    known = [stored("kenasvit", "KENASVIT", ["KE"])]
    accepted = match_organizations([mention("KENASVIT")], known, {("kenasvit", "kenasvit"): True})
    assert accepted.reused == (("KENASVIT", "kenasvit"),)
    rejected = match_organizations([mention("KENASVIT")], known, {("kenasvit", "kenasvit"): False})
    assert rejected.candidates == () and len(rejected.organizations) == 1


def test_a_near_name_is_queued_never_applied() -> None:
    # token_sort_ratio of the two name keys is 96 (one letter differs), over NEAR_NAME.
    known = [stored("kenasvit", "Kenya National Alliance of Street Vendors", ["KE"])]
    matched = match_organizations(
        [mention("Kenya National Alliance of Street Vendor", ("KE",))], known
    )
    [candidate] = matched.candidates
    assert candidate.stored == "kenasvit" and matched.reused == ()


def test_same_name_tells_spellings_from_different_organisations() -> None:
    assert same_name("Esmée Fairbairn Foundation", "Esmee Fairbairn Foundation")
    assert same_name("World Vision", "World Vision UK")
    assert same_name("SEWA", "Self-Employed Women's Association")
    assert not same_name("1st Evesham Scout Group", "2nd Pershore Scout Group")
    assert not same_name("Hadleigh Cathedral", "Hadleigh Primary School")
