"""The embedded GraphStore: records durable on disk (``disk.Disk``, SQLite), the graph's
outline in memory.

A million organisations and three million ties would take about ten gigabytes as models in
memory; on disk they are read, a page or a neighbourhood at a time, when asked for. Memory
keeps only what traversals and counts need: ids, types and each organisation's ties by
direction. Every read first compares the graph version on disk with the outline's and
rebuilds the outline when another process has written since. No server and no ``neo4j``
package are needed.
"""

from __future__ import annotations

import sys
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

from app.domain.edits import Change, Edit
from app.domain.errors import NotFound
from app.domain.imports import Decision, ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Document, Organization, Relationship
from app.domain.rejections import RejectedPair
from app.domain.sessions import BrowserSession
from app.domain.stories import PublicationKind
from app.domain.vocabulary import vocabulary
from app.store.disk import Disk, Reader, Writer
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
from app.store.publishing import publication_entry
from app.store.routes import Chart, Neighbours, Steps, first_route, passing, route_graph

BATCH = 1000
"""Records written between two progress reports."""
R = TypeVar("R", Organization, Relationship)
KEPT = 200_000
"""Records of each kind an outline keeps as models once read (about 3 KB each), the ones
used last, so that a neighbourhood read again costs no disk read and no validation; the
default of ``SOLGRAPH_KEPT_RECORDS``."""
HOLE = ""
"""The id and type of a deleted organisation or relationship in an outline (no id is empty)."""
Numbers: TypeAlias = "array[int]"
"""Relationship numbers of one organisation's ties in one direction (C ints, 4 bytes each)."""


def _numbers() -> Numbers:
    return array("i")


def _in_batches(
    records: Sequence[R], write: Callable[[Sequence[R]], None], progress: Progress | None
) -> None:
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        write(batch)
        if progress:
            progress(len(batch))


def _write(writer: Writer, plan: Plan, edit: Edit, progress: Progress | None) -> None:
    """Carry out a plan inside the writer's transaction, with its audit entries."""
    writer.delete_relationships(plan.delete_relationships)
    writer.delete_organizations(plan.delete_organizations)
    _in_batches(plan.put_organizations, writer.put_organizations, progress)
    _in_batches(plan.put_relationships, writer.put_relationships, progress)
    writer.add_changes(plan.entries, datetime.now(UTC), edit.actor, edit.action)


def _kept(
    kept: OrderedDict[str, R],
    read: Callable[[Collection[str]], list[R]],
    ids: Collection[str],
    keep: int,
) -> list[R]:
    """The records among ``ids`` that exist, ordered by id: those in ``kept`` as they are, the
    others read and kept; then the ones used longest ago beyond ``keep`` are let go."""
    wanted = sorted(set(ids))
    missing = [i for i in wanted if i not in kept]
    if missing:
        kept.update((record.id, record) for record in read(missing))
    found = [kept[i] for i in wanted if i in kept]
    for record in found:
        kept.move_to_end(record.id)
    while len(kept) > keep:
        kept.popitem(last=False)
    return found


GREEDY_TRIES = 4
"""First routes searched alone, each without what failed before, before searching for every
route: at 100k, about a quarter of first routes use a tie or an organisation that does not
count now, and a second search alone is cheaper than one for every route."""


