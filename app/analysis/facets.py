"""How many organisations carry each country, sector, type and movement: the values a filter
can offer, each with the count it would show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.analysis.snapshot import Snapshot


@dataclass(frozen=True)
class Facets:
    """Counts of organisations per value, only for values some organisation has."""

    countries: dict[str, int]
    sectors: dict[str, int]
    types: dict[str, int]
    movements: dict[str, int]


def facets(snapshot: Snapshot) -> Facets:
    """Per country, sector, type and movement, the organisations of the snapshot that have it
    (an organisation with two countries counts in both)."""
    orgs = snapshot.organizations.values()
    return Facets(
        countries=dict(Counter(c for o in orgs for c in o.countries)),
        sectors=dict(Counter(s for o in orgs for s in o.sectors)),
        types=dict(Counter(o.type for o in orgs)),
        movements=dict(Counter(o.movement for o in orgs)),
    )
