"""Carrying out a merge: read both organisations and their ties, plan, apply as one edit.

The edit expects every record it read to be unchanged when it commits, so a merge never
overwrites a concurrent edit; without an ETag from the client it re-reads and tries again.
"""

from __future__ import annotations

from app.curation.merge import plan_merge
from app.curation.records import Tags, retrying
from app.domain.edits import Edit, Expect, etag
from app.domain.errors import PreconditionFailed
from app.domain.models import Organization
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore


def merge(
    store: GraphStore, keep_id: str, drop_id: str, actor: str, if_match: Tags = None
) -> Organization:
    """Merge organisation ``drop_id`` into ``keep_id`` and return the organisation that stays.

    ``if_match``, if given, lists the ETags the client accepts for the dropped organisation.
    """
    return retrying(lambda: _merge_once(store, keep_id, drop_id, actor, if_match), if_match)


def _merge_once(
    store: GraphStore, keep_id: str, drop_id: str, actor: str, if_match: Tags
) -> Organization:
    keep, drop = store.get_organization(keep_id), store.get_organization(drop_id)
    if if_match is not None and etag(drop) not in if_match:
        raise PreconditionFailed("organization", drop_id, etag(drop))
    ties = store.adjacent([keep_id, drop_id], vocabulary().relationship_types, "both")
    plan = plan_merge(keep, drop, ties)
    expect = (
        Expect("organization", keep_id, {etag(keep)}),
        Expect("organization", drop_id, {etag(drop)}),
        *(Expect("relationship", tie.id, {etag(tie)}) for tie in ties),
    )
    store.apply(
        Edit(
            actor=actor,
            action=f"merge {drop_id} into {keep_id}",
            organizations=(plan.organization,),
            relationships=tuple(plan.put_relationships),
            delete_organizations=(plan.delete_organization,),
            delete_relationships=tuple(plan.delete_relationships),
            expect=expect,
        )
    )
    return plan.organization
