"""Create, replace, patch and delete one organisation or relationship, as an audited edit.

Each function turns one request into an ``Edit`` with the preconditions that make it safe:
a create must find the id free, and a write given an ETag (``If-Match``) must find the record
unchanged. A patch without an ETag is re-read and retried if another edit slips in between,
so it never overwrites a change it did not see.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from app.domain.documents import validation_problems
from app.domain.edits import Edit, Expect, Kind, etag
from app.domain.errors import InvalidData, NotFound, PreconditionFailed, Problem
from app.domain.models import Organization, Relationship
from app.store.protocol import GraphStore, LoadReport

T = TypeVar("T")
Tags = Collection[str] | None
"""The ETags an ``If-Match`` header lists (any may match), or ``None`` when it was not sent."""
Record = Organization | Relationship
RETRIES = 12
"""How often an unconditional patch is re-read and retried when a concurrent edit wins.

Each retry waits a random moment that grows with the attempts, so that writers racing for
one record spread out instead of colliding again (as in exponential backoff with jitter).
"""


def _model(kind: Kind) -> type[Organization] | type[Relationship]:
    return Organization if kind == "organization" else Relationship


def read(store: GraphStore, kind: Kind, record_id: str) -> Record:
    """The stored record of this kind and id (``NotFound`` if there is none)."""
    if kind == "organization":
        return store.get_organization(record_id)
    return store.get_relationship(record_id)


def validate(kind: Kind, record_id: str, data: Mapping[str, Any]) -> Record:
    """``data`` as a record of ``kind``, or ``InvalidData`` naming each field and the rule."""
    try:
        return _model(kind).model_validate(dict(data))
    except ValidationError as error:
        name = f"{kind} '{record_id}'"
        raise InvalidData(
            validation_problems(error, lambda loc: (name, ".".join(map(str, loc)) or "(record)"))
        ) from None


def _same_id(kind: Kind, record_id: str, record: Record) -> None:
    if record.id != record_id:
        problem = Problem(
            f"{kind} '{record_id}'",
            "id",
            f"the body's id '{record.id}' differs from the id in the path; ids never change "
            "(merge organisations instead)",
        )
        raise InvalidData([problem])


def _put(edit: Edit, record: Record) -> Edit:
    if isinstance(record, Organization):
        return dataclasses.replace(edit, organizations=(record,))
    return dataclasses.replace(edit, relationships=(record,))


def create(store: GraphStore, kind: Kind, record: Record, actor: str) -> Record:
    """Insert a new record; ``Conflict`` if its id is taken."""
    edit = Edit(actor=actor, action="create", expect=(Expect(kind, record.id, absent=True),))
    store.apply(_put(edit, record))
    return record


def replace(
    store: GraphStore, kind: Kind, record_id: str, record: Record, actor: str, if_match: Tags
) -> Record:
    """Replace a stored record whole (PUT); it must exist, unchanged if ``if_match`` is given."""
    _same_id(kind, record_id, record)
    edit = Edit(actor=actor, action="replace", expect=(Expect(kind, record_id, if_match),))
    store.apply(_put(edit, record))
    return record


def patch(
    store: GraphStore,
    kind: Kind,
    record_id: str,
    fields: Mapping[str, Any],
    actor: str,
    if_match: Tags,
) -> Record:
    """Change the given fields of a stored record (a JSON merge patch, RFC 7396, one level).

    A field set to ``null`` returns to its default. With ``if_match`` the record must be the
    one the client read (a missing one fails the precondition, as for PUT and DELETE); without
    it, the patch applies to the latest version.
    """
    return retrying(lambda: _patch_once(store, kind, record_id, fields, actor, if_match), if_match)


def _patch_once(
    store: GraphStore,
    kind: Kind,
    record_id: str,
    fields: Mapping[str, Any],
    actor: str,
    if_match: Tags,
) -> Record:
    try:
        current = read(store, kind, record_id)
    except NotFound:
        if if_match is not None:  # RFC 9110: If-Match is false for a missing record, as in PUT
            raise PreconditionFailed(kind, record_id, None) from None
        raise
    tag = etag(current)
    if if_match is not None and tag not in if_match:
        raise PreconditionFailed(kind, record_id, tag)
    data = current.model_dump(mode="json", exclude_none=True)
    for name, value in fields.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    record = validate(kind, record_id, data)
    _same_id(kind, record_id, record)
    edit = Edit(actor=actor, action="update", expect=(Expect(kind, record_id, {tag}),))
    store.apply(_put(edit, record))
    return record


def delete(
    store: GraphStore,
    kind: Kind,
    record_id: str,
    actor: str,
    if_match: Tags,
    cascade: bool = False,
) -> LoadReport:
    """Delete a record; an organisation with ties only with ``cascade`` (which deletes them)."""
    expect = (Expect(kind, record_id, if_match),)
    if kind == "organization":
        edit = Edit(
            actor, "delete", delete_organizations=(record_id,), cascade=cascade, expect=expect
        )
    else:
        edit = Edit(actor, "delete", delete_relationships=(record_id,), expect=expect)
    return store.apply(edit)


def retrying(attempt: Callable[[], T], if_match: Tags) -> T:
    """Run ``attempt``; when no ETag was given, retry it if a concurrent edit won the race."""
    for tries in range(1, RETRIES):
        try:
            return attempt()
        except PreconditionFailed:
            if if_match is not None:
                raise
        time.sleep(random.uniform(0, 0.005 * 2 ** min(tries, 6)))  # noqa: S311 (not crypto)
    return attempt()
