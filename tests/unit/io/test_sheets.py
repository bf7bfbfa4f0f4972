"""CSV sheets of the interchange document: lossless round trips and every bad cell named.

Expected cell texts are taken from the document being written (the seed, or records built
here), and exported sheets are read back with the ``csv`` module, independently of the reader.
The Hypothesis strategy :func:`documents` is shared with the graph file and Cypher tests.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.documents import check_document
from app.domain.errors import InvalidData, Problem
from app.domain.models import Document, Organization, Relationship
from app.domain.vocabulary import vocabulary
from app.io.sheets import (
    ORGANIZATIONS_SHEET,
    RELATIONSHIPS_SHEET,
    join_items,
    read_sheets,
    split_items,
    to_sheets,
    write_organizations_csv,
    write_relationships_csv,
)
from tests.factories import org, rel, small_ecosystem

VOCAB = vocabulary()
AWKWARD = list("|\\\"',;\n\r\t =+-@'/*éñÑ中😀\u2028\u200b")
ANY_CHARACTER = st.characters(codec="utf-8")
MIXED = ANY_CHARACTER | st.sampled_from(AWKWARD)


def texts(characters: st.SearchStrategy[str], max_size: int = 20) -> st.SearchStrategy[str]:
    """Non-blank text (what the model's bounded texts accept) from ``characters``."""
    return st.text(characters, min_size=1, max_size=max_size).filter(lambda s: s.strip())


@st.composite
def _sources(draw: st.DrawFn, text: st.SearchStrategy[str]) -> list[dict[str, Any]]:
    url = st.text(st.sampled_from(list("ab|\\'%é,;=")), max_size=8).map(
        lambda path: f"https://example.org/{path}"
    )
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {"citation": text, "locator": st.none() | text, "url": st.none() | url}
            ),
            min_size=1,
            max_size=3,
        )
    )


@st.composite
def _organization(draw: st.DrawFn, index: int, characters: st.SearchStrategy[str]) -> Organization:
    text = texts(characters)
    return Organization.model_validate(
        {
            "id": f"org-{index}",
            "name": draw(text),
            "aliases": draw(st.lists(text, max_size=3)),
            "type": draw(st.sampled_from(sorted(VOCAB.organization_types))),
            "movement": draw(st.sampled_from(sorted(VOCAB.movements))),
            "countries": draw(st.lists(st.sampled_from(["CO", "KE", "BR"]), unique=True)),
            "sectors": draw(st.lists(st.sampled_from(sorted(VOCAB.sectors)), unique=True)),
            "founded": draw(st.none() | st.integers(1800, 2100)),
            "status": draw(st.sampled_from(sorted(VOCAB.organization_statuses))),
            "description": draw(st.none() | texts(characters, 60)),
            "identifiers": draw(st.lists(text, max_size=2)),
            "sources": draw(_sources(text)),
        }
    )


