"""The IATI importer on the real and synthetic activity files in ``shared/data/iati``.

Expected values are read from the files here with ElementTree, independently of the importer,
or quoted from them with the file named. Whether a ``ref`` is an org-id is read from the org-id
register's own files (``shared/data/org-id/register``), not from the importer's table.
``tests/data/iati/issue-16-categories-1.01.xml`` reproduces, in small, a real IATI 1.01 file a
user imported (issue 16).
"""

from __future__ import annotations

import codecs
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.documents import check_document
from app.domain.errors import InvalidData
from app.domain.models import Document, Organization
from app.domain.text import fold
from app.io.iati import import_activities
from app.io.iati_types import ORGANISATION_TYPES, type_code
from app.io.report import ImportReport

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
IATI = DATA / "iati"
LOCAL = Path(__file__).resolve().parents[2] / "data" / "iati"
CATEGORIES_FILE = LOCAL / "issue-16-categories-1.01.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ACTIVITY_FILES = [
    "example_203_file.xml",
    "datastore-fixtures-1.0x/many_activities.xml",
    "datastore-fixtures-1.0x/provider-activity-id.xml",
    "datastore-fixtures-1.0x/transaction_ref.xml",
    "extra-doc-2.01/activity-standard-example-annotated.xml",
    "extra-doc-2.02/activity-standard-example-annotated.xml",
    "extra-doc-2.03/activity-standard-example-annotated.xml",
]
ORGANISATION_FILES = [
    f"extra-doc-2.0{version}/organisation-standard-example-annotated.xml" for version in "123"
]
ORG_TAGS = (
    "reporting-org",
    "participating-org",
    "transaction/provider-org",
    "transaction/receiver-org",
)


def load(name: str | Path) -> tuple[Document, ImportReport]:
    path = IATI / name
    return import_activities(path.read_bytes(), str(path))


def activities_of(name: str | Path) -> list[ET.Element]:
    root = ET.parse(IATI / name).getroot()
    return [root] if root.tag == "iati-activity" else root.findall("iati-activity")


def register_codes() -> set[str]:
    """Every list code of the org-id register, read from its files (not from our table)."""
    return {
        json.loads(path.read_text("utf-8"))["code"]
        for path in (DATA / "org-id" / "register").glob("*/*.json")
    }


def is_org_id(ref: str, codes: set[str]) -> bool:
    """Whether ``ref`` is a register list code, a hyphen and a number that is not all zeros."""
    return any(
        ref.upper().startswith(f"{code}-") and ref[len(code) + 1 :].strip("0") for code in codes
    )


def refs_of(name: str | Path) -> set[str]:
    """Every ``ref`` the file's organisation elements give."""
    return {
        ref
        for activity in activities_of(name)
        for tag in ORG_TAGS
        for element in activity.findall(tag)
        if (ref := (element.get("ref") or "").strip())
    }


def name_of(element: ET.Element) -> str:
    """The first narrative (2.0x) or the element's own text (1.0x), as the file gives it."""
    narrative = element.find("narrative")
    return " ".join(((narrative if narrative is not None else element).text or "").split())


def with_identifier(doc: Document, identifier: str) -> list[Organization]:
    return [org for org in doc.organizations if identifier in org.identifiers]


def named(doc: Document, name: str) -> list[Organization]:
    return [
        org
        for org in doc.organizations
        if fold(name) in {fold(org.name), *(fold(alias) for alias in org.aliases)}
    ]


def ties(doc: Document) -> set[tuple[str, str]]:
    return {(rel.source, rel.target) for rel in doc.relationships}


def transactions_of(activity: ET.Element, code: str) -> list[ET.Element]:
    return [
        tx
        for tx in activity.findall("transaction")
        if tx.find(f"transaction-type[@code='{code}']") is not None
    ]


