"""Merging a duplicate organisation into the one that stays, planned without touching a store.

A merge keeps one record and folds the other into it: the kept organisation learns the other's
names, identifiers, countries, sectors and sources, and every relationship of the dropped one
is moved onto the kept one. Ties between the two would become loops and are deleted. A moved
tie that repeats one the kept organisation already has (same type, source and target, or for
a type the vocabulary calls symmetric, such as PARTNERS_WITH, the same two ends either way
round) is folded into it, but only when nothing is lost: see :func:`_absorb`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from app.domain.errors import InvalidData, Problem
from app.domain.models import Organization, Relationship
from app.domain.text import fold
from app.domain.vocabulary import vocabulary

T = TypeVar("T")

LIST_FIELDS = ("mechanisms", "activities", "sources")
"""Relationship fields that hold many values; a folded tie adds its values to the survivor's."""
SINGLE_FIELDS = tuple(
    name
    for name in Relationship.model_fields
    if name not in {"id", "type", "source", "target", *LIST_FIELDS}
)
"""Relationship fields that hold one value (mode, since, until, status, level, and the FUNDS
details amount, currency, awarded, programme, reference): two ties that set one of them to
different values describe different things and are not folded together."""


@dataclass(frozen=True)
class MergePlan:
    """What merging ``delete_organization`` into ``organization`` writes and deletes."""

    organization: Organization
    put_relationships: list[Relationship]
    delete_relationships: list[str]
    delete_organization: str


def _same(value: T) -> Hashable:
    """Codes and sources repeat only when equal, so each is its own key."""
    return value


def _added(first: Iterable[T], more: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """``first`` as it is, then each item of ``more`` whose key no earlier item has."""
    kept = list(first)
    seen = {key(item) for item in kept}
    for item in more:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept


def _identifier_key(identifier: str) -> str:
    """Identifiers compare without case or surrounding space (``xm-dac-7`` is ``XM-DAC-7``)."""
    return identifier.strip().casefold()


def merged_organization(keep: Organization, drop: Organization) -> Organization:
    """``keep`` enriched with what ``drop`` knows, validated again.

    The dropped name and aliases become aliases unless the kept name or an alias already has
    the same folded form; identifiers, countries, sectors and sources are unioned, kept ones
    first. Founded and description come from ``drop`` only when ``keep`` has none; name, type,
    movement and status are always the kept ones (status is never missing).
    """
    aliases = _added([keep.name, *keep.aliases], [drop.name, *drop.aliases], fold)[1:]
    update: dict[str, Any] = {
        "aliases": aliases,
        "identifiers": _added(keep.identifiers, drop.identifiers, _identifier_key),
        "countries": _added(keep.countries, drop.countries, _same),
        "sectors": _added(keep.sectors, drop.sectors, _same),
        "sources": _added(keep.sources, drop.sources, _same),
        "founded": keep.founded if keep.founded is not None else drop.founded,
        "description": keep.description if keep.description is not None else drop.description,
    }
    return Organization.model_validate(keep.model_copy(update=update).model_dump())


def _moved(relationship: Relationship, keep: str, drop: str) -> Relationship:
    """``relationship`` with the dropped id at either end replaced by the kept one."""
    ends = {end: keep for end in ("source", "target") if getattr(relationship, end) == drop}
    return Relationship.model_validate(relationship.model_copy(update=ends).model_dump())


def _tie_key(relationship: Relationship) -> tuple[str, str, str]:
    """What two ties share when one repeats the other: type and ends (unordered if symmetric)."""
    ends = (relationship.source, relationship.target)
    if vocabulary().relationship_types[relationship.type].symmetric:
        ends = (min(ends), max(ends))
    return (relationship.type, *ends)


def _absorb(survivor: Relationship, other: Relationship) -> Relationship | None:
    """``survivor`` with ``other`` folded in, or None if folding would lose or break anything.

    A one-valued field set on only one of the two is kept; set to different values on both
    (two FUNDS grants of different amounts, an ENABLES that is direct and one that is indirect,
    an ended tie and an active one) the two stay apart. Mechanisms, activities (compared
    folded) and sources are unioned, the survivor's first. The result must validate: a
    ``since`` from one and an earlier ``until`` from the other keep the two apart too.
    """
    update: dict[str, Any] = {}
    for name in SINGLE_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(other, name)
        if mine is None:
            update[name] = theirs
        elif theirs is not None and theirs != mine:
            return None
    update["mechanisms"] = _added(survivor.mechanisms, other.mechanisms, _same)
    update["activities"] = _added(survivor.activities, other.activities, fold)
    update["sources"] = _added(survivor.sources, other.sources, _same)
    try:
        return Relationship.model_validate(survivor.model_copy(update=update).model_dump())
    except ValidationError:
        return None


def plan_merge(
    keep: Organization, drop: Organization, relationships: Sequence[Relationship]
) -> MergePlan:
    """Plan merging ``drop`` into ``keep``, given every relationship attached to either.

    Each relationship of ``drop`` is either deleted (a tie between the two, or one folded into
    an existing tie of ``keep`` that it repeats once moved) or put back pointing at ``keep``
    with its id unchanged. A tie of ``keep`` that absorbed another is put too. Two
    ties of ``drop`` are never folded into each other: they were separate before the merge.
    Relationships touching neither organisation need no change and are ignored.
    """
    if keep.id == drop.id:
        problem = Problem(
            f"organization '{keep.id}'",
            "id",
            "an organisation cannot be merged into itself; choose a different one to drop",
        )
        raise InvalidData([problem])
    survivors: dict[str, Relationship] = {}
    by_key: dict[tuple[str, str, str], list[str]] = {}
    for rel in relationships:
        if drop.id not in (rel.source, rel.target) and keep.id in (rel.source, rel.target):
            survivors[rel.id] = rel
            by_key.setdefault(_tie_key(rel), []).append(rel.id)
    put: dict[str, Relationship] = {}
    deleted: list[str] = []
    for rel in relationships:
        if drop.id not in (rel.source, rel.target):
            continue
        if keep.id in (rel.source, rel.target):
            deleted.append(rel.id)
            continue
        moved = _moved(rel, keep.id, drop.id)
        for survivor_id in by_key.get(_tie_key(moved), []):
            folded = _absorb(survivors[survivor_id], moved)
            if folded is not None:
                survivors[survivor_id] = put[survivor_id] = folded
                deleted.append(rel.id)
                break
        else:
            put[rel.id] = moved
    return MergePlan(
        organization=merged_organization(keep, drop),
        put_relationships=[put[rel.id] for rel in relationships if rel.id in put],
        delete_relationships=deleted,
        delete_organization=drop.id,
    )
