"""Interlocks: organisations that share funders, enablers or partners with a given one.

Shared backers show who draws on the same part of the ecosystem: candidates for the direct
exchange between partnership organisations and their enabling partners that the brief
recommends ("Sharing knowledge, experience and learning"; "Ways forward"), and, for a funder,
where several grantees depend on the same few sources ("Internal challenges within
partnership organizations": funding gaps).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.analysis.snapshot import Snapshot
from app.domain.vocabulary import vocabulary

Backers = dict[str, set[str]]
"""Organisation id -> the ids that back it in one way (fund, enable or partner with it)."""


@dataclass(frozen=True)
class Interlock:
    """Another organisation and what it shares with the one asked about, kind by kind.

    ``total`` counts the shared organisations of every kind, so one that both funds and
    partners with the two counts twice.
    """

    organization: str
    funders: tuple[str, ...]
    enablers: tuple[str, ...]
    partners: tuple[str, ...]
    total: int


def interlocks(snapshot: Snapshot, organization_id: str) -> tuple[Interlock, ...]:
    """Organisations sharing at least one funder, enabler or partner with ``organization_id``.

    Funders are the sources of FUNDS relationships; enablers the sources of the other
    enabling relationships (ENABLES, ESTABLISHED, ORGANISES, ...); partners the organisations
    at the other end of a PARTNERS_WITH relationship, in either direction. Ordered by
    ``total`` (highest first), then id. An id not in the snapshot shares nothing.
    """
    funders, enablers, partners = _backers(snapshot)
    found = []
    for other in sorted(snapshot.organizations):
        if other == organization_id:
            continue
        f, e, p = (_shared(kind, organization_id, other) for kind in (funders, enablers, partners))
        if f or e or p:
            found.append(Interlock(other, f, e, p, total=len(f) + len(e) + len(p)))
    return tuple(sorted(found, key=lambda i: (-i.total, i.organization)))


def _shared(backers: Backers, one: str, other: str) -> tuple[str, ...]:
    return tuple(sorted(backers.get(one, set()) & backers.get(other, set())))


def _backers(snapshot: Snapshot) -> tuple[Backers, Backers, Backers]:
    """Each organisation's funders, other enablers and partners."""
    enabling = vocabulary().enabling_types
    funders: Backers = {}
    enablers: Backers = {}
    partners: Backers = {}
    for rel in snapshot.relationships.values():
        if rel.type == "FUNDS":
            funders.setdefault(rel.target, set()).add(rel.source)
        elif rel.type in enabling:
            enablers.setdefault(rel.target, set()).add(rel.source)
        elif rel.type == "PARTNERS_WITH":
            partners.setdefault(rel.target, set()).add(rel.source)
            partners.setdefault(rel.source, set()).add(rel.target)
    return funders, enablers, partners
