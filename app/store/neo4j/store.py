"""The Neo4j GraphStore: the official driver, managed transactions, Cypher from ``cypher/``.

One driver for the store's lifetime; reads go through ``execute_read`` and writes through
``execute_write``, so routing URIs (``neo4j://``, ``neo4j+s://``) of a cluster or Aura work
unchanged and transient failures are retried by the driver. Driver errors become the
project's errors at this boundary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Result
from neo4j import exceptions as neo4j_errors

from app.domain.edits import Change, Edit, timestamp
from app.domain.errors import (
    Conflict,
    InvalidData,
    InvalidQuery,
    NotFound,
    Problem,
    StoreUnavailable,
)
from app.domain.imports import Decision, ImportRecord
from app.domain.keys import ApiKey
from app.domain.models import Document, Organization, Relationship
from app.domain.rejections import RejectedPair
from app.domain.sessions import BrowserSession
from app.domain.stories import PublicationKind
from app.domain.text import fold
from app.domain.vocabulary import vocabulary
from app.settings import Settings
from app.store.loading import DocumentLoads
from app.store.neo4j.layout import (
    layout_key,
    organization_labels,
    organization_properties,
    read_organization,
    read_relationship,
    relationship_properties,
    secondary_labels,
)
from app.store.neo4j.queries import query, schema_statements
from app.store.planning import EmptyView, Entry, plan_edit
from app.store.protocol import (
    ChangeFilter,
    Counted,
    Counts,
    Direction,
    LoadReport,
    OrganizationFilter,
    Page,
    Progress,
    RelationshipFilter,
    Subgraph,
)
from app.store.publishing import publication_entry
from app.store.routes import passing

T = TypeVar("T")
BATCH = 10_000
"""Rows per ``UNWIND`` statement in a load: the fastest of 500, 1k, 5k and 10k in the sweep of
``bench/run.py --only neo4j`` (bench/RESULTS.md), on 10k rows."""

MAX_ROUTE = 6
"""The longest route ``routes`` searches for: ``shortest_routes.cypher`` has a branch for each
length up to it (the API and the CLI ask for 6 at most)."""

Neo4jFailure = neo4j_errors.DriverError | neo4j_errors.Neo4jError
RETRY_SHARE = 0.5
"""The share of ``SOLGRAPH_NEO4J_TIMEOUT`` the driver keeps retrying a failed transaction for.

