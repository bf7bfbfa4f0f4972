"""The embedded GraphStore: a networkx graph in memory, kept durable by ``disk.Disk``.

Every read first compares the graph version on disk with the one in memory and rebuilds
the in-memory graph when another process (or this one) has written since. No server and
no ``neo4j`` package are needed.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Literal, TypeVar

import networkx as nx

from app.domain.edits import Change, Edit
from app.domain.errors import NotFound
from app.domain.imports import Decision, ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Document, Organization, Relationship
from app.domain.text import fold
from app.domain.vocabulary import vocabulary
from app.store.disk import Disk, Writer
from app.store.loading import DocumentLoads
from app.store.planning import Plan, plan_edit
from app.store.protocol import (
    ChangeFilter,
    Changes,
    Counted,
    Counts,
    Direction,
    LoadReport,
    OrganizationFilter,
    Page,
    Progress,
    RelationshipFilter,
    Subgraph,
    sum_changes,
)
from app.store.routes import route_graph

BATCH = 1000
"""Records written between two progress reports."""
R = TypeVar("R", Organization, Relationship)
_BY_ID, _TARGET, _SOURCE = attrgetter("id"), attrgetter("target"), attrgetter("source")
ByType = dict[str, tuple[Relationship, ...]]
"""Some relationships grouped by type, each group ordered by id."""


def _rel_matches(rel: Relationship, where: RelationshipFilter) -> bool:
    return (
        (where.type is None or rel.type == where.type)
        and (where.source is None or rel.source == where.source)
        and (where.target is None or rel.target == where.target)
    )


def _in_batches(
    records: Sequence[R], write: Callable[[Sequence[R]], None], progress: Progress | None
) -> None:
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        write(batch)
        if progress:
            progress(len(batch))


def _grouped(rels: Iterable[Relationship]) -> ByType:
    """``rels`` by type, each group ordered by id."""
    groups: dict[str, list[Relationship]] = {}
    for rel in sorted(rels, key=_BY_ID):
        groups.setdefault(rel.type, []).append(rel)
    return {rel_type: tuple(group) for rel_type, group in groups.items()}


def _by_end(rels: Iterable[Relationship], end: Callable[[Relationship], str]) -> dict[str, ByType]:
    """``rels`` by the organisation at one ``end`` of them, then by type."""
    ends: dict[str, list[Relationship]] = {}
    for rel in rels:
        ends.setdefault(end(rel), []).append(rel)
    return {node: _grouped(group) for node, group in ends.items()}


def _moved(
    index: dict[str, ByType],
    old: Sequence[Relationship],
    new: Sequence[Relationship],
    end: Callable[[Relationship], str],
) -> dict[str, ByType]:
    """``index`` (by ``end``) with ``old`` taken out and ``new`` put in; only the entries of
    their ends are rebuilt, the others are shared with ``index``."""
    moved = dict(index)
    dropped = {r.id for r in old}
    added = _by_end(new, end)
    for node in {end(r) for r in old} | added.keys():
        kept = [r for group in moved.get(node, {}).values() for r in group if r.id not in dropped]
        fresh = [r for group in added.get(node, {}).values() for r in group]
        moved[node] = _grouped([*kept, *fresh])
    return moved


@dataclass(frozen=True)
class _Ties:
    """Every organisation's relationships by direction, then type: the index of ``adjacent``."""

    into: dict[str, ByType]
    """By target."""
    out_of: dict[str, ByType]
    """By source."""

    @classmethod
    def of(cls, rels: Sequence[Relationship]) -> _Ties:
        """The index of ``rels``."""
        return cls(_by_end(rels, _TARGET), _by_end(rels, _SOURCE))

    def changed(
        self, old: Sequence[Relationship], new: Sequence[Relationship], gone: Iterable[str]
    ) -> _Ties:
        """This index with ``old`` relationships taken out, ``new`` ones put in and the
        organisations ``gone`` (whose relationships are among ``old``) dropped."""
        into, out_of = _moved(self.into, old, new, _TARGET), _moved(self.out_of, old, new, _SOURCE)
        for org_id in gone:
            into.pop(org_id, None)
            out_of.pop(org_id, None)
        return _Ties(into, out_of)

    def around(self, organization_ids: Iterable[str], types: frozenset[str]) -> list[Relationship]:
        """The ties of ``types`` with an end among these organisations, in no set order, a tie
        with both ends among them twice: what a search that skips ties back into its own
        layer needs, without the sort and the check of ``adjacent``."""
        found: list[Relationship] = []
        for node in organization_ids:
            for index in (self.into, self.out_of):
                for rel_type, group in index.get(node, {}).items():
                    if rel_type in types:
                        found += group
        return found


