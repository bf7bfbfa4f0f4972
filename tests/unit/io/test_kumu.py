"""Kumu maps (Elements and Connections sheets) read as interchange documents.

The maps are written here with the csv module, from the seed or from rows typed out in the
test; expected values come from those rows, the seed or graph_schema/vocabulary.yaml.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

import pytest

from app.domain.documents import check_document
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Source
from app.domain.vocabulary import vocabulary
from app.io.ids import slugify
from app.io.kumu import FAMILY_MOVEMENTS, read_kumu, term_key
from app.io.kumu_terms import (
    ORGANIZATION_TYPE_WORDS,
    RELATIONSHIP_TYPE_WORDS,
    UNMAPPED_WORDS,
    normalised,
    organization_type,
    relationship_type,
)

VOCAB = vocabulary()
ELEMENTS = ["Label", "Type", "Description", "Tags"]
CONNECTIONS = ["From", "To", "Type"]


def sheet(header: Sequence[str], *rows: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def kumu(elements: bytes, connections: bytes | None = None) -> Document:
    sheets = {"Elements.csv": elements}
    if connections is not None:
        sheets["Connections.csv"] = connections
    return read_kumu(sheets, "maps/ecosystem.xlsx")


def problems_of(elements: bytes, connections: bytes | None = None) -> list[Problem]:
    with pytest.raises(InvalidData) as caught:
        kumu(elements, connections)
    return caught.value.problems


def words(key: str) -> str:
    """A vocabulary key as a person writes it in Kumu: "trade_union" -> "Trade union"."""
    return key.replace("_", " ").capitalize()


BASIC = sheet(
    ELEMENTS,
    ["Fundación Ñandú", "Funder", "Gives grants", "Spain"],
    ["Helping Hands", "NGO", "", ""],
    ["Unión de Trabajadoras", "Trade union", "", "Domestic work|CO|care_work"],
)


def imported(locator: str, cited: Sequence[Source]) -> Source:
    """The one source the README says a Kumu row gets: the map (``kumu`` reads
    maps/ecosystem.xlsx) and the row, quoting the citations of its Sources cell."""
    quote = "Sources: " + "; ".join(s.citation for s in cited)
    return Source(
        citation="Kumu map ecosystem.xlsx", locator=locator, basis="imported", quote=quote
    )


def test_the_seed_as_a_kumu_map_reads_back(seed: Document) -> None:
    """Every seed organisation and tie written as Kumu rows; half the ends by ID, half by label."""
    names = {o.id: o.name for o in seed.organizations}
    elements = sheet(
        [*ELEMENTS, "ID", "Movement", "Sources"],
        *(
            [
                o.name,
                words(o.type),
                o.description or "",
                "|".join([*(words(s) for s in o.sectors), *o.countries]),
                f"kumu-{o.id}",
                words(o.movement),
                "|".join(s.citation for s in o.sources),
            ]
            for o in seed.organizations
        ),
    )
    connections = sheet(
        [*CONNECTIONS, "Mode", "Tags", "Sources"],
        *(
            [
                f"kumu-{r.source}" if n % 2 else names[r.source],
                f"kumu-{r.target}" if n % 2 else names[r.target],
                words(r.type),
                r.mode or "",
                "|".join([*r.mechanisms, *([r.level] if r.level else [])]),
                "|".join(s.citation for s in r.sources),
            ]
            for n, r in enumerate(seed.relationships)
        ),
    )
    doc = kumu(elements, connections)
    assert check_document(doc, {}) == []
    # Ids are slugs of the labels, e.g. "IMA Limpia" -> ima-limpia.
    new_id = {o.id: slugify(o.name) for o in seed.organizations}
    assert new_id["ima-limpia"] == "ima-limpia"
    assert new_id["utrasd"] == "union-de-trabajadoras-del-servicio-domestico"
    expected_orgs = [
        (
            new_id[o.id],
            o.name,
            o.type,
            o.movement,
            o.countries,
            o.sectors,
            o.description,
            [imported(f"Elements.csv row {n + 2}", o.sources)],
        )
        for n, o in enumerate(seed.organizations)
    ]
    assert [
        (
            o.id,
            o.name,
            o.type,
            o.movement,
            o.countries,
            o.sectors,
            o.description,
            o.sources,
        )
        for o in doc.organizations
    ] == expected_orgs
    expected_rels = [
        (
            new_id[r.source],
            r.type,
            new_id[r.target],
            r.mode,
            r.mechanisms,
            r.level,
            [imported(f"Connections.csv row {n + 2}", r.sources)],
        )
        for n, r in enumerate(seed.relationships)
    ]
    assert [
        (r.source, r.type, r.target, r.mode, r.mechanisms, r.level, r.sources)
        for r in doc.relationships
    ] == expected_rels


def test_ties_get_ids_from_their_ends_and_type_and_repeats_are_numbered() -> None:
    connections = sheet(
        [*CONNECTIONS, "Description"],
        ["Fundación Ñandú", "Helping Hands", "Funds", "first grant"],
        ["Fundación Ñandú", "Helping Hands", "FUNDS", "second grant"],
        ["Helping Hands", "Unión de Trabajadoras", "enables", ""],
    )
    doc = kumu(BASIC, connections)
    assert [(r.id, r.activities) for r in doc.relationships] == [
        ("fundacion-nandu-funds-helping-hands", ["first grant"]),
        ("fundacion-nandu-funds-helping-hands-2", ["second grant"]),
        ("helping-hands-enables-union-de-trabajadoras", []),
    ]


def test_an_id_column_names_the_tie() -> None:
    connections = sheet(
        [*CONNECTIONS, "ID"], ["Helping Hands", "Fundación Ñandú", "Partners with", "Tie 7"]
    )
    [tie] = kumu(BASIC, connections).relationships
    assert (tie.id, tie.type, tie.source, tie.target) == (
        "tie-7",
        "PARTNERS_WITH",
        "helping-hands",
        "fundacion-nandu",
    )


def test_elements_read_type_words_tags_and_default_movements() -> None:
    doc = kumu(BASIC)
    by_id = {o.id: o for o in doc.organizations}
    assert list(by_id) == ["fundacion-nandu", "helping-hands", "union-de-trabajadoras"]
    funder, ngo, union = by_id.values()
    # "Funder" and "NGO" are enablers, "Trade union" is in the unions family (vocabulary.yaml).
    assert (funder.type, funder.movement, funder.countries, funder.sectors) == (
        "funder",
        "enabler",
        ["ES"],
        [],
    )
    assert (ngo.type, ngo.movement, ngo.description) == ("ngo", "enabler", None)
    assert (union.type, union.movement) == ("trade_union", "labour")
    assert (union.sectors, union.countries) == (["domestic_work", "care_work"], ["CO"])
    assert funder.description == "Gives grants"


def test_without_sources_each_record_cites_the_map_and_its_row() -> None:
    doc = kumu(BASIC, sheet(CONNECTIONS, ["Helping Hands", "Unión de Trabajadoras", "Enables"]))
    [source] = doc.organizations[1].sources
    assert (source.citation, source.locator) == ("Kumu map ecosystem.xlsx", "Elements.csv row 3")
    assert (source.basis, source.quote) == ("imported", None)
    [source] = doc.relationships[0].sources
    assert (source.citation, source.locator) == ("Kumu map ecosystem.xlsx", "Connections.csv row 2")
    assert (source.basis, source.quote) == ("imported", None)


def test_a_source_column_is_quoted_by_the_one_imported_source() -> None:
    # The map, not we, read ILO 2019 and Chen 2020: its references are the source's quote.
    elements = sheet(["Label", "Type", "Source"], ["SEWA", "Trade union", "ILO 2019 | Chen 2020"])
    [sewa] = kumu(elements).organizations
    assert sewa.sources == [
        Source(
            citation="Kumu map ecosystem.xlsx",
            locator="Elements.csv row 2",
            basis="imported",
            quote="Sources: ILO 2019; Chen 2020",
        )
    ]


def test_every_family_default_is_a_movement_and_the_seed_agrees(seed: Document) -> None:
    assert set(FAMILY_MOVEMENTS) == set(VOCAB.families)
    assert set(FAMILY_MOVEMENTS.values()) <= set(VOCAB.movements)
    # The seed's curators chose the movement of each organisation, and every one has its
    # family's default. (Fundación Bien Humano, once filed as a foundation in the SSE family
    # with the enablers' movement, is a funder: Box 3 calls it an enabling partner giving
    # "financial and technical support".)
    differing = [
        o.id for o in seed.organizations if FAMILY_MOVEMENTS[VOCAB.family_of(o.type)] != o.movement
    ]
    assert differing == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Trade union", "trade_union"),
        ("trade_union", "trade_union"),
        ("TRADE-UNION", "trade_union"),
        ("Informal workers' organisation", "informal_workers_organisation"),
        ("Savings credit cooperative", "savings_credit_cooperative"),
        ("Trade unions", None),
    ],
)
def test_type_words_name_keys(text: str, key: str | None) -> None:
    assert term_key(text, VOCAB.organization_types) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [("ENABLES", "ENABLES"), ("enables", "ENABLES"), ("Partners with", "PARTNERS_WITH")],
)
def test_relationship_type_words_name_keys(text: str, key: str) -> None:
    assert term_key(text, VOCAB.relationship_types) == key


@pytest.mark.parametrize(
    ("source", "mode"),
    [("Fundación Ñandú", "indirect"), ("Helping Hands", "direct")],
)
def test_enables_without_a_mode_takes_the_default_of_the_source_type(
    source: str, mode: str
) -> None:
    # vocabulary.yaml lists funder among indirect_enabler_types, and not ngo.
    assert "funder" in VOCAB.indirect_enabler_types
    assert "ngo" not in VOCAB.indirect_enabler_types
    [tie] = kumu(
        BASIC, sheet(CONNECTIONS, [source, "Unión de Trabajadoras", "Enables"])
    ).relationships
    assert tie.mode == mode


def test_a_mode_column_overrides_the_default() -> None:
    connections = sheet(
        [*CONNECTIONS, "Mode"], ["Fundación Ñandú", "Unión de Trabajadoras", "Enables", "Direct"]
    )
    [tie] = kumu(BASIC, connections).relationships
    assert tie.mode == "direct"


def test_a_movement_column_overrides_the_default() -> None:
    elements = sheet(
        ["Label", "Type", "Movement"], ["Fundación Bien Humano", "Foundation", "Enabler"]
    )
    [foundation] = kumu(elements).organizations
    assert (foundation.type, foundation.movement) == ("foundation", "enabler")


def test_symmetric_ties_may_be_mutual() -> None:
    connections = sheet(
        [*CONNECTIONS, "Direction"], ["Helping Hands", "Fundación Ñandú", "Partners with", "mutual"]
    )
    [tie] = kumu(BASIC, connections).relationships
    assert tie.type == "PARTNERS_WITH"


def test_connection_tags_are_mechanisms_and_a_level() -> None:
    connections = sheet(
        [*CONNECTIONS, "Tags"],
        ["Helping Hands", "Unión de Trabajadoras", "Enables", "Training|technical support|Micro"],
    )
    [tie] = kumu(BASIC, connections).relationships
    assert (tie.mechanisms, tie.level) == (["training", "technical_support"], "micro")


def test_a_connections_sheet_with_a_label_column_is_still_connections() -> None:
    connections = sheet(
        ["Label", "From", "To", "Type"],
        ["helps", "Helping Hands", "Unión de Trabajadoras", "Enables"],
    )
    assert len(kumu(BASIC, connections).relationships) == 1


def test_bad_rows_anywhere_refuse_the_map_naming_sheet_row_and_column() -> None:
    elements = sheet(
        [*ELEMENTS, "ID"],
        ["Helping Hands", "NGO", "", "", "hh"],
        ["Unión de Trabajadoras", "Organization", "", "Domestic work|Atlantis", ""],
        ["", "NGO", "", "", ""],
        ["Ministry of Labour", "Public body", "", "CO", ""],
        ["Helping hands!", "Ngo", "", "", ""],
    )
    connections = sheet(
        [*CONNECTIONS, "Direction", "Mode", "Tags"],
        ["hh", "Nobody", "Enables", "", "", ""],
        ["Helping Hands", "Ministry of Labour", "Advocates to", "mutual", "", "Finance"],
        ["Helping Hands", "Unión de Trabajadoras", "Enables", "", "sideways", "micro|macro|cake"],
        ["Helping Hands", "Helping Hands", "", "", "", ""],
        ["Helping Hands", "Ministry of Labour", "Organises", "", "", ""],
    )
    problems = problems_of(elements, connections)
    assert [(p.record, p.field) for p in problems] == [
        ("Elements.csv row 3", "Type"),
        ("Elements.csv row 3", "Tags"),
        ("Elements.csv row 4", "Label"),
        ("Elements.csv row 6", "Label"),
        ("Connections.csv row 2", "To"),
        ("Connections.csv row 3", "Direction"),
        ("Connections.csv row 3", "(row)"),
        ("Connections.csv row 4", "Mode"),
        ("Connections.csv row 4", "Tags"),
        ("Connections.csv row 4", "Tags"),
        ("Connections.csv row 5", "Type"),
        ("Connections.csv row 6", "To"),
    ]
    text = [p.message for p in problems]
    # app/io/kumu_terms.py leaves "Organization" unmapped on purpose, with this reason.
    assert text[0] == (
        "'Organization' is not a known organisation type: "
        "it says nothing of the kind of organisation"
    )
    # The accepted values: vocabulary keys, then the words of the Kumu table.
    assert {"trade_union", "Co-op", "Government agency"} <= set(problems[0].allowed)
    assert "'Atlantis' is neither a sector nor a country" in text[1]
    assert "is empty" in text[2]
    assert "same id 'helping-hands' as Elements.csv row 2" in text[3]
    assert "no element has the label or ID 'Nobody'" in text[4]
    assert "ADVOCATES_TO reads one way" in text[5]
    assert "mechanisms is only for ENABLES, FUNDS" in text[6]
    assert "'sideways' is not a known mode" in text[7]
    assert "'cake' is neither a mechanism nor a level" in text[8]
    assert "names 2 levels" in text[9]
    assert "is empty" in text[10]
    # vocabulary.yaml: ORGANISES targets unions, workers' organisations and SSE units only.
    assert "cannot have a public_body as its target" in text[11]


def test_a_tie_the_vocabulary_forbids_names_its_end() -> None:
    # vocabulary.yaml: ADVOCATES_TO targets public bodies and international institutions only.
    connections = sheet(CONNECTIONS, ["Unión de Trabajadoras", "Helping Hands", "Advocates to"])
    [problem] = problems_of(BASIC, connections)
    assert (problem.record, problem.field) == ("Connections.csv row 2", "To")
    assert "public_body" in problem.allowed


def test_a_sheet_lacking_a_required_column_is_named_at_its_header() -> None:
    problems = problems_of(sheet(["Label", "Description"], ["SEWA", ""]))
    assert [(p.record, p.field) for p in problems] == [("Elements.csv header", "Type")]


def test_a_sheet_of_neither_kind_is_named() -> None:
    [problem] = problems_of(sheet(["Name", "Kind"], ["SEWA", "union"]))
    assert problem.record == "Elements.csv header"
    assert "neither a Kumu Elements sheet" in problem.message


def test_columns_are_matched_whatever_their_case() -> None:
    doc = kumu(sheet(["label", "TYPE", "tags"], ["SEWA", "informal workers organisation", "IN"]))
    assert Counter((o.type, tuple(o.countries)) for o in doc.organizations) == Counter(
        {("informal_workers_organisation", ("IN",)): 1}
    )


def test_kumu_s_own_type_headers_are_read_whatever_their_case() -> None:
    elements = sheet(
        ["Label", "ELEMENT TYPE", "Tags"],
        ["SEWA", "Union", "IN"],
        ["SEWA Bank", "Co-op", ""],
        ["Ministry of Labour", "Government agency", ""],
    )
    connections = sheet(
        ["From", "To", "Connection Type"],
        ["SEWA", "SEWA Bank", "Founded"],
        ["SEWA", "Ministry of Labour", "Advocacy"],
        ["SEWA Bank", "SEWA", "Membership"],
    )
    doc = kumu(elements, connections)
    # The words are in app/io/kumu_terms.py's tables.
    assert [(o.id, o.type) for o in doc.organizations] == [
        ("sewa", "trade_union"),
        ("sewa-bank", "cooperative"),
        ("ministry-of-labour", "public_body"),
    ]
    assert [r.id for r in doc.relationships] == [
        "sewa-established-sewa-bank",
        "sewa-advocates-to-ministry-of-labour",
        "sewa-bank-member-of-sewa",
    ]


def test_an_element_type_column_is_read_before_a_type_column() -> None:
    elements = sheet(["Label", "Type", "Element Type"], ["SEWA", "Person", "Trade union"])
    assert [o.type for o in kumu(elements).organizations] == ["trade_union"]


def test_an_unknown_type_is_refused_naming_it_and_the_accepted_values() -> None:
    elements = sheet(["Label", "Element Type"], ["SEWA", "Union"], ["WIEGO", "Person"])
    connections = sheet(["From", "To", "Connection Type"], ["SEWA", "WIEGO", "Friendship"])
    problems = problems_of(elements, connections)
    assert [(p.record, p.field, p.message) for p in problems] == [
        (
            "Elements.csv row 3",
            "Element Type",
            "'Person' is not a known organisation type: people are not organisations",
        ),
        (
            "Connections.csv row 2",
            "Connection Type",
            "'Friendship' is not a known relationship type",
        ),
    ]
    # Accepted: the vocabulary's keys, then the words of the Kumu table.
    assert problems[1].allowed[: len(VOCAB.relationship_types)] == tuple(
        sorted(VOCAB.relationship_types)
    )
    assert {"Funding", "MoU", "Partnership"} <= set(problems[1].allowed)
    assert {"trade_union", "Co-op", "Government"} <= set(problems[0].allowed)


def test_a_sheet_without_any_type_column_names_both_spellings() -> None:
    [problem] = problems_of(sheet(["Label"], ["SEWA"]))
    assert (problem.record, problem.field, problem.allowed) == (
        "Elements.csv header",
        "Type",
        ("Element Type", "Type"),
    )


def test_sheets_named_ignore_and_loops_are_not_read() -> None:
    # Kumu's convention: a sheet with "(ignore)" in its name is not imported; loops are no
    # organisations, though their sheet has a Label column.
    sheets = {
        "map.xlsx/Elements.csv": BASIC,
        "map.xlsx/Notes (Ignore).csv": b"Label\nx\n",
        "map.xlsx/Loops.csv": b"Label,Description\nR1,reinforcing\n",
    }
    assert len(read_kumu(sheets, "map.xlsx").organizations) == 3


def test_the_word_tables_map_to_vocabulary_keys_without_overriding_the_vocabulary() -> None:
    org_types, rel_types = set(VOCAB.organization_types), set(VOCAB.relationship_types)
    # private_company is the one type a table may name before the vocabulary has it.
    assert set(ORGANIZATION_TYPE_WORDS.values()) <= org_types | {"private_company"}
    assert set(RELATIONSHIP_TYPE_WORDS.values()) <= rel_types
    # A word that is already a key in words is the vocabulary's to map, not the table's.
    assert [w for w in ORGANIZATION_TYPE_WORDS if term_key(w, org_types)] == []
    assert [w for w in RELATIONSHIP_TYPE_WORDS if term_key(w, rel_types)] == []
    words = [*ORGANIZATION_TYPE_WORDS, *UNMAPPED_WORDS]
    assert len({normalised(w) for w in words}) == len(words)
    assert len({normalised(w) for w in RELATIONSHIP_TYPE_WORDS}) == len(RELATIONSHIP_TYPE_WORDS)
    assert [w for w in UNMAPPED_WORDS if organization_type(w)] == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Co-op", "cooperative"),
        ("co op", "cooperative"),
        ("CO_OP", "cooperative"),
        ("Trade Union", "trade_union"),
        ("Government agency", "public_body"),
        ("Organization", None),
    ],
)
def test_table_words_are_compared_like_vocabulary_words(text: str, key: str | None) -> None:
    assert organization_type(text) == key


def test_relationship_words_are_compared_like_vocabulary_words() -> None:
    assert [relationship_type(t) for t in ("MoU", "mou", "Partners with", "Hugs")] == [
        "AGREEMENT_WITH",
        "AGREEMENT_WITH",
        "PARTNERS_WITH",
        None,
    ]