The driver starts that clock at the first failure and may then sleep once more past it (its
delays double from one second), so half the timeout keeps a store call near the timeout."""

_UNAVAILABLE = (
    neo4j_errors.ServiceUnavailable,
    neo4j_errors.SessionExpired,
    neo4j_errors.DatabaseUnavailable,
    neo4j_errors.ConnectionAcquisitionTimeoutError,
    neo4j_errors.TransientError,
    neo4j_errors.IncompleteCommit,
    OSError,
)


def _surfacing(work: Callable[[ManagedTransaction], T]) -> Callable[[ManagedTransaction], T]:
    """``work``, raising the real error where the driver reports a failed statement on the
    next one (``ResultFailedError``), so that a deadlock there is retried like any other."""

    def run(tx: ManagedTransaction) -> T:
        try:
            return work(tx)
        except neo4j_errors.ResultFailedError as error:
            cause = _underlying(error)
            if cause is error:
                raise
            raise cause from None

    return run


def _underlying(error: Neo4jFailure) -> Neo4jFailure:
    """The error behind ``error``: a statement that fails inside a transaction may be reported
    on the next one, as a ``ResultFailedError`` caused by the real error (a deadlock, say)."""
    while isinstance(error, neo4j_errors.ResultFailedError) and isinstance(
        error.__cause__, neo4j_errors.DriverError | neo4j_errors.Neo4jError
    ):
        error = error.__cause__
    return error


def _organization_row(org: Organization) -> dict[str, Any]:
    """An organisation as a node: its properties, its labels and the labels it must lose."""
    labels = organization_labels(org)
    return {
        "id": org.id,
        "properties": organization_properties(org),
        "labels": labels,
        "stale": [label for label in secondary_labels() if label not in labels],
    }


def _present(properties: dict[str, Any]) -> dict[str, Any]:
    """The properties that have a value: Neo4j stores no null, so setting one on a new node
    or tie only costs the server a removal of nothing (and the driver the packing)."""
    return {key: value for key, value in properties.items() if value is not None}


def _new_organization_row(org: Organization) -> dict[str, Any]:
    """An organisation as a node created where none is stored: its properties with a value,
    and its labels (``create_organizations``)."""
    return {
        "id": org.id,
        "properties": _present(organization_properties(org)),
        "labels": organization_labels(org),
    }


def _relationship_row(rel: Relationship) -> dict[str, Any]:
    """A relationship as relationship properties, with its type and ends beside them."""
    return {
        "id": rel.id,
        "type": rel.type,
        "source": rel.source,
        "target": rel.target,
        "properties": relationship_properties(rel),
    }


def _new_relationship_row(rel: Relationship) -> dict[str, Any]:
    """A relationship as a tie created anew (``create_relationships``): only the properties
    with a value, since the tie has none yet."""
    row = _relationship_row(rel)
    row["properties"] = _present(row["properties"])
    return row


def _entry_row(entry: Entry) -> dict[str, Any]:
    """An audit-trail entry as ``add_changes`` reads it; a missing side (``before`` of a
    creation, ``after`` of a deletion) is left out rather than sent as null."""
    return _present(
        {
            "entity": entry.entity,
            "id": entry.id,
            "change": entry.change,
            "before": entry.before,
            "after": entry.after,
        }
    )


def _publication_key(kind: PublicationKind, publication_id: str) -> str:
    """The one property a view or story is unique by (one constraint covers both kinds)."""
    return f"{kind}:{publication_id}"


def _run(tx: ManagedTransaction, name: str, /, **parameters: Any) -> list[dict[str, Any]]:
    # Every statement returns plain values and maps (``o {.*}``), never nodes or paths, so
    # the records are taken as they come: ``Record.data()`` would copy each map once more.
    return [
        dict(zip(record.keys(), record.values(), strict=True))
        for record in tx.run(query(name), parameters)
    ]


def _send(tx: ManagedTransaction, name: str, /, **parameters: Any) -> Result:
    """Send the statement of ``cypher/<name>.cypher``, returning before the server has run it."""
    return tx.run(query(name), parameters)


def _change(properties: dict[str, Any]) -> Change:
    data = dict(properties)
    data["id"] = data.pop("entity_id")
    for side in ("before", "after"):
        data[side] = json.loads(data[side]) if data.get(side) is not None else None
    return Change.model_validate(data)


def _organizations(tx: ManagedTransaction, ids: Collection[str]) -> list[Organization]:
    """The organisations among ``ids`` that exist, ordered by id."""
    rows = _run(tx, "organizations_by_id", ids=sorted(ids))
    return sorted((read_organization(r["organization"]) for r in rows), key=lambda o: o.id)


def _route_to_itself(
    tx: ManagedTransaction, organization_id: str, counts: Counted[Organization]
) -> Subgraph:
    """The route from an organisation to itself (``GraphStore.routes``): just it, if it
    counts."""
    rows = _run(tx, "get_organization", id=organization_id)
    if not rows:
        raise NotFound("organization", organization_id)
    org = read_organization(rows[0]["organization"])
    return Subgraph([org], [], {org.id: 0}) if counts(org) else Subgraph([], [], {})


class _TransactionView:
    """The stored records as one write transaction sees them (``planning.StoredView``)."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx

    def organizations(self, ids: Collection[str]) -> dict[str, Organization]:
        rows = _run(self._tx, "organizations_by_id", ids=sorted(ids))
        return {o.id: o for o in (read_organization(r["organization"]) for r in rows)}

    def organization_types(self, ids: Collection[str]) -> dict[str, str]:
        rows = _run(self._tx, "organization_types", ids=sorted(ids))
        return {row["id"]: row["type"] for row in rows}

    def relationships(self, ids: Collection[str]) -> dict[str, Relationship]:
        rows = _run(self._tx, "relationships_by_id", ids=sorted(ids))
        return {r.id: r for r in (read_relationship(row["relationship"]) for row in rows)}

    def attached(self, organization_ids: Collection[str]) -> list[Relationship]:
        rows = _run(self._tx, "attached_relationships", ids=sorted(organization_ids))
        return [read_relationship(row["relationship"]) for row in rows]


