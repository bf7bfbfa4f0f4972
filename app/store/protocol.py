"""The GraphStore protocol: what every backend does. Its docstrings are the behaviour spec.

The conformance suite in ``tests/contract/`` runs each statement here against every backend.
Orders are part of the contract where stated, so that backends answer identically.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, Protocol, TypeVar

from app.domain.edits import Change, Edit, Entity
from app.domain.errors import Problem
from app.domain.imports import Decision, ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Document, Organization, Relationship
from app.domain.rejections import RejectedPair
from app.domain.sessions import BrowserSession
from app.domain.stories import PublicationKind
from app.domain.text import fold

T = TypeVar("T")

Direction = Literal["in", "out", "both"]
"""Which ties of a set of organisations: those pointing into it, out of it, or either."""

Progress = Callable[[int], None]
"""Called with the number of records written since the last call, while a load runs."""

Counted = Callable[[T], bool]
"""Whether a caller counts a record (an organisation or a relationship), as a search sees it."""


@dataclass(frozen=True)
class OrganizationFilter:
    """Filters of the organisation list; ``None`` means "any". All given filters must hold.

    ``q`` matches a case- and accent-insensitive substring of the name or of any alias;
    ``country`` and ``sector`` match one of the organisation's countries or sectors.
    """

    q: str | None = None
    type: str | None = None
    movement: str | None = None
    country: str | None = None
    sector: str | None = None

    def matches(self, org: Organization) -> bool:
        """Whether ``org`` passes every given filter, by the rules above."""
        if self.type is not None and org.type != self.type:
            return False
        if self.movement is not None and org.movement != self.movement:
            return False
        if self.country is not None and self.country not in org.countries:
            return False
        if self.sector is not None and self.sector not in org.sectors:
            return False
        if self.q is not None:
            needle = fold(self.q)
            return any(needle in key for key in org.search_keys())
        return True


@dataclass(frozen=True)
class RelationshipFilter:
    """Filters of the relationship list by type and by source or target organisation id."""

    type: str | None = None
    source: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class ChangeFilter:
    """Filters of the audit trail: entries at or after ``since``, of one kind, of one record."""

    since: datetime | None = None
    entity: Entity | None = None
    id: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, the number of matches in all, and where it starts."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @classmethod
    def of(cls, matches: list[T], offset: int, limit: int) -> Page[T]:
        """The page of ``matches`` (all of them, in order) that starts at ``offset``."""
        return cls(matches[offset : offset + limit], len(matches), offset, limit)


@dataclass(frozen=True)
class Changes:
    """How many records a load or edit created, updated, found already equal, or deleted."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def sum_changes(parts: Iterable[Changes]) -> Changes:
    """The counts of several loads or edits added up."""
    total = Changes()
    for part in parts:
        total = Changes(
            total.created + part.created,
            total.updated + part.updated,
            total.unchanged + part.unchanged,
            total.deleted + part.deleted,
        )
    return total


@dataclass(frozen=True)
class LoadReport:
    """What a load did, per kind of record."""

    organizations: Changes
    relationships: Changes


@dataclass(frozen=True)
class Subgraph:
    """A set of organisations, the relationships among them, and each one's hops from a centre."""

    organizations: list[Organization]
    relationships: list[Relationship]
    distances: dict[str, int]


@dataclass(frozen=True)
class Counts:
    """Record counts, per kind and per type, and the graph version they were read at."""

    organizations: int
    relationships: int
    organization_types: dict[str, int] = field(default_factory=dict)
    relationship_types: dict[str, int] = field(default_factory=dict)
    version: int = 0


