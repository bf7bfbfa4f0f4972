"""Revert a record to an earlier version from its audit trail, as an audited edit of its own.

The version a revert restores is the record as a change of the trail left it (the change's
``after``). The revert is an ordinary edit under the action ``revert to change N``: it
replaces the record, or puts it back if it was deleted since, with the same preconditions as
any write (``If-Match`` if given, else the version read just before), so it never overwrites
a change it did not see, and it can itself be reverted.
"""

from __future__ import annotations

from app.curation.records import Record, Tags, read, retrying, validate
from app.domain.edits import Change, Edit, Expect, Kind, etag
from app.domain.errors import Conflict, InvalidData, NotFound, PreconditionFailed, Problem
from app.domain.models import Organization
from app.store.protocol import ChangeFilter, GraphStore

TRAIL_PAGE = 500
"""Audit entries read at a time while looking for the change to revert to."""


def trail_entry(store: GraphStore, kind: Kind, record_id: str, seq: int) -> Change:
    """The change numbered ``seq`` of this record's trail (``NotFound`` if it has none)."""
    where = ChangeFilter(entity=kind, id=record_id)
    offset = 0
    while True:
        page = store.changes(where, offset, TRAIL_PAGE)
        for change in page.items:
            if change.seq == seq:
                return change
        offset += TRAIL_PAGE
        if offset >= page.total:
            raise NotFound(f"change of {kind} '{record_id}'", str(seq))


def revert(
    store: GraphStore, kind: Kind, record_id: str, seq: int, actor: str, if_match: Tags
) -> Record:
    """Make the record what change ``seq`` of its trail left it; the restored record."""
    change = trail_entry(store, kind, record_id, seq)
    if change.after is None:
        problem = Problem(
            f"{kind} '{record_id}'",
            "change",
            f"change {seq} deleted the record, so there is no version to go back to; "
            "choose a change that left it in place",
        )
        raise InvalidData([problem])
    restored = validate(kind, record_id, change.after)
    return retrying(lambda: _revert_once(store, kind, restored, seq, actor, if_match), if_match)


def _revert_once(
    store: GraphStore, kind: Kind, restored: Record, seq: int, actor: str, if_match: Tags
) -> Record:
    try:
        current: Record | None = read(store, kind, restored.id)
    except NotFound:
        current = None
    if current is None:
        if if_match is not None:  # RFC 9110: If-Match is false for a missing record
            raise PreconditionFailed(kind, restored.id, None)
        expect = Expect(kind, restored.id, absent=True)
    else:
        tag = etag(current)
        if if_match is not None and tag not in if_match:
            raise PreconditionFailed(kind, restored.id, tag)
        if current == restored:
            raise Conflict(f"{kind} '{restored.id}' is already as change {seq} left it")
        expect = Expect(kind, restored.id, {tag})
    action = f"revert to change {seq}"
    if isinstance(restored, Organization):
        edit = Edit(actor, action, organizations=(restored,), expect=(expect,))
    else:
        edit = Edit(actor, action, relationships=(restored,), expect=(expect,))
    store.apply(edit)
    return restored