def _write(writer: Writer, plan: Plan, edit: Edit, progress: Progress | None) -> None:
    """Carry out a plan inside the writer's transaction, with its audit entries."""
    writer.delete_relationships(plan.delete_relationships)
    writer.delete_organizations(plan.delete_organizations)
    _in_batches(plan.put_organizations, writer.put_organizations, progress)
    _in_batches(plan.put_relationships, writer.put_relationships, progress)
    writer.add_changes(plan.entries, datetime.now(UTC), edit.actor, edit.action)


@dataclass(frozen=True)
class _Snapshot:
    """One version of the graph, never changed once built, so readers need no lock."""

    version: int
    graph: nx.MultiDiGraph
    orgs: dict[str, Organization]
    rels: dict[str, Relationship]
    ties: _Ties

    def org(self, organization_id: str) -> Organization:
        try:
            return self.orgs[organization_id]
        except KeyError:
            raise NotFound("organization", organization_id) from None

    def patched(self, plan: Plan, version: int) -> _Snapshot:
        """This graph with a plan's writes made: a new snapshot, this one left as it is.

        Cheaper than reading every record back from disk after this process's own write.
        """
        orgs, rels = dict(self.orgs), dict(self.rels)
        graph = self.graph.copy()
        old: list[Relationship] = []
        for rel_id in plan.delete_relationships:
            gone = rels.pop(rel_id)
            old.append(gone)
            graph.remove_edge(gone.source, gone.target, key=rel_id)
        for rel in plan.put_relationships:
            replaced = rels.get(rel.id)
            if replaced is not None:
                old.append(replaced)
                graph.remove_edge(replaced.source, replaced.target, key=rel.id)
        for org_id in plan.delete_organizations:
            del orgs[org_id]
            graph.remove_node(org_id)
        for org in plan.put_organizations:
            orgs[org.id] = org
            graph.add_node(org.id)
        for rel in plan.put_relationships:
            rels[rel.id] = rel
            graph.add_edge(rel.source, rel.target, key=rel.id)
        ties = self.ties.changed(old, plan.put_relationships, plan.delete_organizations)
        return _Snapshot(version, graph, orgs, rels, ties)


