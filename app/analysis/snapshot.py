"""The whole graph as one immutable networkx snapshot, built once per graph version and year.

Whole-graph analyses (typology, gaps, what-if, brokers, peers, interlocks) read this instead
of the store, so a repeated call on an unchanged graph costs a dictionary lookup.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import networkx as nx

from app.domain.evidence import Weighing, weigh
from app.domain.models import Document, Organization, Relationship
from app.domain.timeline import organization_exists, relationship_in_force
from app.domain.vocabulary import vocabulary
from app.store.protocol import GraphStore

T = TypeVar("T")

MEMO_SIZE = 256
"""Analysis answers one snapshot keeps (each a request's normalised parameters)."""


@dataclass(frozen=True)
class Snapshot:
    """The organisations and the relationships in force in ``as_of`` (``None``: now) that the
    ``weighing`` counts, and the funding their organisations seek: SEEKS_FUNDING_FOR ties,
    with the organisations those name that are no longer there (a collapsed SACCO someone
    wants to revive)."""

    version: int
    as_of: int | None
    organizations: dict[str, Organization]
    relationships: dict[str, Relationship]
    sought: tuple[Relationship, ...] = ()
    absent: dict[str, Organization] = field(default_factory=dict)
    weighing: Weighing = "any"

    def organization(self, organization_id: str) -> Organization:
        """An organisation of the snapshot, or one that sought funding names though it is gone."""
        found = self.organizations.get(organization_id)
        return found if found is not None else self.absent[organization_id]

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """Every organisation as a node and every relationship as an edge keyed by its id."""
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(sorted(self.organizations))
        graph.add_edges_from(
            (r.source, r.target, r.id) for r in sorted(self.relationships.values(), key=_id)
        )
        return graph

    @cached_property
    def enabling(self) -> nx.DiGraph:
        """Enabler -> enabled: one edge per pair joined by an enabling relationship."""
        graph = nx.DiGraph()
        graph.add_nodes_from(sorted(self.organizations))
        enabling = vocabulary().enabling_types
        graph.add_edges_from(
            (r.source, r.target)
            for r in sorted(self.relationships.values(), key=_id)
            if r.type in enabling
        )
        return graph

    @cached_property
    def undirected(self) -> nx.Graph:
        """Every tie as an undirected, unweighted edge between two organisations."""
        graph = nx.Graph()
        graph.add_nodes_from(sorted(self.organizations))
        graph.add_edges_from((r.source, r.target) for r in self.relationships.values())
        return graph

    @cached_property
    def _memo(self) -> OrderedDict[str, object]:
        return OrderedDict()

    @cached_property
    def _computing(self) -> dict[str, threading.Lock]:
        return {}

    @cached_property
    def _guard(self) -> threading.Lock:
        return threading.Lock()

    def remember(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per snapshot and key, so a repeated analysis of an unchanged
        graph costs a lookup (any write gives a new version, hence a new snapshot). The
        ``MEMO_SIZE`` answers used last are kept, so requests that differ only in their
        parameters cannot grow memory without end.

        Single-flight: callers that arrive while the first is computing wait for its answer
        rather than computing it again, so a burst of the same analysis costs about one.
        """
        memo = self._memo
        with self._guard:
            if key in memo:
                memo.move_to_end(key)
                return memo[key]  # type: ignore[return-value]
            lock = self._computing.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in memo:
                    return memo[key]  # type: ignore[return-value]
            value = compute()
            with self._guard:
                memo[key] = value
                while len(memo) > MEMO_SIZE:
                    memo.popitem(last=False)
                self._computing.pop(key, None)
        return value

    @cached_property
    def _incoming(self) -> dict[str, tuple[Relationship, ...]]:
        into: dict[str, list[Relationship]] = {}
        for rel in sorted(self.relationships.values(), key=_id):
            into.setdefault(rel.target, []).append(rel)
        return {target: tuple(rels) for target, rels in into.items()}

    def incoming(self, organization_id: str) -> tuple[Relationship, ...]:
        """The relationships in force that point into ``organization_id``, ordered by id."""
        return self._incoming.get(organization_id, ())

    @cached_property
    def _families(self) -> dict[str, str]:
        families = vocabulary().family_of
        return {o.id: families(o.type) for o in self.organizations.values()}

    def family(self, organization_id: str) -> str:
        """The vocabulary family (unions, sse_units, ...) of an organisation, looked up once
        per snapshot (the analyses ask it of each organisation many times)."""
        return self._families[organization_id]


def _id(rel: Relationship) -> str:
    return rel.id


def build_snapshot(
    document: Document, version: int, as_of: int | None, weighing: Weighing = "any"
) -> Snapshot:
    """The snapshot of ``document`` in year ``as_of``, counting the facts ``weighing`` admits
    (:func:`app.domain.evidence.weigh`); ties to absent organisations drop out. Funding sought
    is the SEEKS_FUNDING_FOR ties in force from organisations that are there."""
    weighed_orgs = [o for o in (weigh(o, weighing) for o in document.organizations) if o]
    weighed_rels = [r for r in (weigh(r, weighing) for r in document.relationships) if r]
    in_force = [r for r in weighed_rels if relationship_in_force(r, as_of)]
    joined = frozenset(end for r in in_force for end in (r.source, r.target))
    orgs = {o.id: o for o in weighed_orgs if organization_exists(o, as_of, joined)}
    rels = {r.id: r for r in in_force if r.source in orgs and r.target in orgs}
    everyone = {o.id: o for o in weighed_orgs}
    sought = tuple(
        sorted(
            (
                r
                for r in in_force
                if r.type == "SEEKS_FUNDING_FOR" and r.source in orgs and r.target in everyone
            ),
            key=_id,
        )
    )
    absent = {r.target: everyone[r.target] for r in sought if r.target not in orgs}
    return Snapshot(
        version=version,
        as_of=as_of,
        organizations=orgs,
        relationships=rels,
        sought=sought,
        absent=absent,
        weighing=weighing,
    )


class SnapshotCache:
    """Snapshots of one store, rebuilt only when the store's graph version changes: the
    present ones (one per weighing), and the ``years`` past (year, weighing) pairs asked for
    last (each about as large as a present one, so this bounds the memory that ``as_of``
    requests can take)."""

    def __init__(self, store: GraphStore, years: int = 4) -> None:
        self._store = store
        self._years = years
        self._lock = threading.Lock()
        self._version = -1
        self._document = Document()
        self._by_year: OrderedDict[tuple[int | None, Weighing], Snapshot] = OrderedDict()

    def get(self, as_of: int | None = None, weighing: Weighing = "any") -> Snapshot:
        """The snapshot for ``as_of`` and ``weighing`` at the store's current version."""
        version = self._store.version()
        key = (as_of, weighing)
        with self._lock:
            self._refresh(version)
            if key not in self._by_year:
                self._by_year[key] = build_snapshot(self._document, version, as_of, weighing)
                past = [k for k in self._by_year if k[0] is not None]
                for old in past[: max(len(past) - self._years, 0)]:
                    del self._by_year[old]
            self._by_year.move_to_end(key)
            return self._by_year[key]

    def document(self) -> Document:
        """Every record at the store's current version, whatever its years or status."""
        version = self._store.version()
        with self._lock:
            self._refresh(version)
            return self._document

    def _refresh(self, version: int) -> None:
        if version != self._version:
            self._document, self._version = self._store.export(), version
            self._by_year = OrderedDict()
