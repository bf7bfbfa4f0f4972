"""How strongly the sources back a fact: the basis of a record and of each of its fields.

A source is ``stated`` (the source says it), ``imported`` (mapped mechanically from an
open-data file) or ``inferred`` (our inference from the source). A record's basis is the
strongest among the sources that bear on it as a whole; a field's, the strongest among the
sources that name it, else the record's. Analyses asked for ``basis="stated"`` see only what
sources say or publish: inferred records are left out and inferred optional fields read as
unknown (:func:`weigh`).
"""

from __future__ import annotations

from typing import Literal, TypeVar

from app.domain.models import Organization, Relationship, Source

Basis = Literal["stated", "imported", "inferred"]
Weighing = Literal["stated", "any"]
"""What an analysis counts: ``any`` fact, or only those a source ``stated`` (or published)."""

STRENGTH: dict[str, int] = {"stated": 2, "imported": 1, "inferred": 0}
"""The order of bases, strongest first: a source's words, then a file's record, then ours."""

UNKNOWABLE = frozenset(
    {
        "aliases",
        "countries",
        "sectors",
        "founded",
        "identifiers",
        "mechanisms",
        "since",
        "until",
        "level",
        "activities",
        "amount",
        "currency",
        "awarded",
        "programme",
        "reference",
    }
)
"""Fields that may be unknown: an inferred value of one of these reads as absent under
``basis="stated"``. Other fields (type, movement, mode, status) always have a value, so an
inferred one stays and is marked."""

Record = TypeVar("Record", Organization, Relationship)


def strongest(sources: list[Source]) -> Basis:
    """The strongest basis among ``sources`` (``inferred`` when there are none)."""
    best = max((s.basis for s in sources), key=STRENGTH.__getitem__, default="inferred")
    return best  # type: ignore[return-value]


def record_basis(record: Organization | Relationship) -> Basis:
    """The basis of the record as a whole: the strongest of its sources that name no field."""
    return strongest([s for s in record.sources if not s.fields])


def field_basis(record: Organization | Relationship, field: str) -> Basis:
    """The basis of one field: the strongest of the sources naming it, else the record's."""
    naming = [s for s in record.sources if field in s.fields]
    return strongest(naming) if naming else record_basis(record)


def inferred_fields(record: Organization | Relationship) -> tuple[str, ...]:
    """The fields that a source names and whose basis is ``inferred``, sorted."""
    named = sorted({f for s in record.sources for f in s.fields})
    return tuple(f for f in named if field_basis(record, f) == "inferred")


def rests_on_inference(record: Organization | Relationship) -> bool:
    """Whether the record, or any field a source names, is only our inference."""
    return record_basis(record) == "inferred" or bool(inferred_fields(record))


def evidence_years(record: Organization | Relationship) -> tuple[int, int] | None:
    """The years of the record's earliest and latest evidence, or ``None`` if none is dated."""
    years = [s.year for s in record.sources if s.year is not None]
    return (min(years), max(years)) if years else None


def weigh(record: Record, weighing: Weighing) -> Record | None:
    """The record as an analysis counting ``weighing`` sees it.

    ``any``: the record itself. ``stated``: ``None`` for a record resting on inference;
    otherwise the record with its inferred :data:`UNKNOWABLE` fields set to unknown.
    """
    if weighing == "any":
        return record
    if record_basis(record) == "inferred":
        return None
    unknown = [f for f in inferred_fields(record) if f in UNKNOWABLE]
    if not unknown:
        return record
    defaults = type(record).model_fields
    blank = {f: defaults[f].get_default(call_default_factory=True) for f in unknown}
    return record.model_copy(update=blank)
