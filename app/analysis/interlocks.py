"""Interlocks: organisations that share funders, enablers or partners with a given one.

Shared backers show who draws on the same part of the ecosystem: candidates for the direct
exchange between partnership organisations and their enabling partners that the brief
recommends ("Sharing knowledge, experience and learning"; "Ways forward"), and, for a funder,
where several grantees depend on the same few sources ("Internal challenges within
partnership organizations": funding gaps).

An interlock rests on an inference (:mod:`app.analysis.inference`) when one of the ties that
join a shared backer to either organisation does; who the backers are is read off those ties
alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.analysis.inference import inferred_records
from app.analysis.snapshot import Snapshot
from app.domain.vocabulary import vocabulary

Backers = dict[str, dict[str, set[str]]]
"""Organisation id -> the ids that back it in one way (fund, enable or partner with it) ->
the ids of the ties through which each does."""


@dataclass(frozen=True)
class Interlock:
    """Another organisation and what it shares with the one asked about, kind by kind.

    ``total`` counts the shared organisations of every kind, so one that both funds and
    partners with the two counts twice. ``inferred_records`` names the ties resting on
    inference that join a shared backer to either organisation.
    """

    organization: str
    funders: tuple[str, ...]
    enablers: tuple[str, ...]
    partners: tuple[str, ...]
    total: int
    rests_on_inference: bool = False
    inferred_records: tuple[str, ...] = ()


def interlocks(snapshot: Snapshot, organization_id: str) -> tuple[Interlock, ...]:
    """Organisations sharing at least one funder, enabler or partner with ``organization_id``.

    Funders are the sources of FUNDS relationships; enablers the sources of the other
    enabling relationships (ENABLES, ESTABLISHED, ORGANISES, ...); partners the organisations
    at the other end of a PARTNERS_WITH relationship, in either direction. Ordered by
    ``total`` (highest first), then id. An id not in the snapshot shares nothing.
    """
    kinds = _backers(snapshot)
    found = []
    for other in sorted(snapshot.organizations):
        if other == organization_id:
            continue
        f, e, p = (_shared(kind, organization_id, other) for kind in kinds)
        if f or e or p:
            ties = {
                t
                for kind, shared in zip(kinds, (f, e, p), strict=True)
                for backer in shared
                for t in (*kind[organization_id][backer], *kind[other][backer])
            }
            records = [snapshot.relationships[t] for t in sorted(ties)]
            inferred = inferred_records(snapshot, records)
            total = len(f) + len(e) + len(p)
            found.append(Interlock(other, f, e, p, total, bool(inferred), inferred))
    return tuple(sorted(found, key=lambda i: (-i.total, i.organization)))


def _shared(backers: Backers, one: str, other: str) -> tuple[str, ...]:
    return tuple(sorted(backers.get(one, {}).keys() & backers.get(other, {}).keys()))


def _backers(snapshot: Snapshot) -> tuple[Backers, Backers, Backers]:
    """Each organisation's funders, other enablers and partners."""
    enabling = vocabulary().enabling_types
    funders: Backers = {}
    enablers: Backers = {}
    partners: Backers = {}
    for rel in snapshot.relationships.values():
        if rel.type == "FUNDS":
            _back(funders, rel.target, rel.source, rel.id)
        elif rel.type in enabling:
            _back(enablers, rel.target, rel.source, rel.id)
        elif rel.type == "PARTNERS_WITH":
            _back(partners, rel.target, rel.source, rel.id)
            _back(partners, rel.source, rel.target, rel.id)
    return funders, enablers, partners


def _back(backers: Backers, backed: str, backer: str, tie: str) -> None:
    backers.setdefault(backed, {}).setdefault(backer, set()).add(tie)