def value_of(tx: ET.Element, activity: ET.Element) -> tuple[Decimal, str]:
    """A transaction's value and its currency, else the activity's default-currency."""
    value = tx.find("value")
    assert value is not None and value.text
    return Decimal(value.text), value.get("currency") or activity.get("default-currency") or ""


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_every_activity_file_gives_a_valid_document(name: str) -> None:
    doc, report = load(name)
    assert check_document(doc, {}) == []
    assert report.records_read == len(activities_of(name))
    assert report.organizations == len(doc.organizations) > 0
    assert report.relationships == len(doc.relationships) > 0


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_importing_the_same_file_twice_gives_equal_documents(name: str) -> None:
    assert load(name) == load(name)


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_each_org_id_ref_in_the_file_is_exactly_one_organisation(name: str) -> None:
    codes = register_codes()
    refs = {ref for ref in refs_of(name) if is_org_id(ref, codes)}
    doc, _ = load(name)
    for ref in refs:
        assert len(with_identifier(doc, ref)) == 1, ref


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_refs_that_are_not_org_ids_are_kept_as_text_and_reported_once(name: str) -> None:
    # app/io/matching.py: only a well-formed org-id (a register list and a number) is matched on
    # and stored. The 1.0x fixtures use DFID's old ref GB-1 and GB-OSCR-... (Scotland's list is
    # GB-SC); the annotated examples use IATI's made-up AA-AAA-123456789, BB-BBB-..., CC-CCC-...
    # Those are kept in the description of the organisations named with them, and reported once
    # per file: one item per unknown prefix.
    codes = register_codes()
    refs = {ref for ref in refs_of(name) if not is_org_id(ref, codes)}
    doc, report = load(name)
    if name == "example_203_file.xml":
        assert refs == set(), "the Netherlands MFA file uses org-ids only"
    for ref in refs:
        assert with_identifier(doc, ref) == [], ref
        holders = [org for org in doc.organizations if ref in (org.description or "")]
        assert holders, ref
        prefix = "-".join(ref.split("-")[:2])
        items = {f"identifier '{ref}'", f"prefix '{prefix}'"}
        [issue] = [i for i in report.issues if i.item in items]
        assert not issue.skipped
        assert "kept as text, not matched on" in issue.message


def test_the_fixtures_refs_that_are_not_org_ids() -> None:
    # GB-1 (DFID's ref before GB-GOV-1), GB-OSCR-SCO35314, and the annotated examples' made-up
    # AA-AAA-, BB-BBB- and CC-CCC-123456789: none of their prefixes is a list of the register.
    # Every other ref of these files is an org-id.
    codes = register_codes()
    assert {
        ref for name in ACTIVITY_FILES for ref in refs_of(name) if not is_org_id(ref, codes)
    } == {"GB-1", "GB-OSCR-SCO35314", "AA-AAA-123456789", "BB-BBB-123456789", "CC-CCC-123456789"}


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_each_participating_org_without_ref_is_one_organisation_by_name(name: str) -> None:
    names = {
        name_of(org)
        for activity in activities_of(name)
        for org in activity.findall("participating-org")
        if not org.get("ref")
    }
    doc, _ = load(name)
    for org_name in names:
        assert len(named(doc, org_name)) == 1, org_name


def expected_citation(name: str) -> str:
    """The file's citation as the README says: "IATI file NAME", with ", published by" the
    reporting organisation's name when every activity names the same one."""
    publishers = {
        None if (reporting := activity.find("reporting-org")) is None else name_of(reporting)
        for activity in activities_of(name)
    }
    [publisher] = publishers if len(publishers) == 1 else [None]
    citation = f"IATI file {Path(name).name}"
    return f"{citation}, published by {publisher}" if publisher else citation


def reported_year(activity: ET.Element) -> int | None:
    """The README's year of an activity: its earliest activity-date, else its last update."""
    years = [int(d.get("iso-date", "")[:4]) for d in activity.findall("activity-date")]
    updated = activity.get("last-updated-datetime")
    return min(years) if years else int(updated[:4]) if updated else None


@pytest.mark.parametrize("name", ACTIVITY_FILES)
def test_relationships_are_funds_citing_activities_of_the_file(name: str) -> None:
    years = {
        activity.findtext("iati-identifier", "").strip(): reported_year(activity)
        for activity in activities_of(name)
    }
    doc, _ = load(name)
    assert doc.relationships, "every file funds someone"
    for rel in doc.relationships:
        assert (rel.type, rel.mechanisms) == ("FUNDS", ["finance"])
        [source] = rel.sources
        # Mapped from an open-data file: imported, citing the file, the activity as locator.
        assert (source.basis, source.citation) == ("imported", expected_citation(name))
        identifier = source.locator.removeprefix("activity ") if source.locator else ""
        assert source.locator == f"activity {identifier}"
        assert identifier in years
        assert rel.reference == identifier
        assert source.year == years[identifier]
        assert rel.activities[0].startswith(f"IATI activity {identifier}")


