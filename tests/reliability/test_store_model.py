"""Stateful model test: random sequences of edits, imports and reads against each backend.

Hypothesis drives a store through the same write functions the API uses
(``app.curation.records``) and through ``load``, and after every step compares it with a
reference model written here in plain Python: two dicts of records and the rules the
protocol's docstrings state (a create needs a free id, a stale If-Match is refused, an
organisation with ties is deleted only with cascade, a load inserts or replaces by id and an
invalid one writes nothing, the version grows only when something changed, one audit entry
per changed record). The model never calls the store's planning code, so a shared mistake
there would still show up as a divergence.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from pydantic import ValidationError

from app.curation import records
from app.domain.edits import Change, Kind, etag
from app.domain.errors import (
    Conflict,
    InvalidData,
    NotFound,
    PreconditionFailed,
    SolGraphError,
)
from app.domain.models import Document, Organization, Relationship
from app.domain.text import fold
from app.domain.vocabulary import vocabulary
from app.store.memory import MemoryStore
from app.store.protocol import (
    ChangeFilter,
    Changes,
    Direction,
    GraphStore,
    LoadReport,
    OrganizationFilter,
    Page,
    RelationshipFilter,
)
from tests.reliability.profile import count, scaled

T = TypeVar("T")
Record = Organization | Relationship
Tags = list[str] | None
Row = tuple[str, str, str, str | None, str | None]
"""An audit entry as the model predicts it: kind, id, change, canonical before and after JSON."""

RULES = vocabulary().relationship_types
ORG_IDS = ("o0", "o1", "o2", "o3", "o4")
REL_IDS = ("r0", "r1", "r2", "r3", "r4", "r5")
MOVEMENT = {
    "trade_union": "labour",
    "cooperative": "sse",
    "ngo": "enabler",
    "funder": "enabler",
    "public_body": "public",
}
"""Organisation types used, with a fitting movement; public bodies make some ties invalid."""
REL_TYPES = ("PARTNERS_WITH", "FUNDS", "ENABLES", "ADVOCATES_TO")
"""Types whose rules differ (vocabulary.yaml): ADVOCATES_TO needs a public target, PARTNERS_WITH
joins no public body, FUNDS and ENABLES may start at one; ENABLES needs a mode."""
COUNTRIES = ("CO", "KE")
SECTORS = ("domestic_work", "waste_picking")
SOURCE = {"citation": "Generated", "locator": "tests/reliability/test_store_model.py"}
ALL = ChangeFilter()
ACTOR = "model-test"

names = st.text("abzAZéÉñ -", min_size=1, max_size=6).filter(lambda s: s.strip() != "")


# --- records ------------------------------------------------------------------------------


@st.composite
def organizations(draw: st.DrawFn, ids: Sequence[str]) -> Organization:
    """A valid organisation with an id from ``ids``; small value ranges, so equal ones recur."""
    org_type = draw(st.sampled_from(sorted(MOVEMENT)))
    return Organization.model_validate(
        {
            "id": draw(st.sampled_from(ids)),
            "name": draw(names),
            "aliases": draw(st.lists(names, max_size=2)),
            "type": org_type,
            "movement": MOVEMENT[org_type],
            "countries": draw(st.lists(st.sampled_from(COUNTRIES), unique=True, max_size=2)),
            "sectors": draw(st.lists(st.sampled_from(SECTORS), unique=True, max_size=2)),
            "founded": draw(st.none() | st.integers(2000, 2002)),
            "status": draw(st.sampled_from(["active", "emerging"])),
            "sources": [SOURCE],
        }
    )


@st.composite
def _relationship(draw: st.DrawFn, rel_id: str, ends: tuple[str, str, str]) -> Relationship:
    rel_type, source, target = ends
    data: dict[str, Any] = {
        "id": rel_id,
        "type": rel_type,
        "source": source,
        "target": target,
        "since": draw(st.none() | st.integers(2000, 2002)),
        "status": draw(st.sampled_from(["active", "ended"])),
        "sources": [SOURCE],
    }
    if rel_type == "ENABLES":
        data["mode"] = draw(st.sampled_from(["direct", "indirect"]))
    if rel_type in ("ENABLES", "FUNDS"):
        data["mechanisms"] = draw(st.lists(st.sampled_from(["finance", "training"]), unique=True))
    if rel_type == "FUNDS" and draw(st.booleans()):
        data["amount"] = float(draw(st.integers(0, 3)) * 500)
        data["currency"] = "GBP"
    return Relationship.model_validate(data)


def fits(rel: Relationship, types: Mapping[str, str]) -> bool:
    """Whether both ends exist (``types`` maps ids to types) and the type rules allow them."""
    rule = RULES[rel.type]
    return (
        rel.source in types
        and rel.target in types
        and types[rel.source] in rule.source_types
        and types[rel.target] in rule.target_types
    )


def relationships(rel_id: str, types: Mapping[str, str]) -> st.SearchStrategy[Relationship]:
    """A relationship with this id: mostly one that fits ``types``, else with any ends."""
    anything = st.tuples(
        st.sampled_from(REL_TYPES), st.sampled_from(ORG_IDS), st.sampled_from(ORG_IDS)
    ).filter(lambda ends: ends[1] != ends[2])
    fitting = [
        (rel_type, source, target)
        for rel_type in REL_TYPES
        for source in sorted(types)
        for target in sorted(types)
        if source != target
        and types[source] in RULES[rel_type].source_types
        and types[target] in RULES[rel_type].target_types
    ]
    ends = anything
    if fitting:
        ends = st.sampled_from([True, True, False]).flatmap(
            lambda fit: st.sampled_from(fitting) if fit else anything
        )
    return ends.flatmap(lambda chosen: _relationship(rel_id, chosen))


ORG_PATCHES: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "name": names | st.just("  "),
            "aliases": st.none() | st.lists(names, max_size=2),
            "countries": st.none() | st.lists(st.sampled_from([*COUNTRIES, "XX"]), max_size=2),
            "founded": st.none() | st.integers(2000, 2002) | st.just(1700),
            "status": st.sampled_from(["active", "inactive"]),
            "description": st.none() | st.just("Described"),
        },
    ),
    st.sampled_from(sorted(MOVEMENT)).map(lambda t: {"type": t, "movement": MOVEMENT[t]}),
    st.sampled_from([{"id": "o9"}, {"sources": None}, {"type": "nonsense"}]),
)
"""Merge patches of an organisation: field changes, retypes, and some that must be refused."""

REL_PATCHES: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "since": st.none() | st.integers(2000, 2002),
            "until": st.none() | st.integers(2000, 2002),
            "status": st.sampled_from(["active", "ended"]),
            "mode": st.none() | st.just("direct"),
            "mechanisms": st.none() | st.just(["finance"]),
        },
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "source": st.sampled_from([*ORG_IDS, "ghost"]),
            "target": st.sampled_from(ORG_IDS),
            "type": st.sampled_from(REL_TYPES),
        },
    ),
    st.sampled_from([{"id": "r9"}, {"sources": None}]),
)
"""Merge patches of a relationship: re-pointing and retyping included, often invalid."""


QUERIES = names | st.sampled_from(["É", "N", "z", "a b", " "])
ORG_FILTERS = st.one_of(
    st.just(OrganizationFilter()),
    st.builds(OrganizationFilter, q=QUERIES),
    st.builds(OrganizationFilter, type=st.sampled_from(sorted(MOVEMENT))),
    st.builds(
        OrganizationFilter,
        movement=st.sampled_from(sorted(set(MOVEMENT.values()))),
        country=st.none() | st.sampled_from(COUNTRIES),
    ),
    st.builds(
        OrganizationFilter,
        q=st.none() | QUERIES,
        type=st.none() | st.sampled_from(sorted(MOVEMENT)),
        movement=st.none() | st.sampled_from(sorted(set(MOVEMENT.values()))),
        country=st.none() | st.sampled_from(COUNTRIES),
        sector=st.none() | st.sampled_from(SECTORS),
    ),
)
"""Organisation list filters: none, one, or several at once (which rarely match)."""


def canonical(value: Record | Mapping[str, Any] | None) -> str | None:
    """A record's interchange JSON (or an audit entry's dict) as comparable text."""
    if value is None:
        return None
    data = json.loads(value.model_dump_json()) if isinstance(value, Record) else dict(value)
    return json.dumps(data, sort_keys=True)


def row(change: Change) -> Row:
    return (
        change.entity,
        change.id,
        change.change,
        canonical(change.before),
        canonical(change.after),
    )


# --- reference model ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What the model says a write must do: raise ``error``, or leave ``orgs`` and ``rels``."""

    error: type[SolGraphError] | None = None
    current: str | None = None
    """The ETag a ``PreconditionFailed`` must name (``None``: the record is gone)."""
    orgs: dict[str, Organization] = field(default_factory=dict)
    rels: dict[str, Relationship] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    report: LoadReport = field(default_factory=lambda: LoadReport(Changes(), Changes()))


