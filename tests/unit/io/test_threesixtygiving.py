"""The 360Giving importer on the sample grants in ``shared/data/360giving``.

Expected values are read from the files here with the json and csv modules, independently of
the importer, or quoted from them with the file named.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.domain.documents import check_document
from app.domain.errors import InvalidData
from app.domain.models import Document, Organization
from app.io.report import ImportReport
from app.io.threesixtygiving import (
    REQUIRED_COLUMNS,
    import_grants_csv,
    import_grants_json,
)

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
GIVING = DATA / "360giving"
GRANTNAV = "grantnav-20180903134856.json"
FIXED = "fundingproviders-grants_fixed_2_grants.json"
CSV_FILE = "fundingproviders_grants_2_grants.csv"
FILES = [GRANTNAV, FIXED, CSV_FILE]


def load(name: str) -> tuple[Document, ImportReport]:
    path = GIVING / name
    importer = import_grants_csv if path.suffix == ".csv" else import_grants_json
    return importer(path.read_bytes(), str(path))


def grants(name: str) -> list[dict[str, Any]]:
    package: dict[str, list[dict[str, Any]]] = json.loads((GIVING / name).read_text("utf-8"))
    return package["grants"]


def rows() -> list[dict[str, str]]:
    with (GIVING / CSV_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def with_identifier(doc: Document, identifier: str) -> list[Organization]:
    return [org for org in doc.organizations if identifier in org.identifiers]


@pytest.mark.parametrize("name", FILES)
def test_every_sample_gives_a_valid_document(name: str) -> None:
    doc, report = load(name)
    assert check_document(doc, {}) == []
    assert report.organizations == len(doc.organizations) > 0
    assert report.relationships == len(doc.relationships) > 0


@pytest.mark.parametrize("name", FILES)
def test_importing_the_same_file_twice_gives_equal_documents(name: str) -> None:
    assert load(name) == load(name)


def test_one_funder_of_many_grants_is_one_organisation() -> None:
    # grantnav-20180903134856.json: every grant is from Esmée Fairbairn Foundation, GB-CHC-200051.
    # Recipients are found by name: two have 360G-EFF-... ids, the funder's own codes and not
    # org-ids, which app/io/matching.py never stores as identifiers.
    raw = grants(GRANTNAV)
    assert {g["fundingOrganization"][0]["id"] for g in raw} == {"GB-CHC-200051"}
    doc, report = load(GRANTNAV)
    [funder] = with_identifier(doc, "GB-CHC-200051")
    assert (funder.name, funder.type, funder.movement) == (
        "Esmée Fairbairn Foundation",
        "funder",
        "enabler",
    )
    assert report.records_read == len(raw)
    assert [rel.source for rel in doc.relationships] == [funder.id] * len(raw)
    for grant in raw:
        given = grant["recipientOrganization"][0]["name"]
        [recipient] = [org for org in doc.organizations if org.name == given]
        assert (recipient.type, recipient.movement) == ("ngo", "enabler")


def test_each_grant_is_funds_carrying_amount_award_programme_and_reference() -> None:
    doc, _ = load(GRANTNAV)
    by_reference = {rel.reference: rel for rel in doc.relationships}
    for grant in grants(GRANTNAV):
        rel = by_reference[grant["id"]]
        # Mapped from an open-data file: imported, citing the file (the package names no
        # publisher), the grant as locator, the award's year as the evidence's.
        [source] = rel.sources
        assert (source.basis, source.citation, source.locator, source.year) == (
            "imported",
            f"360Giving file {GRANTNAV}",
            f"grant {grant['id']}",
            int(grant["awardDate"][:4]),
        )
        assert (rel.type, rel.mechanisms) == ("FUNDS", ["finance"])
        assert (rel.amount, rel.currency) == (float(grant["amountAwarded"]), grant["currency"])
        assert rel.awarded == date.fromisoformat(grant["awardDate"][:10])
        [programme] = grant["grantProgramme"]
        assert (rel.programme, rel.reference) == (programme["title"], grant["id"])
        assert rel.activities == [grant["title"]]
        # The samples plan a duration only, no start or end date: since is the award year.
        assert all("startDate" not in planned for planned in grant["plannedDates"])
        assert (rel.since, rel.until) == (int(grant["awardDate"][:4]), None)


def test_the_amounts_of_a_file_add_up_to_its_grants_counted_once() -> None:
    # fundingproviders-grants_fixed_2_grants.json repeats each of its two grants.
    awarded = {grant["id"]: Decimal(str(grant["amountAwarded"])) for grant in grants(FIXED)}
    doc, _ = load(FIXED)
    assert sum(rel.amount or 0 for rel in doc.relationships) == float(sum(awarded.values()))
    assert {rel.reference for rel in doc.relationships} == set(awarded)


def register_codes() -> set[str]:
    """Every list code of the org-id register, read from its files (not from our table)."""
    return {
        json.loads(path.read_text("utf-8"))["code"]
        for path in (DATA / "org-id" / "register").glob("*/*.json")
    }


def test_identifiers_that_are_not_org_ids_are_kept_as_text_and_reported_once() -> None:
    # fundingproviders-grants_fixed_2_grants.json holds the deliberately bad RUBBISH-COH-RC000000
    # and the placeholder GB-CHC-000000; grantnav's file holds 360G-EFF-... recipient ids.
    codes = register_codes()
    for name in (FIXED, GRANTNAV):
        given = {
            org["id"]
            for grant in grants(name)
            for org in grant["recipientOrganization"] + grant["fundingOrganization"]
            if "id" in org
        }
        unusable = {
            identifier
            for identifier in given
            if not any(identifier.startswith(f"{code}-") for code in codes)
            or identifier.rsplit("-", 1)[-1].strip("0") == ""
        }
        doc, report = load(name)
        assert unusable
        for identifier in unusable:
            assert with_identifier(doc, identifier) == [], "never stored as an identifier"
            [note] = [n for n in report.notes if n.item == f"identifier '{identifier}'"]
            assert "kept as text, not matched on" in note.message
            holders = [o for o in doc.organizations if identifier in (o.description or "")]
            assert holders, "the text is kept on the organisation"
    assert "RUBBISH-COH-RC000000" in {
        org.get("id") for grant in grants(FIXED) for org in grant["recipientOrganization"]
    }


def test_a_repeated_grant_id_is_read_once_and_reported() -> None:
    raw = grants(FIXED)
    counts = Counter(grant["id"] for grant in raw)
    assert max(counts.values()) > 1
    doc, report = load(FIXED)
    assert len(doc.relationships) == len(counts)
    repeats = [issue for issue in report.skipped if "repeats the grant id" in issue.message]
    assert len(repeats) == len(raw) - len(counts)


def test_a_recipient_named_with_and_without_identifier_is_one_organisation() -> None:
    # fundingproviders-grants_fixed_2_grants.json names "Company Name Limited" once without an
    # id and once with RUBBISH-COH-RC000000. That id used to be stored as the identifier; it is
    # no org-id (app/io/matching.py), so both records are grouped by name and the id is only
    # quoted in the description. The id is the name's slug without the trailing legal form
    # (app/domain/names.py, LEGAL_FORMS).
    names = [
        (org.get("id"), org["name"])
        for grant in grants(FIXED)
        for org in grant["recipientOrganization"]
        if org["name"] == "Company Name Limited"
    ]
    assert names == [
        (None, "Company Name Limited"),
        ("RUBBISH-COH-RC000000", "Company Name Limited"),
    ]
    doc, _ = load(FIXED)
    [company] = [org for org in doc.organizations if org.name == "Company Name Limited"]
    assert (company.id, company.identifiers) == ("company-name", [])
    assert "RUBBISH-COH-RC000000" in (company.description or "")
    ids = {
        grant["id"]
        for grant in grants(FIXED)
        if grant["recipientOrganization"][0]["name"] == "Company Name Limited"
    }
    assert {rel.target for rel in doc.relationships if rel.reference in ids} == {company.id}


def test_csv_rows_become_funds_with_a_day_first_award_date() -> None:
    # fundingproviders_grants_2_grants.csv: award dates 24/07/2014, which only reads one way.
    # The funder is "Funding Providers UK", GB-CHC-000000: a placeholder number, never stored
    # as an identifier (app/io/matching.py), so it is found by name.
    table = rows()
    assert {row["Award Date"] for row in table} == {"24/07/2014"}
    doc, report = load(CSV_FILE)
    assert report.records_read == len(table)
    assert len(doc.relationships) == len(table)
    for row, rel in zip(table, doc.relationships, strict=True):
        day, month, year = (int(part) for part in row["Award Date"].split("/"))
        assert (rel.awarded, rel.since) == (date(year, month, day), year)
        [source] = rel.sources
        assert (source.basis, source.citation, source.locator, source.year) == (
            "imported",
            f"360Giving file {CSV_FILE}",
            f"grant {row['Identifier']}",
            year,
        )
        assert (rel.amount, rel.currency) == (float(row["Amount Awarded"]), row["Currency"])
        assert (rel.programme, rel.reference) == (row["Grant Programme:Title"], row["Identifier"])
        assert rel.activities == [row["Title"]]
        [funder] = [org for org in doc.organizations if org.name == row["Funding Org:Name"]]
        assert rel.source == funder.id
        assert row["Funding Org:Identifier"] not in funder.identifiers


def test_a_day_first_date_that_reads_two_ways_is_not_read() -> None:
    # The same CSV with the first award date 03/02/2005, which could be either day first or
    # month first (app/io/threesixtygiving.py: such a date is reported, not guessed).
    table = rows()
    table[0]["Award Date"] = "03/02/2005"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]))
    writer.writeheader()
    writer.writerows(table)
    doc, report = import_grants_csv(out.getvalue().encode(), "swapped.csv")
    first, second = doc.relationships
    assert (first.awarded, first.since) == (None, None)
    assert (second.awarded, second.since) == (date(2014, 7, 24), 2014)
    item = f"grant {table[0]['Identifier']} (line 2)"
    [note] = [n for n in report.notes if n.item == item]
    assert note.message == (
        "award date '03/02/2005' could be 3 February 2005 or 2 March 2005; not read"
    )


def test_a_csv_recipient_without_identifier_is_matched_by_name() -> None:
    # "Company Name Limited": its id used to be "company-name-limited"; names now key without a
    # trailing legal form (app/domain/names.py, LEGAL_FORMS), so the name's id is "company-name".
    [row] = [r for r in rows() if not r["Recipient Org:Identifier"].strip()]
    assert row["Recipient Org:Name"] == "Company Name Limited"
    doc, _ = load(CSV_FILE)
    [org] = [o for o in doc.organizations if o.name == row["Recipient Org:Name"]]
    assert (org.id, org.identifiers, org.description) == ("company-name", [], None)


def test_a_csv_missing_required_columns_names_file_and_columns() -> None:
    table = rows()
    kept = [title for title in table[0] if title not in ("Funding Org:Name", "Award Date")]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=kept, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table)
    with pytest.raises(InvalidData) as caught:
        import_grants_csv(out.getvalue().encode(), "short.csv")
    [problem] = caught.value.problems
    assert problem.record == "short.csv"
    assert problem.message == "missing 360Giving column(s): Award Date, Funding Org:Name"
    assert problem.allowed == REQUIRED_COLUMNS


def test_invalid_json_names_the_file_and_line() -> None:
    with pytest.raises(InvalidData) as caught:
        import_grants_json(b'{"grants": [\n{"id": }]}', "bad.json")
    [problem] = caught.value.problems
    assert (problem.record, problem.field) == ("bad.json", "line 2, column 8")


def test_json_that_is_not_a_package_is_refused() -> None:
    with pytest.raises(InvalidData, match="'grants' list"):
        import_grants_json(json.dumps(grants(GRANTNAV)).encode(), "list.json")


def grant(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "360G-X-1",
        "title": "Seed fund",
        "currency": "KES",
        "amountAwarded": 1500000.5,
        "awardDate": "2021-03-01",
        "fundingOrganization": [{"id": "GB-CHC-1", "name": "A Trust"}],
        "recipientOrganization": [{"id": "KE-NCB-1", "name": "A SACCO"}],
    }
    return {**base, **fields}


def inline(*records: Any) -> tuple[Document, ImportReport]:
    return import_grants_json(json.dumps({"grants": list(records)}).encode(), "inline.json")


def test_grants_to_individuals_and_records_without_id_are_skipped_with_reasons() -> None:
    doc, report = inline(
        grant(id="360G-X-2", recipientOrganization=None, recipientIndividual={"id": "p"}),
        grant(id=None),
        "not a grant",
        grant(),
    )
    assert len(doc.relationships) == 1
    assert [(i.item, i.message) for i in report.skipped] == [
        (
            "grant 360G-X-2 (record #1)",
            "names no recipient organisation (grants to individuals are not imported)",
        ),
        ("grant #2", "has no id, which its citation needs"),
        ("grant #3", "is not a JSON object"),
    ]


def test_a_grant_url_becomes_the_source_url_and_odd_dates_are_noted() -> None:
    doc, report = inline(grant(url="https://example.org/grants/1", awardDate="spring 2021"))
    [rel] = doc.relationships
    assert rel.sources[0].url == "https://example.org/grants/1"
    assert (rel.since, rel.awarded) == (None, None)
    assert (rel.amount, rel.currency, rel.activities) == (1500000.5, "KES", ["Seed fund"])
    assert [(n.item, n.message) for n in report.notes] == [
        ("grant 360G-X-1 (record #1)", "award date 'spring 2021' is not a date")
    ]


def test_planned_dates_give_since_and_until() -> None:
    doc, report = inline(
        grant(plannedDates=[{"startDate": "2021-06-01", "endDate": "2023-05-31", "duration": 24}])
    )
    [rel] = doc.relationships
    assert (rel.since, rel.until, rel.awarded) == (2021, 2023, date(2021, 3, 1))
    assert report.notes == ()


def test_an_end_before_the_start_is_dropped_and_noted() -> None:
    doc, report = inline(grant(plannedDates=[{"startDate": "2022-01-01", "endDate": "2020-12-31"}]))
    [rel] = doc.relationships
    assert (rel.since, rel.until) == (2022, None)
    [note] = report.notes
    assert note.message == "planned end 2020 is before the start 2022; no end year"


def test_the_first_of_several_programmes_is_kept_and_noted() -> None:
    doc, report = inline(grant(grantProgramme=[{"title": "Seed"}, {"title": "Growth"}]))
    [rel] = doc.relationships
    assert rel.programme == "Seed"
    [note] = report.notes
    assert note.message == "names 2 grant programmes (Seed; Growth); the first is kept"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amountAwarded": "lots"}, "amount 'lots' is not a number; no amount"),
        ({"amountAwarded": -5}, "amount '-5' is not a finite number of zero or more"),
        ({"amountAwarded": "1e400"}, "amount '1e400' is not a finite number of zero or more"),
        ({"currency": None}, "no currency, not an ISO 4217 code; no amount"),
        (
            {"currency": "Kenyan shillings"},
            "currency 'Kenyan shillings', not an ISO 4217 code; no amount",
        ),
    ],
)
def test_an_amount_that_cannot_be_carried_is_left_out_and_noted(
    fields: dict[str, Any], message: str
) -> None:
    doc, report = inline(grant(**fields))
    [rel] = doc.relationships
    assert (rel.amount, rel.currency, rel.reference) == (None, None, "360G-X-1")
    assert [note.message for note in report.notes] == [message]


def test_an_untitled_grant_keeps_its_description_as_the_activity() -> None:
    doc, _ = inline(grant(title=None, description="Working capital for a savings group"))
    [rel] = doc.relationships
    assert rel.activities == ["Working capital for a savings group"]