def test_netherlands_mfa_reporting_thirteen_activities_is_one_organisation() -> None:
    # example_203_file.xml has the Netherlands MFA, XM-DAC-7, as reporting org of every activity.
    activities = activities_of("example_203_file.xml")
    reporting = [activity.find("reporting-org") for activity in activities]
    assert {org.get("ref") for org in reporting if org is not None} == {"XM-DAC-7"}
    assert len(activities) == 13
    doc, report = load("example_203_file.xml")
    [mfa] = with_identifier(doc, "XM-DAC-7")
    assert (mfa.id, mfa.name) == ("xm-dac-7", "Ministry of Foreign Affairs (DGIS)")
    assert (mfa.type, mfa.movement) == ("public_body", "public")
    assert report.records_read == 13
    funded_activities = {rel.reference for rel in doc.relationships if rel.source == mfa.id}
    # Items name "activity <id>: ..." or "activity <id>, transaction #n".
    skipped = {
        issue.item.split(":")[0].split(",")[0].removeprefix("activity ") for issue in report.skipped
    }
    identifiers = {activity.findtext("iati-identifier") for activity in activities}
    assert funded_activities | skipped == identifiers


def test_funds_into_a_public_body_is_skipped_with_the_reason() -> None:
    # In example_203_file.xml, RVO.NL and DFID (GB-GOV-1) implement activities as type 10,
    # Government; the vocabulary allows no FUNDS into a public body.
    governments = {
        name_of(org)
        for activity in activities_of("example_203_file.xml")
        for org in activity.findall("participating-org")
        if org.get("role") == "4" and org.get("type") == "10"
    }
    assert governments == {"RVO.NL", "DFID"}
    doc, report = load("example_203_file.xml")
    for government in governments:
        [org] = named(doc, government)
        assert org.type == "public_body"
        assert all(rel.target != org.id for rel in doc.relationships)
        [issue] = [i for i in report.skipped if i.item.endswith(f"FUNDS {government}")]
        assert "public body as the target of FUNDS" in issue.message


def test_private_sector_is_a_private_company() -> None:
    # example_203_file.xml: "Particulier" implements NL-1-PPR-28383 as type 70, Private Sector.
    # It used to be typed ngo, with a note that type 70 had no equivalent; app/io/iati_types.py
    # now maps 70 to 73 to the vocabulary type private_company, so it is no longer an NGO.
    [activity] = [
        a
        for a in activities_of("example_203_file.xml")
        if a.findtext("iati-identifier", "").strip() == "NL-1-PPR-28383"
    ]
    assert {
        org.get("type")
        for org in activity.findall("participating-org")
        if name_of(org) == "Particulier"
    } == {"70"}
    doc, report = load("example_203_file.xml")
    [org] = named(doc, "Particulier")
    assert (org.type, org.movement) == ("private_company", "enabler")
    assert ("xm-dac-7", org.id) in ties(doc), "a private company may receive FUNDS"
    assert not any("Particulier" in issue.item for issue in report.issues)


def test_funding_extending_implementing_is_a_chain() -> None:
    # many_activities.xml: DFID (GB-1) funding, World Vision UK (GB-CHC-285908) extending and
    # World Vision Malawi (no ref) implementing, in both activities. GB-1 is not an org-id (no
    # register list GB-1; app/io/matching.py), so DFID is grouped by name: its id is "dfid",
    # no longer "gb-1", and GB-1 is only quoted in its description.
    for activity in activities_of("datastore-fixtures-1.0x/many_activities.xml"):
        roles = {org.get("role"): org for org in activity.findall("participating-org")}
        assert roles["Funding"].get("ref") == "GB-1"
        assert name_of(roles["Funding"]) == "DFID"
        assert roles["Extending"].get("ref") == "GB-CHC-285908"
        assert name_of(roles["Implementing"]) == "World Vision Malawi"
    doc, _ = load("datastore-fixtures-1.0x/many_activities.xml")
    [malawi] = named(doc, "World Vision Malawi")
    [dfid] = named(doc, "DFID")
    assert (dfid.id, dfid.identifiers) == ("dfid", [])
    assert "GB-1" in (dfid.description or "")
    assert ties(doc) == {("dfid", "gb-chc-285908"), ("gb-chc-285908", malawi.id)}
    assert len(doc.relationships) == 4