class _Pipeline:
    """Write statements sent one after another without waiting for each to finish.

    The driver returns from ``run`` once the server has accepted a statement; the server then
    executes it while Python prepares the next batch's rows, so the two overlap. ``finish``
    waits for every statement, inside the transaction function, so that a failure surfaces
    there (and is retried like any other) rather than at commit."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx
        self._sent: list[Result] = []

    def send(self, name: str, /, **parameters: Any) -> None:
        """Send the statement of ``cypher/<name>.cypher`` with ``parameters``."""
        self._sent.append(_send(self._tx, name, **parameters))

    def batches(
        self,
        name: str,
        records: Sequence[T],
        row: Callable[[T], dict[str, Any]],
        progress: Progress | None,
        **parameters: Any,
    ) -> None:
        """Send ``name`` once per :data:`BATCH` records as ``$rows``, each batch's rows made
        just before it is sent, while the server still works on the one before."""
        for start in range(0, len(records), BATCH):
            rows = [row(record) for record in records[start : start + BATCH]]
            self.send(name, rows=rows, **parameters)
            if progress:
                progress(len(rows))

    def finish(self) -> None:
        """Wait until the server has executed every statement sent."""
        for result in self._sent:
            result.consume()
        self._sent.clear()


class Neo4jStore(DocumentLoads):
    """A GraphStore on Neo4j 5; see ``GraphStore`` for the behaviour spec."""

    def __init__(self, driver: Driver, database: str, uri: str, timeout: float) -> None:
        self._driver, self._database, self._uri, self._timeout = driver, database, uri, timeout

    @classmethod
    def connect(cls, settings: Settings) -> Neo4jStore:
        """Open the one driver, check that Neo4j answers, and apply the schema idempotently."""
        auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
        try:
            driver = GraphDatabase.driver(
                settings.neo4j_uri,
                auth=auth,
                connection_timeout=settings.neo4j_timeout,
                connection_acquisition_timeout=settings.neo4j_timeout,
                max_transaction_retry_time=RETRY_SHARE * settings.neo4j_timeout,
            )
        except (ValueError, neo4j_errors.ConfigurationError) as error:
            problem = Problem("settings", "SOLGRAPH_NEO4J_URI", f"cannot be used: {error}")
            raise InvalidData([problem]) from None
        store = cls(driver, settings.neo4j_database, settings.neo4j_uri, settings.neo4j_timeout)
        try:
            store.init_schema()
        except BaseException:
            driver.close()
            raise
        return store

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Turn driver errors into the project's errors, naming the server but no secret."""
        try:
            yield
        except neo4j_errors.AuthError:
            raise StoreUnavailable(
                f"Neo4j at {self._uri} refused the credentials; check SOLGRAPH_NEO4J_USER and "
                "SOLGRAPH_NEO4J_PASSWORD"
            ) from None
        except neo4j_errors.ConstraintError as error:
            raise Conflict(f"Neo4j refused the write: {error.message}") from None
        except _UNAVAILABLE as error:
            raise StoreUnavailable(f"Neo4j at {self._uri} is not answering ({error})") from None

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._translated(), self._driver.session(database=self._database) as session:
            return session.execute_read(_surfacing(work))

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self._translated(), self._driver.session(database=self._database) as session:
            return session.execute_write(_surfacing(work))

    def init_schema(self) -> None:
        """Apply every named constraint and index (``IF NOT EXISTS``), record the version,
        bring the labels and derived properties of a database written before up to date, and
        write the empty lists a bulk import (``solgraph db import``) could not."""
        with self._translated(), self._driver.session(database=self._database) as session:
            for statement in schema_statements():
                session.run(statement).consume()
        self._write(
            lambda tx: _run(tx, "set_schema_version", schema_version=vocabulary().schema_version)
        )
        self._write(self._relayout)
        self._write(lambda tx: _run(tx, "fill_lists"))

    def _relayout(self, tx: ManagedTransaction) -> None:
        """Rewrite every record's labels and derived properties if the stored layout is not
        :func:`layout_key`'s. The records themselves are unchanged, so ``version`` stays."""
        _run(tx, "write_lock")
        wanted = layout_key()
        if _run(tx, "version")[0]["layout"] == wanted:
            return
        orgs = [read_organization(r["organization"]) for r in _run(tx, "all_organizations")]
        rels = [read_relationship(r["relationship"]) for r in _run(tx, "all_relationships")]
        writes = _Pipeline(tx)
        writes.batches("merge_organizations", orgs, _organization_row, None)
        writes.batches("set_relationship_properties", rels, _relationship_row, None)
        writes.send("set_layout", layout=wanted)
        writes.finish()

    def schema_version(self) -> int | None:
        """The schema version the database was initialised with, if any."""
        rows = self._read(lambda tx: _run(tx, "version"))
        value = rows[0]["schema_version"]
        return None if value is None else int(value)

    def describe(self) -> str:
        return f"neo4j at {self._uri} (database {self._database})"

    def ping(self) -> None:
        self._read(lambda tx: _run(tx, "ping"))

    def version(self) -> int:
        return int(self._read(lambda tx: _run(tx, "version"))[0]["version"])

    def version_nowait(self) -> None:
        # Every answer is a round trip to the server.
        return None

    def apply(
        self, edit: Edit, progress: Progress | None = None, dry_run: bool = False
    ) -> LoadReport:
        def work(tx: ManagedTransaction) -> LoadReport:
            if not _run(tx, "write_lock")[0]["locked"]:
                _run(tx, "create_meta")
            # Under the write lock, a database without organisations (so without ties) stays
            # empty until this edit commits: nothing stored need be looked up.
            empty = not _run(tx, "has_organizations")[0]["found"]
            plan = plan_edit(edit, EmptyView() if empty else _TransactionView(tx))
            if dry_run or not plan.writes:
                return plan.report
            writes = _Pipeline(tx)
            gone = sorted(plan.stored_relationships.values(), key=lambda r: r.id)
            writes.batches(
                "delete_relationships", gone, lambda r: {"id": r.id, "source": r.source}, None
            )
            if plan.delete_organizations:
                writes.send("delete_organizations", ids=plan.delete_organizations)
            orgs = plan.put_organizations
            if empty:
                writes.batches("create_organizations", orgs, _new_organization_row, progress)
            else:
                writes.batches("merge_organizations", orgs, _organization_row, progress)
            rels = plan.put_relationships
            writes.batches("create_relationships", rels, _new_relationship_row, progress)
            trail = {"at": timestamp(datetime.now(UTC)), "actor": edit.actor, "action": edit.action}
            writes.batches("add_changes", plan.entries, _entry_row, None, **trail)
            writes.send("bump_version")
            writes.finish()
            return plan.report

        return self._write(work)

    def changes(self, where: ChangeFilter, offset: int, limit: int) -> Page[Change]:
        parameters = {
            "since": None if where.since is None else timestamp(where.since),
            "entity": where.entity,
            "id": where.id,
            "offset": offset,
            "limit": limit,
        }
        row = self._read(lambda tx: _run(tx, "list_changes", **parameters))[0]
        items = [_change(c) for c in row["items"]]
        return Page(items=items, total=int(row["total"]), offset=offset, limit=limit)

    def add_key(self, key: ApiKey) -> None:
        def work(tx: ManagedTransaction) -> None:
            if _run(tx, "key_by_name", name=key.name):
                raise Conflict(f"an API key named '{key.name}' already exists")
            _run(tx, "put_key", name=key.name, key_id=key.key_id, body=key.model_dump_json())

        self._write(work)

    def find_key(self, key_id: str) -> ApiKey | None:
        rows = self._read(lambda tx: _run(tx, "key_by_id", key_id=key_id))
        return ApiKey.model_validate_json(rows[0]["body"]) if rows else None

    def list_keys(self) -> list[ApiKey]:
        rows = self._read(lambda tx: _run(tx, "list_keys"))
        return [ApiKey.model_validate_json(row["body"]) for row in rows]

    def revoke_key(self, name: str, at: datetime) -> ApiKey:
        def work(tx: ManagedTransaction) -> ApiKey:
            rows = _run(tx, "key_by_name", name=name)
            if not rows:
                raise NotFound("API key", name)
            key = ApiKey.model_validate_json(rows[0]["body"])
            if key.revoked is None:
                key = key.model_copy(update={"revoked": at})
                _run(tx, "put_key", name=key.name, key_id=key.key_id, body=key.model_dump_json())
            return key

        return self._write(work)

    def get_publication(self, kind: PublicationKind, publication_id: str) -> str | None:
        key = _publication_key(kind, publication_id)
        rows = self._read(lambda tx: _run(tx, "publication", key=key))
        return str(rows[0]["body"]) if rows else None

    def list_publications(self, kind: PublicationKind, offset: int, limit: int) -> Page[str]:
        rows = self._read(
            lambda tx: _run(tx, "list_publications", kind=kind, offset=offset, limit=limit)
        )
        return Page(list(rows[0]["items"]), int(rows[0]["total"]), offset, limit)

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
        key = _publication_key(kind, publication_id)

        def work(tx: ManagedTransaction) -> None:
            _run(tx, "write_lock")
            found = _run(tx, "publication", key=key)
            stored = str(found[0]["body"]) if found else None
            entry = publication_entry(kind, publication_id, stored, body, expect, absent)
            if entry.after is None:
                _run(tx, "delete_publication", key=key)
            else:
                _run(tx, "put_publication", key=key, kind=kind, id=publication_id, body=entry.after)
            trail = {"at": timestamp(datetime.now(UTC)), "actor": actor, "action": action}
            _run(tx, "add_changes", rows=[_entry_row(entry)], **trail)

        self._write(work)

    def add_session(self, session: BrowserSession) -> None:
        self._write(
            lambda tx: _run(
                tx,
                "put_session",
                created=timestamp(session.created),
                token_hash=session.token_hash,
                expires=timestamp(session.expires),
                body=session.model_dump_json(),
            )
        )

    def find_session(self, token_hash: str) -> BrowserSession | None:
        rows = self._read(lambda tx: _run(tx, "session_by_hash", token_hash=token_hash))
        return BrowserSession.model_validate_json(rows[0]["body"]) if rows else None

    def end_session(self, token_hash: str) -> None:
        self._write(lambda tx: _run(tx, "end_session", token_hash=token_hash))

    def add_import(self, record: ImportRecord) -> None:
        def work(tx: ManagedTransaction) -> None:
            if _run(tx, "get_import", id=record.id):
                raise Conflict(f"an import with id '{record.id}' already exists")
            body = record.model_dump_json()
            _run(tx, "add_import", id=record.id, at=timestamp(record.at), body=body)

        self._write(work)

    def get_import(self, import_id: str) -> ImportRecord:
        rows = self._read(lambda tx: _run(tx, "get_import", id=import_id))
        if not rows:
            raise NotFound("import", import_id)
        return ImportRecord.model_validate_json(rows[0]["body"])

    def list_imports(self, offset: int, limit: int) -> Page[ImportRecord]:
        parameters = {"offset": offset, "limit": limit}
        row = self._read(lambda tx: _run(tx, "list_imports", **parameters))[0]
        items = [ImportRecord.model_validate_json(body) for body in row["items"]]
        return Page(items=items, total=int(row["total"]), offset=offset, limit=limit)

    def decide_candidate(
        self,
        import_id: str,
        candidate_id: str,
        decision: Decision,
        actor: str,
        at: datetime,
        expected: Decision,
    ) -> ImportRecord:
        """Lock the import's node, then read, check and write it in one transaction."""

        def work(tx: ManagedTransaction) -> ImportRecord:
            if not _run(tx, "lock_import", id=import_id)[0]["locked"]:
                raise NotFound("import", import_id)
            stored = _run(tx, "get_import", id=import_id)[0]["body"]
            record = ImportRecord.model_validate_json(stored).decide(
                candidate_id, decision, actor, at, expected
            )
            _run(tx, "put_import", id=import_id, body=record.model_dump_json())
            return record

        return self._write(work)

    def reject_duplicate(self, first: str, second: str, actor: str, at: datetime) -> RejectedPair:
        """``MERGE`` on the two ids, which the ``rejected_pair`` constraint keeps unique."""
        pair = RejectedPair.of(first, second, actor, at)
        rows = self._write(
            lambda tx: _run(
                tx, "reject_pair", first=pair.first, second=pair.second, body=pair.model_dump_json()
            )
        )
        return RejectedPair.model_validate_json(rows[0]["body"])

    def rejected_duplicates(self) -> list[RejectedPair]:
        rows = self._read(lambda tx: _run(tx, "rejected_pairs"))
        return [RejectedPair.model_validate_json(row["body"]) for row in rows]

    def get_organization(self, organization_id: str) -> Organization:
        rows = self._read(lambda tx: _run(tx, "get_organization", id=organization_id))
        if not rows:
            raise NotFound("organization", organization_id)
        return read_organization(rows[0]["organization"])

    def get_relationship(self, relationship_id: str) -> Relationship:
        rows = self._read(lambda tx: _run(tx, "relationships_by_id", ids=[relationship_id]))
        if not rows:
            raise NotFound("relationship", relationship_id)
        return read_relationship(rows[0]["relationship"])

    def get_organizations(self, organization_ids: Collection[str]) -> list[Organization]:
        ids = set(organization_ids)
        return self._read(lambda tx: _organizations(tx, ids))

    def adjacent(
        self, organization_ids: Collection[str], types: Collection[str], direction: Direction
    ) -> list[Relationship]:
        parameters = {"ids": sorted(set(organization_ids)), "types": sorted(set(types))}

        def work(tx: ManagedTransaction) -> list[Relationship]:
            names = {"in": ["adjacent_in"], "out": ["adjacent_out"]}
            found = {
                rel.id: rel
                for name in names.get(direction, ["adjacent_in", "adjacent_out"])
                for rel in (
                    read_relationship(r["relationship"]) for r in _run(tx, name, **parameters)
                )
            }
            return [found[k] for k in sorted(found)]

        return self._read(work)

    def reach(
        self,
        organization_id: str,
        types: Collection[str],
        direction: Literal["in", "out"],
        depth: int,
    ) -> Subgraph:
        """One ``adjacent_in`` or ``adjacent_out`` query per layer, then the organisations
        met, all in one transaction (an unknown organisation has no ties, so the walk from it
        finds nothing and it is found missing at the end)."""
        wanted = sorted(set(types))
        name = f"adjacent_{direction}"

        def work(tx: ManagedTransaction) -> Subgraph:
            hops = {organization_id: 0}
            ties: list[Relationship] = []
            frontier = [organization_id]
            for hop in range(1, depth + 1):
                if not frontier:
                    break
                rows = _run(tx, name, ids=frontier, types=wanted)
                layer = [read_relationship(row["relationship"]) for row in rows]
                ties += layer
                far = (rel.source if direction == "in" else rel.target for rel in layer)
                frontier = [i for i in dict.fromkeys(far) if i not in hops]
                hops.update((i, hop) for i in frontier)
            orgs = _organizations(tx, hops)
            if organization_id not in {o.id for o in orgs}:
                raise NotFound("organization", organization_id)
            return Subgraph(
                organizations=orgs,
                relationships=sorted(ties, key=lambda r: r.id),
                distances=dict(sorted(hops.items())),
            )

        return self._read(work)

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
        """``shortest_routes.cypher`` (Cypher's ``ALL SHORTEST``) in one transaction; every
        route, whatever ``first`` asks (one query answers both as fast).

        The routes found are then checked with the caller's rules (``routes.passing``); if
        none passes throughout, the query runs again without the ties and organisations that
        failed (and any that failed before). Each run leaves out at least one more, so this
        ends; and since only what fails is left out, no route of the counted graph is lost,
        so the first routes that pass are its shortest ones. The ends come with the first
        run, so a search between ends that do not count is made, then dropped.
        """
        if max_depth > MAX_ROUTE:
            raise InvalidQuery("max_depth", f"routes longer than {MAX_ROUTE} ties are not searched")
        parameters = {"start": start, "end": end, "types": sorted(set(types))}

        def work(tx: ManagedTransaction) -> Subgraph:
            if start == end:
                return _route_to_itself(tx, start, organization_counts)
            skip_ties: set[str] = set()
            skip_organizations: set[str] = set()
            while True:
                row = _run(
                    tx,
                    "shortest_routes",
                    **parameters,
                    max_depth=max_depth,
                    skip_ties=sorted(skip_ties),
                    skip_organizations=sorted(skip_organizations),
                )[0]
                for organization_id, key in ((end, "end"), (start, "start")):
                    if row[key] is None:
                        raise NotFound("organization", organization_id)
                first, last = read_organization(row["start"]), read_organization(row["end"])
                if not (row["steps"] and organization_counts(first) and organization_counts(last)):
                    return Subgraph([], [], {})
                hops = {start: 0}
                ties: dict[str, Relationship] = {}
                for step in row["steps"]:
                    rel = read_relationship(step["relationship"])
                    near, hop = step["near"], int(step["hop"])
                    ties[rel.id] = rel
                    hops[near] = hop
                    hops[rel.target if rel.source == near else rel.source] = hop + 1
                orgs = [first, *(read_organization(o) for o in row["organizations"])]
                found = Subgraph(
                    organizations=sorted(orgs, key=lambda o: o.id),
                    relationships=[ties[k] for k in sorted(ties)],
                    distances=dict(sorted(hops.items())),
                )
                kept = passing(found, start, end, tie_counts, organization_counts)
                if kept.organizations:
                    return kept
                skip_ties |= {k for k, t in ties.items() if not tie_counts(t)}
                skip_organizations |= {o.id for o in orgs if not organization_counts(o)}

        return self._read(work)

    def list_organizations(
        self, where: OrganizationFilter, offset: int, limit: int
    ) -> Page[Organization]:
        parameters = {
            "q": None if where.q is None else fold(where.q),
            "type": where.type,
            "movement": where.movement,
            "country": where.country,
            "sector": where.sector,
            "offset": offset,
            "limit": limit,
        }
        row = self._read(lambda tx: _run(tx, "list_organizations", **parameters))[0]
        items = [read_organization(o) for o in row["items"]]
        return Page(items=items, total=int(row["total"]), offset=offset, limit=limit)

    def list_relationships(
        self, where: RelationshipFilter, offset: int, limit: int
    ) -> Page[Relationship]:
        parameters = {
            "type": where.type,
            "source": where.source,
            "target": where.target,
            "offset": offset,
            "limit": limit,
        }
        row = self._read(lambda tx: _run(tx, "list_relationships", **parameters))[0]
        items = [read_relationship(r) for r in row["items"]]
        return Page(items=items, total=int(row["total"]), offset=offset, limit=limit)

    def ego_network(self, organization_id: str, depth: int) -> Subgraph:
        def work(tx: ManagedTransaction) -> Subgraph:
            if not _run(tx, "get_organization", id=organization_id):
                raise NotFound("organization", organization_id)
            distances = {organization_id: 0}
            frontier = [organization_id]
            for hop in range(1, depth + 1):
                found = [row["id"] for row in _run(tx, "neighbours", frontier=frontier)]
                frontier = [i for i in found if i not in distances]
                distances.update((i, hop) for i in frontier)
                if not frontier:
                    break
            rows = _run(tx, "subgraph", ids=list(distances))
            orgs = sorted((read_organization(r["organization"]) for r in rows), key=lambda o: o.id)
            rels = sorted(
                (read_relationship(rel) for r in rows for rel in r["relationships"]),
                key=lambda r: r.id,
            )
            return Subgraph(orgs, rels, dict(sorted(distances.items())))

        return self._read(work)

    def export(self) -> Document:
        def work(tx: ManagedTransaction) -> Document:
            orgs = [read_organization(r["organization"]) for r in _run(tx, "all_organizations")]
            rels = [read_relationship(r["relationship"]) for r in _run(tx, "all_relationships")]
            return Document(organizations=orgs, relationships=rels)

        return self._read(work)

    def counts(self) -> Counts:
        def work(tx: ManagedTransaction) -> Counts:
            org_types = {r["key"]: int(r["n"]) for r in _run(tx, "count_organizations")}
            rel_types = {r["key"]: int(r["n"]) for r in _run(tx, "count_relationships")}
            version = int(_run(tx, "version")[0]["version"])
            return Counts(
                organizations=sum(org_types.values()),
                relationships=sum(rel_types.values()),
                organization_types=dict(sorted(org_types.items())),
                relationship_types=dict(sorted(rel_types.items())),
                version=version,
            )

        return self._read(work)

    def clear(self) -> None:
        def work(tx: ManagedTransaction) -> None:
            _run(tx, "clear")
            _run(tx, "clear_imports")
            _run(tx, "bump_version")

        self._write(work)

    def close(self) -> None:
        self._driver.close()