def refused(error: type[SolGraphError], current: str | None = None) -> Outcome:
    return Outcome(error=error, current=current)


def _diff(
    kind: Kind, old: Mapping[str, Record], new: Mapping[str, Record], puts: Iterable[str]
) -> tuple[list[Row], Changes]:
    """Entries and counts of going from ``old`` to ``new`` when ``puts`` were written."""
    unchanged = sum(old.get(i) == new[i] for i in puts)
    rows: list[Row] = []
    tally: Counter[str] = Counter()
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        change = "created" if before is None else "deleted" if after is None else "updated"
        tally[change] += 1
        rows.append((kind, key, change, canonical(before), canonical(after)))
    return rows, Changes(tally["created"], tally["updated"], unchanged, tally["deleted"])


class Model:
    """The graph as two dicts, and each write's expected effect worked out from the rules."""

    def __init__(self) -> None:
        self.orgs: dict[str, Organization] = {}
        self.rels: dict[str, Relationship] = {}

    def types(self) -> dict[str, str]:
        return {key: org.type for key, org in self.orgs.items()}

    def stored(self, kind: Kind, key: str) -> Record | None:
        return self.orgs.get(key) if kind == "organization" else self.rels.get(key)

    def _commit(
        self,
        orgs: dict[str, Organization],
        rels: dict[str, Relationship],
        puts: Sequence[Record] = (),
    ) -> Outcome:
        org_rows, org_changes = _diff(
            "organization", self.orgs, orgs, [r.id for r in puts if isinstance(r, Organization)]
        )
        rel_rows, rel_changes = _diff(
            "relationship", self.rels, rels, [r.id for r in puts if isinstance(r, Relationship)]
        )
        return Outcome(
            orgs=orgs,
            rels=rels,
            rows=org_rows + rel_rows,
            report=LoadReport(org_changes, rel_changes),
        )

    def _put(self, puts: Sequence[Record]) -> Outcome:
        """Insert or replace by id; refused if any tie of the result breaks the rules."""
        orgs, rels = dict(self.orgs), dict(self.rels)
        for record in puts:
            if isinstance(record, Organization):
                orgs[record.id] = record
            else:
                rels[record.id] = record
        types = {key: org.type for key, org in orgs.items()}
        if not all(fits(rel, types) for rel in rels.values()):
            return refused(InvalidData)
        return self._commit(orgs, rels, puts)

    def _precondition(self, kind: Kind, key: str, tags: Tags) -> Outcome | None:
        stored = self.stored(kind, key)
        if stored is None:
            return refused(NotFound if tags is None else PreconditionFailed)
        if tags is not None and etag(stored) not in tags:
            return refused(PreconditionFailed, etag(stored))
        return None

    def create(self, record: Record) -> Outcome:
        kind: Kind = "organization" if isinstance(record, Organization) else "relationship"
        if self.stored(kind, record.id) is not None:
            return refused(Conflict)
        return self._put([record])

    def replace(self, kind: Kind, key: str, record: Record, tags: Tags) -> Outcome:
        if record.id != key:
            return refused(InvalidData)
        return self._precondition(kind, key, tags) or self._put([record])

    def patch(self, kind: Kind, key: str, fields: Mapping[str, Any], tags: Tags) -> Outcome:
        """A one-level JSON merge patch: ``None`` removes a field (back to its default)."""
        refusal = self._precondition(kind, key, tags)
        if refusal is not None:
            return refusal
        stored = self.stored(kind, key)
        assert stored is not None
        data = stored.model_dump(mode="json", exclude_none=True)
        for name, value in fields.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        model = Organization if kind == "organization" else Relationship
        try:
            record = model.model_validate(data)
        except ValidationError:
            return refused(InvalidData)
        if record.id != key:
            return refused(InvalidData)
        return self._put([record])

    def delete(self, kind: Kind, key: str, tags: Tags, cascade: bool) -> Outcome:
        pending = self._precondition(kind, key, tags)
        if pending is not None:
            return pending
        orgs, rels = dict(self.orgs), dict(self.rels)
        if kind == "relationship":
            del rels[key]
            return self._commit(orgs, rels)
        ties = [r.id for r in rels.values() if key in (r.source, r.target)]
        if ties and not cascade:
            return refused(Conflict)
        for tie in ties:
            del rels[tie]
        del orgs[key]
        return self._commit(orgs, rels)

    def load(self, document: Document) -> Outcome:
        for ids in (
            [o.id for o in document.organizations],
            [r.id for r in document.relationships],
        ):
            if len(set(ids)) != len(ids):
                return refused(InvalidData)
        return self._put([*document.organizations, *document.relationships])