def test_a_commitment_between_two_organisations_with_refs_is_the_amount() -> None:
    # example_203_file.xml: commitments (type 2) that name provider and receiver by ref, in the
    # activity's default currency; some are negative corrections of earlier ones.
    committed: dict[tuple[str, str, str], list[tuple[Decimal, str]]] = defaultdict(list)
    for activity in activities_of("example_203_file.xml"):
        identifier = activity.findtext("iati-identifier", "").strip()
        for tx in transactions_of(activity, "2"):
            refs = [tx.find(f"{side}-org[@ref]") for side in ("provider", "receiver")]
            if refs[0] is not None and refs[1] is not None:
                key = (identifier, refs[0].get("ref", ""), refs[1].get("ref", ""))
                committed[key].append(value_of(tx, activity))
    doc, _ = load("example_203_file.xml")
    checked = 0
    for (identifier, provider_ref, receiver_ref), values in committed.items():
        [provider] = with_identifier(doc, provider_ref)
        [receiver] = with_identifier(doc, receiver_ref)
        pair = (identifier, provider.id, receiver.id)
        found = [
            rel for rel in doc.relationships if (rel.reference, rel.source, rel.target) == pair
        ]
        if receiver.type == "public_body":
            assert found == []
            continue
        [rel] = found
        [currency] = {currency for _, currency in values}
        assert (rel.amount, rel.currency) == (float(sum(v for v, _ in values)), currency)
        checked += 1
    assert checked >= 2


def test_commitments_are_the_amount_rather_than_the_disbursements() -> None:
    # many_activities.xml: DFID (GB-1, not an org-id, so id "dfid") commits to GB-CHC-285908
    # (type C) in each activity, and the extender disburses (type D) to World Vision Malawi; a
    # disbursement naming no receiver is skipped, so it adds nothing.
    name = "datastore-fixtures-1.0x/many_activities.xml"
    doc, _ = load(name)
    [malawi] = named(doc, "World Vision Malawi")
    for activity in activities_of(name):
        identifier = activity.findtext("iati-identifier", "").strip()
        [(committed, currency)] = [value_of(tx, activity) for tx in transactions_of(activity, "C")]
        disbursed = [
            value_of(tx, activity)[0]
            for tx in transactions_of(activity, "D")
            if tx.find("receiver-org") is not None
        ]
        by_pair = {(r.source, r.target): r for r in doc.relationships if r.reference == identifier}
        funded = by_pair["dfid", "gb-chc-285908"]
        assert (funded.amount, funded.currency) == (float(committed), currency)
        extended = by_pair["gb-chc-285908", malawi.id]
        assert (extended.amount, extended.currency) == (float(sum(disbursed)), currency)


def test_incoming_funds_sum_in_the_default_currency_when_a_value_gives_none() -> None:
    # provider-activity-id.xml: four incoming funds (IF) from DFID (GB-1, not an org-id, so
    # grouped by name: id "dfid") to Bond, one value without a currency attribute; the
    # activity's default-currency is GBP.
    name = "datastore-fixtures-1.0x/provider-activity-id.xml"
    [activity] = activities_of(name)
    incoming = [value_of(tx, activity) for tx in transactions_of(activity, "IF")]
    assert len(incoming) == 4 and {currency for _, currency in incoming} == {"GBP"}
    assert any(tx.find("value[@currency]") is None for tx in transactions_of(activity, "IF"))
    doc, _ = load(name)
    [rel] = [r for r in doc.relationships if (r.source, r.target) == ("dfid", "gb-chc-1068839")]
    assert (rel.amount, rel.currency) == (float(sum(v for v, _ in incoming)), "GBP")


@pytest.mark.parametrize("version", ["2.01", "2.02", "2.03"])
def test_a_value_currency_wins_over_the_default_currency(version: str) -> None:
    # The annotated examples: one incoming funds transaction of 1000 EUR, default-currency USD.
    # Its sides are found by name: their refs (AA-AAA-..., BB-BBB-...) are IATI's made-up
    # examples, not org-ids, so they are never identifiers (app/io/matching.py).
    name = f"extra-doc-{version}/activity-standard-example-annotated.xml"
    [activity] = activities_of(name)
    [tx] = transactions_of(activity, "1")
    provider, receiver = tx.find("provider-org"), tx.find("receiver-org")
    assert provider is not None and receiver is not None
    value = tx.find("value")
    assert value is not None and activity.get("default-currency") != value.get("currency")
    doc, _ = load(name)
    [source], [target] = named(doc, name_of(provider)), named(doc, name_of(receiver))
    [rel] = [r for r in doc.relationships if (r.source, r.target) == (source.id, target.id)]
    assert (rel.amount, rel.currency) == (float(value.text or ""), value.get("currency"))


