"""How an edit becomes writes, worked out once for every backend from what is stored now.

A backend opens a write transaction, hands :func:`plan_edit` a :class:`StoredView` bound to
it, and performs the plan it gets back. Every refusal (bad references, broken type rules,
stale ETags, ties left dangling by a delete) is raised here, before anything is written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from app.domain.documents import check_records
from app.domain.edits import Edit, Entity, Expect, Kind, etag
from app.domain.errors import Conflict, InvalidData, NotFound, PreconditionFailed
from app.domain.models import Organization, Relationship
from app.store.protocol import Changes, LoadReport


class StoredView(Protocol):
    """Reads of the records stored now, inside the write transaction that applies an edit."""

    def organizations(self, ids: Collection[str]) -> dict[str, Organization]:
        """The stored organisations among ``ids``."""
        ...

    def organization_types(self, ids: Collection[str]) -> dict[str, str]:
        """The type of each stored organisation among ``ids`` (the ends of a load's ties need
        no more: reading whole records was a fifth of a large load)."""
        ...

    def relationships(self, ids: Collection[str]) -> dict[str, Relationship]:
        """The stored relationships among ``ids``."""
        ...

    def attached(self, organization_ids: Collection[str]) -> list[Relationship]:
        """Stored relationships with either end among ``organization_ids``."""
        ...


class EmptyView:
    """The :class:`StoredView` of a store that holds no record: every lookup finds nothing,
    without asking the store. Sound only while nothing can be added before the edit commits
    (a backend's write lock, or a database no server is running on)."""

    def organizations(self, ids: Collection[str]) -> dict[str, Organization]:
        """No organisation is stored."""
        return {}

    def organization_types(self, ids: Collection[str]) -> dict[str, str]:
        """No organisation is stored."""
        return {}

    def relationships(self, ids: Collection[str]) -> dict[str, Relationship]:
        """No relationship is stored."""
        return {}

    def attached(self, organization_ids: Collection[str]) -> list[Relationship]:
        """No relationship is stored."""
        return []


@dataclass(frozen=True)
class Entry:
    """One audit-trail entry before the store numbers and dates it; values as record JSON."""

    entity: Entity
    id: str
    change: Literal["created", "updated", "deleted"]
    before: str | None
    after: str | None


@dataclass
class Plan:
    """The writes that carry out an edit, the trail entries they leave, and the counts."""

    put_organizations: list[Organization] = field(default_factory=list)
    put_relationships: list[Relationship] = field(default_factory=list)
    delete_organizations: list[str] = field(default_factory=list)
    delete_relationships: list[str] = field(default_factory=list)
    stored_relationships: dict[str, Relationship] = field(default_factory=dict)
    """The stored versions of the relationships the plan deletes or rewrites."""
    entries: list[Entry] = field(default_factory=list)
    report: LoadReport = field(default_factory=lambda: LoadReport(Changes(), Changes()))

    @property
    def writes(self) -> bool:
        """Whether the plan changes anything at all."""
        return bool(self.entries)


def _dump(record: Organization | Relationship | None) -> str | None:
    return None if record is None else record.model_dump_json()


def _check_expectations(
    expectations: Sequence[Expect],
    orgs: Mapping[str, Organization],
    rels: Mapping[str, Relationship],
) -> None:
    for expect in expectations:
        stored = (orgs if expect.kind == "organization" else rels).get(expect.id)
        if expect.absent:
            if stored is not None:
                raise Conflict(f"{expect.kind} '{expect.id}' already exists; choose another id")
        elif stored is None:
            if expect.etags is not None:
                raise PreconditionFailed(expect.kind, expect.id, None)
            raise NotFound(expect.kind, expect.id)
        elif expect.etags is not None and etag(stored) not in expect.etags:
            raise PreconditionFailed(expect.kind, expect.id, etag(stored))


def _puts(
    incoming: Sequence[Organization] | Sequence[Relationship],
    stored: Mapping[str, Any],
    kind: Kind,
    entries: list[Entry],
) -> tuple[list[Any], int, int, int]:
    """The records that differ from what is stored, with created/updated/unchanged counts."""
    writes: list[Any] = []
    created = updated = unchanged = 0
    for record in incoming:
        old = stored.get(record.id)
        if old == record:
            unchanged += 1
            continue
        created += old is None
        updated += old is not None
        writes.append(record)
        change: Literal["created", "updated"] = "created" if old is None else "updated"
        entries.append(Entry(kind, record.id, change, _dump(old), _dump(record)))
    return writes, created, updated, unchanged


def _dangling(
    edit: Edit,
    deleted_orgs: set[str],
    attached: Sequence[Relationship],
    replaced: set[str],
) -> list[Relationship]:
    """Stored ties of deleted organisations that the edit neither deletes nor re-points."""
    deleted_rels = set(edit.delete_relationships)
    return [
        rel
        for rel in attached
        if rel.id not in deleted_rels
        and rel.id not in replaced
        and {rel.source, rel.target} & deleted_orgs
    ]


def _refuse_dangling(dangling: Sequence[Relationship]) -> None:
    first = sorted(dangling, key=lambda r: r.id)[0]
    ids = sorted({r.id for r in dangling})
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    raise Conflict(
        f"cannot delete an organisation that still has {len(ids)} relationship(s) "
        f"({shown}; e.g. {first.source} {first.type} {first.target}); delete them first, "
        "or ask to cascade (admins only)"
    )


def _retyped_rule_problems(
    edit: Edit, stored: Mapping[str, Organization], attached: Sequence[Relationship]
) -> list[Any]:
    """Type-rule problems of untouched ties whose organisation changes type in this edit."""
    put_rels = {r.id for r in edit.relationships}
    kept = [r for r in attached if r.id not in put_rels and r.id not in edit.delete_relationships]
    if not kept:
        return []
    types = {o.id: o.type for o in stored.values()}
    types.update((o.id, o.type) for o in edit.organizations)
    return check_records([], kept, types)


def plan_edit(edit: Edit, view: StoredView) -> Plan:
    """Check ``edit`` against the stored records and return the writes that carry it out.

    Raises ``InvalidData`` (every problem: references, type rules, duplicate ids),
    ``NotFound``, ``Conflict`` (an id taken, ties a delete would leave dangling) or
    ``PreconditionFailed`` (a stale ETag); the caller then writes nothing.
    """
    put_org_ids = {o.id for o in edit.organizations}
    ends = {end for r in edit.relationships for end in (r.source, r.target)}
    wanted_orgs = (
        put_org_ids
        | set(edit.delete_organizations)
        | {e.id for e in edit.expect if e.kind == "organization"}
    )
    wanted_rels = (
        {r.id for r in edit.relationships}
        | set(edit.delete_relationships)
        | {e.id for e in edit.expect if e.kind == "relationship"}
    )
    orgs = view.organizations(wanted_orgs)
    rels = view.relationships(wanted_rels)
    _check_expectations(edit.expect, orgs, rels)

    deleted_orgs = {i for i in edit.delete_organizations if i in orgs} - put_org_ids
    retyped = {o.id for o in edit.organizations if o.id in orgs and orgs[o.id].type != o.type}
    attached = view.attached(deleted_orgs | retyped) if deleted_orgs or retyped else []
    far_ends = {end for r in attached for end in (r.source, r.target)} - orgs.keys()
    if far_ends:
        orgs.update(view.organizations(far_ends))
    known_types = view.organization_types(ends - orgs.keys()) if ends - orgs.keys() else {}
    known_types.update((i, o.type) for i, o in orgs.items())
    for gone in deleted_orgs:
        known_types.pop(gone, None)
    problems = check_records(edit.organizations, edit.relationships, known_types)
    problems += _retyped_rule_problems(
        edit, orgs, [r for r in attached if {r.source, r.target} & retyped]
    )
    if problems:
        raise InvalidData(problems)

    replaced = {r.id for r in edit.relationships}
    dangling = _dangling(edit, deleted_orgs, attached, replaced)
    if dangling and not edit.cascade:
        _refuse_dangling(dangling)
    rels.update((r.id, r) for r in dangling)

    plan = Plan()
    org_entries: list[Entry] = []
    rel_entries: list[Entry] = []
    plan.put_organizations, o_new, o_upd, o_same = _puts(
        edit.organizations, orgs, "organization", org_entries
    )
    plan.put_relationships, r_new, r_upd, r_same = _puts(
        edit.relationships, rels, "relationship", rel_entries
    )
    doomed_rels = sorted(
        ({i for i in edit.delete_relationships if i in rels} | {r.id for r in dangling}) - replaced
    )
    plan.delete_relationships = doomed_rels
    replaced_now = [r.id for r in plan.put_relationships if r.id in rels]
    plan.stored_relationships = {i: rels[i] for i in [*doomed_rels, *replaced_now]}
    plan.delete_organizations = sorted(deleted_orgs)
    rel_entries += [Entry("relationship", i, "deleted", _dump(rels[i]), None) for i in doomed_rels]
    org_entries += [
        Entry("organization", i, "deleted", _dump(orgs[i]), None) for i in sorted(deleted_orgs)
    ]
    plan.entries = org_entries + rel_entries
    plan.report = LoadReport(
        organizations=Changes(o_new, o_upd, o_same, len(deleted_orgs)),
        relationships=Changes(r_new, r_upd, r_same, len(doomed_rels)),
    )
    return plan
