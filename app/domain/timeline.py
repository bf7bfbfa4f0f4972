"""What was in force in a given year: the ``as_of`` rule every analysis shares.

Without a year, "now": a relationship counts only while its status is ``active``. With a
year, a relationship counts if it had begun (``since`` at or before the year, or unknown) and
had not ended (``until`` at or after the year; or no ``until`` and status still ``active``).
Planned ties never count. An organisation founded after the year is not there yet.
"""

from __future__ import annotations

from app.domain.models import Organization, Relationship


def relationship_in_force(rel: Relationship, as_of: int | None) -> bool:
    """Whether ``rel`` counts in year ``as_of`` (``None`` meaning now), by the module's rule."""
    if as_of is None:
        return rel.status == "active"
    if rel.status == "planned":
        return False
    if rel.since is not None and rel.since > as_of:
        return False
    if rel.until is not None:
        return rel.until >= as_of
    return rel.status == "active"


def organization_exists(org: Organization, as_of: int | None) -> bool:
    """Whether ``org`` had been founded by ``as_of`` (always, when either is unknown)."""
    return as_of is None or org.founded is None or org.founded <= as_of