@st.composite
def _relationship(
    draw: st.DrawFn, index: int, orgs: list[Organization], text: st.SearchStrategy[str]
) -> Relationship | None:
    """A relationship the vocabulary's rules allow between two of ``orgs``, if there is one."""
    rel_type = draw(st.sampled_from(sorted(VOCAB.relationship_types)))
    rule = VOCAB.relationship_types[rel_type]
    pairs = [
        (s.id, t.id)
        for s in orgs
        for t in orgs
        if s.id != t.id and s.type in rule.source_types and t.type in rule.target_types
    ]
    if not pairs:
        return None
    source, target = draw(st.sampled_from(pairs))
    allowed = {field for field, types in VOCAB.relationship_fields.items() if rel_type in types}
    since = draw(st.none() | st.integers(1800, 2100))
    data: dict[str, Any] = {
        "id": f"rel-{index}",
        "type": rel_type,
        "source": source,
        "target": target,
        "since": since,
        "until": draw(st.none() | st.integers(since or 1800, 2100)),
        "status": draw(st.sampled_from(sorted(VOCAB.relationship_statuses))),
        "level": draw(st.none() | st.sampled_from(sorted(VOCAB.levels))),
        "activities": draw(st.lists(text, max_size=3)),
        "sources": draw(_sources(text)),
    }
    optional: dict[str, st.SearchStrategy[Any]] = {
        "mode": st.sampled_from(sorted(VOCAB.modes)),
        "mechanisms": st.lists(st.sampled_from(sorted(VOCAB.mechanisms)), unique=True),
        "amount": st.floats(0, 1e15, allow_nan=False, allow_infinity=False),
        "awarded": st.dates(date(1800, 1, 1), date(2100, 12, 31)),
        "programme": text,
        "reference": text,
    }
    for field, values in optional.items():
        if field in allowed and (
            (field == "mode" and rel_type == "ENABLES") or draw(st.booleans())
        ):
            data[field] = draw(values)
    if "amount" in data:
        data["currency"] = draw(st.sampled_from(["GBP", "USD", "KES"]))
    return Relationship.model_validate(data)


@st.composite
def documents(draw: st.DrawFn, characters: st.SearchStrategy[str] = MIXED) -> Document:
    """Valid documents (each record and the whole) whose texts mix awkward characters in.

    Texts come from ``characters``: by default any character mixed with separators, quotes,
    backslashes, line breaks, formula starts and non-ASCII letters (:data:`AWKWARD`). Every
    field of both models is drawn, FUNDS fields included. Descriptions are never empty: an
    empty one is written as an empty cell.
    """
    text = texts(characters)
    orgs = [draw(_organization(i, characters)) for i in range(draw(st.integers(1, 5)))]
    rels = [draw(_relationship(i, orgs, text)) for i in range(draw(st.integers(0, 8)))]
    doc = Document(organizations=orgs, relationships=[r for r in rels if r is not None])
    assert check_document(doc, {}) == [], "the strategy only builds valid documents"
    return doc