def expected_organizations(
    orgs: Iterable[Organization], where: OrganizationFilter
) -> list[Organization]:
    """The filter as the protocol words it, ordered by folded name, then id."""
    hits = [
        o
        for o in orgs
        if (where.type is None or o.type == where.type)
        and (where.movement is None or o.movement == where.movement)
        and (where.country is None or where.country in o.countries)
        and (where.sector is None or where.sector in o.sectors)
        and (where.q is None or any(fold(where.q) in fold(n) for n in (o.name, *o.aliases)))
    ]
    return sorted(hits, key=lambda o: (fold(o.name), o.id))


def page(items: list[T], offset: int, limit: int) -> Page[T]:
    return Page(items[offset : offset + limit], len(items), offset, limit)


# --- the state machine --------------------------------------------------------------------


class StoreMachine(RuleBasedStateMachine):
    """One backend driven by Hypothesis and checked against ``Model`` after every step.

    Subclasses say how to get an empty store (``open_store``) and let go of it (``teardown``).
    """

    def __init__(self) -> None:
        super().__init__()
        count("store sequences")
        self.store = self.open_store()
        self.model = Model()
        self.version = self.store.version()
        self.trail = self.store.changes(ALL, 0, 1).total
        assert self.trail == 0, "the store starts without audit entries"
        self.dirty = False
        self.seen: dict[tuple[Kind, str], set[str]] = {}
        self.history: dict[tuple[str, str], list[tuple[str, str | None, str | None, str]]] = {}
        self.loaded: Document | None = None

    def open_store(self) -> GraphStore:
        raise NotImplementedError

    # helpers

    def key(self, data: st.DataObject, kind: Kind, free: bool = False) -> str:
        """An id of this kind: mostly a stored one (a free one if ``free``), else any."""
        pool = ORG_IDS if kind == "organization" else REL_IDS
        stored = self.model.orgs if kind == "organization" else self.model.rels
        likely = [i for i in pool if (i in stored) != free]
        ids = st.sampled_from(pool)
        if likely:
            ids = st.sampled_from([True, True, False]).flatmap(
                lambda known: st.sampled_from(likely) if known else st.sampled_from(pool)
            )
        return data.draw(ids, label=f"{kind} id")

    def tags(self, data: st.DataObject, kind: Kind, key: str) -> Tags:
        """An If-Match list: none, the current tag, a stale one, or a stale and the current."""
        stored = self.model.stored(kind, key)
        now = [] if stored is None else [etag(stored)]
        stale = sorted(self.seen.get((kind, key), set()) - set(now)) or ["0" * 32]
        old = data.draw(st.sampled_from(stale), label="stale tag")
        choices: list[Tags] = [None, now or [old], [old], [old, *now]]
        return data.draw(st.sampled_from(choices), label="if_match")

    def write(self, expected: Outcome, action: Callable[[], T], verb: str) -> T | None:
        """Run ``action``; check its error or its audit entries; adopt the model's new state."""
        count("store steps")
        if expected.error is not None:
            with pytest.raises(SolGraphError) as caught:
                action()
            assert type(caught.value) is expected.error, repr(caught.value)
            if isinstance(caught.value, PreconditionFailed):
                assert caught.value.current == expected.current
            return None
        result = action()
        new = self.store.changes(ALL, self.trail, 10_000).items
        assert sorted(row(c) for c in new) == sorted(expected.rows)
        assert all((c.actor, c.action) == (ACTOR, verb) for c in new)
        assert [c.seq for c in new] == sorted({c.seq for c in new})
        for kind, key, change, before, after in expected.rows:
            self.history.setdefault((kind, key), []).append((change, before, after, verb))
        self.trail += len(new)
        self.dirty = self.dirty or bool(new)
        self.model.orgs, self.model.rels = expected.orgs, expected.rels
        return result

    # writes

    @initialize(data=st.data())
    def start_from_a_graph(self, data: st.DataObject) -> None:
        """Begin each sequence with a small graph that fits the rules, loaded in one go."""
        orgs = data.draw(
            st.lists(organizations(ORG_IDS), min_size=2, max_size=5, unique_by=lambda o: o.id)
        )
        types = {o.id: o.type for o in orgs}
        keys = data.draw(st.lists(st.sampled_from(REL_IDS), min_size=1, max_size=5, unique=True))
        rels = [data.draw(relationships(key, types)) for key in keys]
        self._load(Document(organizations=orgs, relationships=[r for r in rels if fits(r, types)]))

    @rule(data=st.data())
    def create_organization(self, data: st.DataObject) -> None:
        record = data.draw(organizations([self.key(data, "organization", free=True)]))
        done = self.write(
            self.model.create(record),
            lambda: records.create(self.store, "organization", record, ACTOR),
            "create",
        )
        assert done in (None, record)

    @rule(data=st.data())
    def create_relationship(self, data: st.DataObject) -> None:
        key = self.key(data, "relationship", free=True)
        record = data.draw(relationships(key, self.model.types()))
        self.write(
            self.model.create(record),
            lambda: records.create(self.store, "relationship", record, ACTOR),
            "create",
        )

    @rule(data=st.data())
    def replace_organization(self, data: st.DataObject) -> None:
        key = self.key(data, "organization")
        bodies = [organizations([key, key, key, "o9"])]
        stored = self.model.orgs.get(key)
        if stored is not None:
            retyped = st.sampled_from(sorted(MOVEMENT)).map(
                lambda t: Organization.model_validate(
                    {**stored.model_dump(), "type": t, "movement": MOVEMENT[t]}
                )
            )
            bodies += [st.just(stored), retyped]
        body = data.draw(st.one_of(bodies))
        tags = self.tags(data, "organization", key)
        self.write(
            self.model.replace("organization", key, body, tags),
            lambda: records.replace(self.store, "organization", key, body, ACTOR, tags),
            "replace",
        )

    @rule(data=st.data())
    def replace_relationship(self, data: st.DataObject) -> None:
        key = self.key(data, "relationship")
        stored = self.model.rels.get(key)
        fresh = st.sampled_from([key, key, key, "r9"]).flatmap(
            lambda i: relationships(i, self.model.types())
        )
        body = data.draw(fresh if stored is None else st.just(stored) | fresh)
        tags = self.tags(data, "relationship", key)
        self.write(
            self.model.replace("relationship", key, body, tags),
            lambda: records.replace(self.store, "relationship", key, body, ACTOR, tags),
            "replace",
        )

    @rule(data=st.data(), kind=st.sampled_from(["organization", "relationship"]))
    def patch_record(self, data: st.DataObject, kind: Kind) -> None:
        key = self.key(data, kind)
        patches = ORG_PATCHES if kind == "organization" else REL_PATCHES
        fields: dict[str, Any] = data.draw(patches)
        tags = self.tags(data, kind, key)
        expected = self.model.patch(kind, key, fields, tags)
        done = self.write(
            expected,
            lambda: records.patch(self.store, kind, key, fields, ACTOR, tags),
            "update",
        )
        if done is not None:
            assert done == self.model.stored(kind, key)

    @rule(data=st.data(), kind=st.sampled_from(["organization", "relationship"]))
    def delete_record(self, data: st.DataObject, kind: Kind) -> None:
        key = self.key(data, kind)
        tags = self.tags(data, kind, key)
        cascade = kind == "organization" and data.draw(st.booleans(), label="cascade")
        expected = self.model.delete(kind, key, tags, cascade)
        report = self.write(
            expected,
            lambda: records.delete(self.store, kind, key, ACTOR, tags, cascade),
            "delete",
        )
        if report is not None:
            assert report == expected.report

    @rule(
        data=st.data(),
        flaw=st.sampled_from([None, None, None, "duplicate", "ghost", "misfit"]),
    )
    def load_document(self, data: st.DataObject, flaw: str | None) -> None:
        """Import a small document; some carry a flaw that must make the whole load refused."""
        orgs = data.draw(st.lists(organizations(ORG_IDS), max_size=3, unique_by=lambda o: o.id))
        types = {**self.model.types(), **{o.id: o.type for o in orgs}}
        keys = data.draw(st.lists(st.sampled_from(REL_IDS), max_size=3, unique=True))
        rels = [data.draw(relationships(key, types)) for key in keys]
        if flaw == "duplicate":
            if orgs:
                orgs.append(orgs[0])
            else:
                rels += rels[:1]
        elif flaw == "ghost":
            rels.append(_ghost_tie())
        elif flaw == "misfit":
            orgs += [_ngo("o8"), _ngo("o9")]
            rels.append(_misfit_tie())
        self._load(Document(organizations=orgs, relationships=rels))

    @precondition(lambda self: self.loaded is not None)
    @rule()
    def reload_document(self) -> None:
        """Load the last document that loaded again: nothing changes unless edits undid it."""
        assert self.loaded is not None
        self._load(self.loaded)

    def _load(self, document: Document) -> None:
        expected = self.model.load(document)
        problems = self.store.check(document)
        assert bool(problems) == (expected.error is InvalidData), problems
        report = self.write(expected, lambda: self.store.load(document, actor=ACTOR), "load")
        if report is not None:
            assert report == expected.report
            self.loaded = document

    # reads

    @rule(data=st.data())
    def get_records(self, data: st.DataObject) -> None:
        count("store steps")
        org_id = data.draw(st.sampled_from([*ORG_IDS, "ghost"]))
        stored_org = self.model.orgs.get(org_id)
        if stored_org is None:
            with pytest.raises(NotFound):
                self.store.get_organization(org_id)
        else:
            assert self.store.get_organization(org_id) == stored_org
        rel_id = data.draw(st.sampled_from([*REL_IDS, "ghost"]))
        stored_rel = self.model.rels.get(rel_id)
        if stored_rel is None:
            with pytest.raises(NotFound):
                self.store.get_relationship(rel_id)
        else:
            assert self.store.get_relationship(rel_id) == stored_rel
        ids = data.draw(st.lists(st.sampled_from([*ORG_IDS, "ghost"]), max_size=4))
        wanted = [self.model.orgs[i] for i in sorted(set(ids)) if i in self.model.orgs]
        assert self.store.get_organizations(ids) == wanted

    @rule(where=ORG_FILTERS, offset=st.integers(0, 2), limit=st.integers(1, 6))
    def list_organizations(self, where: OrganizationFilter, offset: int, limit: int) -> None:
        count("store steps")
        hits = expected_organizations(self.model.orgs.values(), where)
        assert self.store.list_organizations(where, offset, limit) == page(hits, offset, limit)

    @rule(
        where=st.builds(
            RelationshipFilter,
            type=st.none() | st.sampled_from(REL_TYPES),
            source=st.none() | st.sampled_from(ORG_IDS),
            target=st.none() | st.sampled_from(ORG_IDS),
        ),
        offset=st.integers(0, 2),
        limit=st.integers(1, 6),
    )
    def list_relationships(self, where: RelationshipFilter, offset: int, limit: int) -> None:
        count("store steps")
        hits = [
            r
            for _, r in sorted(self.model.rels.items())
            if (where.type is None or r.type == where.type)
            and (where.source is None or r.source == where.source)
            and (where.target is None or r.target == where.target)
        ]
        assert self.store.list_relationships(where, offset, limit) == page(hits, offset, limit)

    @rule(
        ids=st.lists(st.sampled_from([*ORG_IDS, "ghost"]), max_size=3),
        types=st.lists(st.sampled_from(REL_TYPES), unique=True),
        direction=st.sampled_from(["in", "out", "both"]),
    )
    def adjacent(self, ids: list[str], types: list[str], direction: Direction) -> None:
        count("store steps")
        hits = [
            r
            for _, r in sorted(self.model.rels.items())
            if r.type in types
            and (
                (direction != "out" and r.target in ids) or (direction != "in" and r.source in ids)
            )
        ]
        assert self.store.adjacent(ids, types, direction) == hits

    @rule(centre=st.sampled_from([*ORG_IDS, "ghost"]), depth=st.integers(1, 3))
    def ego_network(self, centre: str, depth: int) -> None:
        count("store steps")
        if centre not in self.model.orgs:
            with pytest.raises(NotFound):
                self.store.ego_network(centre, depth)
            return
        reach = {centre: 0}
        for hop in range(1, depth + 1):
            for rel in self.model.rels.values():
                for near, far in ((rel.source, rel.target), (rel.target, rel.source)):
                    if reach.get(near) == hop - 1 and far not in reach:
                        reach[far] = hop
        found = self.store.ego_network(centre, depth)
        assert found.distances == dict(sorted(reach.items()))
        assert found.organizations == [self.model.orgs[i] for i in sorted(reach)]
        assert found.relationships == [
            r for _, r in sorted(self.model.rels.items()) if {r.source, r.target} <= reach.keys()
        ]

    @rule(kind=st.sampled_from(["organization", "relationship"]), data=st.data())
    def audit_of_record(self, kind: Kind, data: st.DataObject) -> None:
        """One record's audit trail, oldest first: it outlives the record."""
        count("store steps")
        key = data.draw(st.sampled_from(ORG_IDS if kind == "organization" else REL_IDS))
        trail = self.store.changes(ChangeFilter(entity=kind, id=key), 0, 10_000)
        got = [(c.change, canonical(c.before), canonical(c.after), c.action) for c in trail.items]
        assert got == self.history.get((kind, key), [])
        assert trail.total == len(got)

    # after every step

    @invariant()
    def agrees_with_model(self) -> None:
        """Export, counts, version and the trail's length are what the model says."""
        orgs, rels = self.model.orgs, self.model.rels
        assert self.store.export() == Document(
            organizations=[orgs[i] for i in sorted(orgs)],
            relationships=[rels[i] for i in sorted(rels)],
        )
        counts = self.store.counts()
        assert (counts.organizations, counts.relationships) == (len(orgs), len(rels))
        assert counts.organization_types == dict(
            sorted(Counter(o.type for o in orgs.values()).items())
        )
        assert counts.relationship_types == dict(
            sorted(Counter(r.type for r in rels.values()).items())
        )
        version = self.store.version()
        assert counts.version == version
        if self.dirty:
            assert version > self.version, "a write that changed the graph bumps the version"
        else:
            assert version == self.version, "a step that changed nothing keeps the version"
        self.version, self.dirty = version, False
        assert self.store.changes(ALL, 0, 1).total == self.trail
        for key, org in orgs.items():
            self.seen.setdefault(("organization", key), set()).add(etag(org))
        for key, rel in rels.items():
            self.seen.setdefault(("relationship", key), set()).add(etag(rel))