def test_a_missing_transaction_side_is_the_reporting_organisation() -> None:
    # transaction_ref.xml (CAFOD, GB-CHC-285776): incoming funds from CGF name no receiver, and
    # the disbursement to BAAG names no provider.
    [activity] = activities_of("datastore-fixtures-1.0x/transaction_ref.xml")
    incoming, disbursement = activity.findall("transaction")
    provider, receiver = incoming.find("provider-org"), disbursement.find("receiver-org")
    assert incoming.find("receiver-org") is None and provider is not None
    assert disbursement.find("provider-org") is None and receiver is not None
    doc, _ = load("datastore-fixtures-1.0x/transaction_ref.xml")
    [cgf] = named(doc, name_of(provider))
    [baag] = named(doc, name_of(receiver))
    assert cgf.type == "funder"
    assert (cgf.id, "gb-chc-285776") in ties(doc)
    assert ("gb-chc-285776", baag.id) in ties(doc)


def test_expenditure_is_not_funding_and_each_is_reported() -> None:
    name = "datastore-fixtures-1.0x/provider-activity-id.xml"
    [activity] = activities_of(name)
    # A transaction's type is its first transaction-type (one in this file has two).
    types = [tx.find("transaction-type") for tx in activity.findall("transaction")]
    codes = [None if element is None else element.get("code") for element in types]
    _, report = load(name)
    expenditure = [i for i in report.skipped if "expenditure" in i.message]
    assert len(expenditure) == codes.count("E") > 0


def test_names_under_a_ref_that_is_no_org_id_are_not_joined_on_it() -> None:
    # provider-activity-id.xml names GB-OSCR-SCO35314 "NIDOS" as participating org and
    # "NIDOS - Network of International Development Organisations in Scotland" as receiver.
    # This used to be one organisation with the long name as alias. GB-OSCR is no list of the
    # org-id register (OSCR's is GB-SC), and app/io/matching.py never matches on such a ref:
    # the two names are grouped by name, so they are two organisations, each quoting the ref.
    full = "NIDOS - Network of International Development Organisations in Scotland"
    doc, report = load("datastore-fixtures-1.0x/provider-activity-id.xml")
    [nidos], [network] = named(doc, "NIDOS"), named(doc, full)
    assert nidos.id != network.id
    for org in (nidos, network):
        assert org.identifiers == []
        assert "GB-OSCR-SCO35314" in (org.description or "")
    [issue] = [i for i in report.notes if i.item == "prefix 'GB-OSCR'"]
    assert issue.reason == "unknown org-id prefix"
    assert "2 identifier(s)" in issue.message


def test_names_under_one_org_id_become_aliases_and_are_noted() -> None:
    doc, report = inline(
        '<participating-org role="4" ref="XM-DAC-41114"><narrative>UNDP</narrative>'
        "</participating-org>"
        '<transaction><transaction-type code="3"/><receiver-org ref="XM-DAC-41114">'
        "<narrative>United Nations Development Programme</narrative></receiver-org></transaction>"
    )
    [undp] = with_identifier(doc, "XM-DAC-41114")
    assert (undp.name, undp.aliases) == ("UNDP", ["United Nations Development Programme"])
    [note] = [n for n in report.notes if n.item == f"organisation '{undp.id}'"]
    assert note.reason == "names of one identifier"


@pytest.mark.parametrize("version", ["2.01", "2.02", "2.03"])
def test_english_narrative_is_the_name_and_other_languages_are_aliases(version: str) -> None:
    # Found by its English name: the reporting-org's ref AA-AAA-123456789 is IATI's made-up
    # example, not an org-id, so it is never an identifier (app/io/matching.py).
    name = f"extra-doc-{version}/activity-standard-example-annotated.xml"
    [activity] = activities_of(name)
    reporting = activity.find("reporting-org")
    assert reporting is not None
    english, french = (n.text or "" for n in reporting.findall("narrative"))
    assert reporting.findall("narrative")[1].get(XML_LANG) == "fr"
    doc, _ = load(name)
    [org] = named(doc, english)
    assert org.name == english
    assert french in org.aliases


@pytest.mark.parametrize("version", ["2.01", "2.02", "2.03"])
def test_accountable_organisations_get_no_tie(version: str) -> None:
    name = f"extra-doc-{version}/activity-standard-example-annotated.xml"
    [activity] = activities_of(name)
    # Role codes 1 funding, 2 accountable, 3 extending; one organisation each in these files.
    # Found by name: their refs (AA-AAA-..., BB-BBB-..., CC-CCC-...) are IATI's made-up
    # examples, not org-ids, so they are never identifiers (app/io/matching.py).
    names = {o.get("role"): name_of(o) for o in activity.findall("participating-org")}
    doc, _ = load(name)
    [accountable] = named(doc, names["2"])
    assert all(accountable.id not in pair for pair in ties(doc))
    [funder] = named(doc, names["1"])
    [extender] = named(doc, names["3"])
    assert (funder.id, extender.id) in ties(doc)


