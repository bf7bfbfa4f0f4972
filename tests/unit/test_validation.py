"""Bad records are refused with a message naming the record, the field and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.documents import parse_document
from app.domain.errors import InvalidData, Problem


def org(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "x",
        "name": "X",
        "type": "trade_union",
        "movement": "labour",
        "sources": [{"citation": "c"}],
    }
    return {**base, **fields}


def rel(**fields: Any) -> dict[str, Any]:
    base = {
        "id": "r",
        "type": "FUNDS",
        "source": "x",
        "target": "y",
        "sources": [{"citation": "c"}],
    }
    return {**base, **fields}


def problems(raw: Any) -> list[Problem]:
    with pytest.raises(InvalidData) as caught:
        parse_document(raw)
    return caught.value.problems


@pytest.mark.parametrize(
    ("record", "field", "words"),
    [
        (org(type="union"), "type", ["'union'", "trade_union", "cooperative"]),
        (org(movement="workers"), "movement", ["'workers'", "informal_workers"]),
        (org(countries=["Kenya"]), "countries", ["'Kenya'", "ISO 3166-1"]),
        (org(sectors=["waste"]), "sectors", ["'waste'", "waste_picking"]),
        (org(status="alive"), "status", ["'alive'", "active", "collapsed"]),
        (org(id="Bad Id"), "id", ["'Bad Id' is not a slug", "lower-case letters"]),
        (org(sources=[]), "sources", ["at least 1"]),
        (org(founded=1200), "founded", ["1800"]),
        (org(colour="red"), "colour", ["Extra inputs"]),
    ],
)
def test_organisation_problems_name_record_field_and_allowed(
    record: dict[str, Any], field: str, words: list[str]
) -> None:
    [problem] = problems({"organizations": [record]})
    assert problem.record == f"organization '{record['id']}'"
    assert problem.field.split(".")[0] == field
    for word in words:
        assert word in problem.message, (word, problem.message)


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (rel(type="LIKES"), ["'LIKES'", "ENABLES"]),
        (rel(type="ENABLES"), ["needs a mode", "direct", "indirect"]),
        (rel(mode="direct"), ["mode is only for ENABLES"]),
        (
            rel(type="ESTABLISHED", mechanisms=["finance"]),
            ["mechanisms is only for ENABLES, FUNDS"],
        ),
        (rel(mechanisms=["money"]), ["'money'", "finance"]),
        (rel(since=2020, until=2010), ["before since"]),
        (rel(target="x"), ["different organisations"]),
        (rel(level="global"), ["'global'", "macro"]),
        (rel(type="PARTNERS_WITH", amount=1.0, currency="GBP"), ["amount is only for FUNDS"]),
        (rel(amount=100.0), ["needs its currency", "ISO 4217"]),
        (rel(type="FUNDS", amount=-1.0, currency="GBP"), ["greater than or equal to 0"]),
        (rel(type="FUNDS", amount=1.0, currency="gbp"), ["'gbp'", "ISO 4217", "GBP"]),
        (rel(type="FUNDS", awarded="2019-13-01"), ["date"]),
        (rel(type="PARTNERS_WITH", reference="x"), ["reference is only for", "FUNDS"]),
    ],
)
def test_relationship_problems(record: dict[str, Any], words: list[str]) -> None:
    [problem] = problems({"relationships": [record]})
    assert problem.record == "relationship 'r'"
    for word in words:
        assert word in problem.message, (word, problem.message)


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems({"organizations": [org(type="a"), org(id="y", movement="b")]})
    assert [(p.record, p.field) for p in found] == [
        ("organization 'x'", "type"),
        ("organization 'y'", "movement"),
    ]


def test_a_document_must_be_an_object() -> None:
    [problem] = problems([1, 2])
    assert "expected an object" in problem.message