def _ngo(key: str) -> Organization:
    return Organization.model_validate(
        {"id": key, "name": key.upper(), "type": "ngo", "movement": "enabler", "sources": [SOURCE]}
    )


def _ghost_tie() -> Relationship:
    """A tie to an organisation that exists nowhere."""
    return Relationship.model_validate(
        {
            "id": "r9",
            "type": "PARTNERS_WITH",
            "source": "o0",
            "target": "ghost",
            "sources": [SOURCE],
        }
    )


def _misfit_tie() -> Relationship:
    """An NGO advocating to an NGO: ADVOCATES_TO needs a public body or institution as target."""
    return Relationship.model_validate(
        {"id": "r9", "type": "ADVOCATES_TO", "source": "o8", "target": "o9", "sources": [SOURCE]}
    )


class MemoryMachine(StoreMachine):
    """The embedded store, in a fresh folder per sequence."""

    def open_store(self) -> GraphStore:
        self.folder = tempfile.TemporaryDirectory(prefix="solgraph-model-")
        self.memory = MemoryStore(Path(self.folder.name))
        return self.memory

    def teardown(self) -> None:
        self.memory.close()
        self.folder.cleanup()


def machine_settings(sequences: int, steps: int) -> settings:
    return settings(
        max_examples=sequences,
        stateful_step_count=steps,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.mark.timeout(scaled(300, 3600))
def test_memory_store_follows_the_model() -> None:
    run_state_machine_as_test(
        MemoryMachine, settings=machine_settings(scaled(15, 200), scaled(20, 50))
    )


@pytest.mark.neo4j
@pytest.mark.timeout(scaled(300, 3600))
def test_neo4j_store_follows_the_model(neo4j_store: GraphStore) -> None:
    class Neo4jMachine(StoreMachine):
        """The session's Neo4j store, cleared at the start of each sequence."""

        def open_store(self) -> GraphStore:
            neo4j_store.clear()
            return neo4j_store

    run_state_machine_as_test(
        Neo4jMachine, settings=machine_settings(scaled(8, 200), scaled(20, 50))
    )