@dataclass
class _Outline:
    """The graph without its records, at one version: what traversals and counts need.

    Organisations and relationships are numbered in the order they were met; a deleted one
    leaves a hole (:data:`HOLE` for its id and type). Each organisation keeps the numbers of
    its ties in each direction; each relationship its id, type and the numbers of its two
    ends. Types are interned, so a million ties share a few strings. Changed only under the
    store's lock.
    """

    version: int
    keep: int = KEPT
    """How many models of each kind to keep once read."""
    node: dict[str, int] = field(default_factory=dict)
    """Organisation id -> number."""
    org_ids: list[str] = field(default_factory=list)
    org_types: list[str] = field(default_factory=list)
    into: list[Numbers] = field(default_factory=list)
    """Per organisation, the relationships it is the target of."""
    out_of: list[Numbers] = field(default_factory=list)
    """Per organisation, the relationships it is the source of."""
    rel_ids: list[str] = field(default_factory=list)
    rel_types: list[str] = field(default_factory=list)
    sources: Numbers = field(default_factory=_numbers)
    targets: Numbers = field(default_factory=_numbers)
    org_counts: Counter[str] = field(default_factory=Counter)
    rel_counts: Counter[str] = field(default_factory=Counter)
    kept_orgs: OrderedDict[str, Organization] = field(default_factory=OrderedDict)
    kept_rels: OrderedDict[str, Relationship] = field(default_factory=OrderedDict)
    """Models read at this version, used last at the end (at most ``keep`` of each kind)."""

    @classmethod
    def of(cls, reader: Reader, keep: int) -> _Outline:
        """The outline of what ``reader``'s transaction sees, to keep ``keep`` models."""
        outline = cls(reader.version(), keep)
        for org_id, org_type in reader.organization_rows():
            outline.add_organization(org_id, org_type)
        for rel_id, rel_type, source, target in reader.relationship_rows():
            outline.add_relationship(rel_id, rel_type, source, target)
        return outline

    def add_organization(self, org_id: str, org_type: str) -> None:
        """Put an organisation in, or change the type of one already in."""
        org_type = sys.intern(org_type)
        number = self.node.get(org_id)
        if number is None:
            self.node[org_id] = len(self.org_ids)
            self.org_ids.append(org_id)
            self.org_types.append(org_type)
            self.into.append(_numbers())
            self.out_of.append(_numbers())
        else:
            self.org_counts[self.org_types[number]] -= 1
            self.org_types[number] = org_type
        self.org_counts[org_type] += 1

    def drop_organization(self, org_id: str) -> None:
        """Take out an organisation whose ties are already taken out."""
        number = self.node.pop(org_id)
        self.org_counts[self.org_types[number]] -= 1
        self.org_ids[number] = self.org_types[number] = HOLE

    def add_relationship(self, rel_id: str, rel_type: str, source: str, target: str) -> None:
        """Put in a relationship between two organisations already in."""
        rel_type = sys.intern(rel_type)
        number, start, end = len(self.rel_ids), self.node[source], self.node[target]
        self.rel_ids.append(rel_id)
        self.rel_types.append(rel_type)
        self.sources.append(start)
        self.targets.append(end)
        self.out_of[start].append(number)
        self.into[end].append(number)
        self.rel_counts[rel_type] += 1

    def drop_relationship(self, rel: Relationship) -> None:
        """Take out the stored relationship ``rel`` (found among its source's ties)."""
        start, end = self.node[rel.source], self.node[rel.target]
        number = next(n for n in self.out_of[start] if self.rel_ids[n] == rel.id)
        self.out_of[start].remove(number)
        self.into[end].remove(number)
        self.rel_counts[self.rel_types[number]] -= 1
        self.rel_ids[number] = self.rel_types[number] = HOLE

    def patch(self, plan: Plan, version: int) -> None:
        """Make a plan's writes, now committed as ``version``, in this outline; the models
        kept of the records they change are let go."""
        for org_id in chain(plan.delete_organizations, (o.id for o in plan.put_organizations)):
            self.kept_orgs.pop(org_id, None)
        for rel_id in chain(plan.stored_relationships, (r.id for r in plan.put_relationships)):
            self.kept_rels.pop(rel_id, None)
        for rel in plan.stored_relationships.values():
            self.drop_relationship(rel)
        for org_id in plan.delete_organizations:
            self.drop_organization(org_id)
        for org in plan.put_organizations:
            self.add_organization(org.id, org.type)
        for rel in plan.put_relationships:
            self.add_relationship(rel.id, rel.type, rel.source, rel.target)
        self.version = version

    def ties(
        self, organization_ids: Collection[str], types: Collection[str], way: Direction
    ) -> list[str]:
        """Ids of the relationships of ``types`` with an end among the organisations, as
        ``GraphStore.adjacent`` asks; with both ends asked for, a tie is taken from its source."""
        wanted = frozenset(types)
        nodes = {self.node[i] for i in organization_ids if i in self.node}
        rel_ids, rel_types, sources = self.rel_ids, self.rel_types, self.sources
        found: list[str] = []
        for node in nodes:
            if way != "out":
                found += [
                    rel_ids[n]
                    for n in self.into[node]
                    if rel_types[n] in wanted and (way == "in" or sources[n] not in nodes)
                ]
            if way != "in":
                found += [rel_ids[n] for n in self.out_of[node] if rel_types[n] in wanted]
        return found

    def reach(self, organization_id: str, depth: int) -> dict[int, int]:
        """Every organisation within ``depth`` hops of this one, ties followed either way, by
        number, with its distance in hops (a breadth-first search)."""
        start = self.node[organization_id]
        reach = {start: 0}
        frontier = [start]
        for hop in range(1, depth + 1):
            found: list[int] = []
            for node in frontier:
                ends = chain(
                    (self.targets[n] for n in self.out_of[node]),
                    (self.sources[n] for n in self.into[node]),
                )
                for other in ends:
                    if other not in reach:
                        reach[other] = hop
                        found.append(other)
            frontier = found
        return reach

    def walk(
        self,
        organization_id: str,
        types: Collection[str],
        direction: Literal["in", "out"],
        depth: int,
    ) -> tuple[dict[int, int], list[int]]:
        """What ``GraphStore.reach`` reads, by number: every organisation within ``depth`` ties
        of ``types`` followed against their direction (``in``) or along it (``out``), with its
        hops, and every such tie leading on from one fewer than ``depth`` ties away."""
        wanted = frozenset(types)
        index, far = (self.into, self.sources) if direction == "in" else (self.out_of, self.targets)
        rel_types = self.rel_types
        start = self.node[organization_id]
        hops = {start: 0}
        ties: list[int] = []
        frontier = [start]
        for hop in range(1, depth + 1):
            layer: list[int] = []
            for node in frontier:
                for n in index[node]:
                    if rel_types[n] in wanted:
                        ties.append(n)
                        other = far[n]
                        if other not in hops:
                            hops[other] = hop
                            layer.append(other)
            frontier = layer
        return hops, ties

    def steps(
        self, types: Collection[str], skip_ties: set[int], skip_nodes: set[int]
    ) -> tuple[Neighbours, Steps]:
        """What a route may take (``routes.Neighbours`` and ``routes.Steps``): ties of
        ``types`` either way, but none of ``skip_ties`` and none to an organisation of
        ``skip_nodes`` (numbers). When every type is asked, straight from the tie lists, and
        only what is skipped filtered out: that is most of a route search's time."""
        sources, targets, into, out_of = self.sources, self.targets, self.into, self.out_of
        if not {t for t, n in self.rel_counts.items() if n} <= set(types):
            return self._typed_steps(frozenset(types), skip_ties, skip_nodes)

        def every_neighbour(node: int) -> list[int]:
            return [targets[n] for n in out_of[node]] + [sources[n] for n in into[node]]

        def every_step(node: int) -> list[tuple[int, int]]:
            return [(n, targets[n]) for n in out_of[node]] + [(n, sources[n]) for n in into[node]]

        if not skip_ties and not skip_nodes:
            return every_neighbour, every_step
        touched = {end for n in skip_ties for end in (sources[n], targets[n])}

        def kept_steps(node: int) -> list[tuple[int, int]]:
            return [
                (n, o) for n, o in every_step(node) if n not in skip_ties and o not in skip_nodes
            ]

        def kept_neighbours(node: int) -> list[int]:
            if node in touched:
                return [o for _, o in kept_steps(node)]
            return [o for o in every_neighbour(node) if o not in skip_nodes]

        return kept_neighbours, kept_steps

    def _typed_steps(
        self, wanted: frozenset[str], skip_ties: set[int], skip_nodes: set[int]
    ) -> tuple[Neighbours, Steps]:
        """:meth:`steps` when only some types are asked: each tie's type is checked."""
        sources, targets, into, out_of = self.sources, self.targets, self.into, self.out_of
        rel_types = self.rel_types

        def some_steps(node: int) -> list[tuple[int, int]]:
            found = [
                (n, targets[n])
                for n in out_of[node]
                if rel_types[n] in wanted and n not in skip_ties and targets[n] not in skip_nodes
            ]
            return found + [
                (n, sources[n])
                for n in into[node]
                if rel_types[n] in wanted and n not in skip_ties and sources[n] not in skip_nodes
            ]

        def some_neighbours(node: int) -> list[int]:
            return [other for _, other in some_steps(node)]

        return some_neighbours, some_steps

    def charted(self, reader: Reader, chart: Chart) -> Subgraph:
        """The records of what a chart uses (the routes found, or a walk's reach): its
        organisations with their hops and its ties, each ordered by id."""
        distances = {self.org_ids[n]: hops for n, hops in chart.hops.items()}
        return Subgraph(
            organizations=self.organizations(reader, distances),
            relationships=self.relationships(reader, [self.rel_ids[n] for n in chart.ties]),
            distances=dict(sorted(distances.items())),
        )

    def among(self, nodes: Collection[int]) -> list[str]:
        """Ids of the relationships whose two ends are both among ``nodes`` (numbers)."""
        return [
            self.rel_ids[n] for node in nodes for n in self.out_of[node] if self.targets[n] in nodes
        ]

    def organizations(self, reader: Reader, ids: Collection[str]) -> list[Organization]:
        """The organisations among ``ids`` that exist, by id: kept models, the rest read."""
        return _kept(self.kept_orgs, reader.organizations, ids, self.keep)

    def relationships(self, reader: Reader, ids: Collection[str]) -> list[Relationship]:
        """The relationships among ``ids`` that exist, by id: kept models, the rest read."""
        return _kept(self.kept_rels, reader.relationships, ids, self.keep)

    def counts(self) -> Counts:
        """How many organisations and relationships there are, in all and per type."""
        org_types = {t: n for t, n in sorted(self.org_counts.items()) if n}
        rel_types = {t: n for t, n in sorted(self.rel_counts.items()) if n}
        return Counts(
            organizations=len(self.node),
            relationships=sum(rel_types.values()),
            organization_types=org_types,
            relationship_types=rel_types,
            version=self.version,
        )


