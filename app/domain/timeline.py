"""What was in force in a given year: the ``as_of`` rule every analysis shares.

Without a year, "now": a relationship counts only while its status is ``active``. With a
year, a relationship counts if it had begun (``since`` at or before the year, or unknown) and
had not ended (``until`` at or after the year; or no ``until`` and status still ``active``).
Planned ties never count. An organisation founded after the year is not there yet, and
now (no year) a collapsed or dissolved one is gone.
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


GONE = frozenset({"collapsed", "dissolved"})


def organization_exists(org: Organization, as_of: int | None) -> bool:
    """Whether ``org`` is there in ``as_of``: founded by then; and, now, not collapsed or wound up.

    Organisations carry no end year, so a past year keeps collapsed ones (they were there).
    """
    if as_of is None:
        return org.status not in GONE
    return org.founded is None or org.founded <= as_of
