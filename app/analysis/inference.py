"""What a finding rests on that is only our inference: one rule shared by every analysis.

A record rests on inference when no source states it as a whole (its basis is ``inferred``),
or when a field that the analyses read carries a value that only our inference gives. The
analyses read an organisation's type, movement, countries, sectors, founding year and status,
and a tie's ends, type, mechanisms, years, status and activities (not its mode: see
:data:`READ_RELATIONSHIP`; years only for an answer about a past year, :data:`DATES`); an
inferred name, alias, description or identifier, or a tie's inferred level or grant details,
changes no finding, so it marks the record (in the API views) but not the findings that use
it. Under ``basis="stated"`` an inferred optional field reads as unknown: it carries no value
and marks nothing.

Each analysis says in its docstring which records a finding rests on; this module says which
of those rest on inference.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.analysis.snapshot import Snapshot
from app.domain.evidence import inferred_fields, record_basis
from app.domain.models import Organization, Relationship

READ_ORGANIZATION = frozenset({"type", "movement", "countries", "sectors", "founded", "status"})
"""The organisation fields some analysis reads."""
READ_RELATIONSHIP = frozenset(
    {"source", "target", "type", "mechanisms", "since", "until", "status", "activities"}
)
"""The relationship fields some whole-graph analysis reads. An ENABLES tie's ``mode`` is read
only by the enablers traversal, whose answer marks each tie's inferred fields itself: the
brief calls no enabling partner direct or indirect, so counting the mode would mark every
finding that touches an enabling tie, and the mark would tell nothing."""


def inferred_values(record: Organization | Relationship) -> tuple[str, ...]:
    """The inferred fields of ``record`` that carry a value, sorted (an unknown one says
    nothing, so it rests on nothing)."""
    return tuple(f for f in inferred_fields(record) if getattr(record, f) not in (None, [], ()))


DATES = frozenset({"founded", "since", "until"})
"""Fields that only decide what was there in a past year: an answer about now (no ``as_of``)
does not rest on them, since a status says what holds now."""


def relies_on_inference(record: Organization | Relationship, dated: bool = True) -> bool:
    """Whether ``record`` rests on inference for the analyses, by the module's rule; when the
    answer is about now (``dated`` false), its years do not count (:data:`DATES`)."""
    read = READ_ORGANIZATION if isinstance(record, Organization) else READ_RELATIONSHIP
    if not dated:
        read = read - DATES
    return record_basis(record) == "inferred" or not read.isdisjoint(inferred_values(record))


def inferred_among(
    records: Iterable[Organization | Relationship], as_of: int | None
) -> tuple[str, ...]:
    """The ids of the ``records`` that rest on inference for an answer about ``as_of``,
    sorted, each once: for answers read from the store, such as the chains of a traversal."""
    dated = as_of is not None
    return tuple(sorted({r.id for r in records if relies_on_inference(r, dated)}))


def inferred_records(
    snapshot: Snapshot, records: Iterable[Organization | Relationship]
) -> tuple[str, ...]:
    """The ids of the ``records`` of ``snapshot`` that rest on inference, sorted, each once;
    each record is weighed once per snapshot, however many findings name it."""
    orgs, ties = snapshot.remember("inferred records", lambda: _inferred(snapshot))
    return tuple(
        sorted({r.id for r in records if r.id in (orgs if isinstance(r, Organization) else ties)})
    )


def _inferred(snapshot: Snapshot) -> tuple[frozenset[str], frozenset[str]]:
    """The ids of the organisations, then of the ties, of ``snapshot`` that rest on inference:
    found once per snapshot, so a finding asks a set rather than weighing its sources again."""
    orgs = [*snapshot.organizations.values(), *snapshot.absent.values()]
    ties = [*snapshot.relationships.values(), *snapshot.sought]
    dated = snapshot.as_of is not None
    return (
        frozenset(o.id for o in orgs if relies_on_inference(o, dated)),
        frozenset(r.id for r in ties if relies_on_inference(r, dated)),
    )


def ties_of(snapshot: Snapshot, organization_id: str, others: Iterable[str]) -> list[Relationship]:
    """The ties in force between ``organization_id`` and any of ``others``, either way, by id."""
    graph = snapshot.graph
    keys: set[str] = set()
    for other in others:
        keys.update(graph.succ[organization_id].get(other, {}))
        keys.update(graph.pred[organization_id].get(other, {}))
    return [snapshot.relationships[k] for k in sorted(keys)]