def table(text: str) -> list[dict[str, str]]:
    """A written sheet read back with the csv module, not with the reader under test."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def problems_of(sheets: dict[str, bytes]) -> list[Problem]:
    with pytest.raises(InvalidData) as caught:
        read_sheets(sheets)
    return caught.value.problems


def edited(text: str, row: int, **cells: str) -> str:
    """``text`` (a written sheet) with the cells of spreadsheet row ``row`` replaced."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    for column, value in cells.items():
        if column not in header:
            header.append(column)
            for other in rows[1:]:
                other.append("")
        rows[row - 1][header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def test_the_seed_survives_a_round_trip(seed: Document) -> None:
    assert read_sheets(to_sheets(seed)) == seed


@settings(max_examples=150, deadline=None)
@given(doc=documents())
def test_awkward_documents_survive_a_round_trip(doc: Document) -> None:
    assert read_sheets(to_sheets(doc)) == doc


@given(items=st.lists(st.text(ANY_CHARACTER | st.sampled_from(["|", "\\"]))))
def test_joined_items_split_back(items: list[str]) -> None:
    # A list of one empty item joins to an empty cell, which is no items: the models never
    # hold empty items, since every list item is a non-blank text or a vocabulary key.
    expected = [] if items == [""] else items
    assert split_items(join_items(items)) == expected


SOURCE_COLUMNS = [
    "source_citations",
    "source_locators",
    "source_urls",
    "source_bases",
    "source_quotes",
    "source_reasons",
    "source_years",
    "source_fields",
]
"""One column per part of a source, in the order of Source's fields (README, "Import and
export")."""


def test_headers_are_the_model_fields_with_sources_in_eight_columns() -> None:
    # Both models end with `sources`; the eight source columns stand in for it, in order.
    for model, text in (
        (Organization, write_organizations_csv(Document())),
        (Relationship, write_relationships_csv(Document())),
    ):
        fields = list(model.model_fields)
        assert fields[-1] == "sources"
        header = next(csv.reader(io.StringIO(text)))
        assert header == [*fields[:-1], *SOURCE_COLUMNS]


def test_each_part_of_each_source_is_an_aligned_item() -> None:
    stated = {"citation": "UTRASD et al. 2020", "locator": "Box 3", "quote": "set up", "year": 2020}
    inferred = {
        "citation": "ILO 2019",
        "basis": "inferred",
        "reason": "read from the box's date",
        "fields": ["since", "until"],
    }
    doc = Document(
        organizations=[org("a"), org("b")],
        relationships=[rel("a-b", "MEMBER_OF", "a", "b", sources=[stated, inferred])],
    )
    [row] = table(write_relationships_csv(doc))
    # Item n of each column is part of source n; an empty item is a part not given, and a
    # column no source gives a part for (the URL) is empty. Fields are joined by commas.
    assert [row[column] for column in SOURCE_COLUMNS] == [
        "UTRASD et al. 2020|ILO 2019",
        "Box 3|",
        "",
        "stated|inferred",
        "set up|",
        "|read from the box's date",
        "2020|",
        "|since,until",
    ]
    assert read_sheets(to_sheets(doc)) == doc


def test_cells_hold_the_seed_values(seed: Document) -> None:
    """Lists joined by |, sources in aligned columns, numbers and dates as plain text."""
    rows = {row["id"]: row for row in table(write_organizations_csv(seed))}
    assert len(rows) == len(seed.organizations)
    for organization in seed.organizations:
        row = rows[organization.id]
        assert not any("|" in a or "\\" in a for a in organization.aliases), "nothing to escape"
        assert row["name"] == organization.name
        assert row["aliases"] == "|".join(organization.aliases)
        assert row["countries"] == "|".join(organization.countries)
        assert row["founded"] == ("" if organization.founded is None else str(organization.founded))
        assert row["source_citations"].split("|") == [s.citation for s in organization.sources]
        locators = [s.locator or "" for s in organization.sources]
        assert row["source_locators"] == ("|".join(locators) if any(locators) else "")
    # UTRASD cites the brief's own Box 3 first, then "UTRASD et al. 2020" (Box 3), as
    # seed_data/ecosystem.yaml lists.
    citations = "ILO Brief (Trade unions and SSE partnerships)|UTRASD et al. 2020|"
    assert rows["utrasd"]["source_citations"].startswith(citations)
    assert rows["utrasd"]["source_locators"].startswith("Box 3|Box 3|")


def test_funds_fields_are_written_as_plain_text() -> None:
    doc = small_ecosystem()
    funds = rel(
        "grant",
        "FUNDS",
        "funder",
        "ngo",
        amount=25000.5,
        currency="GBP",
        awarded="2020-01-31",
        programme="Care | Dignity",
        reference="360G-1",
    )
    doc = doc.model_copy(update={"relationships": [*doc.relationships, funds]})
    [row] = [r for r in table(write_relationships_csv(doc)) if r["id"] == "grant"]
    # Values as given above; a scalar text keeps its | (only list items are escaped).
    assert (row["amount"], row["currency"], row["awarded"]) == ("25000.5", "GBP", "2020-01-31")
    assert row["programme"] == "Care | Dignity"
    assert read_sheets(to_sheets(doc)) == doc


def test_separators_and_backslashes_in_items_are_escaped() -> None:
    organization = org("x", aliases=["a|b", "c\\d", "e\\|f", "end\\"])
    text = write_organizations_csv(Document(organizations=[organization]))
    [row] = table(text)
    assert row["aliases"] == "a\\|b|c\\\\d|e\\\\\\|f|end\\\\"
    assert read_sheets({"o.csv": text.encode()}).organizations == [organization]


def test_a_lone_backslash_in_a_hand_written_cell_is_read_as_itself() -> None:
    text = write_organizations_csv(Document(organizations=[org("x")]))
    text = edited(text, 2, aliases="C:\\docs|B")
    [read] = read_sheets({"o.csv": text.encode()}).organizations
    assert read.aliases == ["C:\\docs", "B"]


def test_formula_like_cells_are_kept_as_text_and_read_back() -> None:
    names = {"a": '=HYPERLINK("http://x")', "b": "+1", "c": "'=1", "d": "'s-Hertogenbosch"}
    doc = Document(organizations=[org(key, name) for key, name in names.items()])
    text = write_organizations_csv(doc)
    written = {row["id"]: row["name"] for row in table(text)}
    # A spreadsheet runs a cell starting with = or +; one more apostrophe keeps it as text.
    assert written == {
        "a": '\'=HYPERLINK("http://x")',
        "b": "'+1",
        "c": "''=1",
        "d": "'s-Hertogenbosch",
    }
    assert read_sheets({"o.csv": text.encode()}) == doc


def test_utf8_with_or_without_bom_and_either_sheet_order(seed: Document) -> None:
    sheets = to_sheets(seed)
    reordered = {
        "ties.csv": b"\xef\xbb\xbf" + sheets[RELATIONSHIPS_SHEET],
        "orgs.csv": b"\xef\xbb\xbf" + sheets[ORGANIZATIONS_SHEET],
    }
    assert read_sheets(reordered) == seed


def test_empty_cells_mean_not_given() -> None:
    text = (
        "id,name,aliases,type,movement,countries,sectors,founded,status,description,"
        "identifiers,source_citations,source_locators,source_urls\r\n"
        "x,X,,trade_union,labour,,,,,,,Somebody 2020,,\r\n"
    )
    [read] = read_sheets({"o.csv": text.encode()}).organizations
    # The defaults are the model's: no aliases, status active, no founding year.
    assert read == org("x", "X", sources=[{"citation": "Somebody 2020"}])


def test_columns_may_be_left_out_and_come_in_any_order() -> None:
    text = "source_citations,movement,type,name,id\r\nSomebody 2020,labour,trade_union,X,x\r\n"
    [read] = read_sheets({"o.csv": text.encode()}).organizations
    assert (read.id, read.name, read.status) == ("x", "X", "active")


def test_a_bad_row_anywhere_refuses_the_file_naming_every_problem(seed: Document) -> None:
    text = to_sheets(seed)[ORGANIZATIONS_SHEET].decode()
    text = edited(text, 3, founded="nineteen")
    text = edited(text, 5, type="union", countries="CO|Kenya")
    text = edited(text, 9, id="Bad Id", name="", colour="red")
    problems = problems_of({"orgs.csv": text.encode()})
    where = [(p.record, p.field) for p in problems]
    assert where == [
        ("orgs.csv header", "colour"),
        ("orgs.csv row 3", "founded"),
        ("orgs.csv row 5", "type"),
        ("orgs.csv row 5", "countries"),
        ("orgs.csv row 9", "id"),
        ("orgs.csv row 9", "name"),
    ]
    messages = {field: p for p, (_, field) in zip(problems, where, strict=True)}
    assert "'nineteen' is not a whole number" in messages["founded"].message
    assert "'union' is not a known organisation type" in messages["type"].message
    assert "'Kenya'" in messages["countries"].message
    assert "'Bad Id' is not a slug" in messages["id"].message
    assert "source_citations" in messages["colour"].allowed
    assert messages["colour"].message == "unknown column"


@pytest.mark.parametrize(
    ("column", "cell", "words"),
    [
        ("amount", "25,000", ["'25,000' is not a number", "thousands separators"]),
        ("amount", "£5", ["'£5' is not a number"]),
        ("amount", "nan", ["'nan' is not a number"]),
        ("since", "2021.5", ["'2021.5' is not a whole number"]),
        ("since", "1700", ["greater than or equal to 1800"]),
        ("awarded", "31/01/2020", ["'31/01/2020' is not a date", "YYYY-MM-DD"]),
        ("currency", "pounds", ["'pounds' is not an ISO 4217 currency code"]),
        ("mode", "sideways", ["'sideways' is not a known mode", "direct"]),
    ],
)
def test_bad_relationship_cells_name_the_column(column: str, cell: str, words: list[str]) -> None:
    doc = Document(
        organizations=[org("a", type="funder", movement="enabler"), org("b")],
        relationships=[rel("a-funds-b", "FUNDS", "a", "b", amount=1.0, currency="GBP")],
    )
    text = edited(write_relationships_csv(doc), 2, **{column: cell})
    [problem] = problems_of({"ties.csv": text.encode()})
    assert (problem.record, problem.field) == ("ties.csv row 2", column)
    assert all(word in problem.message for word in words), problem.message


def test_rules_across_fields_name_the_row() -> None:
    doc = Document(organizations=[org("a"), org("b")])
    text = (
        "id,type,source,target,since,until,source_citations\r\n"
        "a-b,MEMBER_OF,a,b,2020,2010,Somebody 2020\r\n"
    )
    [problem] = problems_of({"o.csv": to_sheets(doc)[ORGANIZATIONS_SHEET], "t.csv": text.encode()})
    assert (problem.record, problem.field) == ("t.csv row 2", "(row)")
    assert "until (2010) is before since (2020)" in problem.message


def test_source_columns_out_of_step_are_named() -> None:
    text = (
        "id,name,type,movement,source_citations,source_locators,source_urls\r\n"
        "x,X,trade_union,labour,A 2020,Box 1|Box 2,ftp://nowhere\r\n"
    )
    problems = problems_of({"o.csv": text.encode()})
    assert [(p.record, p.field) for p in problems] == [
        ("o.csv row 2", "source_locators"),
        ("o.csv row 2", "source_urls (item 1)"),
    ]
    assert "has 2 item(s) but source_citations has 1" in problems[0].message


def test_a_row_without_sources_is_refused() -> None:
    text = "id,name,type,movement,source_citations\r\nx,X,trade_union,labour,\r\n"
    [problem] = problems_of({"o.csv": text.encode()})
    assert (problem.record, problem.field) == ("o.csv row 2", "source_citations")
    assert "at least 1 item" in problem.message


def test_a_missing_required_column_is_named_at_the_header_only() -> None:
    text = "id,type,movement,source_citations\r\nx,trade_union,labour,A\r\ny,nothing,labour,A\r\n"
    [problem] = problems_of({"o.csv": text.encode()})
    assert (problem.record, problem.field) == ("o.csv header", "name")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (b"id,name\r\n\xff\xfe\r\n", "(file)", "not UTF-8"),
        (b"", "(file)", "is empty"),
    ],
)
def test_unreadable_files_are_named(data: bytes, field: str, words: str) -> None:
    [problem] = problems_of({"o.csv": data})
    assert (problem.record, problem.field) == ("o.csv", field)
    assert words in problem.message


def test_extra_cells_and_repeated_columns_are_problems() -> None:
    text = "id,name,type,movement,name,source_citations\r\nx,X,trade_union,labour,X,A,surplus\r\n"
    problems = problems_of({"o.csv": text.encode()})
    assert [(p.record, p.field) for p in problems] == [
        ("o.csv header", "name"),
        ("o.csv row 2", "(row)"),
    ]
    assert problems[1].message == "has 7 cells but the header has 6 columns"


def test_blank_rows_are_skipped_but_still_counted() -> None:
    text = "id,name,type,movement,source_citations\r\n,,,,\r\nx,X,union,labour,A\r\n"
    [problem] = problems_of({"o.csv": text.encode()})
    assert (problem.record, problem.field) == ("o.csv row 3", "type")