class MemoryStore(DocumentLoads):
    """A GraphStore embedded in the process, durable in ``data_dir``; see ``GraphStore``.

    Records live on disk only (SQLite, ``disk.Disk``) and are read, and validated, when asked
    for; memory holds the graph's outline (:class:`_Outline`), which every read first brings
    up to the version on disk: rebuilt when another process has written, patched after this
    one's own writes. Up to ``keep`` records of each kind stay in memory as models once read.
    One lock orders this process's reads and writes of it.
    """

    def __init__(self, data_dir: Path, keep: int = KEPT) -> None:
        self._disk = Disk(data_dir)
        self.init_schema()
        self._lock = threading.Lock()
        self._keep = keep
        self._outline = _Outline(-1, keep)

    def describe(self) -> str:
        return f"embedded (SQLite, graph outline in memory) at {self._disk.path}"

    def init_schema(self) -> None:
        with self._disk.writing() as writer:
            writer.set_schema_version(vocabulary().schema_version)

    def schema_version(self) -> int | None:
        return self._disk.meta("schema_version")

    def ping(self) -> None:
        self._disk.version()

    def version(self) -> int:
        with self._reading() as (outline, _):
            return outline.version

    def version_nowait(self) -> int | None:
        # What version() would answer, if that needs no wait: no rebuild due, nothing held.
        if not self._lock.acquire(blocking=False):
            return None
        try:
            version = self._disk.version_nowait()
            return version if version == self._outline.version else None
        finally:
            self._lock.release()

    @contextmanager
    def _reading(self) -> Iterator[tuple[_Outline, Reader]]:
        """The outline and a reader of the records, at one version: the outline is rebuilt
        first if the disk holds another version (another process has written)."""
        with self._lock, self._disk.reading() as reader:
            if reader.version() != self._outline.version:
                self._outline = _Outline.of(reader, self._keep)
            yield self._outline, reader

    def apply(
        self, edit: Edit, progress: Progress | None = None, dry_run: bool = False
    ) -> LoadReport:
        # The outline is patched once the write has committed, before any read of this
        # process sees the new version; were the patch to fail, the next read rebuilds it.
        with self._lock:
            with self._disk.writing() as writer:
                start = writer.version()
                plan = plan_edit(edit, writer)
                if dry_run or not plan.writes:
                    return plan.report
                _write(writer, plan, edit, progress)
                version = writer.bump_version()
            outline, self._outline = self._outline, _Outline(-1, self._keep)
            if outline.version == start:
                outline.patch(plan, version)
                self._outline = outline
        return plan.report

    def apply_parts(self, edits: Iterable[Edit], progress: Progress | None = None) -> LoadReport:
        """Stream the edits through one bulk transaction; the outline is rebuilt on the next
        read."""
        reports = []
        with self._disk.writing(bulk=True) as writer:
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

    def get_publication(self, kind: PublicationKind, publication_id: str) -> str | None:
        return self._disk.publication(kind, publication_id)

    def list_publications(self, kind: PublicationKind, offset: int, limit: int) -> Page[str]:
        items, total = self._disk.publications(kind, offset, limit)
        return Page(items, total, offset, limit)

    def put_publication(
        self,
        kind: PublicationKind,
        publication_id: str,
        body: dict[str, Any] | None,
        actor: str,
        action: str,
        expect: Collection[str] | None = None,
        absent: bool = False,
    ) -> None:
        with self._disk.writing() as writer:
            stored = writer.publication(kind, publication_id)
            entry = publication_entry(kind, publication_id, stored, body, expect, absent)
            writer.put_publication(kind, publication_id, entry.after)
            writer.add_changes([entry], datetime.now(UTC), actor, action)

    def add_session(self, session: BrowserSession) -> None:
        with self._disk.writing() as writer:
            writer.put_session(session)

    def find_session(self, token_hash: str) -> BrowserSession | None:
        return self._disk.session(token_hash)

    def end_session(self, token_hash: str) -> None:
        with self._disk.writing() as writer:
            writer.end_session(token_hash)

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

    def reject_duplicate(self, first: str, second: str, actor: str, at: datetime) -> RejectedPair:
        pair = RejectedPair.of(first, second, actor, at)
        with self._disk.writing() as writer:
            return writer.reject_pair(pair)

    def rejected_duplicates(self) -> list[RejectedPair]:
        return self._disk.rejected_pairs()

    def get_organization(self, organization_id: str) -> Organization:
        found = self.get_organizations([organization_id])
        if not found:
            raise NotFound("organization", organization_id)
        return found[0]

    def get_relationship(self, relationship_id: str) -> Relationship:
        with self._reading() as (outline, reader):
            found = outline.relationships(reader, [relationship_id])
        if not found:
            raise NotFound("relationship", relationship_id)
        return found[0]

    def get_organizations(self, organization_ids: Collection[str]) -> list[Organization]:
        with self._reading() as (outline, reader):
            return outline.organizations(reader, organization_ids)

    def adjacent(
        self, organization_ids: Collection[str], types: Collection[str], direction: Direction
    ) -> list[Relationship]:
        with self._reading() as (outline, reader):
            return outline.relationships(reader, outline.ties(organization_ids, types, direction))

    def reach(
        self,
        organization_id: str,
        types: Collection[str],
        direction: Literal["in", "out"],
        depth: int,
    ) -> Subgraph:
        with self._reading() as (outline, reader):
            if organization_id not in outline.node:
                raise NotFound("organization", organization_id)
            hops, ties = outline.walk(organization_id, types, direction, depth)
            return outline.charted(reader, Chart(hops, set(ties)))

    def routes(
        self,
        start: str,
        end: str,
        types: Collection[str],
        max_depth: int,
        tie_counts: Counted[Relationship],
        organization_counts: Counted[Organization],
        first: int | None = None,
    ) -> Subgraph:
        """Routes searched on the outline's structure (``routes.route_graph``), then the
        records of what they use read and checked with the caller's rules (``routes.passing``);
        if none passes throughout, the search runs again without the ties and organisations
        that failed (and any that failed before), as the Neo4j store does. Each search leaves
        out at least one more, so this ends; only what fails is left out, so no route of the
        counted graph is lost, and the first routes that pass are its shortest ones. With
        ``first=1``, the first route alone (``routes.first_route``), up to ``GREEDY_TRIES``
        times; then every route, so that many failing routes cost one more search, not one
        each."""
        with self._reading() as (outline, reader):
            for organization_id in (end, start):
                if organization_id not in outline.node:
                    raise NotFound("organization", organization_id)
            ends = outline.organizations(reader, {start, end})
            if not all(organization_counts(o) for o in ends):
                return Subgraph([], [], {})
            if start == end:
                return Subgraph(ends, [], {start: 0})
            skip_ties: set[int] = set()
            skip_nodes: set[int] = set()
            tries = GREEDY_TRIES if first == 1 else 0
            while True:
                neighbours, steps = outline.steps(types, skip_ties, skip_nodes)
                pair = outline.node[start], outline.node[end]
                if tries:
                    order = outline.org_ids.__getitem__, outline.rel_ids.__getitem__
                    chart = first_route(*pair, max_depth, neighbours, steps, *order)
                else:
                    chart = route_graph(*pair, max_depth, neighbours, steps)
                if not chart.hops:
                    return Subgraph([], [], {})
                found = outline.charted(reader, chart)
                kept = passing(found, start, end, tie_counts, organization_counts)
                if kept.organizations:
                    return kept
                tries = max(0, tries - 1)
                numbers = {outline.rel_ids[n]: n for n in chart.ties}
                skip_ties |= {numbers[r.id] for r in found.relationships if not tie_counts(r)}
                skip_nodes |= {
                    outline.node[o.id] for o in found.organizations if not organization_counts(o)
                }

    def list_organizations(
        self, where: OrganizationFilter, offset: int, limit: int
    ) -> Page[Organization]:
        with self._disk.reading() as reader:
            return reader.list_organizations(where, offset, limit)

    def list_relationships(
        self, where: RelationshipFilter, offset: int, limit: int
    ) -> Page[Relationship]:
        with self._disk.reading() as reader:
            return reader.list_relationships(where, offset, limit)

    def ego_network(self, organization_id: str, depth: int) -> Subgraph:
        with self._reading() as (outline, reader):
            if organization_id not in outline.node:
                raise NotFound("organization", organization_id)
            reach = outline.reach(organization_id, depth)
            distances = {outline.org_ids[n]: hops for n, hops in reach.items()}
            return Subgraph(
                organizations=outline.organizations(reader, distances),
                relationships=outline.relationships(reader, outline.among(reach)),
                distances=dict(sorted(distances.items())),
            )

    def export(self) -> Document:
        with self._disk.reading() as reader:
            return Document(
                organizations=list(reader.every_organization()),
                relationships=list(reader.every_relationship()),
            )

    def counts(self) -> Counts:
        with self._reading() as (outline, _):
            return outline.counts()

    def clear(self) -> None:
        with self._disk.writing() as writer:
            writer.clear()
            writer.bump_version()

    def close(self) -> None:
        self._disk.close()
