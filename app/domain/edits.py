"""Edits of the graph and the audit trail they leave: what every curated write is made of.

An :class:`Edit` is one atomic change (records to put, ids to delete, preconditions on what
is stored now); a store applies it whole or not at all and records one :class:`Change` per
record it touched. ETags are hashes of a record's content, so both backends agree on them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from app.domain.models import Document, Organization, Relationship

Kind = Literal["organization", "relationship"]
KINDS: tuple[Kind, ...] = ("organization", "relationship")
Entity = Literal["organization", "relationship", "view", "story"]
"""What an audit entry is about: a record, or a saved view or story."""
ENTITIES: tuple[Entity, ...] = (*KINDS, "view", "story")


def etag(record: Organization | Relationship) -> str:
    """A strong entity tag of a record: a hash of its canonical JSON (RFC 9110, section 8.8.3).

    Equal records have equal tags on every backend, so a client can send back what it read.
    """
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()[:32]


def timestamp(moment: datetime) -> str:
    """A UTC instant as fixed-width ISO 8601 text, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Expect:
    """A precondition: the record must exist (with one of ``etags``, if given), or be absent.

    ``etags`` is what an ``If-Match`` header lists (RFC 9110, section 13.1.1): the write goes
    ahead if the stored record has any of them.
    """

    kind: Kind
    id: str
    etags: Collection[str] | None = None
    absent: bool = False


@dataclass(frozen=True)
class Edit:
    """One atomic change of the graph, made by ``actor`` and recorded under ``action``.

    Records are inserted or replaced by id; deletions name ids. Deleting an organisation that
    still has relationships is refused unless ``cascade`` is set, which deletes them too.
    """

    actor: str
    action: str
    organizations: tuple[Organization, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    delete_organizations: tuple[str, ...] = ()
    delete_relationships: tuple[str, ...] = ()
    cascade: bool = False
    expect: tuple[Expect, ...] = ()

    @classmethod
    def of_document(cls, document: Document, actor: str, action: str) -> Edit:
        """Put every record of an interchange document (a load or a bulk import)."""
        return cls(
            actor=actor,
            action=action,
            organizations=tuple(document.organizations),
            relationships=tuple(document.relationships),
        )


class Change(BaseModel):
    """One entry of the audit trail: who changed which record, when, and its values around it.

    ``before`` is ``None`` for a created record and ``after`` for a deleted one; both are the
    record's interchange JSON. ``seq`` orders the trail; ``at`` is UTC.
    """

    model_config = ConfigDict(frozen=True)

    seq: int
    at: datetime
    actor: str
    action: str
    entity: Entity
    id: str
    change: Literal["created", "updated", "deleted"]
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
