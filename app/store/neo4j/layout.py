"""How records lie in Neo4j: an organisation's labels, the properties of nodes and ties, and
reading them back as records.

Beside every field of the model, a node or tie carries what lets a person writing Cypher
filter without parsing JSON: ``sources`` stays JSON text, and ``citations`` (each source's
citation once, in order), ``bases`` (each basis its sources give, strongest first) and
``basis`` (the record's own basis, :func:`app.domain.evidence.record_basis`) sit beside it
as plain properties. An organisation also carries ``search_keys`` and ``sort_key`` for the
store's filters, and two labels besides ``Organization``: its type's family and its
movement, named by :data:`FAMILY_LABELS` and :data:`MOVEMENT_LABELS`
(``:Organization:TradeUnion:Labour``). Labels come only from these tables, keyed by the
vocabulary, never from a record's text.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from app.domain.evidence import STRENGTH, record_basis
from app.domain.models import Organization, Relationship, Source
from app.domain.vocabulary import vocabulary

FAMILY_LABELS = {
    "unions": "TradeUnion",
    "worker_organisations": "InformalWorkersOrganisation",
    "sse_units": "SSEUnit",
    "enablers": "EnablingPartner",
    "public_bodies": "PublicBody",
}
"""The label of each family of organisation types (``graph_schema/vocabulary.yaml``)."""

MOVEMENT_LABELS = {
    "labour": "Labour",
    "informal_workers": "InformalWorkers",
    "sse": "SSE",
    "enabler": "Enabler",
    "public": "Public",
}
"""The label of each movement of the vocabulary."""

LAYOUT_VERSION = 1
"""Raised when what the store derives for Neo4j changes, so that start-up rewrites it."""

DERIVED = frozenset({"search_keys", "sort_key", "citations", "bases", "basis"})
"""Properties the store derives from a record; reading a record back leaves them out."""


def secondary_labels() -> list[str]:
    """Every family and movement label the store manages, sorted."""
    return sorted({*FAMILY_LABELS.values(), *MOVEMENT_LABELS.values()})


def organization_labels(org: Organization) -> list[str]:
    """The organisation's family label, then its movement label."""
    family = vocabulary().family_of(org.type)
    return [FAMILY_LABELS[family], MOVEMENT_LABELS[org.movement]]


def layout_key() -> str:
    """What the stored layout must match: the version and every type's and movement's labels.

    A vocabulary that moves a type to another family changes the key, and so the labels are
    rewritten at the next start.
    """
    vocab = vocabulary()
    labels = {
        "types": {t: FAMILY_LABELS[vocab.family_of(t)] for t in sorted(vocab.organization_types)},
        "movements": {m: MOVEMENT_LABELS[m] for m in sorted(vocab.movements)},
    }
    digest = hashlib.sha256(json.dumps(labels, sort_keys=True).encode("utf-8")).hexdigest()
    return f"{LAYOUT_VERSION}:{digest[:16]}"


def _evidence(record: Organization | Relationship) -> dict[str, Any]:
    """The record's sources as JSON text, and its citations and bases as plain lists."""
    sources: list[Source] = record.sources
    bases = sorted({s.basis for s in sources}, key=lambda b: -STRENGTH[b])
    return {
        "sources": json.dumps([s.model_dump(mode="json") for s in sources], ensure_ascii=False),
        "citations": list(dict.fromkeys(s.citation for s in sources)),
        "bases": bases,
        "basis": record_basis(record),
    }


def organization_properties(org: Organization) -> dict[str, Any]:
    """The node properties of an organisation; a field not given is ``None``."""
    properties = org.model_dump(mode="json", exclude={"id", "sources"})
    properties.update(_evidence(org))
    keys = org.search_keys()
    properties["search_keys"] = keys
    properties["sort_key"] = keys[0]  # the folded name, first of the keys: folded once
    return properties


def relationship_properties(rel: Relationship) -> dict[str, Any]:
    """The properties of a tie (its id, type and ends are the tie itself); unset is ``None``."""
    properties = rel.model_dump(mode="json", exclude={"id", "type", "source", "target", "sources"})
    properties.update(_evidence(rel))
    return properties


def _record_data(properties: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in properties.items() if k not in DERIVED}
    data["sources"] = json.loads(data["sources"])
    return data


def read_organization(properties: dict[str, Any]) -> Organization:
    """The organisation a node's properties (with ``id``) describe."""
    return Organization.model_validate(_record_data(properties))


def read_relationship(properties: dict[str, Any]) -> Relationship:
    """The relationship a tie's properties (with its id, type and ends) describe."""
    return Relationship.model_validate(_record_data(properties))