class GraphStore(Protocol):
    """A durable graph of organisations and relationships, shared by every process using it.

    Errors: a missing record raises ``NotFound``; records that break the model or the
    vocabulary's type rules raise ``InvalidData`` listing every problem, and nothing is
    written; a store that cannot be reached raises ``StoreUnavailable``.
    """

    def describe(self) -> str:
        """A one-line description of the backend and where it keeps its data; never a secret."""
        ...

    def init_schema(self) -> None:
        """Apply the schema of ``graph_schema`` (constraints, indexes, version), and bring what
        the backend derives from records (Neo4j's labels and evidence properties) up to date if
        an older version wrote them; idempotent, and no record changes."""
        ...

    def schema_version(self) -> int | None:
        """The schema version the store was initialised with, or ``None`` if never."""
        ...

    def ping(self) -> None:
        """Return if the store answers reads now; raise ``StoreUnavailable`` if not."""
        ...

    def version(self) -> int:
        """A number that grows with every write that changes the graph, and only then."""
        ...

    def version_nowait(self) -> int | None:
        """What :meth:`version` answers now, if that takes no wait (no network round trip, no
        lock held by a writer, no rebuild due), else ``None``; callers that cannot block, such
        as an event loop, ask this first."""
        ...

    def check(self, document: Document) -> list[Problem]:
        """Every problem loading ``document`` would meet, given what the store holds; no write.

        References may point to organisations in the document or already stored.
        """
        ...

    def load(
        self, document: Document, progress: Progress | None = None, actor: str = "system"
    ) -> LoadReport:
        """Insert or replace every record of ``document`` by id, all in one transaction.

        The same as ``apply`` of ``Edit.of_document(document, actor, "load")``. Idempotent:
        loading the same document again changes nothing and leaves ``version`` as it was. If
        any record is invalid, raise ``InvalidData`` and write nothing. Once this returns,
        the write survives a crash and every process sees it.
        """
        ...

    def apply(
        self, edit: Edit, progress: Progress | None = None, dry_run: bool = False
    ) -> LoadReport:
        """Carry out ``edit`` in one transaction and add one audit entry per changed record.

        Every check of ``planning.plan_edit`` runs first, against the records as this
        transaction sees them, and any refusal writes nothing. Records equal to the stored
        ones are counted unchanged and leave no entry; an edit that changes nothing leaves
        ``version`` as it was. Concurrent edits are serialised, so a precondition checked here
        still holds when the write commits. With ``dry_run``, check and count, write nothing.
        """
        ...

    def apply_parts(self, edits: Iterable[Edit], progress: Progress | None = None) -> LoadReport:
        """Apply several edits as one, in one transaction: a load too large to hold at once.

        Each edit is checked against the store as the earlier ones left it; an error from
        any edit, or raised by ``edits`` itself, writes nothing. The embedded store streams
        the edits; Neo4j gathers them into one ``apply``.
        """
        ...

    def changes(self, where: ChangeFilter, offset: int, limit: int) -> Page[Change]:
        """Audit entries matching ``where``, oldest first; entries outlive the records."""
        ...

    def add_key(self, key: ApiKey) -> None:
        """Store a new API key; ``Conflict`` if its name or key id is taken (revoked too)."""
        ...

    def find_key(self, key_id: str) -> ApiKey | None:
        """The key with this public key id, revoked or not, if there is one."""
        ...

    def list_keys(self) -> list[ApiKey]:
        """Every key, revoked ones included, ordered by name."""
        ...

    def revoke_key(self, name: str, at: datetime) -> ApiKey:
        """Mark the named key revoked at ``at`` (kept if already revoked); ``NotFound`` if none."""
        ...

    def get_publication(self, kind: PublicationKind, publication_id: str) -> str | None:
        """The stored JSON of the view or story with this id, if there is one."""
        ...

    def list_publications(self, kind: PublicationKind, offset: int, limit: int) -> Page[str]:
        """The stored JSON of views or stories, ordered by id."""
        ...

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
        """Store ``body`` as the view or story ``publication_id`` (``None`` deletes it) with
        its audit entry, in one transaction whose preconditions are
        :func:`app.store.publishing.publication_entry`'s; the graph version stays."""
        ...

    def add_session(self, session: BrowserSession) -> None:
        """Store a new browser session, and forget every session that expired by the time
        it was created (sign-ins keep the table small); its token hash is never reused."""
        ...

    def find_session(self, token_hash: str) -> BrowserSession | None:
        """The session whose token has this hash, expired or not, if it has not ended."""
        ...

    def end_session(self, token_hash: str) -> None:
        """Forget the session whose token has this hash (sign-out); nothing if there is none."""
        ...

    def add_import(self, record: ImportRecord) -> None:
        """Store a new import record with its review queue; ``Conflict`` if its id is taken."""
        ...

    def get_import(self, import_id: str) -> ImportRecord:
        """The import record with this id, its candidates as last decided."""
        ...

    def list_imports(self, offset: int, limit: int) -> Page[ImportRecord]:
        """Every import record, newest first: by ``at``, then by id, both descending."""
        ...

    def decide_candidate(
        self,
        import_id: str,
        candidate_id: str,
        decision: Decision,
        actor: str,
        at: datetime,
        expected: Decision,
    ) -> ImportRecord:
        """Set one candidate's status to ``decision`` if it is still ``expected``; the record.

        The decision keeps ``actor`` and ``at`` as ``decided_by`` and ``decided_at`` (both
        cleared when it goes back to ``pending``). The check and the write are one transaction,
        so of concurrent callers expecting one status at most one wins; the others, and any
        caller whose ``expected`` is stale, get ``Conflict`` naming the candidate, its status
        and who decided it, and nothing is written. ``NotFound`` for an unknown import or
        candidate. Import records are not the graph: ``version`` does not move.
        """
        ...

    def reject_duplicate(self, first: str, second: str, actor: str, at: datetime) -> RejectedPair:
        """Remember that organisations ``first`` and ``second`` are not one; the pair as kept.

        The ids are kept smaller first (``RejectedPair.of``), so naming them either way is one
        pair. Rejecting a pair already rejected changes nothing and returns the first
        rejection, with its ``rejected_by`` and ``rejected_at``; of concurrent callers, one
        writes and all get that one. The ids are not checked against the graph, and the pair
        outlives its organisations (an import may bring an id back). Two equal ids raise
        ``ValueError``. Rejections are not the graph: ``version`` does not move.
        """
        ...

    def rejected_duplicates(self) -> list[RejectedPair]:
        """Every rejected pair, ordered by ``first``, then ``second``."""
        ...

    def get_organization(self, organization_id: str) -> Organization:
        """The organisation with this id."""
        ...

    def get_relationship(self, relationship_id: str) -> Relationship:
        """The relationship with this id."""
        ...

    def get_organizations(self, organization_ids: Collection[str]) -> list[Organization]:
        """The organisations among these ids that exist, ordered by id; unknown ids are skipped."""
        ...

    def adjacent(
        self, organization_ids: Collection[str], types: Collection[str], direction: Direction
    ) -> list[Relationship]:
        """Relationships of the given types with an end among these organisations, by id.

        ``in``: the target is among them; ``out``: the source is; ``both``: either end is.
        Traversals read through :meth:`reach` and :meth:`routes` instead, in one go.
        """
        ...

    def reach(
        self,
        organization_id: str,
        types: Collection[str],
        direction: Literal["in", "out"],
        depth: int,
    ) -> Subgraph:
        """All that a breadth-first walk of ``depth`` layers from this organisation reads, in
        one transaction, so that every layer sees the same graph.

        The walk follows ties of ``types`` against their direction (``in``: from target to
        source) or along it (``out``). Returns the organisations within ``depth`` such ties
        (this one included, ordered by id) with their hops, and every tie of ``types`` that
        leads on from an organisation fewer than ``depth`` ties away (ordered by id), whatever
        the caller then skips: a walk that counts only some ties and organisations finds
        every one it needs here. Raises ``NotFound`` for an unknown id.
        """
        ...

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
        """Every shortest route from ``start`` to ``end``, read in one transaction.

        A route follows ties of ``types`` either way, at most ``max_depth`` of them, only ties
        ``tie_counts`` accepts, and passes only organisations ``organization_counts`` accepts
        (both ends included). Returns the organisations on any shortest route (ordered by id)
        with their hops from ``start``, and every tie of any shortest route (ordered by id);
        nothing when there is no route, only ``start`` when the two are one. ``NotFound``
        names ``end`` if it is unknown, else ``start`` if that is. A search past a backend's
        bound (the embedded store's on the organisations visited, Neo4j's of 6 ties) raises
        ``InvalidQuery``.

        With ``first``, a store may return only what the first ``first`` of those routes use,
        in the order callers list them (organisation ids along the route, then tie ids): all
        that a caller listing no more than that needs.
        """
        ...

    def list_organizations(
        self, where: OrganizationFilter, offset: int, limit: int
    ) -> Page[Organization]:
        """Organisations matching ``where``, ordered by folded name, then id."""
        ...

    def list_relationships(
        self, where: RelationshipFilter, offset: int, limit: int
    ) -> Page[Relationship]:
        """Relationships matching ``where``, ordered by id."""
        ...

    def ego_network(self, organization_id: str, depth: int) -> Subgraph:
        """The organisations within ``depth`` hops of this one, ties followed either way.

        Returns those organisations (ordered by id) with their shortest distance in hops,
        and every relationship whose two ends are both among them (ordered by id). Raises
        ``NotFound`` for an unknown id.
        """
        ...

    def export(self) -> Document:
        """The whole graph as an interchange document, organisations and relationships by id.

        Loading the export into an empty store gives an equal export (lossless).
        """
        ...

    def counts(self) -> Counts:
        """How many organisations and relationships there are, in all and per type."""
        ...

    def clear(self) -> None:
        """Delete every record, audit entry, API key, session, import and rejected pair: a blank
        store (tests use this)."""
        ...

    def close(self) -> None:
        """Release connections; the store is not used after this."""
        ...