class MemoryStore(DocumentLoads):
    """A GraphStore on networkx, durable in ``data_dir``; see ``GraphStore`` for the spec."""

    def __init__(self, data_dir: Path) -> None:
        self._disk = Disk(data_dir)
        self.init_schema()
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._pending: int | None = None
        """The version this process's write in progress commits, until its graph is patched."""
        self._snapshot = _Snapshot(-1, nx.MultiDiGraph(), {}, {}, _Ties({}, {}))

    def describe(self) -> str:
        return f"memory (networkx) at {self._disk.path}"

    def init_schema(self) -> None:
        with self._disk.writing() as writer:
            writer.set_schema_version(vocabulary().schema_version)

    def schema_version(self) -> int | None:
        return self._disk.meta("schema_version")

    def ping(self) -> None:
        self._disk.version()

    def version(self) -> int:
        # The version of the graph reads see, which lags the disk's only while this process
        # patches its own write in, so that caches keyed by it never hold older records.
        return self._fresh().version

    def version_nowait(self) -> int | None:
        # What version() would answer, if that needs no wait: no rebuild due, nothing held.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            version = self._disk.version_nowait()
            if version is None or version not in (self._snapshot.version, self._pending):
                return None
            return self._snapshot.version
        finally:
            self._lock.release()

    def _fresh(self) -> _Snapshot:
        """The in-memory graph, rebuilt first if the disk holds a newer version than this
        process's own write in progress, which patches the graph itself (a read made while it
        does so sees the graph before that write, as any read concurrent with a write may)."""
        with self._lock:
            version = self._disk.version()
            if version not in (self._snapshot.version, self._pending):
                version, orgs, rels = self._disk.read_all()
                graph = nx.MultiDiGraph()
                graph.add_nodes_from(o.id for o in orgs)
                graph.add_edges_from((r.source, r.target, r.id) for r in rels)
                self._snapshot = _Snapshot(
                    version,
                    graph,
                    {o.id: o for o in orgs},
                    {r.id: r for r in rels},
                    _Ties.of(rels),
                )
            return self._snapshot

    def apply(
        self, edit: Edit, progress: Progress | None = None, dry_run: bool = False
    ) -> LoadReport:
        # This process's writes patch the graph in the order they commit: were two to patch
        # out of order, the graph would fall behind the disk and the next read would rebuild
        # it whole, holding up every reader meanwhile.
        with self._writing:
            try:
                with self._disk.writing() as writer:
                    start = writer.version()
                    plan = plan_edit(edit, writer)
                    if dry_run or not plan.writes:
                        return plan.report
                    _write(writer, plan, edit, progress)
                    version = writer.bump_version()
                    self._pending = version
                current = self._snapshot
                if current.version == start:
                    patched = current.patched(plan, version)  # readers go on meanwhile
                    with self._lock:
                        if self._snapshot is current:
                            self._snapshot = patched
            finally:
                self._pending = None
        return plan.report

    def apply_parts(self, edits: Iterable[Edit], progress: Progress | None = None) -> LoadReport:
        """Stream the edits through one transaction; the graph is re-read on the next read."""
        reports = []
        with self._disk.writing() as writer:
            for edit in edits:
                plan = plan_edit(edit, writer)
                if plan.writes:
                    _write(writer, plan, edit, progress)
                reports.append(plan.report)
            if any(r.organizations != Changes() or r.relationships != Changes() for r in reports):
                writer.bump_version()
        return LoadReport(
            organizations=sum_changes(r.organizations for r in reports),
            relationships=sum_changes(r.relationships for r in reports),
        )

    def changes(self, where: ChangeFilter, offset: int, limit: int) -> Page[Change]:
        return self._disk.changes(where, offset, limit)

    def add_key(self, key: ApiKey) -> None:
        with self._disk.writing() as writer:
            writer.put_key(key, new=True)

    def find_key(self, key_id: str) -> ApiKey | None:
        return self._disk.key(key_id)

    def list_keys(self) -> list[ApiKey]:
        return self._disk.keys()

    def revoke_key(self, name: str, at: datetime) -> ApiKey:
        with self._disk.writing() as writer:
            key = writer.key_named(name)
            if key is None:
                raise NotFound("API key", name)
            if key.revoked is None:
                key = key.model_copy(update={"revoked": at})
                writer.put_key(key, new=False)
            return key

    def add_import(self, record: ImportRecord) -> None:
        with self._disk.writing() as writer:
            writer.put_import(record, new=True)

    def get_import(self, import_id: str) -> ImportRecord:
        record = self._disk.import_record(import_id)
        if record is None:
            raise NotFound("import", import_id)
        return record

    def list_imports(self, offset: int, limit: int) -> Page[ImportRecord]:
        return self._disk.imports(offset, limit)

    def decide_candidate(
        self,
        import_id: str,
        candidate_id: str,
        decision: Decision,
        actor: str,
        at: datetime,
        expected: Decision,
    ) -> ImportRecord:
        with self._disk.writing() as writer:
            record = writer.import_record(import_id)
            if record is None:
                raise NotFound("import", import_id)
            record = record.decide(candidate_id, decision, actor, at, expected)
            writer.put_import(record, new=False)
            return record

    def get_organization(self, organization_id: str) -> Organization:
        return self._fresh().org(organization_id)

    def get_relationship(self, relationship_id: str) -> Relationship:
        try:
            return self._fresh().rels[relationship_id]
        except KeyError:
            raise NotFound("relationship", relationship_id) from None

    def get_organizations(self, organization_ids: Collection[str]) -> list[Organization]:
        snap = self._fresh()
        return [snap.orgs[i] for i in sorted(set(organization_ids)) if i in snap.orgs]

    def adjacent(
        self, organization_ids: Collection[str], types: Collection[str], direction: Direction
    ) -> list[Relationship]:
        # Only the groups of the wanted direction and types are read; each is in id order, so
        # the sort merges runs. With both ends asked for, a tie is taken from its source.
        snap = self._fresh()
        wanted, nodes = frozenset(types), set(organization_ids)
        found: list[Relationship] = []
        into, out_of = snap.ties.into, snap.ties.out_of
        for node in nodes:
            if direction != "out":
                for rel_type, group in into.get(node, {}).items():
                    if rel_type in wanted:
                        found += (
                            group
                            if direction == "in"
                            else [r for r in group if r.source not in nodes]
                        )
            if direction != "in":
                for rel_type, group in out_of.get(node, {}).items():
                    if rel_type in wanted:
                        found += group
        found.sort(key=_BY_ID)
        return found

    def reach(
        self,
        organization_id: str,
        types: Collection[str],
        direction: Literal["in", "out"],
        depth: int,
    ) -> Subgraph:
        snap = self._fresh()
        snap.org(organization_id)
        index = snap.ties.into if direction == "in" else snap.ties.out_of
        far = _SOURCE if direction == "in" else _TARGET
        wanted = frozenset(types)
        hops = {organization_id: 0}
        ties: list[Relationship] = []
        frontier = [organization_id]
        for hop in range(1, depth + 1):
            layer: list[str] = []
            for node in frontier:
                for rel_type, group in index.get(node, {}).items():
                    if rel_type in wanted:
                        ties += group
                        layer += (far(r) for r in group)
            frontier = [o for o in dict.fromkeys(layer) if o not in hops]
            hops.update((o, hop) for o in frontier)
        ties.sort(key=_BY_ID)
        return Subgraph(
            organizations=[snap.orgs[i] for i in sorted(hops)],
            relationships=ties,
            distances=dict(sorted(hops.items())),
        )

    def routes(
        self,
        start: str,
        end: str,
        types: Collection[str],
        max_depth: int,
        tie_counts: Counted[Relationship],
        organization_counts: Counted[Organization],
    ) -> Subgraph:
        snap = self._fresh()
        last, first = snap.org(end), snap.org(start)
        wanted = frozenset(types)
        return route_graph(
            first,
            last,
            max_depth,
            lambda ids: snap.ties.around(ids, wanted),
            lambda ids: [snap.orgs[i] for i in ids if i in snap.orgs],
            tie_counts,
            organization_counts,
        )

    def list_organizations(
        self, where: OrganizationFilter, offset: int, limit: int
    ) -> Page[Organization]:
        snap = self._fresh()
        hits = sorted(
            (o for o in snap.orgs.values() if where.matches(o)),
            key=lambda o: (fold(o.name), o.id),
        )
        return Page.of(hits, offset, limit)

    def list_relationships(
        self, where: RelationshipFilter, offset: int, limit: int
    ) -> Page[Relationship]:
        snap = self._fresh()
        hits = [snap.rels[k] for k in sorted(snap.rels) if _rel_matches(snap.rels[k], where)]
        return Page.of(hits, offset, limit)

    def ego_network(self, organization_id: str, depth: int) -> Subgraph:
        snap = self._fresh()
        snap.org(organization_id)
        reach = {organization_id: 0}
        frontier = [organization_id]
        for hop in range(1, depth + 1):
            found = [
                other
                for node in frontier
                for other in chain(snap.graph.successors(node), snap.graph.predecessors(node))
                if other not in reach
            ]
            frontier = list(dict.fromkeys(found))
            reach.update((other, hop) for other in frontier)
        keys = sorted(k for _, _, k in snap.graph.subgraph(reach).edges(keys=True))
        return Subgraph(
            organizations=[snap.orgs[i] for i in sorted(reach)],
            relationships=[snap.rels[k] for k in keys],
            distances=dict(sorted(reach.items())),
        )

    def export(self) -> Document:
        snap = self._fresh()
        return Document(
            organizations=[snap.orgs[i] for i in sorted(snap.orgs)],
            relationships=[snap.rels[k] for k in sorted(snap.rels)],
        )

    def counts(self) -> Counts:
        snap = self._fresh()
        return Counts(
            organizations=len(snap.orgs),
            relationships=len(snap.rels),
            organization_types=dict(sorted(Counter(o.type for o in snap.orgs.values()).items())),
            relationship_types=dict(sorted(Counter(r.type for r in snap.rels.values()).items())),
            version=snap.version,
        )

    def clear(self) -> None:
        with self._disk.writing() as writer:
            writer.clear()
            writer.bump_version()

    def close(self) -> None:
        self._disk.close()