@pytest.mark.parametrize("name", ORGANISATION_FILES)
def test_organisation_files_are_refused_as_not_activity_files(name: str) -> None:
    with pytest.raises(InvalidData) as caught:
        load(name)
    [problem] = caught.value.problems
    assert problem.record == str(IATI / name)
    assert "organisation file, not an activity file" in problem.message


def test_broken_xml_names_the_file_and_line() -> None:
    data = (IATI / "example_203_file.xml").read_bytes()
    cut = data[: len(data) // 2]
    with pytest.raises(InvalidData) as caught:
        import_activities(cut, "cut.xml")
    [problem] = caught.value.problems
    last_line = cut.count(b"\n") + 1
    assert problem.record == "cut.xml"
    assert problem.field.startswith(f"line {last_line},")
    assert "not well-formed XML" in problem.message


def test_a_file_that_is_not_iati_is_refused() -> None:
    with pytest.raises(InvalidData, match="not an IATI activity file"):
        import_activities(b"<grants/>", "grants.xml")


def test_entity_declarations_are_refused() -> None:
    data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><iati-activities>&a;</iati-activities>'
    with pytest.raises(InvalidData, match="entity declarations"):
        import_activities(data, "bomb.xml")


ACTIVITY = """<iati-activities version="2.03"><iati-activity xml:lang="en">
<iati-identifier>{identifier}</iati-identifier>
<reporting-org ref="XM-DAC-7" type="10"><narrative>Reporter</narrative></reporting-org>
{orgs}
</iati-activity></iati-activities>"""


def inline(orgs: str, identifier: str = "XM-DAC-7-1") -> tuple[Document, ImportReport]:
    text = ACTIVITY.format(identifier=identifier, orgs=orgs)
    return import_activities(text.encode(), "inline.xml")


def test_a_participating_org_with_neither_ref_nor_name_is_skipped() -> None:
    doc, report = inline('<participating-org role="4" type="22"/>')
    assert check_document(doc, {}) == []
    [issue] = report.skipped
    assert issue.item == "activity XM-DAC-7-1, participating-org #1"
    assert "neither ref nor name" in issue.message


def test_an_unknown_role_keeps_the_organisation_without_a_tie() -> None:
    doc, report = inline(
        '<participating-org role="9"><narrative>Odd Role</narrative></participating-org>'
    )
    assert [org.name for org in named(doc, "Odd Role")] == ["Odd Role"]
    assert doc.relationships == []
    assert any("unknown role '9'" in note.message for note in report.notes)


def test_names_that_fold_alike_are_one_organisation() -> None:
    doc, _ = inline(
        '<participating-org role="1"><narrative>Fondation Unión</narrative></participating-org>'
        '<participating-org role="4"><narrative>Cooperativa</narrative></participating-org>'
        '<transaction><transaction-type code="3"/>'
        "<provider-org><narrative>FONDATION  UNION</narrative></provider-org>"
        "<receiver-org><narrative>cooperativa</narrative></receiver-org></transaction>"
    )
    assert [org.name for org in doc.organizations] == ["Reporter", "Fondation Unión", "Cooperativa"]
    [rel] = doc.relationships
    assert rel.activities[1:] == [
        "participating-org roles: funding to implementing",
        "transactions: 1 disbursement",
    ]


def test_long_identifiers_and_names_stay_within_the_id_limit() -> None:
    long_name = "Asociación " * 40
    doc, _ = inline(
        f'<participating-org role="4"><narrative>{long_name}</narrative></participating-org>',
        identifier="XM-DAC-7-" + "x" * 300,
    )
    assert check_document(doc, {}) == []
    assert all(len(org.id) <= 120 for org in doc.organizations)
    assert all(len(rel.id) <= 120 for rel in doc.relationships)


def transaction(code: str, value: str, currency: str = "") -> str:
    attribute = f' currency="{currency}"' if currency else ""
    return (
        f'<transaction><transaction-type code="{code}"/><value{attribute}>{value}</value>'
        '<receiver-org ref="XM-DAC-9"><narrative>Receiver</narrative></receiver-org></transaction>'
    )


def test_committed_values_are_summed_and_transfers_left_to_the_activity_text() -> None:
    doc, report = inline(
        transaction("2", "1000", "EUR") + transaction("2", "-200", "EUR") + transaction("3", "600")
    )
    [rel] = doc.relationships
    assert (rel.source, rel.target, rel.reference) == ("xm-dac-7", "xm-dac-9", "XM-DAC-7-1")
    assert (rel.amount, rel.currency) == (800.0, "EUR")
    assert rel.activities[1] == "transactions: 2 commitment (800 EUR); 1 disbursement (600)"
    assert report.notes == ()


def test_values_in_several_currencies_give_no_amount_and_a_note() -> None:
    doc, report = inline(transaction("3", "1000", "EUR") + transaction("3", "600", "USD"))
    [rel] = doc.relationships
    assert (rel.amount, rel.currency) == (None, None)
    [note] = report.notes
    assert note.item == "activity XM-DAC-7-1: Reporter FUNDS Receiver"
    assert note.message == "transferred values are in several currencies (EUR, USD); no amount"


def test_a_value_that_is_not_a_finite_number_gives_no_amount() -> None:
    doc, report = inline(transaction("3", "NaN", "EUR") + transaction("3", "600", "EUR"))
    [rel] = doc.relationships
    assert (rel.amount, rel.currency) == (None, None)
    assert [note.message for note in report.notes] == [
        "a transferred value is not a number; no amount"
    ]


CATEGORIES = ("Other.", "INTERNATIONAL NGO", "Recipient Government")
MULTILATERALS = ("World Bank", "IMF", "UNDP", "WFP", "Asian Development Bank")


def test_category_names_of_a_1_01_file_never_become_organisations() -> None:
    # tests/data/iati/issue-16-categories-1.01.xml reproduces a real IATI 1.01 file seen by a
    # user (issue 16): participating-orgs named "Other.", "INTERNATIONAL NGO" and "Recipient
    # Government" (a category where the name belongs) and refs "1" and "61" (the publisher's
    # own codes). app/io/iati.py: such an element names no one and is skipped with a reason.
    elements = [
        element
        for activity in activities_of(CATEGORIES_FILE)
        for tag in ORG_TAGS
        for element in activity.findall(tag)
    ]
    in_categories = [element for element in elements if name_of(element) in CATEGORIES]
    assert {name_of(element) for element in in_categories} == set(CATEGORIES)
    doc, report = load(CATEGORIES_FILE)
    assert check_document(doc, {}) == []
    for category in CATEGORIES:
        assert named(doc, category) == [], category
    skipped = [i for i in report.skipped if i.reason == "names a category, not an organisation"]
    assert len(skipped) == len(in_categories)
    assert {org.name for org in doc.organizations} == {*MULTILATERALS, "MINISTRY OF HEALTH"}


def test_publisher_codes_1_and_61_are_never_identifiers() -> None:
    # tests/data/iati/issue-16-categories-1.01.xml (issue 16): ref "1" is on the World Bank in one
    # activity and on UNDP in the other; ref "61" on the MINISTRY OF HEALTH and on "Other.".
    # Matching on them would make the World Bank and UNDP one organisation.
    holders = {
        ref: {
            name_of(e)
            for a in activities_of(CATEGORIES_FILE)
            for e in a.iter()
            if e.get("ref") == ref
        }
        for ref in ("1", "61")
    }
    assert holders == {"1": {"World Bank", "UNDP"}, "61": {"MINISTRY OF HEALTH", "Other."}}
    doc, report = load(CATEGORIES_FILE)
    assert all(org.identifiers == [] for org in doc.organizations)
    [world_bank], [undp], [ministry] = (
        named(doc, name) for name in ("World Bank", "UNDP", "MINISTRY OF HEALTH")
    )
    assert (world_bank.id, undp.id, ministry.id) == ("world-bank", "undp", "ministry-of-health")
    for org, ref in ((world_bank, "1"), (undp, "1"), (ministry, "61")):
        assert (org.description or "").startswith(f"Identifier as given in the source: {ref} ")
    for ref in ("1", "61"):
        [issue] = [i for i in report.issues if i.item == f"identifier '{ref}'"]
        assert (issue.skipped, issue.reason) == (False, "identifier is not an org-id")


def test_organisations_typed_with_1_0x_codes_or_names_are_not_ngos() -> None:
    # tests/data/iati/issue-16-categories-1.01.xml (issue 16): the multilaterals are typed "40"
    # or "Multilateral", the ministry "10" or "Government" (the codelist's names, written in
    # place of the codes). app/io/iati_types.py: 40 is international_institution, 10 public_body.
    given = {
        (name_of(element), element.get("type"))
        for activity in activities_of(CATEGORIES_FILE)
        for tag in ("reporting-org", "participating-org")
        for element in activity.findall(tag)
        if name_of(element) not in CATEGORIES
    }
    assert {kind for _, kind in given} == {"40", "Multilateral", "10", "Government"}
    assert {name for name, kind in given if kind in ("40", "Multilateral")} == set(MULTILATERALS)
    assert {name for name, kind in given if kind in ("10", "Government")} == {"MINISTRY OF HEALTH"}
    doc, _ = load(CATEGORIES_FILE)
    for name in MULTILATERALS:
        [org] = named(doc, name)
        assert org.type == "international_institution", name
    [ministry] = named(doc, "MINISTRY OF HEALTH")
    assert (ministry.type, ministry.movement) == ("public_body", "public")
    assert all(org.type != "ngo" for org in doc.organizations)
    assert ties(doc) == {("undp", "wfp"), ("asian-development-bank", "wfp")}


def codelist_names() -> dict[str, str]:
    """IATI's OrganisationType codes and English names, as its codelist file gives them."""
    root = ET.parse(IATI / "codelists" / "OrganisationType.xml").getroot()
    assert root.get(XML_LANG) == "en"
    names = {}
    for item in root.iter("codelist-item"):
        english = [
            n.text or "" for n in item.findall("name/narrative") if n.get(XML_LANG, "en") == "en"
        ]
        names[item.findtext("code", "")] = english[0]
    return names


def test_every_code_of_the_organisation_type_codelist_is_in_the_table() -> None:
    codelist = codelist_names()
    assert len(codelist) == 16
    assert {code: name for code, (name, _) in ORGANISATION_TYPES.items()} == codelist


def test_organisation_types_are_read_as_codes_or_as_their_names() -> None:
    # 1.0x publishers wrote the type's name ("Multilateral") in place of its code ("40").
    for code, name in codelist_names().items():
        assert type_code(code) == code
        assert type_code(name) == code, name
        assert type_code(name.upper()) == code, name
    assert type_code("Not a type") is None


def test_a_dac_channel_code_types_an_organisation_without_a_type() -> None:
    # example_203_file.xml names XM-DAC-41114 "UNDP": as participating-org of type 40
    # (Multilateral) and as receiver-org with no type. 41114 is UNDP's DAC CRS channel code;
    # its first digit, 4, is the channel category of multilateral organisations.
    root = ET.parse(IATI / "example_203_file.xml").getroot()
    undp = [element for element in root.iter() if element.get("ref") == "XM-DAC-41114"]
    assert {name_of(element) for element in undp} == {"UNDP"}
    assert {(e.tag, e.get("type")) for e in undp} == {
        ("participating-org", "40"),
        ("receiver-org", None),
    }
    doc, _ = load("example_203_file.xml")
    [org] = with_identifier(doc, "XM-DAC-41114")
    assert (org.name, org.type) == ("UNDP", "international_institution")
    # The same file with the type left out: the channel code alone types it.
    for element in undp:
        element.attrib.pop("type", None)
    untyped, _ = import_activities(ET.tostring(root), "untyped.xml")
    [org] = with_identifier(untyped, "XM-DAC-41114")
    assert (org.name, org.type) == ("UNDP", "international_institution")


ENTITY = '<!DOCTYPE iati-activities [<!ENTITY mfa "Ministry of Foreign Affairs (DGIS)">]>\n'


def declared(encoding: str, entity: bool) -> bytes:
    """example_203_file.xml re-encoded and so declared, with an internal entity if asked."""
    text = (IATI / "example_203_file.xml").read_text("utf-8")
    declaration, rest = text.split("\n", 1)
    assert declaration == '<?xml version="1.0" encoding="UTF-8"?>'
    head = f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
    if entity:
        name = ">Ministry of Foreign Affairs (DGIS)</narrative>"
        assert name in rest
        rest = ENTITY + rest.replace(name, ">&mfa;</narrative>", 1)
    return (head + rest).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_internal_entity_declaration_is_refused_in_any_encoding(encoding: str) -> None:
    # defusedxml reads the declaration after decoding, so UTF-16 hides nothing from it.
    doc, report = import_activities(declared(encoding, entity=False), "plain.xml")
    assert report.records_read == 13 and doc.organizations, "the encoding itself is read"
    data = declared(encoding, entity=True)
    if encoding == "utf-16":
        assert data.startswith(codecs.BOM_UTF16) and b"<!ENTITY" not in data
    with pytest.raises(InvalidData) as caught:
        import_activities(data, "entity.xml")
    [problem] = caught.value.problems
    assert problem.record == "entity.xml"
    assert problem.message == "XML entity declarations are not accepted"
