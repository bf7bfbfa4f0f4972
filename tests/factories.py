"""Small builders of valid records for tests; each test states the facts it relies on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from app.domain.models import Document, Organization, Relationship
from app.domain.vocabulary import vocabulary

SOURCE = {"citation": "Test fixture", "locator": "tests/factories.py"}


def org(id: str, name: str | None = None, **fields: Any) -> Organization:
    """An organisation; by default an active trade union with one source."""
    data: dict[str, Any] = {
        "id": id,
        "name": name or id.upper(),
        "type": "trade_union",
        "movement": "labour",
        "sources": [SOURCE],
    }
    return Organization.model_validate({**data, **fields})


def rel(id: str, type: str, source: str, target: str, **fields: Any) -> Relationship:
    """A relationship; ENABLES gets mode 'direct' unless given."""
    data: dict[str, Any] = {
        "id": id,
        "type": type,
        "source": source,
        "target": target,
        "sources": [SOURCE],
    }
    if type == "ENABLES":
        data["mode"] = "direct"
    return Relationship.model_validate({**data, **fields})


def small_ecosystem() -> Document:
    """Five organisations in a chain funder -> ngo -> union -> coop, plus a public body.

    funder FUNDS ngo; ngo ENABLES union; union ESTABLISHED coop; union ADVOCATES_TO ministry.
    """
    return Document(
        organizations=[
            org("funder", "Fundación Ñandú", type="funder", movement="enabler", countries=["ES"]),
            org("ngo", "Helping Hands", type="ngo", movement="enabler", aliases=["HH"]),
            org(
                "union",
                "Unión de Trabajadoras",
                aliases=["UT"],
                countries=["CO"],
                sectors=["domestic_work"],
            ),
            org(
                "coop",
                "Cooperativa Limpia",
                type="cooperative",
                movement="sse",
                countries=["CO"],
                sectors=["domestic_work", "care_work"],
                founded=2021,
            ),
            org(
                "ministry",
                "Ministry of Labour",
                type="public_body",
                movement="public",
                countries=["CO"],
            ),
        ],
        relationships=[
            rel("funder-funds-ngo", "FUNDS", "funder", "ngo", mechanisms=["finance"], since=2019),
            rel("ngo-enables-union", "ENABLES", "ngo", "union", mechanisms=["training"]),
            rel("union-established-coop", "ESTABLISHED", "union", "coop", since=2021),
            rel("union-advocates-ministry", "ADVOCATES_TO", "union", "ministry", level="macro"),
        ],
    )


def source_fields(record: type[Organization] | type[Relationship]) -> list[str]:
    """The fields a source of ``record`` may name: every field but ``id`` and ``sources``."""
    return [name for name in record.model_fields if name not in ("id", "sources")]


@st.composite
def evidence_sources(
    draw: st.DrawFn, text: st.SearchStrategy[str], fields: Sequence[str]
) -> list[dict[str, Any]]:
    """One to three valid sources drawing every part of a source: any basis (an inferred one
    with its reason), quote, year and named ``fields``; the first bears on the whole record."""
    drawn = []
    for index in range(draw(st.integers(1, 3))):
        basis = draw(st.sampled_from(sorted(vocabulary().bases)))
        optional = st.none() | text
        drawn.append(
            {
                "citation": draw(text),
                "locator": draw(optional),
                "basis": basis,
                "quote": draw(optional),
                "reason": draw(text) if basis == "inferred" else draw(optional),
                "year": draw(st.none() | st.integers(1800, 2100)),
                "fields": []
                if index == 0
                else draw(st.lists(st.sampled_from(fields), unique=True)),
            }
        )
    return drawn


@st.composite
def with_evidence(
    draw: st.DrawFn, documents: st.SearchStrategy[Document], text: st.SearchStrategy[str]
) -> Document:
    """A document of ``documents`` whose every record has sources of :func:`evidence_sources`."""
    doc = draw(documents)
    orgs = [
        Organization.model_validate(
            {**o.model_dump(), "sources": draw(evidence_sources(text, source_fields(Organization)))}
        )
        for o in doc.organizations
    ]
    rels = [
        Relationship.model_validate(
            {**r.model_dump(), "sources": draw(evidence_sources(text, source_fields(Relationship)))}
        )
        for r in doc.relationships
    ]
    return Document(organizations=orgs, relationships=rels)
