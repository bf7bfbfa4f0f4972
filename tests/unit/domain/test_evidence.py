"""Sources' bases and the time rule, on records written here.

Expected values follow the rules stated in app/domain/evidence.py and app/domain/timeline.py
(a fact's basis is the strongest of its sources; an undated tie counts from its earliest
evidence), worked out by hand for each small record.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app.domain.evidence import (
    evidence_years,
    field_basis,
    inferred_fields,
    record_basis,
    rests_on_inference,
    weigh,
)
from app.domain.models import Document, Organization, Relationship, Source
from app.domain.timeline import organization_exists, relationship_in_force, reported
from tests.factories import org, rel

STATED = {"citation": "ILO 2019", "locator": "Table", "quote": "VimoSEWA", "year": 2019}
GUESS = {"citation": "ILO 2019", "basis": "inferred", "reason": "our reading", "year": 2019}
FILE = {"citation": "grants.json", "locator": "grant 7", "basis": "imported", "year": 2018}


def test_a_source_without_a_basis_reads_as_stated() -> None:
    """Backward compatibility: documents written before bases existed keep their meaning."""
    assert Source(citation="UTRASD et al. 2020").basis == "stated"
    written_before = {
        "id": "a",
        "name": "A",
        "type": "ngo",
        "movement": "enabler",
        "sources": [{"citation": "x", "locator": "Box 1"}],
    }
    loaded = Document.model_validate({"organizations": [written_before]})
    assert record_basis(loaded.organizations[0]) == "stated"


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ({"citation": "x", "basis": "rumour"}, "allowed: imported, inferred, stated"),
        ({"citation": "x", "basis": "inferred"}, "needs a reason"),
        ({"citation": "x", "fields": ["since", "since"]}, "must not repeat"),
    ],
)
def test_bad_sources_are_refused_with_what_is_allowed(source: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Source.model_validate(source)


def test_a_source_may_only_name_the_records_fields() -> None:
    with pytest.raises(ValidationError, match="'since' is not a known field"):
        org("a", sources=[STATED, {**GUESS, "fields": ["since"]}])
    with pytest.raises(ValidationError, match="as a whole"):
        rel("t", "FUNDS", "a", "b", sources=[{**GUESS, "fields": ["since"]}])


def test_the_strongest_source_decides_and_fields_follow_their_own_sources() -> None:
    tie = rel(
        "t",
        "FUNDS",
        "a",
        "b",
        since=2015,
        level="meso",
        sources=[GUESS, FILE, {**GUESS, "fields": ["since"]}],
    )
    # Whole-record sources: inferred and imported -> imported (stronger than ours).
    assert record_basis(tie) == "imported"
    # `since` has its own (inferred) source; `level` has none, so it takes the record's.
    assert field_basis(tie, "since") == "inferred"
    assert field_basis(tie, "level") == "imported"
    assert inferred_fields(tie) == ("since",)
    assert rests_on_inference(tie)
    assert evidence_years(tie) == (2018, 2019)


def test_weighing_stated_drops_inferred_records_and_blanks_inferred_fields() -> None:
    guessed = rel("guess", "FUNDS", "a", "b", sources=[GUESS])
    dated = rel(
        "dated",
        "ENABLES",
        "a",
        "b",
        since=2020,
        mechanisms=["finance"],
        sources=[STATED, {**GUESS, "fields": ["since", "mode"]}],
    )
    assert weigh(guessed, "stated") is None
    assert weigh(guessed, "any") is guessed
    seen = weigh(dated, "stated")
    assert seen is not None
    # since was our inference, so under "stated" it is unknown; mode always has a value.
    assert (seen.since, seen.mode, seen.mechanisms) == (None, "direct", ["finance"])


def test_an_undated_tie_counts_from_its_earliest_evidence() -> None:
    tie = rel("t", "FUNDS", "a", "b", sources=[{**STATED, "year": 2014}, {**FILE, "year": 2012}])
    assert reported(tie) == 2012
    assert not relationship_in_force(tie, 2011)
    assert relationship_in_force(tie, 2012)
    dated = rel("d", "FUNDS", "a", "b", since=2000, sources=[STATED])
    assert reported(dated) is None
    assert relationship_in_force(dated, 2000)


def test_a_tie_no_source_dates_counts_in_any_year_as_before() -> None:
    tie = rel("t", "FUNDS", "a", "b", sources=[{"citation": "KENASVIT n.d."}])
    assert reported(tie) is None
    assert relationship_in_force(tie, 1900)


def test_an_undated_organisation_is_there_from_its_evidence_or_a_tie_in_force() -> None:
    union = org("u", sources=[{**STATED, "year": 2021}])
    founded = org("f", founded=1990, sources=[{**STATED, "year": 2021}])
    assert not organization_exists(union, 2014)
    assert organization_exists(union, 2014, frozenset({"u"}))
    assert organization_exists(union, 2021)
    assert organization_exists(founded, 2000)
    assert not organization_exists(founded, 1989, frozenset({"f"}))


def test_an_organisation_keeps_its_type_under_stated_weighing() -> None:
    """Type and movement always have a value: an inferred one stays (and is marked)."""
    unit: Organization = org(
        "c",
        type="cooperative",
        movement="sse",
        sectors=["general"],
        sources=[STATED, {**GUESS, "fields": ["type", "sectors"]}],
    )
    seen = weigh(unit, "stated")
    assert seen is not None and (seen.type, seen.sectors) == ("cooperative", [])
    assert inferred_fields(unit) == ("sectors", "type")


def test_weighing_never_changes_the_record_it_was_given() -> None:
    tie: Relationship = rel(
        "t", "FUNDS", "a", "b", since=2001, sources=[STATED, {**GUESS, "fields": ["since"]}]
    )
    weigh(tie, "stated")
    assert tie.since == 2001
