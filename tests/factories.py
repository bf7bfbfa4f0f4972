"""Small builders of valid records for tests; each test states the facts it relies on."""

from __future__ import annotations

from typing import Any

from app.domain.models import Document, Organization, Relationship

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
