"""What was in force in a given year: the ``as_of`` rule every analysis shares.

Without a year, "now": a relationship counts only while its status is ``active``. With a
year, a relationship counts if it had begun and had not ended. It had begun if its ``since``
is at or before the year; with no ``since``, if its earliest evidence (the year of its
earliest dated source) is, so an undated tie never reaches back before anyone reported it
("undated, reported in 2020"); with neither, it is taken as always there. It had not ended
if its ``until`` is at or after the year, or, with no ``until``, if its status is still
``active``. Planned ties never count.

An organisation is there in a year if it was founded by then; with no founding year, if its
earliest evidence is at or before the year, or if a tie in force then joins it (a source
dated later may well report an organisation that a dated tie places earlier). Now (no year)
a collapsed or dissolved organisation is gone.
"""

from __future__ import annotations

from collections.abc import Set

from app.domain.evidence import evidence_years
from app.domain.models import Organization, Relationship


def relationship_start(rel: Relationship) -> int | None:
    """The first year ``rel`` counts: its ``since``, else its earliest evidence, else ``None``."""
    if rel.since is not None:
        return rel.since
    years = evidence_years(rel)
    return years[0] if years else None


def reported(rel: Relationship) -> int | None:
    """For an undated tie (no ``since``), the year it was first reported; else ``None``."""
    return None if rel.since is not None else relationship_start(rel)


def relationship_in_force(rel: Relationship, as_of: int | None) -> bool:
    """Whether ``rel`` counts in year ``as_of`` (``None`` meaning now), by the module's rule."""
    if as_of is None:
        return rel.status == "active"
    if rel.status == "planned":
        return False
    start = relationship_start(rel)
    if start is not None and start > as_of:
        return False
    if rel.until is not None:
        return rel.until >= as_of
    return rel.status == "active"


GONE = frozenset({"collapsed", "dissolved"})


def founded_by(org: Organization, as_of: int | None) -> bool:
    """Whether ``org`` had been founded by ``as_of`` (unknown founding years pass), and, now,
    is not collapsed or wound up. Traversals use this: an organisation they reach through a
    tie in force is evidently there."""
    if as_of is None:
        return org.status not in GONE
    return org.founded is None or org.founded <= as_of


def organization_exists(
    org: Organization, as_of: int | None, joined: Set[str] = frozenset()
) -> bool:
    """Whether ``org`` is there in ``as_of`` by the module's rule; ``joined`` holds the ids of
    organisations that a tie in force in ``as_of`` joins.

    Organisations carry no end year, so a past year keeps collapsed ones (they were there).
    """
    if not founded_by(org, as_of):
        return False
    if as_of is None or org.founded is not None:
        return True
    years = evidence_years(org)
    return years is None or years[0] <= as_of or org.id in joined
